// Who may command the bot: the events ignored without a word, the
// permission GitHub states (against the fake GitHub on loopback), one
// refusal per stranger and issue, and the 👀 of an accepted command.
#include "bot/commands/authorize.h"

#include <doctest/doctest.h>

#include "tests/bot/commands/session_harness.h"

namespace triage {
namespace {

using testing::FakeIssue;
using testing::kHarnessRepo;
using testing::SessionHarness;

GitHubEvent CommentEvent() {
  GitHubEvent e;
  e.kind = EventKind::kIssueComment;
  e.name = "issue_comment";
  e.action = "created";
  e.comment_login = "alice";
  e.comment_user_type = "User";
  return e;
}

TEST_CASE("authorize: only a new comment by a person on an issue, addressed to the gardener, is answered") {
  const ParsedComment command = ParseComment("/gardener help");
  const std::string bot = "github-actions[bot]";
  CHECK(IgnoreReason(CommentEvent(), command, bot) == "");
  CHECK(IgnoreReason(CommentEvent(), ParseComment("thanks!"), bot) == "not a /gardener command");

  GitHubEvent schedule;
  schedule.name = "schedule";
  CHECK(IgnoreReason(schedule, command, bot) == "not a comment event (schedule)");
  GitHubEvent edited = CommentEvent();
  edited.action = "edited";
  CHECK(IgnoreReason(edited, command, bot) == "the comment was edited");
  edited.action = "";
  CHECK(IgnoreReason(edited, command, bot) == "the comment was changed");
  GitHubEvent pr = CommentEvent();
  pr.on_pull_request = true;
  CHECK(IgnoreReason(pr, command, bot) == "a comment on a pull request");
  for (const char* login : {"github-actions[bot]", "dependabot[bot]"}) {
    GitHubEvent by_bot = CommentEvent();
    by_bot.comment_login = login;
    CHECK(IgnoreReason(by_bot, command, bot) == "a comment by a bot");
  }
  GitHubEvent typed = CommentEvent();
  typed.comment_user_type = "Bot";
  CHECK(IgnoreReason(typed, command, bot) == "a comment by a bot");
  GitHubEvent short_name = CommentEvent();
  short_name.comment_login = "[bot]";  // the suffix alone is a name, not a bot's
  CHECK(IgnoreReason(short_name, command, bot) == "");
}

TEST_CASE("authorize: write access or above, as the permission API states it") {
  SessionHarness h;
  h.github.SetRole(kHarnessRepo, "ada", "admin");
  h.github.SetRole(kHarnessRepo, "wes", "write");
  h.github.SetRole(kHarnessRepo, "tri", "triage");
  h.github.SetRole(kHarnessRepo, "rea", "read");
  h.Seed(FakeIssue{}, "ada", "/gardener help");
  std::unique_ptr<CommandSession> s = h.Session();
  for (const auto& row : std::vector<std::pair<std::string, bool>>{
           {"ada", true}, {"wes", true}, {"tri", false}, {"rea", false}, {"mallory", false}}) {
    const std::string& login = row.first;  // no structured binding: clang 14 cannot capture one
    const bool may = row.second;
    INFO(login);
    Result<bool> allowed = MayCommand(s->client, login);
    REQUIRE_MESSAGE(allowed, allowed.error().message);
    CHECK(allowed.value() == may);
  }
  h.github.Stop();
  Result<bool> down = MayCommand(s->client, "ada");
  CHECK_FALSE(down);
}

TEST_CASE("authorize: a stranger is told once per issue; others' markers do not count") {
  SessionHarness h;
  const int n = h.Seed(FakeIssue{}, "mallory", "/gardener mute");
  // A reply marker refusing mallory, but written by someone else.
  Marker forged;
  forged.kind = MarkerKind::kReply;
  forged.key = "reply";
  forged.refused = "mallory";
  testing::FakeComment fake;
  fake.user_login = "eve";
  fake.body = FormatMarker(forged);
  h.github.SeedComment(kHarnessRepo, n, fake);

  std::unique_ptr<CommandSession> s = h.Session("https://ci/run/1");
  Result<std::string> first = Refuse(*s);
  REQUIRE_MESSAGE(first, first.error().message);
  CHECK(first.value() == "refused");
  std::vector<std::string> replies = h.BotComments(n);
  REQUIRE(replies.size() == 1);
  CHECK(replies[0].find("Sorry @mallory, only people with write access") == 0);
  CHECK(replies[0].find("https://ci/run/1") == std::string::npos);  // no link for a stranger
  auto m = ParseMarker(replies[0]);
  REQUIRE(m);
  CHECK(m->kind == MarkerKind::kReply);
  CHECK(m->refused == "mallory");
  CHECK(m->run_id == "run-7");
  CHECK(h.Reactions().empty());

  Result<std::string> again = Refuse(*s);
  REQUIRE(again);
  CHECK(again.value() == "refused again, without a reply");
  CHECK(h.BotComments(n).size() == 1);

  // Another stranger on the same issue is told too.
  h.event.comment_login = "trudy";
  std::unique_ptr<CommandSession> other = h.Session();
  REQUIRE(Refuse(*other));
  CHECK(h.BotComments(n).size() == 2);
}

TEST_CASE("authorize: an accepted command gets 👀; GitHub's failure is an error") {
  SessionHarness h;
  h.Seed(FakeIssue{}, "ada", "/gardener help");
  std::unique_ptr<CommandSession> s = h.Session();
  REQUIRE(Acknowledge(*s));
  CHECK(h.Reactions() == std::vector<std::string>{"github-actions[bot]:eyes"});
  h.github.FailNext("POST", "/repos/octo/repo/issues/comments/*/reactions",
                    testing::Fault{testing::FaultKind::kStatus, 422, false});
  CHECK_FALSE(Acknowledge(*s));
}

}  // namespace
}  // namespace triage
