// ParseEvent over the payloads GitHub Actions writes (tests/fixtures/events/
// holds real shapes) and over hostile ones: only the fields the bot uses
// are read, each of its type, and nothing in them is interpreted.
#include "bot/actions/event.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/support/cli_support.h"

namespace triage {
namespace {

std::string Fixture(const std::string& name) {
  const std::string text =
      testing::ReadFile(std::string(GARDENER_SOURCE_DIR) + "/tests/fixtures/events/" + name);
  REQUIRE_FALSE(text.empty());
  return text;
}

TEST_CASE("event: every comment fixture is an issue_comment, with or without the name") {
  struct Row {
    const char* file;
    const char* action;
    const char* login;
    const char* user_type;
    bool pull_request;
  };
  const Row rows[] = {
      {"comment_help.json", "created", "alice", "User", false},
      {"comment_edited.json", "edited", "alice", "User", false},
      {"comment_bot.json", "created", "renovate[bot]", "Bot", false},
      {"comment_stranger.json", "created", "mallory", "User", false},
      {"comment_pull_request.json", "created", "alice", "User", true},
  };
  for (const Row& row : rows) {
    for (const char* name : {"issue_comment", ""}) {
      INFO("row.file: " << std::string(row.file));
      INFO("name: " << std::string(name));
      Result<GitHubEvent> e = ParseEvent(Fixture(row.file), name, row.file);
      REQUIRE(e);
      CHECK(e.value().kind == EventKind::kIssueComment);
      CHECK(e.value().name == "issue_comment");
      CHECK(e.value().action == row.action);
      CHECK(e.value().issue_number == 1);
      CHECK(e.value().comment_id == 1);
      CHECK(e.value().comment_login == row.login);
      CHECK(e.value().comment_user_type == row.user_type);
      CHECK(e.value().on_pull_request == row.pull_request);
      CHECK(e.value().repository == "netra-systems/netra-apex");
      CHECK(e.value().issue_labels == std::vector<std::string>{"gcp-log-gardener"});
      CHECK(e.value().inputs.empty());
    }
  }
}

TEST_CASE("event: a comment's body comes through byte for byte, never interpreted") {
  Result<GitHubEvent> e = ParseEvent(Fixture("comment_injection.json"), "", "e.json");
  REQUIRE(e);
  CHECK(e.value().comment_body ==
        "/gardener retriage \"; rm -rf / #\n::add-mask::x\n$(curl evil)");
  // JSON escapes are decoded, and a NUL is kept as a byte.
  Result<GitHubEvent> escaped = ParseEvent(
      R"({"issue":{"number":9},"comment":{"id":4,"body":"a\u0000b\r\n\u202e@x"}})",
      "issue_comment", "e");
  REQUIRE(escaped);
  CHECK(escaped.value().comment_body == std::string("a\0b\r\n\xE2\x80\xAE@x", 10));
}

TEST_CASE("event: the dispatch and schedule fixtures") {
  Result<GitHubEvent> dispatch = ParseEvent(Fixture("dispatch.json"), "workflow_dispatch", "d");
  REQUIRE(dispatch);
  CHECK(dispatch.value().kind == EventKind::kDispatch);
  const std::map<std::string, std::string> inputs{
      {"dry_run", "true"}, {"window", "2h"}, {"min_severity", "ERROR"}, {"service", ""}};
  CHECK(dispatch.value().inputs == inputs);
  CHECK(dispatch.value().issue_number == 0);
  CHECK(dispatch.value().comment_body.empty());

  Result<GitHubEvent> schedule = ParseEvent(Fixture("schedule.json"), "", "s");
  REQUIRE(schedule);
  CHECK(schedule.value().kind == EventKind::kSchedule);
  CHECK(schedule.value().name == "schedule");
  CHECK(schedule.value().schedule == "17 * * * *");
}

TEST_CASE("event: the given name wins over what the payload looks like") {
  const std::string comment = Fixture("comment_help.json");
  Result<GitHubEvent> as_schedule = ParseEvent(comment, "schedule", "e");
  REQUIRE(as_schedule);
  CHECK(as_schedule.value().kind == EventKind::kSchedule);
  // Comment fields are read for issue_comment events only.
  CHECK(as_schedule.value().comment_id == 0);
  CHECK(as_schedule.value().comment_body.empty());
  CHECK(as_schedule.value().issue_labels.empty());

  Result<GitHubEvent> push = ParseEvent(comment, "push", "e");
  REQUIRE(push);
  CHECK(push.value().kind == EventKind::kOther);
  CHECK(push.value().name == "push");
  // Without a name, a payload of none of the three shapes has no kind.
  Result<GitHubEvent> unknown = ParseEvent(R"({"ref":"refs/heads/main"})", "", "e");
  REQUIRE(unknown);
  CHECK(unknown.value().kind == EventKind::kOther);
  CHECK(unknown.value().name.empty());
}

TEST_CASE("event: dispatch inputs keep text, numbers and booleans, and drop the rest") {
  Result<GitHubEvent> e = ParseEvent(
      R"({"inputs":{"s":"x","n":1.5,"i":-3,"b":true,"null":null,"list":[1],"obj":{"a":"b"}}})",
      "", "e");
  REQUIRE(e);
  const std::map<std::string, std::string> inputs{{"s", "x"}, {"n", "1.5"}, {"i", "-3"},
                                                  {"b", "true"}};
  CHECK(e.value().inputs == inputs);
  // Inputs that are not an object are none.
  Result<GitHubEvent> listed = ParseEvent(R"({"inputs":["a"]})", "workflow_dispatch", "e");
  REQUIRE(listed);
  CHECK(listed.value().inputs.empty());
}

TEST_CASE("event: a comment needs a positive whole issue number and comment id") {
  const char* const bad[] = {
      R"({"issue":{"number":0},"comment":{"id":1}})",
      R"({"issue":{"number":-4},"comment":{"id":1}})",
      R"({"issue":{"number":1.5},"comment":{"id":1}})",
      R"({"issue":{"number":"1"},"comment":{"id":1}})",
      R"({"issue":{"number":1},"comment":{"id":-1}})",
      R"({"issue":{"number":1},"comment":"x"})",
      R"({"issue":[1],"comment":{"id":1}})",
  };
  for (const char* payload : bad) {
    INFO("payload: " << std::string(payload));
    Result<GitHubEvent> e = ParseEvent(payload, "issue_comment", "event.json");
    REQUIRE_FALSE(e);
    CHECK(e.error().kind == ErrorKind::kInput);
    CHECK(e.error().message ==
          "event.json: an issue_comment event needs issue.number and comment.id");
  }
}

TEST_CASE("event: labels as names or objects; empty and odd ones left out") {
  Result<GitHubEvent> e = ParseEvent(
      R"({"issue":{"number":2,"labels":["P1",{"name":"bug"},{"name":""},{"id":5},7,null]},
          "comment":{"id":3,"user":{"login":7,"type":["User"]}}})",
      "issue_comment", "e");
  REQUIRE(e);
  CHECK(e.value().issue_labels == std::vector<std::string>{"P1", "bug"});
  CHECK(e.value().comment_login.empty());
  CHECK(e.value().comment_user_type.empty());
  // pull_request: null is no pull request; any value is one.
  Result<GitHubEvent> null_pr = ParseEvent(
      R"({"issue":{"number":2,"pull_request":null},"comment":{"id":3}})", "issue_comment", "e");
  REQUIRE(null_pr);
  CHECK_FALSE(null_pr.value().on_pull_request);
}

}  // namespace
}  // namespace triage
