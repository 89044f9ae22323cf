// The verbs against the fake GitHub on loopback: mute and unmute, a pinned
// priority, a retriage over a file of entries (evidence as the sync writes
// it), help, and what is refused or fails.
#include "bot/commands/verbs.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "bot/base/time_util.h"
#include "bot/github/evidence.h"
#include "bot/ingest/collect.h"
#include "bot/triage/decide.h"
#include "bot/triage/labels.h"
#include "tests/bot/commands/session_harness.h"

namespace triage {
namespace {

using testing::EndpointKind;
using testing::FakeComment;
using testing::FakeIssue;
using testing::Fault;
using testing::FaultKind;
using testing::kHarnessRepo;
using testing::SessionHarness;

const std::string kScenario =
    std::string(GARDENER_SOURCE_DIR) + "/examples/netra-staging/2025-09-15T0010.json";
const int64_t kNowUs = *ParseRfc3339("2025-09-15T00:10:30Z");
constexpr int64_t kHour = 3600 * int64_t{1000000};

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// An issue the bot filed for fingerprints `fps`, at priority 6.
FakeIssue BotIssue(const std::vector<std::string>& fps, int64_t watermark_us = 1000) {
  Marker m;
  m.key = fps.front();
  m.fingerprints = fps;
  m.watermark_us = watermark_us;
  m.priority = 6;
  m.run_id = "run-1";
  FakeIssue issue;
  issue.title = "GCP-active-dev | P6 | Disk full";
  issue.labels = {"GCP-active-dev", "P6", "gcp-log-gardener"};
  issue.user_login = "github-actions[bot]";
  issue.user_type = "Bot";
  issue.body = "Disk full.\n\n" + FormatMarker(m) + "\n";
  return issue;
}

std::optional<Marker> BodyMarker(const SessionHarness& h) {
  return ParseMarker(h.github.Issue(kHarnessRepo, h.event.issue_number)->body);
}

Outcome Do(SessionHarness& h, const WindowSource& window = {}) {
  std::unique_ptr<CommandSession> s = h.Session();
  return Perform(*s, ParseComment(h.event.comment_body), h.config(), window);
}

TEST_CASE("verbs: mute and unmute are recorded in the body's marker and the reply's") {
  SessionHarness h;
  h.Seed(BotIssue({"fp-a"}), "ada", "/gardener mute");
  Outcome muted = Do(h);
  CHECK_FALSE(muted.failed);
  CHECK(muted.text.find("Muted: the gardener will post no evidence comments") == 0);
  CHECK(muted.marker.kind == MarkerKind::kReply);
  CHECK(muted.marker.key == "fp-a");
  CHECK(muted.marker.muted == std::optional<bool>(true));
  auto body = BodyMarker(h);
  REQUIRE(body);
  CHECK(body->muted == std::optional<bool>(true));
  CHECK(body->run_id == "run-7");
  CHECK(body->fingerprints == std::vector<std::string>{"fp-a"});  // the rest kept

  h.event.comment_body = "/gardener unmute";
  Outcome unmuted = Do(h);
  CHECK(unmuted.text.find("Unmuted") == 0);
  CHECK(BodyMarker(h)->muted == std::optional<bool>(false));
}

TEST_CASE("verbs: a pinned priority: the P label, the title's, the marker; a person's title is left") {
  SessionHarness h;
  h.Seed(BotIssue({"fp-a"}), "ada", "/gardener priority P2");
  Outcome pin = Do(h);
  CHECK_FALSE(pin.failed);
  CHECK(pin.text == "Priority set to **P2** and pinned: the gardener will not change it.");
  CHECK(pin.marker.pinned == std::optional<bool>(true));
  CHECK(pin.marker.priority == 2);
  FakeIssue after = *h.github.Issue(kHarnessRepo, h.event.issue_number);
  CHECK(after.title == "GCP-active-dev | P2 | Disk full");
  CHECK(after.labels == std::vector<std::string>{"GCP-active-dev", "P2", "gcp-log-gardener"});
  CHECK(ParseMarker(after.body)->pinned == std::optional<bool>(true));
  CHECK(ParseMarker(after.body)->priority == 2);

  // An issue a person filed, which the bot's comments tie to a problem.
  SessionHarness p;
  FakeIssue persons;
  persons.title = "Checkout is slow";
  persons.labels = {"bug"};
  persons.body = "It is slow.";
  const int n = p.Seed(persons, "ada", "/gardener priority P1");
  Marker evidence;
  evidence.kind = MarkerKind::kEvidence;
  evidence.key = "fp-b";
  evidence.fingerprints = {"fp-b"};
  FakeComment bots;
  bots.user_login = "github-actions[bot]";
  bots.body = FormatMarker(evidence);
  p.github.SeedComment(kHarnessRepo, n, bots);
  Outcome adopted = Do(p);
  CHECK_FALSE(adopted.failed);
  FakeIssue left = *p.github.Issue(kHarnessRepo, n);
  CHECK(left.title == "Checkout is slow");
  CHECK(left.body == "It is slow.");
  CHECK(left.labels == std::vector<std::string>{"P1", "bug", "gcp-log-gardener"});
  CHECK(adopted.marker.key == "fp-b");  // the reply carries the state
}

TEST_CASE("verbs: help, a command not understood, an issue the gardener does not manage") {
  SessionHarness h;
  FakeIssue plain;
  plain.title = "A question";
  h.Seed(plain, "ada", "/gardener help");
  Outcome help = Do(h);
  CHECK_FALSE(help.failed);
  CHECK(help.text == CommandHelp());
  CHECK(help.marker.key == "reply");
  CHECK(h.github.Requests().empty());  // help reads nothing

  h.event.comment_body = "/gardener frobnicate";
  Outcome unknown = Do(h);
  CHECK(unknown.failed);
  CHECK_FALSE(unknown.error);
  CHECK(unknown.text.find("I did not understand that: unknown command `frobnicate`") == 0);

  h.event.comment_body = "/gardener mute";
  Outcome foreign = Do(h);
  CHECK(foreign.failed);
  CHECK_FALSE(foreign.error);
  CHECK(foreign.text.find("This issue is not one the gardener manages") == 0);
  CHECK(foreign.text.find("nothing to mute.") != std::string::npos);
  CHECK(h.github.Count(EndpointKind::kUpdateIssue) == 0);
}

TEST_CASE("verbs: GitHub's failures are an error outcome that says what stays") {
  SessionHarness h;
  h.Seed(BotIssue({"fp-a"}), "ada", "/gardener mute");
  h.github.FailNext("GET", "/repos/octo/repo/issues/*", Fault{FaultKind::kStatus, 404, false});
  Outcome unread = Do(h);
  CHECK(unread.failed);
  CHECK(unread.error);
  CHECK(unread.text.find("Something went wrong: ") == 0);
  CHECK(unread.text.find("Nothing was changed.") != std::string::npos);

  h.github.FailNext("PATCH", "/repos/octo/repo/issues/*", Fault{FaultKind::kStatus, 422, false});
  Outcome unwritten = Do(h);
  CHECK(unwritten.error);
  CHECK(unwritten.text.find("What was done before that stays") != std::string::npos);
  CHECK(unwritten.marker.key == "fp-a");
  CHECK_FALSE(BodyMarker(h)->muted.has_value());
}

// The scenario's problems as the retriage will judge them.
std::vector<Problem> ScenarioProblems(const Config& config, int64_t since_us, int64_t until_us) {
  CollectOptions options;
  options.input = kScenario;
  options.filter.min_severity = config.source.min_severity;
  options.filter.since_us = since_us;
  options.filter.until_us = until_us;
  Result<CollectResult> collected = CollectAndCluster(options);
  REQUIRE_MESSAGE(collected, collected.error().message);
  return Decide(config.rules, collected.value().clusters, {});
}

TEST_CASE("verbs: retriage judges a fresh window and posts evidence as the sync does") {
  SessionHarness h;
  std::vector<Problem> problems = ScenarioProblems(h.config(), kNowUs - 2 * kHour, kNowUs);
  REQUIRE(!problems.empty());
  const Problem& p = problems.front();
  std::vector<std::string> held = {p.cluster.fingerprints.front(), "fp-old"};
  std::sort(held.begin(), held.end());
  const int n = h.Seed(BotIssue(held), "ada", "/gardener retriage 2h");
  WindowSource window;
  window.input = kScenario;
  window.now_us = kNowUs;
  Outcome o = Do(h, window);
  REQUIRE_MESSAGE(!o.failed, o.text);
  CHECK(o.text.find("Retriaged from " + std::to_string(p.cluster.count) +
                    " occurrences in the last 2h") == 0);
  const std::string to = "P" + std::to_string(p.triage.priority);
  CHECK(o.text.find("**P6 -> " + to + "**") != std::string::npos);
  CHECK(o.marker.priority == p.triage.priority);

  std::vector<std::string> comments = h.BotComments(n);
  REQUIRE(comments.size() == 1);
  auto evidence = ParseMarker(comments[0]);
  REQUIRE(evidence);
  CHECK(evidence->kind == MarkerKind::kEvidence);
  CHECK(evidence->key == p.cluster.key);
  CHECK(evidence->priority == p.triage.priority);
  CHECK(evidence->run_id == "run-7");
  CHECK(Has(evidence->fingerprints, "fp-old"));
  CHECK(evidence->watermark_us == p.cluster.last_seen_us);
  // The reason, escaped as log text is ("@" kept from mentioning anyone).
  CHECK(comments[0].find("*retriaged on request by ") != std::string::npos);
  CHECK(comments[0].find("ada over the last 2h*") != std::string::npos);

  FakeIssue after = *h.github.Issue(kHarnessRepo, n);
  CHECK(Has(after.labels, to));
  CHECK_FALSE(Has(after.labels, "P6"));
  CHECK(after.title == RetitlePriority(p.triage.title, p.triage.priority));
  auto body = ParseMarker(after.body);
  REQUIRE(body);
  CHECK(body->priority == p.triage.priority);
  CHECK(body->fingerprints == evidence->fingerprints);
  CHECK(body->watermark_us == evidence->watermark_us);
}

TEST_CASE("verbs: a retriage that finds nothing changes nothing") {
  SessionHarness h;
  const int n = h.Seed(BotIssue({"fp-nowhere"}), "ada", "/gardener retriage 2h");
  WindowSource window;
  window.input = kScenario;
  window.now_us = kNowUs;
  Outcome o = Do(h, window);
  CHECK_FALSE(o.failed);
  CHECK(o.text.find("No occurrence of this issue's problem in the last 2h (2025-09-14T22:10:30") == 0);
  CHECK(h.github.Count(EndpointKind::kUpdateIssue) == 0);
  CHECK(h.BotComments(n).empty());

  // A file that cannot be read is an error, before anything is written.
  window.input = "no-such-file.json";
  Outcome broke = Do(h, window);
  CHECK(broke.error);
  CHECK(h.github.Count(EndpointKind::kUpdateIssue) == 0);
}

}  // namespace
}  // namespace triage
