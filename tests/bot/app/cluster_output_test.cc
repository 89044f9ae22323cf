// The outputs of `cluster` and `run --json`/the plan, from structs built
// here: the JSON read back field by field, the text compared whole.
#include "bot/app/cluster_output.h"

#include <doctest/doctest.h>

#include <string>

#include <nlohmann/json.hpp>

namespace triage {
namespace {

using nlohmann::json;

constexpr int64_t kT0 = 1757903979115247LL;  // 2025-09-15T02:39:39.115247Z
constexpr int64_t kHour = 1757901600000000LL;  // 2025-09-15T02:00:00Z
#define GHP "ghp_R2d2C3poBb8Wq4Lz0Xv9Kt6Ym1Na5Jh7Ue3S"

Cluster MakeCluster() {
  Cluster c;
  c.key = "0123456789abcdef";
  c.fingerprints = {"0123456789abcdef", "fedcba9876543210"};
  c.template_text = "payment failed for order <*> token " GHP;
  c.service = "checkout";
  c.exception = "TimeoutError";
  c.count = 7;
  c.severity_counts = {{Severity::kWarning, 2}, {Severity::kError, 5}};
  c.max_severity = Severity::kError;
  c.first_seen_us = kT0;
  c.last_seen_us = kT0 + 60 * int64_t{1000000};
  c.revisions = {"checkout-00042"};
  c.call_sites = {"pay.charge:88"};
  c.samples = {Sample{"id-1", kT0, Severity::kError, "auth=" GHP " done"}};
  c.hourly = {{kHour, 7}};
  return c;
}

PlannedAction MakeAction(ActionKind kind, int issue, int64_t count, const std::string& title) {
  PlannedAction a;
  a.kind = kind;
  a.problem.cluster = MakeCluster();
  a.problem.cluster.count = count;
  a.problem.member_keys = {"0123456789abcdef"};
  a.problem.triage.title = title;
  a.problem.triage.priority = 2;
  a.problem.triage.category = "GCP-error";
  a.problem.triage.rate_per_hour = 12.349;
  a.issue_number = issue;
  if (issue != 0) a.issue_url = "https://github.com/o/r/issues/" + std::to_string(issue);
  a.reason = "new problem";
  return a;
}

TEST_CASE("cluster output: the clusters JSON holds every field, redacted, times in RFC 3339") {
  CollectResult result;
  result.clusters = {MakeCluster()};
  result.clusters[0].template_text += " \xFF";  // invalid UTF-8 from a log
  result.read.entries = 10;
  result.read.malformed = 1;
  result.filtered_out = 2;
  result.clustered = 7;
  const std::string text = RenderClustersJson(result);
  CHECK(text.back() == '\n');
  CHECK(text.rfind("{\n  \"clusters\": [\n", 0) == 0);  // sorted keys, two spaces
  const json out = json::parse(text);  // throws on invalid UTF-8
  CHECK(out["stats"] == json({{"entries_read", 10}, {"malformed", 1}, {"filtered_out", 2},
                              {"clustered", 7}, {"clusters", 1}}));
  REQUIRE(out["clusters"].size() == 1);
  const json& c = out["clusters"][0];
  CHECK(c["key"] == "0123456789abcdef");
  CHECK(c["fingerprints"].size() == 2);
  CHECK(c["template"] ==
        "payment failed for order <*> token [redacted: github-token] \xEF\xBF\xBD");
  CHECK(c["samples"][0]["text"] == "auth=[redacted: github-token] done");
  CHECK(c["samples"][0]["timestamp"] == "2025-09-15T02:39:39.115247Z");
  CHECK(c["samples"][0]["severity"] == "ERROR");
  CHECK(c["severity_counts"] == json({{"ERROR", 5}, {"WARNING", 2}}));
  CHECK(c["max_severity"] == "ERROR");
  CHECK(c["first_seen"] == "2025-09-15T02:39:39.115247Z");
  CHECK(c["last_seen"] == "2025-09-15T02:40:39.115247Z");
  CHECK(c["hourly"] == json({{"2025-09-15T02:00:00.000000Z", 7}}));
  CHECK(c["count"] == 7);
  CHECK(c["service"] == "checkout");
  CHECK(text.find(GHP) == std::string::npos);

  // A time that is not known is null, not the epoch.
  CollectResult bare;
  bare.clusters = {Cluster{}};
  const json empty = json::parse(RenderClustersJson(bare));
  CHECK(empty["clusters"][0]["first_seen"].is_null());
  CHECK(empty["clusters"][0]["last_seen"].is_null());
}

TEST_CASE("cluster output: the table, one line per cluster, cut and on one line") {
  CollectResult result;
  Cluster c = MakeCluster();
  c.template_text = "line one\nline\ttwo " + std::string(200, 'x');
  c.call_sites = {"pay.charge:88"};
  result.clusters = {c};
  result.clustered = 7;
  result.read.entries = 9;
  result.filtered_out = 2;
  const std::string table = RenderClustersTable(result);
  const std::string expected =
      "   COUNT  SEVERITY  KEY               TEMPLATE (call site)\n"
      "       7  ERROR     0123456789abcdef  line one line two " + std::string(79, 'x') +
      "...  (pay.charge:88)\n"
      "1 clusters from 7 entries (9 read, 2 filtered out, 0 malformed)\n";
  CHECK(table == expected);
}

TEST_CASE("cluster output: the report JSON, with each problem's triage and action") {
  RunReport report;
  report.generated_us = kT0;
  report.dry_run = false;
  report.project = "p";
  report.services = {"checkout"};
  report.repository = "o/r";
  report.window_start_us = kHour;
  report.clustered = 14;
  report.severity_counts = {{Severity::kError, 10}, {Severity::kWarning, 4}};
  report.actions = {MakeAction(ActionKind::kCreate, 0, 9, "GCP-error | P2 | a"),
                    MakeAction(ActionKind::kUpdate, 12, 5, "GCP-error | P2 | b")};
  report.actions[1].outcome = "commented";
  const json out = json::parse(RenderReportJson(report));
  CHECK(out["generated"] == "2025-09-15T02:39:39.115247Z");
  CHECK(out["dry_run"] == false);
  CHECK(out["window"] == json({{"start", "2025-09-15T02:00:00.000000Z"}, {"end", nullptr}}));
  CHECK(out["stats"]["problems"] == 2);
  CHECK(out["stats"]["clustered"] == 14);
  CHECK(out["actions"] == json({{"create", 1}, {"update", 1}}));
  CHECK(out["severity_counts"] == json({{"ERROR", 10}, {"WARNING", 4}}));
  REQUIRE(out["clusters"].size() == 2);
  const json& created = out["clusters"][0];
  CHECK(created["action"] == "create");
  CHECK(created["priority"] == "P2");
  CHECK(created["rate_per_hour"] == doctest::Approx(12.3));
  CHECK(created["issue"].is_null());
  CHECK(created["member_keys"] == json::array({"0123456789abcdef"}));
  const json& updated = out["clusters"][1];
  CHECK(updated["issue"] ==
        json({{"number", 12}, {"url", "https://github.com/o/r/issues/12"}, {"title", ""}}));
  CHECK(updated["outcome"] == "commented");
  CHECK(updated["failed"] == false);
}

TEST_CASE("cluster output: the plan text, dry run or live") {
  RunReport report;
  report.clustered = 14;
  report.actions = {MakeAction(ActionKind::kCreate, 0, 9, "GCP-error | P2 | a\nb"),
                    MakeAction(ActionKind::kUpdate, 12, 5, "GCP-error | P2 | c")};
  CHECK(RenderPlanText(report) ==
        "Plan (dry run, nothing is written to GitHub):\n"
        "  create   -            9  GCP-error | P2 | a b\n"
        "           0123456789abcdef  new problem\n"
        "  update   #12          5  GCP-error | P2 | c\n"
        "           0123456789abcdef  new problem\n"
        "2 problems from 14 entries: 1 create, 1 update\n");
  RunReport live;
  live.dry_run = false;
  CHECK(RenderPlanText(live) == "Plan:\n0 problems from 0 entries\n");
}

}  // namespace
}  // namespace triage
