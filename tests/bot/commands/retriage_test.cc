// What a retriage changes: the problem that holds the issue, the priority
// (pinned or the rules'), labels and title.
#include "bot/commands/retriage.h"

#include <doctest/doctest.h>

namespace triage {
namespace {

Problem MakeProblem(const std::string& key, int priority, int64_t count, const std::string& category) {
  Problem p;
  p.cluster.key = key;
  p.cluster.fingerprints = {key, key + "-skeleton"};
  p.cluster.count = count;
  p.cluster.last_seen_us = 5000;
  p.triage.priority = priority;
  p.triage.category = category;
  p.triage.title = category + " | P" + std::to_string(priority) + " | Problem " + key;
  return p;
}

TrackedIssue MakeIssue(bool bots, bool pinned) {
  TrackedIssue t;
  t.issue.number = 7;
  t.issue.title = "GCP-active-dev | P4 | Problem a";
  t.issue.labels = {"GCP-active-dev", "P4", "gcp-log-gardener", "team-x"};
  t.body_is_bots = bots;
  t.pinned = pinned;
  t.known.number = 7;
  t.known.priority = 4;
  t.known.fingerprints = {"a", "old"};
  t.known.watermark_us = 9000;
  return t;
}

TEST_CASE("retriage: the rules' priority, category and title replace the old ones") {
  std::vector<Problem> problems = {MakeProblem("b", 1, 100, "GCP-regression"),
                                   MakeProblem("a", 2, 5, "GCP-regression"),
                                   MakeProblem("a-skeleton", 3, 50, "GCP-auth")};
  RetriagePlan plan = PlanRetriage(problems, MakeIssue(true, false), "gcp-log-gardener");
  REQUIRE(plan.found);
  CHECK(plan.action.problem.cluster.key == "a");  // holds the issue; P2 beats P3
  CHECK(plan.action.previous_priority == 4);
  CHECK(plan.action.target_priority == 2);
  CHECK(plan.action.problem.triage.priority == 2);
  CHECK(plan.action.new_labels ==
        std::vector<std::string>{"GCP-regression", "P2", "gcp-log-gardener", "team-x"});
  CHECK(plan.action.new_title == "GCP-regression | P2 | Problem a");
  CHECK(plan.fingerprints == std::vector<std::string>{"a", "a-skeleton", "old"});
  CHECK(plan.watermark_us == 9000);  // never moved back
}

TEST_CASE("retriage: a pinned priority is kept; a person's title and category label are left") {
  std::vector<Problem> problems = {MakeProblem("a", 1, 5, "GCP-regression")};
  RetriagePlan pinned = PlanRetriage(problems, MakeIssue(true, true), "gcp-log-gardener");
  REQUIRE(pinned.found);
  CHECK(pinned.action.target_priority == 4);
  CHECK(pinned.action.problem.triage.priority == 4);
  CHECK(pinned.action.new_title == "GCP-regression | P4 | Problem a");

  TrackedIssue persons = MakeIssue(false, false);
  persons.issue.title = "Login is slow";
  RetriagePlan adopted = PlanRetriage(problems, persons, "gcp-log-gardener");
  CHECK(adopted.action.new_title.empty());
  CHECK(adopted.action.issue_title == "Login is slow");
  CHECK(adopted.action.new_labels ==
        std::vector<std::string>{"GCP-active-dev", "GCP-regression", "P1", "gcp-log-gardener", "team-x"});
  CHECK_FALSE(PlanRetriage({MakeProblem("zzz", 1, 5, "x")}, persons, "gcp-log-gardener").found);
  CHECK_FALSE(PlanRetriage({}, persons, "gcp-log-gardener").found);
}

TEST_CASE("retriage: the plan is an update that posts evidence, as the sync's plan gives one") {
  TrackedIssue issue = MakeIssue(true, false);
  issue.issue.html_url = "https://github.com/o/r/issues/7";
  RetriagePlan plan = PlanRetriage({MakeProblem("a", 2, 5, "GCP-regression")}, issue, "gcp-log-gardener");
  REQUIRE(plan.found);
  CHECK(plan.action.kind == ActionKind::kUpdate);
  CHECK(plan.action.evidence == EvidenceMode::kPost);
  CHECK(plan.action.issue_number == 7);
  CHECK(plan.action.issue_url == "https://github.com/o/r/issues/7");
  CHECK(plan.action.issue_title == "GCP-regression | P2 | Problem a");  // as it will be

  // The evidence marker is the sync's, with what the issue holds afterwards.
  SyncOptions sync;
  sync.run_id = "run-9";
  Marker m = RetriageMarker(plan, sync);
  CHECK(m.kind == MarkerKind::kEvidence);
  CHECK(m.key == "a");
  CHECK(m.priority == 2);
  CHECK(m.run_id == "run-9");
  CHECK(m.fingerprints == std::vector<std::string>{"a", "a-skeleton", "old"});
  CHECK(m.watermark_us == 9000);

  RunReport report = RetriageReport("o/r", 1000, 5000);
  CHECK(report.repository == "o/r");
  CHECK_FALSE(report.dry_run);
  CHECK(report.window_start_us == 1000);
  CHECK(report.window_end_us == 5000);
  CHECK(report.generated_us == 5000);
}

TEST_CASE("retriage: the reply says the window, the change of priority and where the evidence is") {
  constexpr int64_t kMinute = 60 * int64_t{1000000};
  CHECK(WindowName(90 * kMinute) == "90m");
  CHECK(WindowName(120 * kMinute) == "2h");
  CHECK(WindowName(3 * 24 * 60 * kMinute) == "3d");

  Problem p = MakeProblem("a", 2, 5, "GCP-regression");
  p.triage.reason = "P2: rule `auth`";
  RetriagePlan plan = PlanRetriage({p}, MakeIssue(true, false), "gcp-log-gardener");
  CHECK(RetriageReply(plan, false, 120 * kMinute, "https://e/1") ==
        "Retriaged from 5 occurrences in the last 2h: priority **P4 -> P2** (P2: rule `auth`), "
        "category `GCP-regression`. [Evidence](https://e/1).");
  RetriagePlan pinned = PlanRetriage({p}, MakeIssue(true, true), "gcp-log-gardener");
  CHECK(RetriageReply(pinned, true, 120 * kMinute, "u").find("priority stays **P4** (pinned)") !=
        std::string::npos);
  CHECK(NotFoundReply(120 * kMinute, 0, 120 * kMinute) ==
        "No occurrence of this issue's problem in the last 2h (1970-01-01T00:00:00.000000Z to "
        "1970-01-01T02:00:00.000000Z); nothing was changed.");
}

TEST_CASE("retriage: relabelling keeps one P label and the bot's") {
  CHECK(RelabelIssue({"P1", "p3", "bug"}, 0, "", "", "bot") == std::vector<std::string>{"P0", "bot", "bug"});
  CHECK(RelabelIssue({"P2", "old-cat"}, 2, "old-cat", "new-cat", "bot") ==
        std::vector<std::string>{"P2", "bot", "new-cat"});
}

}  // namespace
}  // namespace triage
