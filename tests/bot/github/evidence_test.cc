// EvidenceWriter over real HTTP against the fake GitHub: an edit folds the
// earlier windows into the kept comment's marker, a post starts a new kept
// comment, a notice resets it, an edit of a deleted comment posts a new one
// alone, a body over GitHub's limit is not edited (and the outcome says
// so), and an adopted issue gets the bot's label in the same PATCH.
#include "bot/github/evidence.h"

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

bool SameWindows(const std::vector<EvidenceWindow>& a, const std::vector<EvidenceWindow>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].from_us != b[i].from_us || a[i].to_us != b[i].to_us || a[i].count != b[i].count)
      return false;
  }
  return true;
}

struct Writer {
  Writer() : templates(testing::DefaultTemplates()), labels(*s.client, "gcp-log-gardener") {
    o.run_id = "run-9";
    report = testing::MakeRunReport(kSyncT0, kSyncT0 + kSyncHour);
    writer = std::make_unique<EvidenceWriter>(*s.client, templates, o, labels, report);
  }
  // Run `n` (1-based) reads the hour [T0 + (n-1) h, T0 + n h) and saw
  // `count` new occurrences.
  Result<std::string> Write(int number, TrackedIssue& t, EvidenceMode mode, int n, int64_t count,
                            IssuePatch patch = {}) {
    report.window_start_us = kSyncT0 + (n - 1) * kSyncHour;
    report.window_end_us = kSyncT0 + n * kSyncHour;
    PlannedAction a;
    a.kind = ActionKind::kUpdate;
    a.problem = testing::MakeProblem("aaaa1111", report.window_end_us - 1);
    a.issue_number = number;
    a.target_priority = 2;
    a.evidence = mode;
    a.new_count = count;
    return writer->Write(a, t, patch);
  }
  EvidenceWindow Window(int n, int64_t count) const {
    return {kSyncT0 + (n - 1) * kSyncHour, kSyncT0 + n * kSyncHour, count};
  }
  testing::GitHubSession s;
  TemplateSet templates;
  SyncOptions o;
  LabelMaker labels;
  RunReport report;
  std::unique_ptr<EvidenceWriter> writer;
};

TEST_CASE("evidence: post, fold by editing, a new post, a notice that resets") {
  Writer w;
  const int number = testing::SeedBotIssue(w.s.github, "aaaa1111", kSyncT0 - kSyncHour, 2);
  std::map<int, TrackedIssue> tracker = testing::ReadTracker(w.s);
  TrackedIssue& t = tracker.at(number);
  REQUIRE_FALSE(t.evidence.has_value());

  // An edit with no kept comment yet posts one.
  Result<std::string> first = w.Write(number, t, EvidenceMode::kEdit, 1, 3);
  REQUIRE(first);
  CHECK(first.value() == "commented");
  std::optional<testing::FakeIssue> issue = w.s.github.Issue("octo/repo", number);
  REQUIRE(issue->comments.size() == 1);
  const int64_t kept = issue->comments[0].id;
  std::optional<Marker> cm = ParseMarker(issue->comments[0].body);
  REQUIRE(cm);
  CHECK(cm->kind == MarkerKind::kEvidence);
  CHECK(cm->run_id == "run-9");
  CHECK(SameWindows(cm->folded, {w.Window(1, 3)}));
  std::optional<Marker> bm = ParseMarker(issue->body);
  REQUIRE(bm);
  CHECK(bm->evidence_id == kept);
  CHECK(SameWindows(bm->folded, {w.Window(1, 3)}));

  // The next run edits the kept comment: both windows, in order.
  Result<std::string> second = w.Write(number, t, EvidenceMode::kEdit, 2, 5);
  REQUIRE(second);
  CHECK(second.value() == "evidence comment edited");
  issue = w.s.github.Issue("octo/repo", number);
  REQUIRE(issue->comments.size() == 1);
  cm = ParseMarker(issue->comments[0].body);
  REQUIRE(cm);
  CHECK(SameWindows(cm->folded, {w.Window(1, 3), w.Window(2, 5)}));
  bm = ParseMarker(issue->body);
  REQUIRE(bm);
  CHECK(bm->evidence_id == kept);
  CHECK(SameWindows(bm->folded, {w.Window(1, 3), w.Window(2, 5)}));
  CHECK(bm->watermark_us == kSyncT0 + 2 * kSyncHour - 1);

  // A post starts a new kept comment with its own window only.
  Result<std::string> third = w.Write(number, t, EvidenceMode::kPost, 3, 2);
  REQUIRE(third);
  CHECK(third.value() == "commented");
  issue = w.s.github.Issue("octo/repo", number);
  REQUIRE(issue->comments.size() == 2);
  cm = ParseMarker(issue->comments[1].body);
  REQUIRE(cm);
  CHECK(SameWindows(cm->folded, {w.Window(3, 2)}));
  bm = ParseMarker(issue->body);
  CHECK(bm->evidence_id == issue->comments[1].id);

  // A notice is its own comment, folds nothing, and resets the kept one.
  Result<std::string> notice = w.Write(number, t, EvidenceMode::kNotice, 4, 1);
  REQUIRE(notice);
  issue = w.s.github.Issue("octo/repo", number);
  REQUIRE(issue->comments.size() == 3);
  cm = ParseMarker(issue->comments[2].body);
  REQUIRE(cm);
  CHECK(cm->kind == MarkerKind::kNotice);
  CHECK(cm->folded.empty());
  CHECK_FALSE(t.evidence.has_value());
  CHECK(t.folded.empty());
  bm = ParseMarker(issue->body);
  CHECK(bm->evidence_id == 0);
  CHECK(bm->folded.empty());

  // So the next edit posts a new kept comment rather than editing any.
  w.s.github.ClearRequests();
  Result<std::string> after = w.Write(number, t, EvidenceMode::kEdit, 5, 4);
  REQUIRE(after);
  CHECK(after.value() == "commented");
  CHECK(w.s.github.Count(EndpointKind::kUpdateComment) == 0);
  issue = w.s.github.Issue("octo/repo", number);
  REQUIRE(issue->comments.size() == 4);
  CHECK(SameWindows(ParseMarker(issue->comments[3].body)->folded, {w.Window(5, 4)}));
}

