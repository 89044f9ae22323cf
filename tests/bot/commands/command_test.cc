// The `/gardener` grammar and the event payloads it comes in.
#include "bot/commands/command.h"

#include <doctest/doctest.h>

#include <sstream>

#include "bot/actions/actions_output.h"
#include "bot/actions/event.h"

namespace triage {
namespace {

constexpr int64_t kHour = 3600 * int64_t{1000000};

TEST_CASE("command: the first line of a comment, read as a command") {
  struct Case {
    const char* body;
    bool addressed;
    bool ok;
    Verb verb;
    const char* problem;
  };
  const Case cases[] = {
      {"/gardener help", true, true, Verb::kHelp, ""},
      {"  /gardener   HELP  \nand some words after", true, true, Verb::kHelp, ""},
      {"\xEF\xBB\xBF/gardener mute", true, true, Verb::kMute, ""},
      {"/gardener unmute", true, true, Verb::kUnmute, ""},
      {"/gardener retriage", true, true, Verb::kRetriage, ""},
      {"/gardener priority P1", true, true, Verb::kPriority, ""},
      {"/gardener priority p0", true, true, Verb::kPriority, ""},
      {"/gardener", true, false, Verb::kHelp, "no command given"},
      {"/gardener frobnicate", true, false, Verb::kHelp, "unknown command `frobnicate`"},
      {"/gardener priority", true, false, Verb::kHelp, "`priority` takes one argument, P0 to P6"},
      {"/gardener priority P9", true, false, Verb::kHelp, "the priority must be P0 to P6; got `P9`"},
      {"/gardener priority high", true, false, Verb::kHelp, "the priority must be P0 to P6; got `high`"},
      {"/gardener mute now", true, false, Verb::kHelp, "`mute` takes no argument, got 1"},
      {"/gardener retriage 6h 7d", true, false, Verb::kHelp, "`retriage` takes one argument, got 2"},
      {"/gardener retriage soon", true, false, Verb::kHelp,
       "the window must be a duration such as 6h, 90m or 7d, at most 30d; got `soon`"},
      {"/gardener retriage 31d", true, false, Verb::kHelp,
       "the window must be a duration such as 6h, 90m or 7d, at most 30d; got `31d`"},
      {"/gardener `x`", true, false, Verb::kHelp, "unknown command `?x?`"},
      {"/gardenerhelp", false, false, Verb::kHelp, ""},
      {"please /gardener help", false, false, Verb::kHelp, ""},
      {"Thanks!\n/gardener help", false, false, Verb::kHelp, ""},
      {"", false, false, Verb::kHelp, ""},
  };
  for (const Case& c : cases) {
    INFO("body: " << c.body);
    ParsedComment p = ParseComment(c.body);
    CHECK(p.addressed == c.addressed);
    CHECK(p.command.has_value() == c.ok);
    if (p.command) CHECK(p.command->verb == c.verb);
    CHECK(p.problem == c.problem);
  }
  ParsedComment r = ParseComment("/gardener retriage 6h");
  REQUIRE(r.command);
  CHECK(r.command->window_us == std::optional<int64_t>(6 * kHour));
  CHECK_FALSE(ParseComment("/gardener retriage").command->window_us.has_value());
  CHECK(ParseComment("/gardener priority P2").command->priority == 2);
  // A long word is quoted back short.
  CHECK(ParseComment("/gardener " + std::string(500, 'a')).problem.size() < 80);
}

TEST_CASE("command: the help lists every command") {
  const std::string help = CommandHelp();
  for (const char* verb : {"retriage [window]", "priority P<n>", "mute", "unmute", "help"}) {
    CHECK(help.find(std::string("/gardener ") + verb) != std::string::npos);
  }
}

TEST_CASE("event: payloads of the three triggers, told apart with or without the name") {
  const std::string comment = R"({"action":"created",
    "issue":{"number":42,"title":"GCP-regression | P1 | x","state":"open",
             "labels":[{"name":"P1"},{"name":"gcp-log-gardener"}]},
    "comment":{"id":987,"body":"/gardener help","user":{"login":"alice","type":"User"},
               "author_association":"MEMBER"},
    "repository":{"full_name":"octo/repo"}})";
  for (const char* name : {"issue_comment", ""}) {
    Result<GitHubEvent> e = ParseEvent(comment, name, "event.json");
    REQUIRE(e);
    CHECK(e.value().kind == EventKind::kIssueComment);
    CHECK(e.value().issue_number == 42);
    CHECK(e.value().comment_id == 987);
    CHECK(e.value().comment_login == "alice");
    CHECK(e.value().comment_user_type == "User");
    CHECK(e.value().issue_labels == std::vector<std::string>{"P1", "gcp-log-gardener"});
    CHECK_FALSE(e.value().on_pull_request);
    CHECK(e.value().repository == "octo/repo");
  }
  Result<GitHubEvent> pr = ParseEvent(
      R"({"action":"created","issue":{"number":5,"pull_request":{"url":"u"}},"comment":{"id":1,"body":"/gardener help","user":{"login":"a","type":"User"}}})",
      "issue_comment", "e");
  REQUIRE(pr);
  CHECK(pr.value().on_pull_request);

