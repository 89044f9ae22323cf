// GitHub's wire format without a server: Link headers, URL origins and
// JSON answers (issues, comments, labels, times) turned into structs.
#include "clients/github_wire.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "clients/github_client.h"
#include "clients/http.h"

namespace triage {
namespace {

constexpr char kWhere[] = "GET /repos/o/r/issues";
constexpr int64_t kJan2 = 1704164645LL * 1000000;  // 2024-01-02T03:04:05Z

HttpResponse Answer(const std::string& body, int status = 200) {
  return HttpResponse{status, {}, body, ""};
}

HttpResponse WithLinks(const std::vector<std::string>& links) {
  HttpResponse response = Answer("[]");
  response.headers.push_back({"content-type", "application/json"});
  for (const std::string& link : links) response.headers.push_back({"link", link});
  return response;
}

TEST_CASE("github wire: NextLink takes rel=next among first, prev and last") {
  const std::string base = "https://api.github.com/repositories/1/issues?per_page=100&page=";
  struct Row {
    std::vector<std::string> links;
    std::string next;
  };
  const Row rows[] = {
      {{}, ""},  // a single page has no Link
      {{"<" + base + "2>; rel=\"next\", <" + base + "5>; rel=\"last\""}, base + "2"},
      {{"<" + base + "1>; rel=\"first\", <" + base + "2>; rel=\"prev\", <" + base +
        "4>; rel=\"next\", <" + base + "5>; rel=\"last\""},
       base + "4"},
      {{"<" + base + "1>; rel=\"first\", <" + base + "4>; rel=\"prev\""}, ""},  // the last page
      {{"<" + base + "3>; rel=next"}, base + "3"},
      {{"<" + base + "3>; rel=\"last next\""}, base + "3"},
      {{"<" + base + "3>; rel=\"nextish\""}, ""},
      {{"<" + base + "1>; rel=\"prev\"", "<" + base + "3>; rel=\"next\""}, base + "3"},
      {{"<" + base + "3; rel=\"next\""}, ""},  // no closing '>'
  };
  for (const Row& row : rows) {
    CAPTURE(row.links.empty() ? std::string("(none)") : row.links.front());
    CHECK(github_wire::NextLink(WithLinks(row.links)) == row.next);
  }
}

TEST_CASE("github wire: UrlOrigin is scheme and authority, lower-cased") {
  CHECK(github_wire::UrlOrigin("HTTP://127.0.0.1:8080/repos/o/r?x=1") == "http://127.0.0.1:8080");
  CHECK(github_wire::UrlOrigin("https://API.github.com") == "https://api.github.com");
  CHECK(github_wire::UrlOrigin("https://api.github.com?page=2") == "https://api.github.com");
  CHECK(github_wire::UrlOrigin("/repositories/42/issues/1") == "");
}

TEST_CASE("github wire: an issue, nulls read as empty") {
  Result<GitHubIssue> issue = github_wire::ParseIssue(kWhere, Answer(R"({
      "number": 7, "title": "Crash in db", "body": null, "state": "open",
      "state_reason": null, "labels": [{"name": "gardener"}, "p1", {"color": "fff"}],
      "user": {"login": "bot[bot]", "type": "Bot"}, "html_url": "https://github.com/o/r/issues/7",
      "created_at": "2024-01-02T03:04:05Z", "updated_at": "2024-01-02T03:04:06.5Z",
      "closed_at": null, "comments": 3})"));
  REQUIRE(issue);
  const GitHubIssue& i = issue.value();
  CHECK(i.number == 7);
  CHECK(i.title == "Crash in db");
  CHECK(i.body == "");
  CHECK(i.state == "open");
  CHECK(i.state_reason == "");
  CHECK(i.labels == std::vector<std::string>{"gardener", "p1", ""});
  CHECK(i.user_login == "bot[bot]");
  CHECK(i.user_type == "Bot");
  CHECK(i.html_url == "https://github.com/o/r/issues/7");
  CHECK(i.created_at_us == kJan2);
  CHECK(i.updated_at_us == kJan2 + 1500000);
  CHECK(i.closed_at_us == 0);
  CHECK(i.comments == 3);
}

TEST_CASE("github wire: a closed issue keeps its state_reason") {
  Result<GitHubIssue> issue = github_wire::ParseIssue(
      kWhere, Answer(R"({"number": 8, "state": "closed", "state_reason": "not_planned",
                         "closed_at": "2024-01-02T04:04:05+01:00"})"));
  REQUIRE(issue);
  CHECK(issue.value().state_reason == "not_planned");
  CHECK(issue.value().closed_at_us == kJan2);
  CHECK(issue.value().created_at_us == 0);
}

TEST_CASE("github wire: a bad issue is a kHttp error that says where") {
  struct Row {
    const char* body;
    const char* message;
  };
  const Row rows[] = {
      {R"({"number": 6, "created_at": "yesterday"})",
       "GET /repos/o/r/issues: issue #6 has a time that is not RFC 3339"},
      {R"({"number": 6, "updated_at": 1704164645})",
       "GET /repos/o/r/issues: issue #6 has a time that is not RFC 3339"},
      {R"({"number": 6, "closed_at": "2024-13-02T03:04:05Z"})",
       "GET /repos/o/r/issues: issue #6 has a time that is not RFC 3339"},
      {R"({"title": "no number"})", "GET /repos/o/r/issues: an issue without a number"},
      {R"({"number": "7"})", "GET /repos/o/r/issues: an issue without a number"},
      {"[]", "GET /repos/o/r/issues: an issue without a number"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.body);
    Result<GitHubIssue> issue = github_wire::ParseIssue(kWhere, Answer(row.body));
    REQUIRE_FALSE(issue);
    CHECK(issue.error().kind == ErrorKind::kHttp);
    CHECK(issue.error().http_status == 0);
    CHECK(issue.error().message == row.message);
  }
}

TEST_CASE("github wire: malformed JSON names the status and the byte") {
  Result<GitHubIssue> issue = github_wire::ParseIssue(kWhere, Answer("{not json", 201));
  REQUIRE_FALSE(issue);
  CHECK(issue.error().kind == ErrorKind::kHttp);
  CHECK(issue.error().http_status == 201);
  CHECK(issue.error().message ==
        "GET /repos/o/r/issues: HTTP 201 answered with malformed JSON (byte 3 of 9)");
}

TEST_CASE("github wire: issue pages leave pull requests out") {
  const std::vector<std::string> pages = {
      R"([{"number": 1}, {"number": 2, "pull_request": {"url": "x"}}])",
      R"([{"number": 3, "pull_request": null}, {"number": 4}])",
  };
  Result<std::vector<GitHubIssue>> issues = github_wire::ParseIssuePages(kWhere, pages, false);
  REQUIRE(issues);
  REQUIRE(issues.value().size() == 2);
  CHECK(issues.value()[0].number == 1);
  CHECK(issues.value()[1].number == 4);
}

TEST_CASE("github wire: search pages are objects with items") {
  Result<std::vector<GitHubIssue>> issues = github_wire::ParseIssuePages(
      kWhere, {R"({"total_count": 2, "items": [{"number": 5}, {"number": 6, "pull_request": {}}]})"},
      true);
  REQUIRE(issues);
  REQUIRE(issues.value().size() == 1);
  CHECK(issues.value()[0].number == 5);
}

TEST_CASE("github wire: a bad page fails the whole list and is named") {
  struct Row {
    std::vector<std::string> pages;
    bool search;
    const char* message;
  };
  const Row rows[] = {
      {{"{}"}, false, "GET /repos/o/r/issues: expected a JSON array"},
      {{"[]"}, true, "GET /repos/o/r/issues: expected an object with an items array"},
      {{"[]", R"([{"number": 9, "created_at": "noon"}])"}, false,
       "GET /repos/o/r/issues: page 2: issue #9 has a time that is not RFC 3339"},
      {{"[]", "[{"}, false,
       "GET /repos/o/r/issues: page 2: HTTP 200 answered with malformed JSON (byte 3 of 2)"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.message);
    Result<std::vector<GitHubIssue>> issues =
        github_wire::ParseIssuePages(kWhere, row.pages, row.search);
    REQUIRE_FALSE(issues);
    CHECK(issues.error().kind == ErrorKind::kHttp);
    CHECK(issues.error().message == row.message);
  }
}

TEST_CASE("github wire: comments") {
  Result<GitHubComment> comment = github_wire::ParseComment(kWhere, Answer(R"({
      "id": 4000000001, "body": "seen again", "user": {"login": "me", "type": "User"},
      "html_url": "https://github.com/o/r/issues/7#issuecomment-4000000001",
      "created_at": "2024-01-02T03:04:05Z", "updated_at": null})"));
  REQUIRE(comment);
  CHECK(comment.value().id == 4000000001);
  CHECK(comment.value().body == "seen again");
  CHECK(comment.value().user_login == "me");
  CHECK(comment.value().user_type == "User");
  CHECK(comment.value().created_at_us == kJan2);
  CHECK(comment.value().updated_at_us == 0);

  Result<std::vector<GitHubComment>> bad =
      github_wire::ParseCommentPages(kWhere, {R"([{"id": 1, "created_at": "x"}])"});
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message == "GET /repos/o/r/issues: comment 1 has a time that is not RFC 3339");
  Result<GitHubComment> no_id = github_wire::ParseComment(kWhere, Answer(R"({"body": "x"})"));
  REQUIRE_FALSE(no_id);
  CHECK(no_id.error().message == "GET /repos/o/r/issues: a comment without an id");
}

TEST_CASE("github wire: labels") {
  Result<std::vector<GitHubLabel>> labels = github_wire::ParseLabelPages(
      kWhere, {R"([{"name": "needs triage", "color": "ff0000", "description": null}])",
               R"([{"name": "area/db", "color": "00ff00", "description": "Database"}])"});
  REQUIRE(labels);
  REQUIRE(labels.value().size() == 2);
  CHECK(labels.value()[0].name == "needs triage");
  CHECK(labels.value()[0].color == "ff0000");
  CHECK(labels.value()[0].description == "");
  CHECK(labels.value()[1].description == "Database");

  Result<std::vector<GitHubLabel>> nameless =
      github_wire::ParseLabelPages(kWhere, {R"([{"color": "ff0000"}])"});
  REQUIRE_FALSE(nameless);
  CHECK(nameless.error().message == "GET /repos/o/r/issues: a label without a name");
}

TEST_CASE("github wire: SaysAlreadyExists reads a 422's errors") {
  CHECK(github_wire::SaysAlreadyExists(
      R"({"message": "Validation Failed", "errors": [{"resource": "Label", "code": "already_exists",
          "field": "name"}]})"));
  CHECK_FALSE(github_wire::SaysAlreadyExists(
      R"({"message": "Validation Failed", "errors": [{"code": "invalid", "field": "color"}]})"));
  CHECK_FALSE(github_wire::SaysAlreadyExists(R"({"errors": "already_exists"})"));
  CHECK_FALSE(github_wire::SaysAlreadyExists("{not json"));
  CHECK_FALSE(github_wire::SaysAlreadyExists(""));
}

TEST_CASE("github wire: StringMember") {
  CHECK(github_wire::StringMember(R"({"body": "caf\u00e9"})", "body") == "caf\xC3\xA9");
  CHECK(github_wire::StringMember(R"({"body": null})", "body") == "");
  CHECK(github_wire::StringMember(R"({"body": 3})", "body") == "");
  CHECK(github_wire::StringMember(R"(["body"])", "body") == "");
  CHECK(github_wire::StringMember("{", "body") == "");
}

}  // namespace
}  // namespace triage
