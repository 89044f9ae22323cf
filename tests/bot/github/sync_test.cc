// ApplyPlan over real HTTP against the fake GitHub: a create (labels made
// once, the marker signed with the run's id), an update, an escalation
// (the notice first, then one PATCH with labels, title and marker), a
// reopening, the writes skipped after the budget is spent, and a create
// answered 500 after it was stored, found by its marker instead of resent.
#include "bot/github/sync.h"

#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "bot/github/marker.h"
#include "tests/support/sync_world.h"

namespace triage {
namespace {

using testing::EndpointKind;
using testing::kSyncHour;
using testing::kSyncT0;

SyncOptions Options() {
  SyncOptions o;
  o.labels = {"gcp-logs"};
  o.run_id = "run-7";
  return o;
}

// An action on the seeded issue `number` for problem aaaa1111, seen last
// at T0 + 2 h.
PlannedAction OnIssue(ActionKind kind, int number, int priority, EvidenceMode evidence) {
  PlannedAction a;
  a.kind = kind;
  a.problem = testing::MakeProblem("aaaa1111", kSyncT0 + 2 * kSyncHour, priority);
  a.issue_number = number;
  a.previous_priority = 2;
  a.target_priority = priority;
  a.evidence = evidence;
  if (kind != ActionKind::kUpdate) {
    a.new_title = a.problem.triage.title;
    a.new_labels = {"GCP-regression", "P" + std::to_string(priority), "gcp-log-gardener"};
  }
  return a;
}

// The seeded issue, the tracker read from the fake, and a run about to
// write to it.
struct OnTracker {
  explicit OnTracker(const std::string& state = "open")
      : number(testing::SeedBotIssue(s.github, "aaaa1111", kSyncT0, 2, state)),
        tracker(testing::ReadTracker(s)),
        templates(testing::DefaultTemplates()),
        o(Options()),
        report(testing::MakeRunReport(kSyncT0, kSyncT0 + 3 * kSyncHour)) {
    REQUIRE(tracker.count(number) == 1);
  }
  int Apply(const PlannedAction& a) {
    report.actions = {a};
    s.github.ClearRequests();
    return ApplyPlan(*s.client, templates, o, &tracker, &report);
  }
  testing::GitHubSession s;
  int number;
  std::map<int, TrackedIssue> tracker;
  TemplateSet templates;
  SyncOptions o;
  RunReport report;
};

PlannedAction CreateAction(const std::string& key) {
  PlannedAction a;
  a.kind = ActionKind::kCreate;
  a.problem = testing::MakeProblem(key, kSyncT0 + 2 * kSyncHour);
  a.target_priority = 2;
  return a;
}

TEST_CASE("sync: creates issues with their labels made once and the run's marker") {
  testing::GitHubSession s;
  TemplateSet templates = testing::DefaultTemplates();
  SyncOptions o = Options();
  std::map<int, TrackedIssue> tracker;
  RunReport report = testing::MakeRunReport(kSyncT0, kSyncT0 + 3 * kSyncHour);
  report.actions = {CreateAction("aaaa1111"), CreateAction("bbbb2222")};
  report.actions[1].issue_number = 41;  // an old closed issue it links

  CHECK(ApplyPlan(*s.client, templates, o, &tracker, &report) == 0);
  std::vector<testing::FakeIssue> issues = s.github.Issues("octo/repo");
  REQUIRE(issues.size() == 2);
  for (size_t i = 0; i < issues.size(); ++i) {
    CAPTURE(i);
    const PlannedAction& a = report.actions[i];
    std::optional<Marker> m = ParseMarker(issues[i].body);
    REQUIRE(m);
    CHECK(m->kind == MarkerKind::kIssue);
    CHECK(m->key == a.problem.cluster.key);
    CHECK(m->run_id == "run-7");
    CHECK(m->watermark_us == a.problem.cluster.last_seen_us);
    CHECK(m->priority == 2);
    CHECK(issues[i].title == a.problem.triage.title);
    CHECK(issues[i].labels ==
          std::vector<std::string>{"GCP-regression", "P2", "gcp-log-gardener", "gcp-logs"});
    CHECK(a.issue_number == issues[i].number);
    CHECK_FALSE(a.failed);
    CHECK(tracker.count(issues[i].number) == 1);
  }
  CHECK(report.actions[0].outcome == "created #" + std::to_string(issues[0].number));
  CHECK(report.actions[1].outcome ==
        "created #" + std::to_string(issues[1].number) + ", linking #41");
  // Four labels, each created once, after one list.
  CHECK(s.github.Count(EndpointKind::kListLabels) == 1);
  CHECK(s.github.Count(EndpointKind::kCreateLabel) == 4);
  CHECK(s.github.Count(EndpointKind::kCreateIssue) == 2);
}

TEST_CASE("sync: a create answered 500 after storing is found by its marker, not resent") {
  testing::GitHubSession s;
  TemplateSet templates = testing::DefaultTemplates();
  SyncOptions o = Options();
  std::map<int, TrackedIssue> tracker;
  RunReport report = testing::MakeRunReport(kSyncT0, kSyncT0 + 3 * kSyncHour);
  report.actions = {CreateAction("aaaa1111")};
  s.github.FailNext("POST", "/repos/octo/repo/issues", {testing::FaultKind::kStatus, 500, true});
  CHECK(ApplyPlan(*s.client, templates, o, &tracker, &report) == 0);
  std::vector<testing::FakeIssue> issues = s.github.Issues("octo/repo");
  REQUIRE(issues.size() == 1);
  CHECK(s.github.Count(EndpointKind::kCreateIssue) == 1);
  CHECK(report.actions[0].outcome == "created #" + std::to_string(issues[0].number));
  CHECK(report.actions[0].issue_number == issues[0].number);
}

TEST_CASE("sync: an update comments and moves the body's marker on") {
  OnTracker w;
  const int number = w.number;
  testing::GitHubSession& s = w.s;
  RunReport& report = w.report;
  PlannedAction a = OnIssue(ActionKind::kUpdate, number, 2, EvidenceMode::kPost);
  CHECK(w.Apply(a) == 0);
  CHECK(report.actions[0].outcome == "commented");
  std::optional<testing::FakeIssue> issue = s.github.Issue("octo/repo", number);
  REQUIRE(issue);
  REQUIRE(issue->comments.size() == 1);
  std::optional<Marker> cm = ParseMarker(issue->comments[0].body);
  REQUIRE(cm);
  CHECK(cm->kind == MarkerKind::kEvidence);
  CHECK(cm->run_id == "run-7");
  std::optional<Marker> bm = ParseMarker(issue->body);
  REQUIRE(bm);
  CHECK(bm->watermark_us == kSyncT0 + 2 * kSyncHour);
  CHECK(bm->run_id == "run-7");
  CHECK(bm->evidence_id == issue->comments[0].id);
  CHECK(issue->title == "GCP-regression | P2 | Database refused connection");  // unchanged
  CHECK(s.github.Count(EndpointKind::kUpdateIssue) == 1);
  CHECK(w.tracker.at(number).known.watermark_us == kSyncT0 + 2 * kSyncHour);

  SUBCASE("an update of an issue not on the tracker fails and says so") {
    RunReport r2 = testing::MakeRunReport(kSyncT0, kSyncT0 + 3 * kSyncHour);
    PlannedAction b = a;
    b.issue_number = 999;
    r2.actions = {b};
    CHECK(ApplyPlan(*s.client, w.templates, w.o, &w.tracker, &r2) == 1);
    CHECK(r2.actions[0].failed);
    CHECK(r2.actions[0].outcome == "failed: issue #999 is not on the tracker");
  }
}

TEST_CASE("sync: an escalation posts the notice, then one PATCH with labels, title and marker") {
  OnTracker w;
  const int number = w.number;
  testing::GitHubSession& s = w.s;
  RunReport& report = w.report;
  PlannedAction a = OnIssue(ActionKind::kEscalate, number, 1, EvidenceMode::kNotice);
  CHECK(w.Apply(a) == 0);
  CHECK(report.actions[0].outcome == "P2 -> P1, commented");

  std::vector<testing::RecordedRequest> writes;
  for (const testing::RecordedRequest& r : s.github.Requests())
    if (r.method != "GET") writes.push_back(r);
  // The P1 label is made, the notice posted, then the one edit.
  REQUIRE(writes.size() == 3);
  CHECK(writes[0].kind == EndpointKind::kCreateLabel);
  CHECK(writes[1].kind == EndpointKind::kCreateComment);
  CHECK(writes[2].kind == EndpointKind::kUpdateIssue);

  std::optional<testing::FakeIssue> issue = s.github.Issue("octo/repo", number);
  REQUIRE(issue);
  CHECK(issue->title == a.new_title);
  CHECK(issue->labels == a.new_labels);
  std::optional<Marker> bm = ParseMarker(issue->body);
  REQUIRE(bm);
  CHECK(bm->priority == 1);
  CHECK(bm->run_id == "run-7");
  CHECK(bm->watermark_us == kSyncT0 + 2 * kSyncHour);
  REQUIRE(issue->comments.size() == 1);
  std::optional<Marker> cm = ParseMarker(issue->comments[0].body);
  REQUIRE(cm);
  CHECK(cm->kind == MarkerKind::kNotice);
  CHECK(w.tracker.at(number).bot_priority == 1);
}

TEST_CASE("sync: a reopening opens the issue in the same PATCH") {
  OnTracker w("closed");
  const int number = w.number;
  testing::GitHubSession& s = w.s;
  RunReport& report = w.report;
  CHECK(w.Apply(OnIssue(ActionKind::kReopen, number, 2, EvidenceMode::kNotice)) == 0);
  CHECK(report.actions[0].outcome == "reopened, commented");
  std::optional<testing::FakeIssue> issue = s.github.Issue("octo/repo", number);
  REQUIRE(issue);
  CHECK(issue->state == "open");
  CHECK(issue->comments.size() == 1);
  CHECK(s.github.Count(EndpointKind::kUpdateIssue) == 1);
  CHECK(w.tracker.at(number).known.open);
}

TEST_CASE("sync: once the write budget is spent the remaining writes are skipped") {
  testing::GitHubSession s({}, /*max_writes=*/1);
  for (const char* l : {"GCP-regression", "P2", "gcp-log-gardener", "gcp-logs"})
    s.github.SeedLabel("octo/repo", {l, "ededed", "", 0});
  TemplateSet templates = testing::DefaultTemplates();
  SyncOptions o = Options();
  std::map<int, TrackedIssue> tracker;
  RunReport report = testing::MakeRunReport(kSyncT0, kSyncT0 + 3 * kSyncHour);
  PlannedAction ignored;
  ignored.kind = ActionKind::kIgnore;
  report.actions = {CreateAction("aaaa1111"), CreateAction("bbbb2222"), ignored,
                    CreateAction("cccc3333")};
  CHECK(ApplyPlan(*s.client, templates, o, &tracker, &report) == 2);
  CHECK(s.github.Issues("octo/repo").size() == 1);
  CHECK_FALSE(report.actions[0].failed);
  CHECK(report.actions[1].failed);
  CHECK(report.actions[1].outcome.rfind("failed: ", 0) == 0);
  CHECK_FALSE(report.actions[2].failed);
  CHECK(report.actions[2].outcome.empty());
  CHECK(report.actions[3].failed);
  const std::string why = report.actions[1].outcome.substr(std::string("failed: ").size());
  CHECK(report.actions[3].outcome == "skipped: " + why);
  CHECK(s.github.Count(EndpointKind::kCreateIssue) == 1);
}

}  // namespace
}  // namespace triage
