// ConnectGitHub's errors, OpenGitHub over real HTTP against the fake GitHub
// (the tracker and the dashboard read, the sync options from the config),
// and ExitStatusFor's mapping of error kinds to exit statuses.
#include "bot/app/github_session.h"

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "bot/app/exit_status.h"
#include "bot/github/dashboard.h"
#include "bot/github/marker.h"
#include "clients/curl_transport.h"
#include "tests/support/fake_github.h"

namespace triage {
namespace {

using testing::EndpointKind;

struct Access {
  explicit Access(testing::FakeGitHub& github)
      : transport(NewCurlTransport()), now_us(github.Now() * 1000000) {
    g.api_url = github.base_url();
    g.token = "test-token";
    g.repository = "octo/repo";
    g.run_id = "run-42";
    g.sleep = [this](int64_t us) { now_us += us; };
    g.clock = [this] { return now_us; };
    g.transport = transport.get();
  }
  std::unique_ptr<HttpTransport> transport;
  int64_t now_us;
  GitHubAccess g;
};

TEST_CASE("github session: ExitStatusFor maps kinds to exit statuses") {
  CHECK(ExitStatusFor(Error{ErrorKind::kAuth, "x"}) == kExitAuth);
  CHECK(ExitStatusFor(Error{ErrorKind::kConfig, "x"}) == kExitUsage);
  CHECK(ExitStatusFor(Error{ErrorKind::kUsage, "x"}) == kExitUsage);
  CHECK(ExitStatusFor(Error{ErrorKind::kInput, "x"}) == kExitFailure);
}

TEST_CASE("github session: ConnectGitHub needs a token and a repository") {
  testing::FakeGitHub github;
  Access a(github);
  Config config;

  a.g.token.clear();
  Result<std::unique_ptr<GitHubClient>> run = ConnectGitHub(a.g, config, "run");
  REQUIRE_FALSE(run);
  CHECK(run.error().kind == ErrorKind::kAuth);
  CHECK(run.error().message ==
        "gcp-log-gardener run: no GitHub token: set GITHUB_TOKEN or GH_TOKEN, or use --dry-run");
  Result<std::unique_ptr<GitHubClient>> command = ConnectGitHub(a.g, config, "command");
  REQUIRE_FALSE(command);
  CHECK(command.error().kind == ErrorKind::kAuth);
  CHECK(command.error().message == "gcp-log-gardener command: no GitHub token: set GITHUB_TOKEN or GH_TOKEN");
  CHECK(command.error().message.find("--dry-run") == std::string::npos);

  a.g.token = "test-token";
  a.g.repository.clear();
  Result<std::unique_ptr<GitHubClient>> norepo = ConnectGitHub(a.g, config, "run");
  REQUIRE_FALSE(norepo);
  CHECK(norepo.error().kind == ErrorKind::kConfig);
  CHECK(norepo.error().message.find("no repository") != std::string::npos);

  // The config's repository wins over GITHUB_REPOSITORY's.
  a.g.repository = "someone/else";
  config.github.repository = "octo/repo";
  Result<std::unique_ptr<GitHubClient>> ok = ConnectGitHub(a.g, config, "run");
  REQUIRE(ok);
  CHECK(ok.value()->repository() == "octo/repo");
  CHECK(ok.value()->ListIssues("gcp-log-gardener", "all"));
  CHECK(github.Count(EndpointKind::kListIssues) == 1);
  // No request was made by the failed connections.
  CHECK(github.Requests().size() == 1);
}

TEST_CASE("github session: OpenGitHub reads the tracker and the dashboard") {
  testing::FakeGitHub github;
  Marker m;
  m.key = "abc123";
  m.fingerprints = {"abc123"};
  m.priority = 2;
  testing::FakeIssue problem;
  problem.title = "GCP-regression | P2 | Something broke";
  problem.body = "text\n" + FormatMarker(m);
  problem.labels = {"gcp-log-gardener", "P2"};
  problem.user_login = "github-actions[bot]";
  problem.user_type = "Bot";
  const int problem_number = github.SeedIssue("octo/repo", problem);
  DashboardView view;
  view.repository = "octo/repo";
  view.bot_label = "gcp-log-gardener";
  view.window_end_us = 1893456000LL * 1000000;
  testing::FakeIssue dash;
  dash.title = "GCP Log Gardener dashboard";
  dash.body = RenderDashboard(view);
  dash.labels = {"gcp-log-gardener"};
  dash.user_login = "github-actions[bot]";
  dash.user_type = "Bot";
  const int dash_number = github.SeedIssue("octo/repo", dash);
  testing::FakeIssue other;
  other.title = "unrelated";
  github.SeedIssue("octo/repo", other);

  Access a(github);
  Config config;
  config.github.labels = {"gcp-logs"};
  Result<GitHubSession> s = OpenGitHub(a.g, config);
  REQUIRE(s);
  REQUIRE(s.value().tracker.size() == 1);
  REQUIRE(s.value().tracker.count(problem_number) == 1);
  CHECK(s.value().tracker.at(problem_number).known.fingerprints == std::vector<std::string>{"abc123"});
  REQUIRE(s.value().dashboards.size() == 1);
  CHECK(s.value().dashboards[0].number == dash_number);
  CHECK(s.value().sync.bot_label == "gcp-log-gardener");
  CHECK(s.value().sync.labels == std::vector<std::string>{"gcp-logs"});
  CHECK(s.value().sync.bot_login == "github-actions[bot]");
  CHECK(s.value().sync.run_id == "run-42");

  SUBCASE("a failed read says what was being read") {
    github.FailNext("GET", "/repos/octo/repo/issues", {testing::FaultKind::kStatus, 404, false}, 5);
    Result<GitHubSession> failed = OpenGitHub(a.g, config);
    REQUIRE_FALSE(failed);
    CHECK(failed.error().message.rfind("gcp-log-gardener run: reading the issues of octo/repo: ", 0) == 0);
  }
  SUBCASE("no token: the run's error, before any request") {
    github.ClearRequests();
    a.g.token.clear();
    Result<GitHubSession> failed = OpenGitHub(a.g, config);
    REQUIRE_FALSE(failed);
    CHECK(failed.error().kind == ErrorKind::kAuth);
    CHECK(github.Requests().empty());
  }
}

}  // namespace
}  // namespace triage
