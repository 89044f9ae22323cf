// The GitHub side of a command: where GitHub is and with what token (from
// the environment), the client, and for `run` the tracker as it stands.
#ifndef TRIAGE_BOT_APP_GITHUB_SESSION_H_
#define TRIAGE_BOT_APP_GITHUB_SESSION_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bot/base/result.h"
#include "bot/github/sync_options.h"
#include "bot/github/tracker.h"
#include "clients/github_client.h"
#include "clients/http.h"
#include "rules/config.h"

namespace triage {

// Where GitHub is and how to wait, for a command that reads or writes the
// tracker. The CLI fills it from GITHUB_API_URL, GITHUB_TOKEN or GH_TOKEN,
// GITHUB_REPOSITORY and GITHUB_RUN_ID; tests aim it at a fake.
struct GitHubAccess {
  std::string api_url = "https://api.github.com";
  std::string token;
  std::string repository;        // used when the config names none
  std::string run_id;            // unique per run: marks its writes
  std::function<void(int64_t micros)> sleep;
  std::function<int64_t()> clock;
  int max_writes = -1;           // --max-writes; -1 = the config's
  std::string run_url;           // the Actions run, linked from the dashboard
  HttpTransport* transport = nullptr;  // the program's one transport; not owned
};

// The exit status for an error: usage, auth or failure (exit_status.h).
int ExitStatusFor(const Error& e);

// A client for the repository the config or GITHUB_REPOSITORY names, paced
// per the config. Errors: no token (kAuth; `command` names the
// subcommand, and `run` suggests --dry-run), no repository (kConfig).
Result<std::unique_ptr<GitHubClient>> ConnectGitHub(const GitHubAccess& access, const Config& config,
                                                    const std::string& command);

// A run that writes: the client, the tracker as it is, and how to sign.
struct GitHubSession {
  std::unique_ptr<GitHubClient> client;
  std::map<int, TrackedIssue> tracker;
  std::vector<GitHubIssue> dashboards;   // the dashboard issue, oldest first
  SyncOptions sync;
};

// Connects and reads the bot's issues (and the comments of adopted ones).
// Errors say what was being read.
Result<GitHubSession> OpenGitHub(const GitHubAccess& access, const Config& config);

}  // namespace triage

#endif  // TRIAGE_BOT_APP_GITHUB_SESSION_H_
