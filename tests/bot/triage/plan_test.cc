#include "bot/triage/plan.h"

#include <doctest/doctest.h>

#include "bot/base/time_util.h"

namespace triage {
namespace {

constexpr int64_t kDay = 24 * kMicrosPerHour;
constexpr int64_t kNow = 1757900000LL * 1000000;  // 2025-09-15T01:33:20Z

Problem MakeProblem(const std::string& key, int priority, int64_t last_seen_us = kNow - kMicrosPerHour) {
  Problem p;
  p.cluster.key = key;
  p.cluster.fingerprints = {key, key + "-skeleton"};
  p.cluster.count = 5;
  p.cluster.first_seen_us = last_seen_us - kMicrosPerHour;
  p.cluster.last_seen_us = last_seen_us;
  p.member_keys = {key};
  p.triage.priority = priority;
  p.triage.reason = "P" + std::to_string(priority) + ": rule `r`";
  return p;
}

KnownIssue MakeIssue(int number, const std::string& fingerprint, int priority) {
  KnownIssue i;
  i.number = number;
  i.fingerprints = {"unrelated", fingerprint};
  i.priority = priority;
  i.url = "https://example.test/" + std::to_string(number);
  return i;
}

PlannedAction PlanOne(const Problem& p, const std::vector<KnownIssue>& issues) {
  PlanOptions o;
  o.now_us = kNow;
  auto actions = PlanActions({p}, issues, o);
  REQUIRE(actions.size() == 1);
  return actions[0];
}

TEST_CASE("plan: action names both ways") {
  for (ActionKind k : {ActionKind::kNone, ActionKind::kCreate, ActionKind::kUpdate,
                       ActionKind::kReopen, ActionKind::kEscalate, ActionKind::kIgnore}) {
    CHECK(ParseActionName(ActionName(k)) == k);
  }
  CHECK(std::string(ActionName(ActionKind::kEscalate)) == "escalate");
  CHECK_FALSE(ParseActionName("delete").has_value());
}

TEST_CASE("plan: new problems are created at or above the filing floor") {
  auto a = PlanOne(MakeProblem("k", 4), {});
  CHECK(a.kind == ActionKind::kCreate);
  CHECK(a.reason == "new problem");
  auto b = PlanOne(MakeProblem("k", 5), {});
  CHECK(b.kind == ActionKind::kNone);
  CHECK(b.reason == "P5 is below the filing floor P4; reported only");
  Problem ignored = MakeProblem("k", 1);
  ignored.triage.ignored = true;
  ignored.triage.reason = "ignored by rule `otel`";
  auto c = PlanOne(ignored, {MakeIssue(3, "k", 1)});
  CHECK(c.kind == ActionKind::kIgnore);
  CHECK(c.reason == "ignored by rule `otel`");
}

TEST_CASE("plan: an open issue is found by any fingerprint and updated, escalated or left") {
  auto update = PlanOne(MakeProblem("k", 3), {MakeIssue(640, "k-skeleton", 3)});
  CHECK(update.kind == ActionKind::kUpdate);
  CHECK(update.issue_number == 640);
  CHECK(update.issue_url == "https://example.test/640");
  CHECK(update.reason == "new occurrences up to 2025-09-15T00:33:20.000000Z");

  auto lower = PlanOne(MakeProblem("k", 4), {MakeIssue(640, "k", 2)});
  CHECK(lower.kind == ActionKind::kUpdate);
  CHECK(lower.reason == "new occurrences up to 2025-09-15T00:33:20.000000Z; P2 kept (never lowered to P4)");

  auto up = PlanOne(MakeProblem("k", 1), {MakeIssue(640, "k", 3)});
  CHECK(up.kind == ActionKind::kEscalate);
  CHECK(up.previous_priority == 3);
  CHECK(up.reason == "P3 -> P1 (P1: rule `r`)");

  KnownIssue by_person = MakeIssue(640, "k", 3);
  by_person.priority_set_by_person = true;
  auto kept = PlanOne(MakeProblem("k", 1), {by_person});
  CHECK(kept.kind == ActionKind::kUpdate);
  CHECK(kept.reason == "new occurrences; P1 suggested, but P3 was set by a person and is kept");

  KnownIssue seen = MakeIssue(640, "k", 3);
  seen.watermark_us = kNow - kMicrosPerHour;
  auto nothing = PlanOne(MakeProblem("k", 1), {seen});
  CHECK(nothing.kind == ActionKind::kNone);
  CHECK(nothing.reason == "nothing new since 2025-09-15T00:33:20.000000Z");
}

TEST_CASE("plan: closed issues are reopened, replaced or left closed") {
  KnownIssue closed = MakeIssue(169, "k", 2);
  closed.open = false;
  closed.state_reason = "completed";
  closed.closed_at_us = kNow - 3 * kDay;
  auto reopen = PlanOne(MakeProblem("k", 2), {closed});
  CHECK(reopen.kind == ActionKind::kReopen);
  CHECK(reopen.reason == "regression: seen again after #169 was closed as completed");

  closed.closed_at_us = kNow - 45 * kDay;
  auto fresh = PlanOne(MakeProblem("k", 2), {closed});
  CHECK(fresh.kind == ActionKind::kCreate);
  CHECK(fresh.issue_number == 169);  // the new issue links it
  CHECK(fresh.reason ==
        "regression: #169 was closed 45 days ago, beyond the 30-day reopen window; a new issue links it");

  closed.closed_at_us = kNow - 10 * kMicrosPerSecond;  // closed after the last occurrence
  auto before = PlanOne(MakeProblem("k", 2), {closed});
  CHECK(before.kind == ActionKind::kNone);
  CHECK(before.reason == "no occurrence since #169 was closed");

  closed.state_reason = "not_planned";
  closed.closed_at_us = kNow - 3 * kDay;
  auto wontfix = PlanOne(MakeProblem("k", 2), {closed});
  CHECK(wontfix.kind == ActionKind::kNone);
  CHECK(wontfix.reason == "#169 was closed as not planned; left closed");
}

TEST_CASE("plan: an open issue wins over a closed one; among closed, the latest closed") {
  KnownIssue old_closed = MakeIssue(10, "k", 2);
  old_closed.open = false;
  old_closed.closed_at_us = kNow - 9 * kDay;
  KnownIssue new_closed = old_closed;
  new_closed.number = 11;
  new_closed.closed_at_us = kNow - 2 * kDay;
  KnownIssue open_one = MakeIssue(12, "k", 2);
  Problem p = MakeProblem("k", 2);
  CHECK(FindIssue(p, {old_closed, new_closed})->number == 11);
  CHECK(FindIssue(p, {old_closed, open_one, new_closed})->number == 12);
  CHECK(FindIssue(p, {MakeIssue(13, "zzz", 2)}) == nullptr);
}

TEST_CASE("plan: a muted issue gets no evidence and is not reopened") {
  KnownIssue open = MakeIssue(7, "k", 2);
  open.muted = true;
  PlannedAction a = PlanOne(MakeProblem("k", 1), {open});
  CHECK(a.kind == ActionKind::kNone);
  CHECK(a.reason == "muted by a command; nothing posted");
  KnownIssue closed = open;
  closed.open = false;
  closed.state_reason = "completed";
  closed.closed_at_us = kNow - 2 * kDay;
  PlannedAction b = PlanOne(MakeProblem("k", 1), {closed});
  CHECK(b.kind == ActionKind::kNone);
  CHECK(b.reason == "#7 is muted; left closed");
  closed.muted = false;
  CHECK(PlanOne(MakeProblem("k", 1), {closed}).kind == ActionKind::kReopen);
}

TEST_CASE("plan: the writer's choices are the plan's: priority, title, labels, edit or post") {
  SUBCASE("escalation: new priority in the title and the labels, the evidence posted") {
    KnownIssue issue = MakeIssue(7, "k", 3);
    issue.title = "GCP-error | P3 | Redis timeout";
    issue.labels = {"P3", "gcp-log-gardener", "GCP-error"};
    PlannedAction a = PlanOne(MakeProblem("k", 1), {issue});
    CHECK(a.kind == ActionKind::kEscalate);
    CHECK(a.target_priority == 1);
    CHECK(a.new_title == "GCP-error | P1 | Redis timeout");
    CHECK(a.new_labels == std::vector<std::string>{"GCP-error", "P1", "gcp-log-gardener"});
    CHECK(a.evidence == EvidenceMode::kNotice);
  }
  SUBCASE("reopening: the higher priority, a regression title, the label added") {
    KnownIssue issue = MakeIssue(8, "k", 2);
    issue.open = false;
    issue.state_reason = "completed";
    issue.closed_at_us = kNow - 2 * kDay;
    issue.title = "GCP-error | P2 | Redis timeout";
    issue.labels = {"P2"};
    PlannedAction a = PlanOne(MakeProblem("k", 4), {issue});
    CHECK(a.kind == ActionKind::kReopen);
    CHECK(a.target_priority == 2);
    CHECK(a.new_title == "GCP-regression | P2 | Redis timeout");
    CHECK(a.new_labels == std::vector<std::string>{"GCP-regression", "P2"});
    issue.pinned = true;
    issue.priority = 5;
    issue.labels = {"P5"};
    CHECK(PlanOne(MakeProblem("k", 1), {issue}).target_priority == 5);  // a person's choice
  }
  SUBCASE("update: edited in place within the quiet period, posted after it or when notable") {
    KnownIssue issue = MakeIssue(9, "k", 3);
    issue.fingerprints.push_back("k");
    issue.bot_priority = 3;
    issue.evidence_at_us = kNow - kMicrosPerHour;
    PlannedAction a = PlanOne(MakeProblem("k", 3), {issue});
    CHECK(a.kind == ActionKind::kUpdate);
    CHECK(a.target_priority == 3);
    CHECK(a.evidence == EvidenceMode::kEdit);
    CHECK(a.new_title.empty());
    issue.evidence_at_us = kNow - 2 * kDay;
    CHECK(PlanOne(MakeProblem("k", 3), {issue}).evidence == EvidenceMode::kPost);
    issue.evidence_at_us = kNow - kMicrosPerHour;
    issue.adoption = "adopts #9";
    CHECK(PlanOne(MakeProblem("k", 3), {issue}).evidence == EvidenceMode::kNotice);
    issue.adoption.clear();
    Problem variant = MakeProblem("k2", 3);
    variant.cluster.fingerprints = {"k", "k2"};  // held by its old key, a new primary
    CHECK(PlanOne(variant, {issue}).evidence == EvidenceMode::kNotice);
    issue.evidence_at_us = 0;  // no comment kept yet
    CHECK(PlanOne(MakeProblem("k", 3), {issue}).evidence == EvidenceMode::kPost);
  }
}

}  // namespace
}  // namespace triage

