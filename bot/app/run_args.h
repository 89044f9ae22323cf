// What `run` is asked to do: its flags, read by the CLI.
#ifndef TRIAGE_BOT_APP_RUN_ARGS_H_
#define TRIAGE_BOT_APP_RUN_ARGS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bot/actions/actions_output.h"
#include "bot/app/github_session.h"
#include "bot/app/setup.h"
#include "bot/base/types.h"
#include "bot/ingest/cloud_source.h"
#include "bot/ingest/entry_reader.h"

namespace triage {

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

}  // namespace triage

#endif  // TRIAGE_BOT_APP_RUN_ARGS_H_
