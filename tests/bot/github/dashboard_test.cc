// The dashboard issue: where the next window starts, and what it lists.
#include "bot/github/dashboard.h"

#include <doctest/doctest.h>

#include "bot/github/marker.h"
#include "bot/base/time_util.h"

namespace triage {
namespace {

constexpr int64_t kMinute = 60 * int64_t{1000000};
constexpr int64_t kHour = 60 * kMinute;
const int64_t kNow = *ParseRfc3339("2025-09-15T12:00:00Z");

TEST_CASE("dashboard: the window starts where the last run ended, with overlap and a floor") {
  SourceConfig s;  // window 24h, overlap 10m, max_lookback 72h
  WindowStart first = ChooseWindowStart(s, std::nullopt, kNow);
  CHECK(first.since_us == kNow - 24 * kHour);
  CHECK(first.reason == "no earlier run recorded on the dashboard: the last 24 h");
  // A run an hour late still reads from where the last one stopped.
  WindowStart late = ChooseWindowStart(s, kNow - 2 * kHour, kNow);
  CHECK(late.since_us == kNow - 2 * kHour - 10 * kMinute);
  CHECK(late.reason == "from where the last run ended (2025-09-15T10:00:00.000000Z), less 10 min of overlap");
  // Runs dropped for a week: no further back than max_lookback.
  WindowStart old = ChooseWindowStart(s, kNow - 7 * 24 * kHour, kNow);
  CHECK(old.since_us == kNow - 72 * kHour);
  // A recorded end in the future (a clock behind): the overlap, not nothing.
  CHECK(ChooseWindowStart(s, kNow + kHour, kNow).since_us == kNow - 10 * kMinute);
}

KnownIssue Issue(int number, int priority, bool open = true) {
  KnownIssue k;
  k.number = number;
  k.priority = priority;
  k.open = open;
  k.title = "GCP-regression | P" + std::to_string(priority) + " | problem " + std::to_string(number);
  return k;
}

TEST_CASE("dashboard: open problems by priority, the window end in the marker") {
  DashboardView v;
  v.bot_label = "gcp-log-gardener";
  v.updated_us = kNow;
  v.window_end_us = kNow - kMinute;
  v.overlap_us = 10 * kMinute;
  v.issues = {Issue(3, 2), Issue(1, 4), Issue(9, 1), Issue(5, 0, /*open=*/false), Issue(7, 2)};
  v.issues[0].muted = true;
  v.issues[0].title = "x | P2 | @team <b>|</b>";
  std::string body = RenderDashboard(v);
  CHECK(body.find("### Open problems (4)") != std::string::npos);
  size_t p1 = body.find("| P1 | #9 |"), p2a = body.find("| P2 | #3 |"), p2b = body.find("| P2 | #7 |"),
         p4 = body.find("| P4 | #1 |");
  REQUIRE(p1 != std::string::npos);
  CHECK(p1 < p2a);
  CHECK(p2a < p2b);
  CHECK(p2b < p4);
  CHECK(body.find("#5") == std::string::npos);  // closed
  // The marker lists every open one, so a run finds one whose label went.
  CHECK(DashboardIssues(body) == std::vector<int>{1, 3, 7, 9});
  CHECK(DashboardIssues("no marker").empty());
  CHECK(body.find("| muted |") != std::string::npos);
  // Titles sit in code spans, where mentions and HTML are inert.
  CHECK(body.find("| `x \\| P2 \\| @team <b>\\|</b>` |") != std::string::npos);
  CHECK(DashboardWindowEnd(body) == std::optional<int64_t>(kNow - kMinute));
  auto m = ParseMarker(body);
  REQUIRE(m);
  CHECK(m->kind == MarkerKind::kDashboard);

  v.issues.clear();
  for (int i = 1; i <= 150; ++i) v.issues.push_back(Issue(i, 3));
  std::string many = RenderDashboard(v);
  CHECK(many.find("| P3 | #100 |") != std::string::npos);
  CHECK(many.find("| P3 | #101 |") == std::string::npos);
  CHECK(many.find("... and 50 more, all labelled `gcp-log-gardener`.") != std::string::npos);
  CHECK(many.size() < 65536);
  CHECK_FALSE(DashboardWindowEnd("no marker here"));
}

}  // namespace
}  // namespace triage