namespace triage {
namespace {

// Request-log problems of one service: each its key, all one skeleton.
Problem RouteProblem(const std::string& key, const std::string& template_text) {
  Problem p = MakeProblem(key, 2);
  p.cluster.fingerprints = {key, "skeleton"};
  p.cluster.template_text = template_text;
  return p;
}

KnownIssue Holding(int number, std::vector<std::string> fingerprints) {
  KnownIssue i = MakeIssue(number, "", 2);
  i.fingerprints = std::move(fingerprints);
  i.title = "GCP-regression | P2 | issue " + std::to_string(number);
  return i;
}

TEST_CASE("plan: a problem goes to the issue of its key, not to the lowest sharing a skeleton") {
  Problem a = RouteProblem("a", "GET 500 /orders"), b = RouteProblem("b", "POST 502 /payments");
  std::vector<KnownIssue> issues{Holding(1, {"a", "skeleton"}), Holding(2, {"b", "skeleton"})};
  auto assigned = AssignIssues({a, b}, issues);
  REQUIRE(assigned[0] != nullptr);
  REQUIRE(assigned[1] != nullptr);
  CHECK(assigned[0]->number == 1);
  CHECK(assigned[1]->number == 2);
  // The old rule, any fingerprint and the lowest number, sends b to #1.
  CHECK(FindIssue(b, issues)->number == 1);
}

TEST_CASE("plan: a shared fingerprint routes only to an issue no other problem reaches") {
  Problem a = RouteProblem("a", "GET 500 /orders"), b = RouteProblem("b", "POST 502 /payments");
  // b's issue was never created (a run died): the skeleton leads to a's.
  std::vector<KnownIssue> issues{Holding(1, {"a", "skeleton"})};
  auto assigned = AssignIssues({a, b}, issues);
  CHECK(assigned[0]->number == 1);
  CHECK(assigned[1] == nullptr);
  auto actions = PlanActions({a, b}, issues, PlanOptions{4, 30 * kDay, kNow, kDay});
  CHECK(actions[1].kind == ActionKind::kCreate);
  // Alone in its run, a problem whose key changed finds its issue by the rest.
  Problem renamed = RouteProblem("a2", "GET 500 /orders");
  CHECK(AssignIssues({renamed}, issues)[0]->number == 1);
}

TEST_CASE("plan: of two issues holding a key, the one holding no other problem's key") {
  Problem a = RouteProblem("a", "GET 500 /orders"), b = RouteProblem("b", "POST 502 /payments");
  // #1's marker gained b's key under the old rule; #2 is b's own.
  std::vector<KnownIssue> issues{Holding(1, {"a", "b", "skeleton"}), Holding(2, {"b", "skeleton"})};
  auto assigned = AssignIssues({a, b}, issues);
  CHECK(assigned[0]->number == 1);
  CHECK(assigned[1]->number == 2);
}

TEST_CASE("plan: a marker gains no fingerprint another problem of the run has") {
  Problem a = RouteProblem("a", "GET 500 /orders"), b = RouteProblem("b", "POST 502 /payments");
  a.cluster.fingerprints = {"a", "a-general", "skeleton"};
  std::vector<Problem> run{a, b};
  CHECK(OwnFingerprints(run[0], run) == std::vector<std::string>{"a", "a-general"});
  CHECK(OwnFingerprints(run[1], run) == std::vector<std::string>{"b"});
  std::vector<Problem> alone{a};
  CHECK(OwnFingerprints(alone[0], alone) == a.cluster.fingerprints);
  auto actions = PlanActions(run, {}, PlanOptions{4, 30 * kDay, kNow, kDay});
  CHECK(actions[0].problem.cluster.fingerprints == std::vector<std::string>{"a", "a-general"});
}

Problem Titled(const std::string& key, const std::string& template_text, const std::string& summary) {
  Problem p = RouteProblem(key, template_text);
  p.cluster.fingerprints = {key};
  p.triage.category = "GCP-regression";
  p.triage.summary = summary;
  p.triage.title = "GCP-regression | P2 | " + summary;
  return p;
}

TEST_CASE("plan: two new issues of one title say what differs") {
  Problem a = Titled("a", "Sync failed (warehouse=north, reason=<*>)", "Sync failed");
  Problem b = Titled("b", "Sync failed (warehouse=south, reason=<*>)", "Sync failed");
  Problem c = Titled("c", "Disk full", "Disk full");
  auto actions = PlanActions({a, b, c}, {}, PlanOptions{4, 30 * kDay, kNow, kDay});
  CHECK(actions[0].problem.triage.title == "GCP-regression | P2 | Sync failed (warehouse=north)");
  CHECK(actions[1].problem.triage.title == "GCP-regression | P2 | Sync failed (warehouse=south)");
  CHECK(actions[2].problem.triage.title == "GCP-regression | P2 | Disk full");
  // Nothing in the templates tells them apart: the key does.
  Problem d = Titled("d", "Sync failed", "Sync failed"), e = Titled("e", "Sync failed", "Sync failed");
  e.cluster.service = d.cluster.service;
  auto same = PlanActions({d, e}, {}, PlanOptions{4, 30 * kDay, kNow, kDay});
  CHECK(same[0].problem.triage.title == "GCP-regression | P2 | Sync failed (fingerprint d)");
  CHECK(same[1].problem.triage.title == "GCP-regression | P2 | Sync failed (fingerprint e)");
}

TEST_CASE("plan: a new issue whose title an open issue has says what differs from its problem") {
  Problem a = Titled("a", "GET 500 /api /v1 /orders", "HTTP 500 on GET /api/v1");
  Problem b = Titled("b", "GET 500 /api /v1 /carts", "HTTP 500 on GET /api/v1");
  KnownIssue issue = Holding(4, {"a"});
  issue.title = "GCP-regression | P2 | HTTP 500 on GET /api/v1";
  auto actions = PlanActions({a, b}, {issue}, PlanOptions{4, 30 * kDay, kNow, kDay});
  CHECK(actions[0].kind == ActionKind::kUpdate);
  CHECK(actions[1].kind == ActionKind::kCreate);
  CHECK(actions[1].problem.triage.title == "GCP-regression | P2 | HTTP 500 on GET /api/v1 (/carts)");
}

}  // namespace
}  // namespace triage
