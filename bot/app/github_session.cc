#include "bot/app/github_session.h"

#include <random>

#include "bot/app/exit_status.h"
#include "bot/base/version.h"

namespace triage {

int ExitStatusFor(const Error& e) {
  if (e.kind == ErrorKind::kAuth) return kExitAuth;
  return e.kind == ErrorKind::kConfig || e.kind == ErrorKind::kUsage ? kExitUsage : kExitFailure;
}

Result<std::unique_ptr<GitHubClient>> ConnectGitHub(const GitHubAccess& g, const Config& config,
                                                    const std::string& command) {
  const std::string me = std::string(kProgramName) + " " + command;
  if (g.token.empty()) {
    return Error{ErrorKind::kAuth, me + ": no GitHub token: set GITHUB_TOKEN or GH_TOKEN" +
                                       (command == "run" ? ", or use --dry-run" : "")};
  }
  GitHubOptions options;
  options.api_url = g.api_url;
  options.token = g.token;
  options.repository = config.github.repository.empty() ? g.repository : config.github.repository;
  options.user_agent = std::string(kProgramName) + "/" + kVersion;
  options.max_writes = g.max_writes >= 0 ? g.max_writes : config.github.max_writes;
  if (options.repository.empty()) {
    return Error{ErrorKind::kConfig,
                 me + ": no repository: set github.repository in the config or GITHUB_REPOSITORY"};
  }
  if (g.transport == nullptr) return Error{ErrorKind::kUsage, me + ": no HTTP transport"};
  auto random = std::make_shared<std::mt19937_64>(static_cast<uint64_t>(g.clock()));
  return std::make_unique<GitHubClient>(
      *g.transport, options, g.sleep, g.clock,
      [random] { return std::uniform_real_distribution<double>(0, 1)(*random); });
}

Result<GitHubSession> OpenGitHub(const GitHubAccess& g, const Config& config) {
  Result<std::unique_ptr<GitHubClient>> client = ConnectGitHub(g, config, "run");
  if (!client) return client.error();
  GitHubSession s;
  s.client = std::move(client.value());
  s.sync.bot_label = config.github.bot_label;
  s.sync.labels = config.github.labels;
  s.sync.bot_login = config.github.bot_login;
  s.sync.run_id = g.run_id;
  const std::string me = std::string(kProgramName) + " run: ";
  Result<std::map<int, TrackedIssue>> tracker =
      LoadTracker(*s.client, s.sync.bot_label, &s.sync.bot_login, &s.dashboards);
  if (!tracker) {
    Error e = tracker.error();
    e.message = me + "reading the issues of " + s.client->repository() + ": " + e.message;
    return e;
  }
  s.tracker = std::move(tracker.value());
  Result<Ok> read = ReadComments(*s.client, s.sync.bot_login, &s.tracker);
  if (!read) {
    Error e = read.error();
    e.message = me + "reading the comments of adopted issues: " + e.message;
    return e;
  }
  return s;
}

}  // namespace triage