  Result<GitHubEvent> dispatch =
      ParseEvent(R"({"inputs":{"dry_run":"true","window":"6h","n":5,"flag":false},"ref":"refs/heads/main"})", "", "e");
  REQUIRE(dispatch);
  CHECK(dispatch.value().kind == EventKind::kDispatch);
  CHECK(dispatch.value().inputs.at("dry_run") == "true");
  CHECK(dispatch.value().inputs.at("n") == "5");
  CHECK(dispatch.value().inputs.at("flag") == "false");

  Result<GitHubEvent> schedule = ParseEvent(R"({"schedule":"17 * * * *"})", "", "e");
  REQUIRE(schedule);
  CHECK(schedule.value().kind == EventKind::kSchedule);
  CHECK(schedule.value().schedule == "17 * * * *");
  CHECK(ParseEvent("{}", "push", "e").value().kind == EventKind::kOther);
}

TEST_CASE("event: broken payloads are errors that name the file") {
  struct Case {
    const char* text;
    const char* want;
  };
  for (const Case& c : {Case{"", "event.json: byte 1: not JSON (an event payload is a JSON object)"},
                        Case{"{\"action\":", "event.json: byte 11: not JSON (an event payload is a JSON object)"},
                        Case{"[1,2]", "event.json: not a JSON object (an event payload is one)"},
                        Case{"null", "event.json: not a JSON object (an event payload is one)"}}) {
    INFO(c.text);
    Result<GitHubEvent> e = ParseEvent(c.text, "", "event.json");
    REQUIRE_FALSE(e);
    CHECK(e.error().message == c.want);
    CHECK(e.error().kind == ErrorKind::kInput);
  }
  Result<GitHubEvent> no_id = ParseEvent(R"({"issue":{"number":1},"comment":{"body":"x"}})", "issue_comment", "e.json");
  REQUIRE_FALSE(no_id);
  CHECK(no_id.error().message == "e.json: an issue_comment event needs issue.number and comment.id");
  // Fields of the wrong type read as absent, never as something else.
  Result<GitHubEvent> odd = ParseEvent(
      R"({"issue":{"number":3,"labels":"P1"},"comment":{"id":2,"body":7,"user":"x"}})", "issue_comment", "e");
  REQUIRE(odd);
  CHECK(odd.value().comment_body.empty());
  CHECK(odd.value().comment_login.empty());
  CHECK(odd.value().issue_labels.empty());
}

TEST_CASE("actions output: workflow commands are escaped and fenced") {
  CHECK(EscapeCommandData("50% done\r\nnext") == "50%25 done%0D%0Anext");
  CHECK(EscapeCommandProperty("a:b,c%") == "a%3Ab%2Cc%25");
  std::ostringstream out;
  {
    WorkflowCommands commands(out, true, "tok123");
    out << "::error::from a log line\n";
    commands.Mask("s3cret");
    commands.Annotate("warning", "gcp, log", "line1\nline2");
  }
  CHECK(out.str() ==
        "::stop-commands::tok123\n"
        "::error::from a log line\n"
        "::tok123::\n::add-mask::s3cret\n::stop-commands::tok123\n"
        "::tok123::\n::warning title=gcp%2C log::line1%0Aline2\n::stop-commands::tok123\n"
        "::tok123::\n");
  std::ostringstream quiet;
  {
    WorkflowCommands off(quiet, false);
    off.Annotate("error", "t", "m");
  }
  CHECK(quiet.str().empty());
  CHECK(RandomToken().size() == 32);
  CHECK(RandomToken() != RandomToken());
}

}  // namespace
}  // namespace triage
