// The `run` and `validate` commands: the one place that reads the config,
// templates and inputs, calls the stages in order (collect, cluster,
// decide, plan) and writes the plan and the worklog.
#ifndef TRIAGE_BOT_APP_RUN_H_
#define TRIAGE_BOT_APP_RUN_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "bot/ingest/cloud_source.h"
#include "bot/actions/actions_output.h"
#include "bot/ingest/entry_reader.h"
#include "bot/base/result.h"
#include "clients/github_client.h"
#include "clients/http.h"
#include "rules/config.h"
#include "templates/render.h"

namespace triage {

// Where the config is looked for when --config is not given.
constexpr const char* kDefaultConfigPath = ".github/gcp-log-gardener.yml";

struct Setup {
  Config config;
  TemplateSet templates;
  std::string config_source;     // the user's file, or "" for defaults only
};

// Reads rules/default.yml (compiled in), then `config_path` over it, and
// compiles the templates. A missing file is an error only when `explicit_path`.
Result<Setup> LoadSetup(const std::string& config_path, bool explicit_path);

// Where GitHub is and how to wait, for a run that writes (not --dry-run).
// The CLI fills it from GITHUB_API_URL, GITHUB_TOKEN or GH_TOKEN,
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
};

struct RunArgs {
  std::string input;             // "" = read Cloud Logging (`cloud`)
  InputFormat format = InputFormat::kAuto;
  std::string config_path = kDefaultConfigPath;
  bool config_explicit = false;
  std::string issues_path;       // a snapshot of the tracker (known_issues.h)
  std::string report_path;       // the worklog; "-" = stdout
  std::string assignments_path;  // CSV id,key with the problem's key
  std::string step_summary_path; // $GITHUB_STEP_SUMMARY, appended to
  std::string step_outputs_path; // $GITHUB_OUTPUT, appended to
  bool json = false;
  bool dry_run = false;
  std::optional<Severity> min_severity;        // overrides the config
  std::optional<int64_t> since_us, until_us;
  std::vector<std::string> services;           // override the config
  int64_t now_us = 0;
  GitHubAccess github;
  CloudAccess cloud;
  WorkflowCommands* commands = nullptr;        // annotations, in Actions
};

// A GitHub client for the repository the config or GITHUB_REPOSITORY
// names, paced per the config. Without a token or a repository it says so
// on `err` (as `command`) and sets `code`.
struct GitHubConnection {
  std::unique_ptr<HttpTransport> transport;
  std::unique_ptr<GitHubClient> client;
};
std::optional<GitHubConnection> ConnectGitHub(const GitHubAccess& access, const Config& config,
                                              const std::string& command, std::ostream& err, int* code);

// The exit status for an error: usage, auth or failure (exit_status.h).
int ExitStatusFor(const Error& e);

// Exit status per exit_status.h; data to `out`, messages to `err`.
int RunJob(const RunArgs& args, std::ostream& out, std::ostream& err);

// Checks the config and its templates: "<file>: OK ..." and 0, or every
// error and 2.
int RunValidate(const std::string& config_path, bool explicit_path, std::ostream& out,
                std::ostream& err);

// `text` cut so that `already` bytes plus it stay within GitHub's step
// summary limit (1 MiB), at a line end, with a note when cut.
std::string FitStepSummary(const std::string& text, uint64_t already);

}  // namespace triage

#endif  // TRIAGE_BOT_APP_RUN_H_
