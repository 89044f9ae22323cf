// GitHubClient::GetTokenLogin over real HTTP against the fake GitHub: a
// personal token's login, an App token's refusal, and other failures.
#include "clients/github_client.h"

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "clients/curl_transport.h"
#include "tests/support/fake_github.h"

namespace triage {
namespace {

Result<std::optional<std::string>> AskLogin(testing::FakeGitHub& github, const std::string& token) {
  std::unique_ptr<HttpTransport> transport = NewCurlTransport();
  GitHubOptions options;
  options.api_url = github.base_url();
  options.token = token;
  options.repository = "octo/repo";
  int64_t now_us = github.Now() * 1000000;
  GitHubClient client(
      *transport, options, [&](int64_t us) { now_us += us; }, [&] { return now_us; }, [] { return 0.5; });
  return client.GetTokenLogin();
}

TEST_CASE("github client: GET /user gives a personal token's login") {
  testing::FakeGitHubOptions o;
  o.login = "alice";
  o.user_type = "User";
  testing::FakeGitHub github(o);
  Result<std::optional<std::string>> login = AskLogin(github, "test-token");
  REQUIRE(login);
  CHECK(login.value() == std::optional<std::string>("alice"));
  CHECK(github.Count(testing::EndpointKind::kGetUser) == 1);
}

TEST_CASE("github client: an App installation token cannot say who it is") {
  testing::FakeGitHub github;  // github-actions[bot]: 403 Resource not accessible by integration
  Result<std::optional<std::string>> login = AskLogin(github, "test-token");
  REQUIRE(login);
  CHECK_FALSE(login.value().has_value());
}

TEST_CASE("github client: a rejected token is an error, not an unknown login") {
  testing::FakeGitHub github;
  Result<std::optional<std::string>> login = AskLogin(github, "wrong-token");
  REQUIRE_FALSE(login);
  CHECK(login.error().http_status == 401);
  CHECK(login.error().message.find("wrong-token") == std::string::npos);
}

}  // namespace
}  // namespace triage
