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
  CHECK(plan.problem.cluster.key == "a");  // holds the issue; P2 beats P3
  CHECK(plan.old_priority == 4);
  CHECK(plan.priority == 2);
  CHECK(plan.labels == std::vector<std::string>{"GCP-regression", "P2", "gcp-log-gardener", "team-x"});
  CHECK(plan.title == std::optional<std::string>("GCP-regression | P2 | Problem a"));
  CHECK(plan.fingerprints == std::vector<std::string>{"a", "a-skeleton", "old"});
  CHECK(plan.watermark_us == 9000);  // never moved back
}

TEST_CASE("retriage: a pinned priority is kept; a person's title and category label are left") {
  std::vector<Problem> problems = {MakeProblem("a", 1, 5, "GCP-regression")};
  RetriagePlan pinned = PlanRetriage(problems, MakeIssue(true, true), "gcp-log-gardener");
  REQUIRE(pinned.found);
  CHECK(pinned.priority == 4);
  CHECK(pinned.problem.triage.priority == 4);
  CHECK(pinned.title == std::optional<std::string>("GCP-regression | P4 | Problem a"));

  TrackedIssue persons = MakeIssue(false, false);
  persons.issue.title = "Login is slow";
  RetriagePlan adopted = PlanRetriage(problems, persons, "gcp-log-gardener");
  CHECK_FALSE(adopted.title.has_value());
  CHECK(adopted.labels ==
        std::vector<std::string>{"GCP-active-dev", "GCP-regression", "P1", "gcp-log-gardener", "team-x"});
  CHECK_FALSE(PlanRetriage({MakeProblem("zzz", 1, 5, "x")}, persons, "gcp-log-gardener").found);
  CHECK_FALSE(PlanRetriage({}, persons, "gcp-log-gardener").found);
}

TEST_CASE("retriage: relabelling keeps one P label and the bot's") {
  CHECK(RelabelIssue({"P1", "p3", "bug"}, 0, "", "", "bot") == std::vector<std::string>{"P0", "bot", "bug"});
  CHECK(RelabelIssue({"P2", "old-cat"}, 2, "old-cat", "new-cat", "bot") ==
        std::vector<std::string>{"P2", "bot", "new-cat"});
}

}  // namespace
}  // namespace triage
