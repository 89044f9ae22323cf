// The one reply to a command: its body and marker, the result line of the
// step outputs, and the posting against the fake GitHub on loopback: one
// comment even when GitHub's answer to it is lost, and a 😕 on failure.
#include "bot/commands/reply.h"

#include <doctest/doctest.h>

#include "tests/bot/commands/session_harness.h"

namespace triage {
namespace {

using testing::FakeIssue;
using testing::Fault;
using testing::FaultKind;
using testing::SessionHarness;

TEST_CASE("reply: the marker names the issue's first fingerprint, or says reply") {
  TrackedIssue none;
  Marker m = ReplyMarker(none, "run-1");
  CHECK(m.kind == MarkerKind::kReply);
  CHECK(m.key == "reply");
  CHECK(m.run_id == "run-1");
  TrackedIssue held;
  held.known.fingerprints = {"fp-a", "fp-b"};
  CHECK(ReplyMarker(held, "run-1").key == "fp-a");

  CHECK(ReplyBody("Muted.", "", m) == "Muted.\n\n" + FormatMarker(m) + "\n");
  CHECK(ReplyBody("Muted.", "https://ci/run/3", m) ==
        "Muted.\n\n[The run](https://ci/run/3)\n\n" + FormatMarker(m) + "\n");
}

TEST_CASE("reply: the result line says the verb and how it went") {
  Outcome done;
  done.text = "Muted: no more comments.";
  Result<std::string> line = ResultLine(ParseComment("/gardener mute"), done);
  REQUIRE(line);
  CHECK(line.value() == "mute done");

  Outcome refused;
  refused.text = "This issue is not one the gardener manages.\n\nMore.";
  refused.failed = true;
  line = ResultLine(ParseComment("/gardener priority P2"), refused);
  REQUIRE(line);
  CHECK(line.value() == "priority refused: This issue is not one the gardener manages.");
  line = ResultLine(ParseComment("/gardener frobnicate"), refused);
  REQUIRE(line);
  CHECK(line.value().rfind("unknown refused: ", 0) == 0);

  Outcome broke = refused;
  broke.error = true;
  broke.text = "Something went wrong: GET /x: 502.";
  line = ResultLine(ParseComment("/gardener retriage"), broke);
  REQUIRE_FALSE(line);
  CHECK(line.error().message == "retriage failed: Something went wrong: GET /x: 502.");
}

TEST_CASE("reply: posted once, with its marker, even when GitHub's answer is lost") {
  SessionHarness h;
  const int n = h.Seed(FakeIssue{}, "ada", "/gardener help");
  std::unique_ptr<CommandSession> s = h.Session("https://ci/run/3");
  // GitHub stores the comment, then the answer fails: the reply is read
  // back from the issue's comments, not posted again.
  h.github.FailNext("POST", "/repos/octo/repo/issues/*/comments", Fault{FaultKind::kStatus, 500, true});
  Marker m = ReplyMarker(TrackedIssue{}, h.sync.run_id);
  Result<GitHubComment> posted = PostReply(*s, "Here is the help.", m);
  REQUIRE_MESSAGE(posted, posted.error().message);
  std::vector<std::string> replies = h.BotComments(n);
  REQUIRE(replies.size() == 1);
  CHECK(posted.value().body == replies[0]);
  CHECK(replies[0] == ReplyBody("Here is the help.", "https://ci/run/3", m));
}

TEST_CASE("reply: a failed command's reply comes with 😕; a reply GitHub refuses is the error") {
  SessionHarness h;
  const int n = h.Seed(FakeIssue{}, "ada", "/gardener frobnicate");
  std::unique_ptr<CommandSession> s = h.Session();
  const ParsedComment parsed = ParseComment(h.event.comment_body);
  Outcome o;
  o.text = "I did not understand that.";
  o.failed = true;
  o.marker = ReplyMarker(TrackedIssue{}, h.sync.run_id);
  Result<std::string> line = Answer(*s, parsed, o);
  REQUIRE_MESSAGE(line, line.error().message);
  CHECK(line.value() == "unknown refused: I did not understand that.");
  CHECK(h.Reactions() == std::vector<std::string>{"github-actions[bot]:confused"});
  CHECK(h.BotComments(n).size() == 1);

  // The reaction failing is said, and does not stop the answer.
  h.github.FailNext("POST", "/repos/octo/repo/issues/comments/*/reactions",
                    Fault{FaultKind::kStatus, 422, false});
  REQUIRE(Answer(*s, parsed, o));
  CHECK(h.err.str().find("command: the reaction: ") != std::string::npos);

  Outcome fine;
  fine.text = "Done.";
  fine.marker = o.marker;
  h.github.FailNext("POST", "/repos/octo/repo/issues/*/comments", Fault{FaultKind::kStatus, 422, false});
  CHECK_FALSE(Answer(*s, ParseComment("/gardener help"), fine));
}

}  // namespace
}  // namespace triage
