// The subcommands of the command line, each as its flags (Add...Command
// declares them on the app) and its run (Run...: exit status per
// exit_status.h, data to `out`, messages to `err`).
#ifndef TRIAGE_BOT_APP_CLI_COMMANDS_H_
#define TRIAGE_BOT_APP_CLI_COMMANDS_H_

#include <CLI/CLI.hpp>

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "bot/actions/actions_output.h"
#include "bot/app/cli.h"

namespace triage {

// `cluster`: the problems of a file of entries, with fingerprints.
struct ClusterArgs {
  std::string input;
  std::string format = "auto";
  std::string min_severity;
  std::string since, until, now;
  std::vector<std::string> services;
  bool json = false;
  std::string assignments;
  std::string output;
};

CLI::App* AddClusterCommand(CLI::App& app, ClusterArgs* a);
int RunCluster(const ClusterArgs& args, std::ostream& out, std::ostream& err, int64_t now_us);

// `run`: the whole job (bot/app/run.h).
struct JobArgs {
  std::string input;
  std::string format = "auto";
  std::string config;
  std::string issues;
  std::string report;
  std::string assignments;
  std::string min_severity;
  std::string since, until, now;
  std::vector<std::string> services;
  bool json = false;
  bool dry_run = false;
  int max_writes = -1;
  std::string access_token_file;
  bool quiet = false;
  std::string event;
};

CLI::App* AddRunCommand(CLI::App& app, JobArgs* a);
int RunRun(JobArgs a, std::ostream& out, std::ostream& err, int64_t now_us, const Environment& env,
           WorkflowCommands* commands);

// `command`: a /gardener comment (bot/app/command_main.h).
struct CommandCliArgs {
  std::string event;
  bool authorize_only = false;
  std::string config;
  std::string input;
  std::string format = "auto";
  std::string now;
  std::string access_token_file;
};

CLI::App* AddCommandCommand(CLI::App& app, CommandCliArgs* a);
int RunCommandCli(const CommandCliArgs& a, std::ostream& out, std::ostream& err, int64_t now_us,
                  const Environment& env, WorkflowCommands* commands);

// `query`: the Log Analytics statement `run` would send.
struct QueryArgs {
  std::string config;
  std::string since, until, now;
  bool json = false;
};

CLI::App* AddQueryCommand(CLI::App& app, QueryArgs* a);
int RunQuery(const QueryArgs& a, std::ostream& out, std::ostream& err, int64_t now_us);

}  // namespace triage

#endif  // TRIAGE_BOT_APP_CLI_COMMANDS_H_
