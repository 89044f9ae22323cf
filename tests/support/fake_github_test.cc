// The fake GitHub itself, driven over loopback with cpp-httplib's client:
// the shapes, pagination, auth, rate limits, search lag and faults that the
// GitHub client's tests rely on.
#include "tests/support/fake_github.h"

#include <doctest/doctest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace triage {
namespace testing {
namespace {

using nlohmann::json;

constexpr char kRepo[] = "octo/repo";

struct Reply {
  int status = 0;  // 0 = no HTTP answer; see `error`
  httplib::Error error = httplib::Error::Success;
  httplib::Headers headers;
  std::string body;

  json Json() const { return json::parse(body, nullptr, false); }
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

httplib::Headers Good() {
  return {{"Authorization", "Bearer test-token"}, {"User-Agent", "gardener-test/1"}};
}

// One request on a fresh connection; `target` is a path with its query or
// an absolute URL on the fake (as in a Link header).
Reply Send(const FakeGitHub& gh, const std::string& method, std::string target,
           const std::string& body = "", const httplib::Headers& headers = Good()) {
  if (target.rfind(gh.base_url(), 0) == 0) target = target.substr(gh.base_url().size());
  httplib::Client client(gh.base_url());
  client.set_url_encode(false);
  httplib::Request req;
  req.method = method;
  req.path = target;
  req.headers = headers;
  req.body = body;
  if (!body.empty()) req.set_header("Content-Type", "application/json");
  httplib::Result result = client.send(req);
  Reply reply;
  if (!result) {
    reply.error = result.error();
    return reply;
  }
  reply.status = result->status;
  reply.headers = result->headers;
  reply.body = result->body;
  return reply;
}

Reply Get(const FakeGitHub& gh, const std::string& target) { return Send(gh, "GET", target); }
Reply Post(const FakeGitHub& gh, const std::string& target, const json& body) {
  return Send(gh, "POST", target, body.dump());
}

int CreateIssue(const FakeGitHub& gh, const std::string& title, const json& labels = {}) {
  json body = {{"title", title}, {"body", "body of " + title}};
  if (!labels.is_null()) body["labels"] = labels;
  Reply r = Post(gh, "/repos/octo/repo/issues", body);
  REQUIRE_MESSAGE(r.status == 201, r.body);
  return r.Json()["number"].get<int>();
}

FakeIssue Seed(const std::string& title, const std::string& body = "",
               std::vector<std::string> labels = {}, const std::string& state = "open") {
  FakeIssue issue;
  issue.title = title;
  issue.body = body;
  issue.labels = std::move(labels);
  issue.state = state;
  return issue;
}

std::vector<int> Numbers(const json& items) {
  std::vector<int> out;
  for (const json& i : items) out.push_back(i["number"].get<int>());
  return out;
}

// The URL of rel="`rel`" in a Link header, or "".
std::string LinkTo(const std::string& link, const std::string& rel) {
  const std::string tag = "; rel=\"" + rel + "\"";
  const size_t at = link.find(tag);
  if (at == std::string::npos) return "";
  const size_t open = link.rfind('<', at);
  return link.substr(open + 1, at - open - 2);
}

TEST_CASE("fake github: create, read and update issues with GitHub's shapes") {
  FakeGitHub gh;
  Reply created = Post(gh, "/repos/octo/repo/issues",
                       {{"title", "Boom in checkout"}, {"body", "fp: a1"}, {"labels", {"bug"}}});
  REQUIRE_MESSAGE(created.status == 201, created.body);
  CHECK(created.Header("Location") == gh.base_url() + "/repos/octo/repo/issues/1");
  json issue = created.Json();
  CHECK(issue["number"] == 1);
  CHECK(issue["state"] == "open");
  CHECK(issue["state_reason"].is_null());
  CHECK(issue["user"]["login"] == "github-actions[bot]");
  CHECK(issue["user"]["type"] == "Bot");
  CHECK(issue["created_at"] == "2030-01-01T00:00:00Z");
  CHECK(issue["closed_at"].is_null());
  CHECK(issue["html_url"] == "https://github.com/octo/repo/issues/1");
  CHECK(issue["labels"][0]["name"] == "bug");
  CHECK(issue["labels"][0]["color"] == "ededed");  // created on the fly
  CHECK(issue["comments"] == 0);

  gh.Advance(90);
  Reply closed = Send(gh, "PATCH", "/repos/octo/repo/issues/1",
                      R"({"state":"closed","state_reason":"not_planned","labels":["p1"]})");
  REQUIRE(closed.status == 200);
  CHECK(closed.Json()["state_reason"] == "not_planned");
  CHECK(closed.Json()["closed_at"] == "2030-01-01T00:01:30Z");
  CHECK(closed.Json()["updated_at"] == "2030-01-01T00:01:30Z");
  CHECK(closed.Json()["labels"].size() == 1);  // replaced, not added

  SUBCASE("state_reason is ignored without a state change") {
    Reply same = Send(gh, "PATCH", "/repos/octo/repo/issues/1", R"({"state_reason":"completed"})");
    CHECK(same.Json()["state_reason"] == "not_planned");
  }
  SUBCASE("reopening") {
    Reply reopened = Send(gh, "PATCH", "/repos/octo/repo/issues/1", R"({"state":"open"})");
    CHECK(reopened.Json()["state_reason"] == "reopened");
    CHECK(reopened.Json()["closed_at"].is_null());
  }
  SUBCASE("an over-long body on PATCH is a silent 200 keeping the old body") {
    json big = {{"body", std::string(262145, 'x')}};
    Reply r = Send(gh, "PATCH", "/repos/octo/repo/issues/1", big.dump());
    CHECK(r.status == 200);
    CHECK(gh.Issue(kRepo, 1)->body == "fp: a1");
  }
  Reply got = Get(gh, "/repos/octo/repo/issues/1");
  CHECK(got.status == 200);
  CHECK(got.Json()["number"] == 1);
}

TEST_CASE("fake github: Link headers walk every page exactly once") {
  FakeGitHub gh;
  for (int i = 0; i < 65; ++i) gh.SeedIssue(kRepo, {});
  std::vector<int> seen;
  std::string url = "/repos/octo/repo/issues?state=all&per_page=20";
  int pages = 0;
  while (!url.empty()) {
    Reply r = Get(gh, url);
    REQUIRE(r.status == 200);
    std::vector<int> numbers = Numbers(r.Json());
    seen.insert(seen.end(), numbers.begin(), numbers.end());
    const std::string link = r.Header("Link");
    if (++pages == 1) {
      CHECK(LinkTo(link, "prev").empty());
      CHECK(LinkTo(link, "last") ==
            gh.base_url() + "/repos/octo/repo/issues?state=all&per_page=20&page=4");
    } else {
      CHECK(LinkTo(link, "first") ==
            gh.base_url() + "/repos/octo/repo/issues?state=all&per_page=20&page=1");
    }
    url = LinkTo(link, "next");
  }
  CHECK(pages == 4);
  CHECK(seen.size() == 65);
  CHECK(std::set<int>(seen.begin(), seen.end()).size() == 65);
  CHECK(seen.front() == 65);  // sort=created, direction=desc by default

  Reply one_page = Get(gh, "/repos/octo/repo/issues?per_page=500");
  CHECK(one_page.Json().size() == 65);  // per_page clamps to 100
  CHECK(!one_page.headers.count("Link"));
  CHECK(Get(gh, "/repos/octo/repo/issues").Json().size() == 30);
}

TEST_CASE("fake github: authentication and User-Agent") {
  FakeGitHub gh;
  Reply wrong = Send(gh, "GET", "/repos/octo/repo/issues", "",
                     {{"Authorization", "Bearer nope"}, {"User-Agent", "t"}});
  CHECK(wrong.status == 401);
  CHECK(wrong.Json()["message"] == "Bad credentials");
  CHECK(wrong.Json()["status"] == "401");
  CHECK(wrong.Json()["documentation_url"] == "https://docs.github.com/rest");
  CHECK(Send(gh, "GET", "/repos/octo/repo/issues", "", {{"User-Agent", "t"}}).status == 401);
  CHECK(Send(gh, "GET", "/repos/octo/repo/issues", "",
             {{"Authorization", "token test-token"}, {"User-Agent", "t"}})
            .status == 200);
  Reply no_agent = Send(gh, "GET", "/repos/octo/repo/issues", "",
                        {{"Authorization", "Bearer test-token"}, {"User-Agent", ""}});
  CHECK(no_agent.status == 403);
  CHECK(no_agent.Header("Content-Type").rfind("text/plain", 0) == 0);
  CHECK(no_agent.body.find("User-Agent header") != std::string::npos);
}

TEST_CASE("fake github: 400, 404, 410 and 422 bodies") {
  FakeGitHub gh;
  CreateIssue(gh, "one", json{"bug"});
  Reply missing = Get(gh, "/repos/octo/repo/issues/99");
  CHECK(missing.status == 404);
  CHECK(missing.Json() == json{{"message", "Not Found"},
                               {"documentation_url", "https://docs.github.com/rest"},
                               {"status", "404"}});
  CHECK(Get(gh, "/repos/other/repo/issues").status == 404);
  CHECK(Get(gh, "/repos/octo/repo/issues/").status == 404);  // trailing slash

  Reply no_title = Post(gh, "/repos/octo/repo/issues", {{"body", "x"}});
  CHECK(no_title.status == 422);
  CHECK(no_title.Json()["message"] == "Validation Failed");
  CHECK(no_title.Json()["errors"][0] ==
        json{{"resource", "Issue"}, {"field", "title"}, {"code", "missing_field"}});
  Reply long_title = Post(gh, "/repos/octo/repo/issues", {{"title", std::string(257, 't')}});
  CHECK(long_title.Json()["errors"][0]["message"] == "title is too long");
  Reply long_comment =
      Post(gh, "/repos/octo/repo/issues/1/comments", {{"body", std::string(262145, 'c')}});
  CHECK(long_comment.status == 422);
  CHECK(long_comment.Json()["errors"][0]["code"] == "custom");

  Reply bad_json = Send(gh, "POST", "/repos/octo/repo/issues", "{nope");
  CHECK(bad_json.status == 400);
  CHECK(bad_json.Json()["message"] == "Problems parsing JSON");

  Reply dup = Post(gh, "/repos/octo/repo/labels", {{"name", "BUG"}, {"color", "ff0000"}});
  CHECK(dup.status == 422);
  CHECK(dup.Json()["errors"][0]["code"] == "already_exists");
  CHECK(Post(gh, "/repos/octo/repo/labels", {{"name", "x"}, {"color", "#ff0000"}}).status == 422);
  Reply label =
      Post(gh, "/repos/octo/repo/labels", {{"name", "gcp gardener"}, {"color", "00ff00"}});
  CHECK(label.status == 201);
  // (cpp-httplib's client percent-decodes header values, so check the body.)
  CHECK(label.Json()["url"] == gh.base_url() + "/repos/octo/repo/labels/gcp%20gardener");

  Reply absent = Send(gh, "DELETE", "/repos/octo/repo/issues/1/labels/p1");
  CHECK(absent.status == 404);
  CHECK(absent.Json()["message"] == "Label does not exist");

  gh.SetIssuesDisabled(kRepo, true);
  CHECK(Get(gh, "/repos/octo/repo/issues").status == 410);
}

TEST_CASE("fake github: list filters labels with AND, state, creator and since") {
  FakeGitHub gh;
  gh.SeedIssue(kRepo, Seed("a only", "", {"a"}));
  gh.SeedIssue(kRepo, Seed("a and b", "", {"a", "b"}));
  gh.SeedIssue(kRepo, Seed("b closed", "", {"b"}, "closed"));
  FakeIssue pr;
  pr.pull_request = true;
  gh.SeedIssue(kRepo, pr);
  gh.Advance(60);
  const int bot = CreateIssue(gh, "by the bot", json{"A"});

  CHECK(Numbers(Get(gh, "/repos/octo/repo/issues?labels=a,b").Json()) == std::vector<int>{2});
  CHECK(Numbers(Get(gh, "/repos/octo/repo/issues?labels=a&direction=asc").Json()) ==
        std::vector<int>{1, 2, bot});
  CHECK(Numbers(Get(gh, "/repos/octo/repo/issues?state=closed").Json()) == std::vector<int>{3});
  json all = Get(gh, "/repos/octo/repo/issues?state=all&direction=asc").Json();
  CHECK(all.size() == 5);
  CHECK(all[3].contains("pull_request"));  // PRs come with issues
  CHECK(Numbers(Get(gh, "/repos/octo/repo/issues?creator=github-actions%5Bbot%5D").Json()) ==
        std::vector<int>{bot});
  CHECK(Numbers(Get(gh, "/repos/octo/repo/issues?since=2030-01-01T00:00:30Z").Json()) ==
        std::vector<int>{bot});
  CHECK(Get(gh, "/repos/octo/repo/issues?state=bogus").status == 422);
}

TEST_CASE("fake github: comments and issue labels") {
  FakeGitHub gh;
  const int n = CreateIssue(gh, "one");
  for (int i = 0; i < 3; ++i) {
    gh.Advance(1);
    Reply c = Post(gh, "/repos/octo/repo/issues/1/comments", {{"body", "c" + std::to_string(i)}});
    REQUIRE(c.status == 201);
    CHECK(c.Header("Location") == gh.base_url() + "/repos/octo/repo/issues/comments/" +
                                      std::to_string(c.Json()["id"].get<int64_t>()));
  }
  Reply page = Get(gh, "/repos/octo/repo/issues/1/comments?per_page=2&page=2");
  REQUIRE(page.Json().size() == 1);
  CHECK(page.Json()[0]["body"] == "c2");  // oldest first: the newest is last
  CHECK(!LinkTo(page.Header("Link"), "prev").empty());
  CHECK(Get(gh, "/repos/octo/repo/issues/1").Json()["comments"] == 3);

  const int64_t id = gh.Issue(kRepo, n)->comments[0].id;
  Reply edited = Send(gh, "PATCH", "/repos/octo/repo/issues/comments/" + std::to_string(id),
                      R"({"body":"edited"})");
  CHECK(edited.status == 200);
  CHECK(gh.Issue(kRepo, n)->comments[0].body == "edited");
  CHECK(Send(gh, "PATCH", "/repos/octo/repo/issues/comments/999999", R"({"body":"x"})").status ==
        404);

  Reply added = Post(gh, "/repos/octo/repo/issues/1/labels", {{"labels", {"a/b", "in progress"}}});
  CHECK(added.status == 200);
  CHECK(added.Json().size() == 2);
  Reply removed = Send(gh, "DELETE", "/repos/octo/repo/issues/1/labels/a%2Fb");
  CHECK(removed.status == 200);
  CHECK(removed.Json()[0]["name"] == "in progress");
  CHECK(Send(gh, "DELETE", "/repos/octo/repo/issues/1/labels/in%20progress").status == 200);
  CHECK(gh.Issue(kRepo, n)->labels.empty());
  CHECK(Get(gh, "/repos/octo/repo/labels").Json().size() == 2);
}

TEST_CASE("fake github: search sees writes only after the lag") {
  FakeGitHubOptions options;
  options.search_lag_seconds = 10;
  FakeGitHub gh(options);
  gh.SeedIssue(kRepo, Seed("Old report by hand", "Timeout in gcp-fp-1a2b <!-- hidden -->"));
  const std::string q = "/search/issues?q=repo:octo/repo+is:issue+is:open+";
  CHECK(Get(gh, q + "%22gcp-fp-1a2b%22").Json()["total_count"] == 1);  // seeds: at once
  CHECK(Get(gh, q + "hidden").Json()["total_count"] == 0);             // HTML comments not indexed

  const int n = CreateIssue(gh, "Boom", json{"gcp-gardener"});
  CHECK(Get(gh, "/repos/octo/repo/issues").Json().size() == 2);  // list is current
  const std::string by_label = q + "label:%22gcp-gardener%22";
  CHECK(Get(gh, by_label).Json()["total_count"] == 0);
  gh.Advance(9);
  CHECK(Get(gh, by_label).Json()["total_count"] == 0);
  gh.Advance(1);
  json found = Get(gh, by_label).Json();
  CHECK(found["total_count"] == 1);
  CHECK(found["incomplete_results"] == false);
  CHECK(found["items"][0]["number"] == n);

  // A close is also late: search keeps the stale open state for a while.
  Send(gh, "PATCH", "/repos/octo/repo/issues/" + std::to_string(n), R"({"state":"closed"})");
  CHECK(Get(gh, by_label).Json()["items"][0]["state"] == "open");
  gh.Advance(10);
  CHECK(Get(gh, by_label).Json()["total_count"] == 0);

  SUBCASE("query syntax") {
    CHECK(Get(gh, q + "fp+1a2b+gcp").Json()["total_count"] == 1);    // words anywhere
    CHECK(Get(gh, q + "%221a2b+fp%22").Json()["total_count"] == 0);  // phrase order
    CHECK(Get(gh, q + "in:title+timeout").Json()["total_count"] == 0);
    CHECK(Get(gh, q + "in:body+timeout").Json()["total_count"] == 1);
    CHECK(Get(gh, q + "-label:gcp-gardener").Json()["total_count"] == 1);
  }
  SUBCASE("422s") {
    CHECK(Get(gh, "/search/issues?q=repo:octo/repo+boom").status == 422);  // no is:issue
    CHECK(Get(gh, "/search/issues?q=repo:nobody/none+is:issue").status == 422);
    CHECK(Get(gh, "/search/issues").Json()["errors"][0]["code"] == "missing");
    CHECK(Get(gh, q + "x&page=11&per_page=100").status == 422);  // 1,000 cap
  }
  gh.Advance(1);
  gh.CatchUpSearchIndex();
  CHECK(Get(gh, q + "boom").Json()["total_count"] == 0);  // closed now
}

TEST_CASE("fake github: a create can be stored and still answer 500") {
  FakeGitHub gh;
  gh.FailNext("POST", "/repos/*/*/issues", Fault{FaultKind::kStatus, 500, /*after_write=*/true});
  Reply first = Post(gh, "/repos/octo/repo/issues", {{"title", "t"}, {"body", "fp: x"}});
  CHECK(first.status == 500);
  CHECK(first.Json()["message"] == "Server Error");
  CHECK(gh.Issues(kRepo).size() == 1);  // it was stored anyway
  CHECK(Post(gh, "/repos/octo/repo/issues", {{"title", "t"}, {"body", "fp: x"}}).status == 201);
  auto key = [](const FakeIssue& i) { return i.body; };
  CHECK(gh.Duplicates(kRepo, key) == std::map<std::string, int>{{"fp: x", 2}});
  CHECK(gh.CountIssues(kRepo, [](const FakeIssue& i) { return i.title == "t"; }) == 2);

  gh.FailNext("POST", "/repos/octo/repo/issues/*/comments",
              Fault{FaultKind::kDrop, 0, /*after_write=*/true});
  Reply dropped = Post(gh, "/repos/octo/repo/issues/1/comments", {{"body", "hi"}});
  CHECK(dropped.status == 0);
  CHECK(dropped.error == httplib::Error::Read);
  CHECK(gh.Issue(kRepo, 1)->comments.size() == 1);
  CHECK(gh.Requests().back().fault == "stored+drop");
  CHECK(gh.Requests().back().status == 0);
}

TEST_CASE("fake github: rate-limit headers on every answer") {
  FakeGitHubOptions options;
  options.core_limit = 3;
  FakeGitHub gh(options);
  Reply r = Get(gh, "/repos/octo/repo/issues");
  CHECK(r.Header("x-ratelimit-limit") == "3");
  CHECK(r.Header("x-ratelimit-remaining") == "2");
  CHECK(r.Header("x-ratelimit-used") == "1");
  CHECK(r.Header("x-ratelimit-reset") == std::to_string(1893456000 + 3600));
  CHECK(r.Header("x-ratelimit-resource") == "core");
  Reply s = Get(gh, "/search/issues?q=is:issue");
  CHECK(s.Header("x-ratelimit-resource") == "search");
  CHECK(s.Header("x-ratelimit-limit") == "30");
  Reply limits = Get(gh, "/rate_limit");  // free
  CHECK(limits.Json()["resources"]["core"]["remaining"] == 2);
  CHECK(limits.Json()["resources"]["search"]["used"] == 1);
  CHECK(Get(gh, "/repos/octo/repo/issues").Header("x-ratelimit-remaining") == "1");
  Get(gh, "/repos/octo/repo/issues");
  Reply out = Get(gh, "/repos/octo/repo/issues");
  CHECK(out.status == 403);
  CHECK(out.Header("x-ratelimit-remaining") == "0");
  CHECK(out.Json()["message"].get<std::string>().rfind("API rate limit exceeded", 0) == 0);
  gh.Advance(3600);  // the window resets
  CHECK(Get(gh, "/repos/octo/repo/issues").Header("x-ratelimit-remaining") == "2");
}

TEST_CASE("fake github: primary and secondary limit modes") {
  FakeGitHub gh;
  SUBCASE("primary exhausted, as 429") {
    gh.ExhaustPrimary(RateResource::kCore, 429, gh.Now() + 120);
    Reply r = Get(gh, "/repos/octo/repo/issues");
    CHECK(r.status == 429);
    CHECK(r.Header("x-ratelimit-remaining") == "0");
    CHECK(r.Header("x-ratelimit-reset") == std::to_string(gh.Now() + 120));
    CHECK(Get(gh, "/search/issues?q=is:issue").status == 200);  // other resource
    gh.Advance(120);
    CHECK(Get(gh, "/repos/octo/repo/issues").status == 200);
  }
  SUBCASE("secondary with retry-after, for a time") {
    gh.StartSecondaryLimit({403, true, 60, 0, false});
    gh.Advance(15);
    Reply r = Get(gh, "/repos/octo/repo/issues");
    CHECK(r.status == 403);
    CHECK(r.Header("retry-after") == "45");
    CHECK(r.Header("x-ratelimit-remaining") != "0");
    CHECK(r.Json()["message"].get<std::string>().find("secondary rate limit") != std::string::npos);
    gh.Advance(45);
    CHECK(Get(gh, "/repos/octo/repo/issues").status == 200);
  }
  SUBCASE("secondary without retry-after, for two writes") {
    gh.StartSecondaryLimit({429, false, 0, 2, true});
    CHECK(Get(gh, "/repos/octo/repo/issues").status == 200);
    Reply r = Post(gh, "/repos/octo/repo/issues", {{"title", "t"}});
    CHECK(r.status == 429);
    CHECK(r.Header("retry-after").empty());
    CHECK(Post(gh, "/repos/octo/repo/issues", {{"title", "t"}}).status == 429);
    CHECK(Post(gh, "/repos/octo/repo/issues", {{"title", "t"}}).status == 201);
  }
}

TEST_CASE("fake github: content-creation limit per minute") {
  FakeGitHubOptions options;
  options.content_per_minute = 2;
  FakeGitHub gh(options);
  CreateIssue(gh, "a");
  CHECK(Post(gh, "/repos/octo/repo/issues/1/comments", {{"body", "c"}}).status == 201);
  Reply r = Post(gh, "/repos/octo/repo/issues", {{"title", "c"}});
  CHECK(r.status == 403);
  CHECK(r.Json()["message"].get<std::string>().find("content creation") != std::string::npos);
  CHECK(Send(gh, "PATCH", "/repos/octo/repo/issues/1", R"({"title":"b"})").status == 200);
  gh.Advance(60);
  CHECK(Post(gh, "/repos/octo/repo/issues", {{"title", "c"}}).status == 201);
}

TEST_CASE("fake github: scripted faults") {
  FakeGitHub gh;
  gh.FailNth(2, Fault{FaultKind::kStatus, 502});
  CHECK(Get(gh, "/repos/octo/repo/issues").status == 200);
  Reply bad_gateway = Get(gh, "/repos/octo/repo/issues");
  CHECK(bad_gateway.status == 502);
  CHECK(bad_gateway.Header("Content-Type") == "text/html");
  CHECK(Get(gh, "/repos/octo/repo/issues").status == 200);

  gh.FailNext("GET", "/repos/*/*/labels", Fault{FaultKind::kStatus, 503}, 2);
  CHECK(Get(gh, "/repos/octo/repo/issues").status == 200);  // no match
  CHECK(Get(gh, "/repos/octo/repo/labels").status == 503);
  CHECK(Get(gh, "/repos/octo/repo/labels").status == 503);
  CHECK(Get(gh, "/repos/octo/repo/labels").status == 200);

  gh.FailNext("", "/repos/octo/repo/issues", Fault{FaultKind::kDrop});
  Reply dropped = Post(gh, "/repos/octo/repo/issues", {{"title", "never stored"}});
  CHECK(dropped.status == 0);
  CHECK(dropped.error == httplib::Error::Read);
  CHECK(gh.Issues(kRepo).empty());

  gh.FailNext("", "/repos/octo/repo/issues", Fault{FaultKind::kTruncate, 0, true});
  Reply truncated = Post(gh, "/repos/octo/repo/issues", {{"title", "stored"}});
  CHECK(truncated.status == 0);
  CHECK(gh.Issues(kRepo).size() == 1);

  gh.FailNext("GET", "/rate_limit", Fault{FaultKind::kHang});
  Reply hung;
  std::thread client([&] { hung = Get(gh, "/rate_limit"); });
  while (gh.Requests().back().fault != "hang") std::this_thread::yield();
  gh.ReleaseHung();
  client.join();
  CHECK(hung.status == 0);
}

TEST_CASE("fake github: random faults repeat with the seed") {
  auto statuses = [](uint64_t seed) {
    FakeGitHub gh;
    gh.SetRandomFaults(0.3, seed, {Fault{FaultKind::kStatus, 500}, Fault{FaultKind::kDrop}});
    std::vector<int> out;
    for (int i = 0; i < 40; ++i) out.push_back(Get(gh, "/repos/octo/repo/issues").status);
    return out;
  };
  const std::vector<int> first = statuses(7);
  CHECK(first == statuses(7));
  CHECK(first != statuses(8));
  const long failures = std::count_if(first.begin(), first.end(), [](int s) { return s != 200; });
  CHECK(failures > 4);
  CHECK(failures < 25);
  CHECK(std::count(first.begin(), first.end(), 0) > 0);
}

TEST_CASE("fake github: kill after k requests, then revive") {
  FakeGitHub gh;
  gh.KillAfter(2);
  CHECK(CreateIssue(gh, "a") == 1);
  CHECK(Get(gh, "/repos/octo/repo/issues").status == 200);
  CHECK(Post(gh, "/repos/octo/repo/issues", {{"title", "b"}}).status == 0);
  CHECK(Get(gh, "/rate_limit").status == 0);
  CHECK(gh.Issues(kRepo).size() == 1);
  CHECK(gh.Requests().back().fault == "killed");
  gh.Revive();
  CHECK(Get(gh, "/repos/octo/repo/issues").status == 200);
  gh.Stop();
  CHECK(Get(gh, "/rate_limit").error == httplib::Error::Connection);
}

TEST_CASE("fake github: every request is recorded") {
  FakeGitHub gh;
  CreateIssue(gh, "one", json{"bug"});
  Get(gh, "/repos/octo/repo/issues?labels=bug&state=all");
  Send(gh, "GET", "/repos/octo/repo/issues", "", {{"User-Agent", "x"}});
  std::vector<RecordedRequest> log = gh.Requests();
  REQUIRE(log.size() == 3);
  CHECK(log[0].seq == 1);
  CHECK(log[0].method == "POST");
  CHECK(log[0].path == "/repos/octo/repo/issues");
  CHECK(log[0].kind == EndpointKind::kCreateIssue);
  CHECK(log[0].Header("authorization") == "Bearer test-token");
  CHECK(log[0].Header("user-agent") == "gardener-test/1");
  CHECK(json::parse(log[0].body)["labels"] == json{"bug"});
  CHECK(log[0].status == 201);
  CHECK(log[1].query == "labels=bug&state=all");
  CHECK(log[1].params.find("labels")->second == "bug");
  CHECK(log[2].status == 401);
  CHECK(gh.Count(EndpointKind::kListIssues) == 2);
  CHECK(gh.Count(EndpointKind::kCreateIssue) == 1);
  gh.ClearRequests();
  Get(gh, "/rate_limit");
  CHECK(gh.Requests()[0].seq == 4);
  CHECK(gh.Count(EndpointKind::kRateLimit) == 1);
}

}  // namespace
}  // namespace testing
}  // namespace triage
