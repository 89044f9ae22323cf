// Whose issues are the bot's (ResolveBotLogin), over real HTTP against the
// fake GitHub: the configured login, a personal token's, an App token's
// that cannot say, and the mismatches that must stop a run.
#include "bot/github/tracker.h"

#include <doctest/doctest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bot/github/marker.h"
#include "clients/curl_transport.h"
#include "tests/support/fake_github.h"

namespace triage {
namespace {

struct Tracker {
  explicit Tracker(testing::FakeGitHubOptions o) : github(std::move(o)) {}
  // Seeds a labelled issue with the bot's marker, written by `login`.
  void Seed(const std::string& login, const std::string& type) {
    testing::FakeIssue issue;
    Marker m;
    m.key = "k" + std::to_string(++seeded);
    issue.title = "problem " + m.key;
    issue.body = "text\n" + FormatMarker(m);
    issue.labels = {"gcp-log-gardener"};
    issue.user_login = login;
    issue.user_type = type;
    github.SeedIssue("octo/repo", issue);
  }
  Result<std::string> Resolve(const std::string& configured) {
    std::unique_ptr<HttpTransport> transport = NewCurlTransport();
    GitHubOptions options;
    options.api_url = github.base_url();
    options.token = "test-token";
    options.repository = "octo/repo";
    int64_t now_us = github.Now() * 1000000;
    GitHubClient client(
        *transport, options, [&](int64_t us) { now_us += us; }, [&] { return now_us; }, [] { return 0.5; });
    Result<std::vector<GitHubIssue>> labelled = client.ListIssues("gcp-log-gardener", "all");
    REQUIRE(labelled);
    return ResolveBotLogin(client, labelled.value(), configured);
  }
  testing::FakeGitHub github;
  int seeded = 0;
};

testing::FakeGitHubOptions Token(const std::string& login, const std::string& type) {
  testing::FakeGitHubOptions o;
  o.login = login;
  o.user_type = type;
  return o;
}

const std::string kActions = "github-actions[bot]";

TEST_CASE("tracker: a token that cannot say who it is goes by the configured login") {
  Tracker t(Token(kActions, "Bot"));
  t.Seed(kActions, "Bot");
  CHECK(t.Resolve(kActions).value() == kActions);
  CHECK(t.github.Count(testing::EndpointKind::kGetUser) == 1);
  // A person's issue with a pasted marker and the label changes nothing
  // for a token that cannot say who it is.
  t.Seed("octocat", "User");
  CHECK(t.Resolve(kActions).value() == kActions);
}

TEST_CASE("tracker: a personal token's login is asked and used") {
  Tracker t(Token("alice", "User"));
  CHECK(t.Resolve(kActions).value() == "alice");  // an empty tracker
  t.Seed("alice", "User");
  CHECK(t.Resolve(kActions).value() == "alice");
  CHECK(t.Resolve("alice").value() == "alice");
}

TEST_CASE("tracker: a personal token on issues another login wrote stops, naming both") {
  Tracker t(Token("alice", "User"));
  t.Seed(kActions, "Bot");
  Result<std::string> r = t.Resolve(kActions);
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == ErrorKind::kConfig);
  CHECK(r.error().message.find("alice") != std::string::npos);
  CHECK(r.error().message.find(kActions) != std::string::npos);
  CHECK(r.error().message.find("github.bot_login") != std::string::npos);
}

TEST_CASE("tracker: an App token on another bot's issues stops and names the setting") {
  Tracker t(Token("shop-gardener[bot]", "Bot"));
  t.Seed("shop-gardener[bot]", "Bot");
  Result<std::string> r = t.Resolve(kActions);
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == ErrorKind::kConfig);
  CHECK(r.error().message.find("Set github.bot_login: shop-gardener[bot]") != std::string::npos);
  CHECK(t.Resolve("shop-gardener[bot]").value() == "shop-gardener[bot]");
}

TEST_CASE("tracker: an issue of the bot's without its label is found through the dashboard, no other") {
  Tracker t(Token(kActions, "Bot"));
  auto seed = [&](const std::string& login, std::vector<std::string> labels, const Marker& m) {
    testing::FakeIssue issue;
    issue.title = "issue " + m.key;
    issue.body = "text\n" + FormatMarker(m);
    issue.labels = std::move(labels);
    issue.user_login = login;
    issue.user_type = login == kActions ? "Bot" : "User";
    return t.github.SeedIssue("octo/repo", issue);
  };
  Marker problem;
  problem.key = "k1";
  const int labelled = seed(kActions, {"gcp-log-gardener"}, problem);
  problem.key = "k2";
  const int unlabelled = seed(kActions, {"P2"}, problem);
  problem.key = "k3";
  const int pasted = seed("octocat", {}, problem);  // a person's, with a copied marker
  Marker dashboard;
  dashboard.kind = MarkerKind::kDashboard;
  dashboard.key = "dashboard";
  dashboard.issues = {labelled, unlabelled, pasted, 999};  // 999 was deleted
  seed(kActions, {"gcp-log-gardener"}, dashboard);

  std::unique_ptr<HttpTransport> transport = NewCurlTransport();
  GitHubOptions options;
  options.api_url = t.github.base_url();
  options.token = "test-token";
  options.repository = "octo/repo";
  int64_t now_us = t.github.Now() * 1000000;
  GitHubClient client(
      *transport, options, [&](int64_t us) { now_us += us; }, [&] { return now_us; }, [] { return 0.5; });
  std::string login = kActions;
  std::vector<GitHubIssue> dashboards;
  Result<std::map<int, TrackedIssue>> tracker = LoadTracker(client, "gcp-log-gardener", &login, &dashboards);
  REQUIRE(tracker);
  CHECK(dashboards.size() == 1);
  CHECK(tracker.value().count(labelled) == 1);
  REQUIRE(tracker.value().count(unlabelled) == 1);
  CHECK(tracker.value().at(unlabelled).known.fingerprints == std::vector<std::string>{"k2"});
  CHECK(tracker.value().count(pasted) == 0);
  CHECK(tracker.value().size() == 2);
  CHECK(t.github.Count(testing::EndpointKind::kGetIssue) == 3);
}

}  // namespace
}  // namespace triage
