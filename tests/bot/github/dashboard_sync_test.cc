// WriteDashboard over real HTTP against the fake GitHub: created once (a
// create whose answer is lost is found by reading back), left alone when
// only its Updated line and window moved within refresh_us, rewritten when
// stale, when the retry point or title changed, reopened when closed; and
// LastWindowEnd / LastRetryFrom read back what it wrote.
#include "bot/github/dashboard_sync.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/support/github_session.h"

namespace triage {
namespace {

using testing::EndpointKind;

constexpr int64_t kHour = 3600LL * 1000000;
constexpr int64_t kEnd = 1893456000LL * 1000000;
const std::string kLabel = "gcp-log-gardener";
const std::string kLogin = "github-actions[bot]";
const std::string kTitle = "GCP Log Gardener dashboard";

DashboardView View() {
  DashboardView v;
  v.repository = "octo/repo";
  v.bot_label = kLabel;
  v.updated_us = kEnd;
  v.window_end_us = kEnd;
  v.overlap_us = kHour / 6;
  KnownIssue k;
  k.number = 7;
  k.title = "GCP-regression | P2 | Session middleware missing";
  k.priority = 2;
  v.issues.push_back(k);
  return v;
}

std::vector<GitHubIssue> Dashboards(testing::GitHubSession& s) {
  Result<std::vector<GitHubIssue>> listed = s.client->ListIssues(kLabel, "all");
  REQUIRE(listed);
  return listed.value();
}

Result<std::string> Write(testing::GitHubSession& s, const DashboardView& v,
                          const std::string& title = kTitle) {
  return WriteDashboard(*s.client, title, kLabel, kLogin, Dashboards(s), v);
}

TEST_CASE("dashboard sync: created once with the label, and read back") {
  testing::GitHubSession s;
  DashboardView v = View();
  CHECK(LastWindowEnd({}) == std::nullopt);
  CHECK(LastRetryFrom({}) == 0);
  Result<std::string> done = WriteDashboard(*s.client, kTitle, kLabel, kLogin, {}, v);
  REQUIRE(done);
  std::vector<testing::FakeIssue> issues = s.github.Issues("octo/repo");
  REQUIRE(issues.size() == 1);
  CHECK(done.value() == "created #" + std::to_string(issues[0].number));
  CHECK(issues[0].title == kTitle);
  CHECK(issues[0].body == RenderDashboard(v));
  CHECK(issues[0].labels == std::vector<std::string>{kLabel});
  std::vector<GitHubIssue> dashboards = Dashboards(s);
  REQUIRE(LastWindowEnd(dashboards).has_value());
  CHECK(*LastWindowEnd(dashboards) == kEnd);
  CHECK(LastRetryFrom(dashboards) == 0);
}

TEST_CASE("dashboard sync: a create answered 500 after storing is read back, not resent") {
  testing::GitHubSession s;
  s.github.FailNext("POST", "/repos/octo/repo/issues", {testing::FaultKind::kStatus, 500, true});
  Result<std::string> done = WriteDashboard(*s.client, kTitle, kLabel, kLogin, {}, View());
  REQUIRE(done);
  CHECK(s.github.Issues("octo/repo").size() == 1);
  CHECK(s.github.Count(EndpointKind::kCreateIssue) == 1);
  CHECK(done.value() == "created #" + std::to_string(s.github.Issues("octo/repo")[0].number));
}

TEST_CASE("dashboard sync: unchanged within refresh_us, rewritten when stale") {
  testing::GitHubSession s;
  DashboardView v = View();
  REQUIRE(Write(s, v));
  const int number = s.github.Issues("octo/repo")[0].number;
  const std::string ref = "#" + std::to_string(number);
  const std::string first_body = s.github.Issues("octo/repo")[0].body;

  // Only the Updated line and the window end moved, by less than refresh_us.
  DashboardView later = v;
  later.updated_us += 2 * kHour;
  later.window_end_us += 2 * kHour;
  REQUIRE(RenderDashboard(later) != first_body);
  s.github.ClearRequests();
  Result<std::string> same = Write(s, later);
  REQUIRE(same);
  CHECK(same.value() == "unchanged " + ref);
  CHECK(s.github.Count(EndpointKind::kUpdateIssue) == 0);
  CHECK(s.github.Issue("octo/repo", number)->body == first_body);

  // refresh_us behind the recorded end: rewritten.
  DashboardView stale = v;
  stale.updated_us += v.refresh_us;
  stale.window_end_us += v.refresh_us;
  Result<std::string> rewritten = Write(s, stale);
  REQUIRE(rewritten);
  CHECK(rewritten.value() == "updated " + ref);
  CHECK(s.github.Count(EndpointKind::kUpdateIssue) == 1);
  CHECK(s.github.Issue("octo/repo", number)->body == RenderDashboard(stale));
  CHECK(*LastWindowEnd(Dashboards(s)) == stale.window_end_us);

  // A changed problem list rewrites at once, even within refresh_us.
  DashboardView more = stale;
  more.window_end_us += kHour;
  KnownIssue k;
  k.number = 9;
  k.title = "GCP-auth | P1 | Token rejected";
  k.priority = 1;
  more.issues.push_back(k);
  Result<std::string> listed = Write(s, more);
  REQUIRE(listed);
  CHECK(listed.value() == "updated " + ref);
  CHECK(s.github.Issue("octo/repo", number)->body == RenderDashboard(more));
}

TEST_CASE("dashboard sync: a changed retry point or title rewrites, a closed one is reopened") {
  testing::GitHubSession s;
  DashboardView v = View();
  REQUIRE(Write(s, v));
  const int number = s.github.Issues("octo/repo")[0].number;

  SUBCASE("retry_from") {
    DashboardView retry = v;
    retry.window_end_us += kHour;
    retry.retry_from_us = kEnd - 3 * kHour;
    Result<std::string> done = Write(s, retry);
    REQUIRE(done);
    CHECK(done.value() == "updated #" + std::to_string(number));
    CHECK(LastRetryFrom(Dashboards(s)) == kEnd - 3 * kHour);
    // The same retry point again, within refresh_us: left alone.
    DashboardView again = retry;
    again.window_end_us += kHour;
    CHECK(Write(s, again).value() == "unchanged #" + std::to_string(number));
    // Cleared: rewritten.
    DashboardView cleared = again;
    cleared.retry_from_us = 0;
    CHECK(Write(s, cleared).value() == "updated #" + std::to_string(number));
    CHECK(LastRetryFrom(Dashboards(s)) == 0);
  }
  SUBCASE("title") {
    Result<std::string> done = Write(s, v, "Renamed dashboard");
    REQUIRE(done);
    CHECK(done.value() == "updated #" + std::to_string(number));
    CHECK(s.github.Issue("octo/repo", number)->title == "Renamed dashboard");
  }
  SUBCASE("closed") {
    IssuePatch close;
    close.state = "closed";
    REQUIRE(s.client->UpdateIssue(number, close));
    REQUIRE(s.github.Issue("octo/repo", number)->state == "closed");
    Result<std::string> done = Write(s, v);
    REQUIRE(done);
    CHECK(done.value() == "updated #" + std::to_string(number));
    CHECK(s.github.Issue("octo/repo", number)->state == "open");
  }
  SUBCASE("an update GitHub refuses is an error") {
    s.github.FailNext("PATCH", "/repos/octo/repo/issues/*", {testing::FaultKind::kStatus, 422, false});
    CHECK_FALSE(Write(s, v, "Another title"));
  }
}

TEST_CASE("dashboard sync: the oldest dashboard is the one read and written") {
  testing::GitHubSession s;
  DashboardView v = View();
  REQUIRE(Write(s, v));
  DashboardView other = v;
  other.window_end_us = kEnd + 10 * kHour;
  GitHubIssue newer = Dashboards(s)[0];
  newer.number = 999;
  newer.body = RenderDashboard(other);
  std::vector<GitHubIssue> both = Dashboards(s);
  both.push_back(newer);
  CHECK(*LastWindowEnd(both) == kEnd);
  std::vector<GitHubIssue> reversed{newer, both[0]};
  CHECK(*LastWindowEnd(reversed) == kEnd + 10 * kHour);
}

}  // namespace
}  // namespace triage
