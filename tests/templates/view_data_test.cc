// The data templates see, read field by field: values redacted, cut and
// counted as the templates' comments promise, whatever a log holds.
#include "templates/view_data.h"

#include <doctest/doctest.h>

#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "bot/base/time_util.h"

namespace triage {
namespace {

using Json = nlohmann::json;
using view_data::IssueData;
using view_data::WorklogData;

#define GHP "ghp_R2d2C3poBb8Wq4Lz0Xv9Kt6Ym1Na5Jh7Ue3S"
constexpr int64_t kMidnight = 1757894400LL * kMicrosPerSecond;  // 2025-09-15T00:00:00Z

PlannedAction Action(ActionKind kind, int issue) {
  PlannedAction a;
  a.kind = kind;
  Cluster& c = a.problem.cluster;
  c.key = "3f2a9c1d0b7e4a55";
  c.count = 10;
  c.severity_counts = {{Severity::kWarning, 2}, {Severity::kError, 8}};
  c.max_severity = Severity::kError;
  c.template_text = "login failed token=" GHP;
  c.first_seen_us = kMidnight + 5 * 60 * kMicrosPerSecond;
  c.last_seen_us = kMidnight + 3600 * kMicrosPerSecond;
  a.problem.triage.title = "GCP-error | P2 | login failed";
  a.problem.triage.priority = 2;
  a.issue_number = issue;
  return a;
}

RunReport Report(std::vector<PlannedAction> actions) {
  RunReport r;
  r.project = "p";
  r.window_start_us = kMidnight;
  r.window_end_us = kMidnight + 6 * 3600 * kMicrosPerSecond;
  r.actions = std::move(actions);
  return r;
}

TEST_CASE("view data: an issue's values are redacted, and times to the second") {
  PlannedAction a = Action(ActionKind::kCreate, 0);
  a.problem.cluster.samples = {Sample{"id-1", kMidnight + 123456, Severity::kError,
                                      "user alice@example.com token " GHP}};
  const Json j = IssueData(a, Report({a}), "<!-- m -->", view_data::kIssueLimits);
  CHECK(j["marker"] == "<!-- m -->");
  CHECK(j["template_md"] == "`login failed token=[redacted: github-token]`");
  CHECK(j["first_seen"] == "2025-09-15T00:05:00Z");
  CHECK(j["window_end"] == "2025-09-15T06:00:00Z");
  CHECK(j["severity_line"] == "ERROR 8, WARNING 2");
  CHECK(j["priority"] == "P2");
  CHECK(j["action"] == "create");
  CHECK(j["issue_md"] == "new issue");
  CHECK(j["rule"] == "defaults");
  REQUIRE(j["samples"].size() == 1);
  // Samples keep Cloud Logging's microseconds, so that they can be searched for.
  CHECK(j["samples"][0]["time"] == "2025-09-15T00:00:00.123456Z");
  const std::string block = j["samples"][0]["block_md"];
  CHECK(block.find("[redacted: email]") != std::string::npos);
  CHECK(block.find(GHP) == std::string::npos);
  CHECK(j.dump().find(GHP) == std::string::npos);
  // The config may keep email addresses.
  const Json kept =
      IssueData(a, Report({a}), "", view_data::WithEmails(view_data::kIssueLimits, false));
  CHECK(std::string(kept["samples"][0]["block_md"]).find("alice@example.com") != std::string::npos);
}

TEST_CASE("view data: long values are cut, long lists end with how many more") {
  PlannedAction a = Action(ActionKind::kUpdate, 12);
  a.issue_url = "https://github.com/o/r/issues/12";
  for (int i = 0; i < 13; ++i) a.problem.cluster.call_sites.push_back("m.f:" + std::to_string(i));
  a.problem.cluster.exception = std::string(400, 'E');
  a.problem.cluster.samples.assign(7, Sample{"id", 0, Severity::kError, std::string(5000, 's')});
  const Json j = IssueData(a, Report({a}), "", view_data::kIssueLimits);
  REQUIRE(j["call_sites"].size() == 11);
  CHECK(j["call_sites"][9] == "m.f:9");
  CHECK(j["call_sites"][10] == "and 3 more");
  const std::string exception = j["exception"];
  CHECK(exception == std::string(297, 'E') + "\u2026");
  CHECK(j["issue_md"] == "[#12](https://github.com/o/r/issues/12)");
  // Five samples, each cut at 4000 bytes with a note.
  REQUIRE(j["samples"].size() == 5);
  CHECK(std::string(j["samples"][0]["block_md"]).find("... (cut at 4000 bytes)") !=
        std::string::npos);
  CHECK(j["samples_note"] == "");
  // Shrunk limits say what was left out.
  view_data::Limits shrunk{2, 1000, /*shrunk=*/true};
  const Json small = IssueData(a, Report({a}), "", shrunk);
  CHECK(small["samples"].size() == 2);
  CHECK(small["samples_note"] ==
        "2 of 7 samples, each cut at 1000 bytes, to stay under GitHub's limit of 65,536 "
        "characters.");
}

TEST_CASE("view data: an issue URL that could end a Markdown link early is not one") {
  PlannedAction a = Action(ActionKind::kUpdate, 12);
  for (const char* url : {"https://x.test/a)(b", "javascript:alert(1)", "https://x.test/ a",
                          "http://x.test/12"}) {
    INFO("url: " << std::string(url));
    a.issue_url = url;
    CHECK(IssueData(a, Report({a}), "", view_data::kIssueLimits)["issue_md"] == "#12");
  }
}

TEST_CASE("view data: only an escalation shows the priority it had") {
  PlannedAction escalated = Action(ActionKind::kEscalate, 3);
  escalated.previous_priority = 4;
  PlannedAction updated = Action(ActionKind::kUpdate, 3);
  updated.previous_priority = 4;
  CHECK(IssueData(escalated, Report({}), "", view_data::kIssueLimits)["previous_priority"] == "P4");
  CHECK(IssueData(updated, Report({}), "", view_data::kIssueLimits)["previous_priority"] == "");
}

TEST_CASE("view data: the worklog's sections, rows and ignored lines within their limits") {
  std::vector<PlannedAction> actions;
  for (int i = 0; i < 5; ++i) actions.push_back(Action(ActionKind::kCreate, 0));
  for (int i = 0; i < 3; ++i) actions.push_back(Action(ActionKind::kIgnore, 0));
  actions[1].failed = true;
  const Json j = WorklogData(Report(actions), 2, 4, view_data::kWorklogLimits);
  CHECK(j["sections"].size() == 2);
  CHECK(j["rows"].size() == 4);
  CHECK(j["ignored"].size() == 3);
  CHECK(j["ignored_count"] == 3);
  CHECK(j["has_ignored"] == true);
  CHECK(j["problems"] == 8);
  CHECK(j["action_line"] == "create 5, ignore 3");
  CHECK(j["truncated"] == true);
  CHECK(j["truncation_note"] ==
        "Sections for 2 of 5 problems; the others are in the results table only. The results "
        "table lists 4 of 8 problems. Cut to stay under GitHub's 1 MiB step summary limit.");
  CHECK(std::string(j["retry_note"]).rfind("1 action above failed or were skipped", 0) == 0);
  const Json whole = WorklogData(Report(actions), 200, 2000, view_data::kWorklogLimits);
  CHECK(whole["truncated"] == false);
  CHECK(whole["truncation_note"] == "");
}

TEST_CASE("view data: the probe report's data holds every name a template may use") {
  const RunReport probe = view_data::ProbeReport();
  const std::set<std::string> issue =
      view_data::DataNames(IssueData(probe.actions[0], probe, "m", view_data::kIssueLimits));
  for (const char* name : {"marker", "title", "samples", "samples.block_md", "severities.name",
                           "chart_md", "issue_md", "template_md"}) {
    INFO("name: " << std::string(name));
    CHECK(issue.count(name) == 1);
  }
  const std::set<std::string> worklog =
      view_data::DataNames(WorklogData(probe, 1, 1, view_data::kWorklogLimits));
  for (const char* name : {"sections", "sections.samples.block_md", "rows.title", "ignored.rule",
                           "truncation_note", "run_mermaid_md"}) {
    INFO("name: " << std::string(name));
    CHECK(worklog.count(name) == 1);
  }
  CHECK(view_data::DataNames(Json{{"a", {{"b", 1}}}, {"l", Json::array({{{"c", 2}}})}}) ==
        std::set<std::string>{"a", "a.b", "l", "l.c"});
}

}  // namespace
}  // namespace triage
