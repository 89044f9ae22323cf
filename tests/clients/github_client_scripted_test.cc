// GitHubClient against a scripted loopback server, for answers the fake
// GitHub does not give: redirects, Link URLs elsewhere, malformed JSON, a
// token echoed in a message, and a PATCH answered 200 with the old body.
#include "clients/github_client.h"

#include <doctest/doctest.h>
#include <httplib.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "clients/curl_transport.h"
#include "tests/support/loopback_server.h"

namespace triage {
namespace {

constexpr char kToken[] = "ghp_SECRETsecret0123456789";

void Json(httplib::Server& s, const std::string& pattern, const std::string& body) {
  s.Get(pattern, [body](const httplib::Request&, httplib::Response& res) {
    res.set_content(body, "application/json");
  });
}

void Redirect(httplib::Server& s, const std::string& pattern, int status, const std::string& to) {
  s.Get(pattern, [status, to](const httplib::Request&, httplib::Response& res) {
    res.status = status;
    res.set_header("Location", to);
  });
}

// `elsewhere` is another origin, which must never see a request.
void Routes(httplib::Server& s, const std::string& elsewhere) {
  const std::string issue = R"({"number":1,"body":"old","labels":[{"name":"gardener"}]})";
  Redirect(s, "/repos/octo/repo/issues/1", 301, "/repositories/42/issues/1");
  Json(s, "/repositories/42/issues/1", issue);
  Redirect(s, "/repos/octo/repo/issues/2", 302, elsewhere + "/repos/octo/repo/issues/2");
  s.Get("/repos/octo/repo/issues/3", [](const httplib::Request& req, httplib::Response& res) {
    res.status = 307;  // to itself, for ever
    res.set_header("Location", "http://" + req.get_header_value("Host") + req.path);
  });
  Json(s, "/repos/octo/repo/issues/4", "{not json");
  Json(s, "/repos/octo/repo/issues/6", R"({"number":6,"created_at":"yesterday"})");
  s.Get("/repos/octo/repo/issues/5", [](const httplib::Request& req, httplib::Response& res) {
    res.status = 403;
    res.set_content(R"({"message":"token )" + req.get_header_value("Authorization").substr(7) +
                        R"( lacks issues:write"})",
                    "application/json");
  });
  s.Get("/repos/octo/repo/labels", [elsewhere](const httplib::Request&, httplib::Response& res) {
    res.set_header("Link", "<" + elsewhere + "/repos/octo/repo/labels?page=2>; rel=\"next\"");
    res.set_content(R"([{"name":"p1","color":"ff0000","description":null}])", "application/json");
  });
  s.Patch("/repos/octo/repo/issues/1", [issue](const httplib::Request&, httplib::Response& res) {
    res.set_content(issue, "application/json");  // 200, body unchanged
  });
}

struct Scripted {
  Scripted()
      : elsewhere([this](httplib::Server& s) {
          s.Get(".*", [this](const httplib::Request&, httplib::Response&) { ++elsewhere_hits; });
        }),
        server([this](httplib::Server& s) { Routes(s, elsewhere.Url("")); }),
        client(
            *transport, Options(), [this](int64_t us) { now_us += us; }, [this] { return now_us; },
            [] { return 0.5; }) {}

  GitHubOptions Options() const {
    GitHubOptions options;
    options.api_url = server.Url("");
    options.token = kToken;
    options.repository = "octo/repo";
    return options;
  }

  std::atomic<int> elsewhere_hits{0};
  LoopbackServer elsewhere;
  LoopbackServer server;
  std::unique_ptr<HttpTransport> transport = NewCurlTransport();
  int64_t now_us = 0;
  GitHubClient client;
};

template <typename T>
std::string MessageOf(const Result<T>& result) {
  return result ? "<no error>" : result.error().message;
}

TEST_CASE("github client: redirects are followed within api_url's origin only") {
  Scripted t;
  REQUIRE(t.server.port() > 0);
  Result<GitHubIssue> moved = t.client.GetIssue(1);
  REQUIRE_MESSAGE(moved, moved.error().message);
  CHECK(moved.value().labels == std::vector<std::string>{"gardener"});
  CHECK(t.client.stats().requests == 2);  // the 301, then its target

  CHECK(MessageOf(t.client.GetIssue(2)) ==
        "GET /repos/octo/repo/issues/2: HTTP 302 to " + t.elsewhere.Url("") +
            "/repos/octo/repo/issues/2 not followed: the token goes to " + t.server.Url("") +
            " only");
  CHECK(MessageOf(t.client.ListLabels()) ==
        "GET /repos/octo/repo/labels?per_page=100: next page " + t.elsewhere.Url("") +
            "/repos/octo/repo/labels?page=2 not fetched: the token goes to " + t.server.Url("") +
            " only");
  CHECK(t.elsewhere_hits == 0);
  CHECK(MessageOf(t.client.GetIssue(3)) ==
        "GET /repos/octo/repo/issues/3: HTTP 307 to " + t.server.Url("") +
            "/repos/octo/repo/issues/3 not followed: more than 3 redirects");
}

TEST_CASE("github client: malformed answers and echoed tokens are clear errors") {
  Scripted t;
  REQUIRE(t.server.port() > 0);
  Result<GitHubIssue> bad = t.client.GetIssue(4);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().kind == ErrorKind::kHttp);
  CHECK(bad.error().message ==
        "GET /repos/octo/repo/issues/4: HTTP 200 answered with malformed JSON (byte 3 of 9)");
  CHECK(MessageOf(t.client.GetIssue(6)) ==
        "GET /repos/octo/repo/issues/6: issue #6 has a time that is not RFC 3339");
  CHECK(MessageOf(t.client.GetIssue(5)) ==
        "GET /repos/octo/repo/issues/5: HTTP 403: token [token] lacks issues:write");
}

TEST_CASE("github client: a PATCH answered 200 with the old body is an error") {
  Scripted t;
  REQUIRE(t.server.port() > 0);
  IssuePatch patch;
  patch.body = "new";
  CHECK(MessageOf(t.client.UpdateIssue(1, patch)) ==
        "PATCH /repos/octo/repo/issues/1: HTTP 200 but the body was not replaced (GitHub keeps "
        "the old one when the new one is over its size limit)");
  patch.body = "old";
  CHECK(t.client.UpdateIssue(1, patch));
}

}  // namespace
}  // namespace triage