TEST_CASE("evidence: the edit of a deleted comment posts a new one, alone") {
  Writer w;
  const int number = testing::SeedBotIssue(w.s.github, "aaaa1111", kSyncT0 - kSyncHour, 2);
  std::map<int, TrackedIssue> tracker = testing::ReadTracker(w.s);
  TrackedIssue& t = tracker.at(number);
  REQUIRE(w.Write(number, t, EvidenceMode::kPost, 1, 3));
  REQUIRE(t.evidence.has_value());
  t.evidence->id = 987654321;  // as if someone deleted it: GitHub answers 404
  Result<std::string> done = w.Write(number, t, EvidenceMode::kEdit, 2, 5);
  REQUIRE(done);
  CHECK(done.value() == "commented");
  CHECK(w.s.github.Count(EndpointKind::kUpdateComment) == 1);
  std::optional<testing::FakeIssue> issue = w.s.github.Issue("octo/repo", number);
  REQUIRE(issue->comments.size() == 2);
  std::optional<Marker> cm = ParseMarker(issue->comments[1].body);
  REQUIRE(cm);
  CHECK(SameWindows(cm->folded, {w.Window(2, 5)}));
  CHECK(ParseMarker(issue->body)->evidence_id == issue->comments[1].id);
}

TEST_CASE("evidence: a body over GitHub's limit is not edited, and the outcome says so") {
  Writer w;
  Marker m;
  m.key = "aaaa1111";
  m.fingerprints = {"aaaa1111"};
  m.watermark_us = kSyncT0 - kSyncHour;
  m.priority = 2;
  testing::FakeIssue big;
  big.title = "GCP-regression | P2 | Database refused connection";
  // Within the limit now; the marker's news would take it over.
  const std::string marker = FormatMarker(m);
  big.body = std::string(GitHubClient::kMaxBodyCodePoints - marker.size() - 1, 'x') + "\n" + marker;
  big.labels = {"gcp-log-gardener", "P2"};
  big.user_login = "github-actions[bot]";
  big.user_type = "Bot";
  const int number = w.s.github.SeedIssue("octo/repo", big);
  std::map<int, TrackedIssue> tracker = testing::ReadTracker(w.s);
  REQUIRE(tracker.count(number) == 1);
  TrackedIssue& t = tracker.at(number);
  REQUIRE(t.body_is_bots);
  w.s.github.ClearRequests();
  Result<std::string> done = w.Write(number, t, EvidenceMode::kPost, 1, 3);
  REQUIRE(done);
  CHECK(done.value() == "commented; the body is too long for the marker, which the comments carry");
  CHECK(w.s.github.Count(EndpointKind::kUpdateIssue) == 0);
  std::optional<testing::FakeIssue> issue = w.s.github.Issue("octo/repo", number);
  CHECK(issue->body == big.body);
  CHECK(issue->comments.size() == 1);
}

TEST_CASE("evidence: an adopted issue gets the bot's label in the same PATCH, its body untouched") {
  Writer w;
  testing::FakeIssue theirs;
  theirs.title = "DB keeps refusing connections";
  theirs.body = "Filed by hand.";
  theirs.labels = {"bug"};
  theirs.user_login = "alice";
  const int number = w.s.github.SeedIssue("octo/repo", theirs);
  Result<GitHubIssue> got = w.s.client->GetIssue(number);
  REQUIRE(got);
  TrackedIssue t = ReadTrackedIssue(got.value(), {}, "github-actions[bot]");
  REQUIRE_FALSE(t.body_is_bots);
  w.s.github.ClearRequests();
  Result<std::string> done = w.Write(number, t, EvidenceMode::kPost, 1, 3);
  REQUIRE(done);
  CHECK(done.value() == "commented");
  std::vector<testing::RecordedRequest> patches;
  for (const testing::RecordedRequest& r : w.s.github.Requests())
    if (r.kind == EndpointKind::kUpdateIssue) patches.push_back(r);
  REQUIRE(patches.size() == 1);
  CHECK(patches[0].body.find("\"labels\"") != std::string::npos);
  CHECK(patches[0].body.find("\"body\"") == std::string::npos);
  std::optional<testing::FakeIssue> issue = w.s.github.Issue("octo/repo", number);
  CHECK(issue->labels == std::vector<std::string>{"bug", "gcp-log-gardener"});
  CHECK(issue->body == "Filed by hand.");
  CHECK(issue->comments.size() == 1);

  SUBCASE("with an escalation's labels, the bot's label joins them") {
    IssuePatch patch;
    patch.labels = std::vector<std::string>{"bug", "P1"};
    patch.title = "GCP-regression | P1 | Database refused connection";
    w.s.github.ClearRequests();
    REQUIRE(w.Write(number, t, EvidenceMode::kNotice, 2, 1, patch));
    CHECK(w.s.github.Count(EndpointKind::kUpdateIssue) == 1);
    issue = w.s.github.Issue("octo/repo", number);
    CHECK(issue->labels == std::vector<std::string>{"bug", "P1", "gcp-log-gardener"});
    CHECK(issue->title == *patch.title);
  }
}

}  // namespace
}  // namespace triage
