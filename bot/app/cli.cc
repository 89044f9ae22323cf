#include "bot/app/cli.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "bot/app/cluster_output.h"
#include "bot/ingest/collect.h"
#include "bot/app/command_run.h"
#include "bot/actions/event.h"
#include "bot/app/exit_status.h"
#include "bot/app/run.h"
#include "bot/base/severity.h"
#include "bot/base/time_util.h"
#include "bot/base/version.h"

namespace triage {
namespace {

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

// A usage error: one line that says what and where, exit 2.
int Usage(std::ostream& err, const std::string& what) {
  err << kProgramName << ": " << what << "\n";
  return kExitUsage;
}

// --now, --since and --until, read as `cluster` and `run` both take them.
int ReadWindow(const std::string& now, const std::string& since, const std::string& until,
               std::ostream& err, int64_t* now_us, std::optional<int64_t>* since_us,
               std::optional<int64_t>* until_us) {
  if (!now.empty()) {
    auto t = ParseRfc3339(now);
    if (!t) return Usage(err, "--now: expected an RFC 3339 time, got '" + now + "'");
    *now_us = *t;
  }
  for (auto [text, slot, name] : {std::tuple{&since, since_us, "--since"},
                                  std::tuple{&until, until_us, "--until"}}) {
    if (text->empty()) continue;
    auto t = ParseTimeOrAgo(*text, *now_us);
    if (!t) {
      return Usage(err, std::string(name) + ": expected an RFC 3339 time or a duration like 24h, got '" +
                            *text + "'");
    }
    *slot = *t;
  }
  return kExitOk;
}

// --format, checked.
std::optional<InputFormat> ReadFormat(const std::string& text, std::ostream& err) {
  auto format = ParseInputFormat(text);
  if (!format) Usage(err, "--format: expected auto, gcp-json, ndjson or lines, got '" + text + "'");
  return format;
}

int RunCluster(const ClusterArgs& args, std::ostream& out, std::ostream& err, int64_t now_us) {
  CollectOptions options;
  options.input = args.input;
  auto format = ReadFormat(args.format, err);
  if (!format) return kExitUsage;
  options.format = *format;
  if (!args.min_severity.empty()) {
    auto sev = ParseSeverity(args.min_severity);
    if (!sev) return Usage(err, "--min-severity: unknown severity '" + args.min_severity + "'");
    options.filter.min_severity = *sev;
    options.filter.severity_explicit = true;
  }
  int code = ReadWindow(args.now, args.since, args.until, err, &now_us, &options.filter.since_us,
                        &options.filter.until_us);
  if (code != kExitOk) return code;
  options.filter.services = args.services;
  options.assignments_path = args.assignments;

  Result<CollectResult> result = CollectAndCluster(options);
  if (!result) return Usage(err, result.error().message);
  const CollectResult& r = result.value();
  if (r.read.malformed > 0) {
    err << kProgramName << ": " << (args.input == "-" ? "stdin" : args.input) << ": skipped "
        << r.read.malformed << " malformed entr" << (r.read.malformed == 1 ? "y" : "ies")
        << " (first at byte " << r.read.first_malformed_offset << ": "
        << r.read.first_malformed_reason << ")\n";
  }
  std::string text = args.json ? RenderClustersJson(r) : RenderClustersTable(r);
  if (args.output.empty() || args.output == "-") {
    out << text;
  } else {
    std::ofstream file(args.output, std::ios::binary);
    file << text;
    if (!file.flush()) return Usage(err, args.output + ": cannot write");
  }
  return kExitOk;
}

// Where GitHub is, from the variables GitHub Actions sets.
GitHubAccess ReadGitHubAccess(const Environment& env, int64_t now_us) {
  GitHubAccess g;
  std::string api = env.getenv("GITHUB_API_URL");
  while (!api.empty() && api.back() == '/') api.pop_back();
  if (!api.empty()) g.api_url = api;
  // GH_TOKEN first, as gh reads them.
  g.token = env.getenv("GH_TOKEN");
  if (g.token.empty()) g.token = env.getenv("GITHUB_TOKEN");
  g.repository = env.getenv("GITHUB_REPOSITORY");
  std::string run = env.getenv("GITHUB_RUN_ID");
  std::string attempt = env.getenv("GITHUB_RUN_ATTEMPT");
  g.run_id = run.empty() ? "local-" + std::to_string(now_us) : run + "-" + (attempt.empty() ? "1" : attempt);
  g.sleep = env.sleep;
  g.clock = env.clock;
  std::string server = env.getenv("GITHUB_SERVER_URL");
  if (!server.empty() && !run.empty() && !g.repository.empty()) {
    g.run_url = server + "/" + g.repository + "/actions/runs/" + run;
  }
  return g;
}

CloudAccess ReadCloudAccess(const Environment& env, const std::string& token_file, bool quiet,
                            WorkflowCommands* commands) {
  CloudAccess cloud;
  cloud.getenv = env.getenv;
  cloud.sleep = env.sleep;
  cloud.clock = env.clock;
  cloud.access_token_file = token_file;
  cloud.quiet = quiet;
  if (commands != nullptr) cloud.mask = [commands](const std::string& t) { commands->Mask(t); };
  return cloud;
}

struct CommandCliArgs {
  std::string event;
  bool authorize_only = false;
  std::string config;
  std::string input;
  std::string format = "auto";
  std::string now;
  std::string access_token_file;
};

int RunCommandCli(const CommandCliArgs& a, std::ostream& out, std::ostream& err, int64_t now_us,
                  const Environment& env, WorkflowCommands* commands) {
  CommandArgs args;
  args.event_path = a.event.empty() ? env.getenv("GITHUB_EVENT_PATH") : a.event;
  if (args.event_path.empty()) return Usage(err, "command: give --event FILE (or set GITHUB_EVENT_PATH)");
  args.event_name = env.getenv("GITHUB_EVENT_NAME");
  args.authorize_only = a.authorize_only;
  if (!a.config.empty()) {
    args.config_path = a.config;
    args.config_explicit = true;
  }
  args.input = a.input;
  auto format = ReadFormat(a.format, err);
  if (!format) return kExitUsage;
  args.format = *format;
  std::optional<int64_t> unused_since, unused_until;
  int code = ReadWindow(a.now, "", "", err, &now_us, &unused_since, &unused_until);
  if (code != kExitOk) return code;
  args.now_us = now_us;
  args.github = ReadGitHubAccess(env, env.clock());
  args.cloud = ReadCloudAccess(env, a.access_token_file, false, commands);
  args.step_outputs_path = env.getenv("GITHUB_OUTPUT");
  return RunCommand(args, out, err);
}

// A manual dispatch's inputs (window, min_severity, service, dry_run) fill
// the flags not given on the command line, so that a workflow passes no
// input through its script. Other events add nothing; a comment is refused.
int ApplyEvent(const std::string& path, const Environment& env, JobArgs* a, std::ostream& err) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Usage(err, "--event: " + path + ": cannot open");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Result<GitHubEvent> event = ParseEvent(text, env.getenv("GITHUB_EVENT_NAME"), path);
  if (!event) return Usage(err, "--event: " + event.error().message);
  if (event.value().kind == EventKind::kIssueComment) {
    return Usage(err, "--event: a comment event is for `command`, not `run`");
  }
  if (event.value().kind != EventKind::kDispatch) return kExitOk;
  const auto& inputs = event.value().inputs;
  auto input = [&](const char* name) {
    auto it = inputs.find(name);
    return it == inputs.end() ? std::string() : it->second;
  };
  if (a->since.empty()) a->since = input("window");
  if (a->min_severity.empty()) a->min_severity = input("min_severity");
  if (a->services.empty()) {
    std::string list = input("service");
    for (size_t start = 0; start < list.size();) {
      size_t comma = list.find(',', start);
      std::string one = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      one.erase(0, one.find_first_not_of(' '));
      one.erase(one.find_last_not_of(' ') + 1);
      if (!one.empty()) a->services.push_back(one);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  std::string dry = input("dry_run");
  if (dry == "true") a->dry_run = true;
  else if (!dry.empty() && dry != "false") return Usage(err, "--event: input dry_run: expected true or false, got '" + dry + "'");
  return kExitOk;
}

int RunRun(JobArgs a, std::ostream& out, std::ostream& err, int64_t now_us,
           const Environment& env, WorkflowCommands* commands) {
  if (!a.event.empty()) {
    int code = ApplyEvent(a.event, env, &a, err);
    if (code != kExitOk) return code;
  }
  RunArgs args;
  args.input = a.input;
  auto format = ReadFormat(a.format, err);
  if (!format) return kExitUsage;
  args.format = *format;
  if (!a.config.empty()) {
    args.config_path = a.config;
    args.config_explicit = true;
  }
  if (!a.min_severity.empty()) {
    args.min_severity = ParseSeverity(a.min_severity);
    if (!args.min_severity) return Usage(err, "--min-severity: unknown severity '" + a.min_severity + "'");
  }
  int code = ReadWindow(a.now, a.since, a.until, err, &now_us, &args.since_us, &args.until_us);
  if (code != kExitOk) return code;
  args.now_us = now_us;
  args.issues_path = a.issues;
  args.report_path = a.report;
  args.assignments_path = a.assignments;
  args.services = a.services;
  args.json = a.json;
  args.dry_run = a.dry_run;
  args.step_summary_path = env.getenv("GITHUB_STEP_SUMMARY");
  args.step_outputs_path = env.getenv("GITHUB_OUTPUT");
  args.github = ReadGitHubAccess(env, env.clock());
  args.github.max_writes = a.max_writes;
  args.cloud = ReadCloudAccess(env, a.access_token_file, a.quiet, commands);
  args.commands = commands;
  return RunJob(args, out, err);
}

void AddVersionFlag(CLI::App* app) {
  app->add_flag_callback("--version", [] { throw CLI::CallForVersion(); },
                         "Print the version and exit");
}

}  // namespace

Environment RealEnvironment() {
  Environment env;
  env.getenv = [](const std::string& name) {
    const char* v = std::getenv(name.c_str());
    return std::string(v == nullptr ? "" : v);
  };
  env.sleep = [](int64_t micros) {
    if (micros > 0) std::this_thread::sleep_for(std::chrono::microseconds(micros));
  };
  env.clock = [] {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  return env;
}

int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
           int64_t now_us) {
  return RunCli(argc, argv, out, err, now_us, RealEnvironment());
}

int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
           int64_t now_us, const Environment& env) {
  CLI::App app{"Clusters Cloud Logging entries into problems and keeps one GitHub issue per "
               "problem.",
               kProgramName};
  app.require_subcommand(1);
  AddVersionFlag(&app);

  ClusterArgs cargs;
  CLI::App* cluster = app.add_subcommand(
      "cluster", "Read log entries and print the problems they hold, with fingerprints");
  AddVersionFlag(cluster);
  cluster->add_option("-i,--input", cargs.input,
                      "Log entries: a JSON array or NDJSON of LogEntry objects "
                      "(gcloud logging read --format=json), or text lines; - for stdin")
      ->required();
  cluster->add_option("--format", cargs.format, "auto (default), gcp-json, ndjson or lines");
  cluster->add_option("--min-severity", cargs.min_severity,
                      "Drop entries below this severity (default WARNING; text lines, which "
                      "have none, pass unless it is given)");
  cluster->add_option("--since", cargs.since, "Start of the window: RFC 3339 or a duration ago (24h)");
  cluster->add_option("--until", cargs.until, "End of the window: RFC 3339 or a duration ago");
  cluster->add_option("--service", cargs.services, "Keep only this Cloud Run service (repeatable)");
  cluster->add_option("--now", cargs.now, "The clock for durations, RFC 3339 (for replays and tests)");
  cluster->add_flag("--json", cargs.json, "Print JSON instead of a table");
  cluster->add_option("--assignments", cargs.assignments,
                      "Write a CSV id,key with the cluster of every clustered entry");
  cluster->add_option("-o,--output", cargs.output, "Write the output here instead of stdout");

  JobArgs rargs;
  CLI::App* run = app.add_subcommand(
      "run", "The whole job: read entries, cluster, triage with the rules, plan the GitHub "
             "actions and write the worklog");
  AddVersionFlag(run);
  run->add_option("-i,--input", rargs.input,
                  "Log entries (as for cluster): a file of LogEntry objects, or - for stdin; "
                  "without it the entries are read from Cloud Logging");
  run->add_option("--access-token-file", rargs.access_token_file,
                  "A file holding a Google access token (else Application Default Credentials)");
  run->add_flag("-q,--quiet", rargs.quiet, "No progress lines while reading Cloud Logging");
  run->add_flag("--dry-run", rargs.dry_run, "Plan and report, but write nothing to GitHub");
  run->add_option("--max-writes", rargs.max_writes,
                  "Stop writing to GitHub after this many writes (default: the config's max_writes)")
      ->check(CLI::Range(0, 100000));
  run->add_option("-c,--config", rargs.config,
                  std::string("The configuration (default ") + kDefaultConfigPath +
                      " when it exists, else the built-in defaults)");
  run->add_option("--issues", rargs.issues,
                  "A JSON snapshot of the issues already on the tracker, to plan against");
  run->add_option("--report", rargs.report, "Write the worklog (Markdown) here; - for stdout");
  run->add_flag("--json", rargs.json, "Print the plan as JSON instead of text");
  run->add_option("--assignments", rargs.assignments,
                  "Write a CSV id,key with the problem of every clustered entry");
  run->add_option("--format", rargs.format, "auto (default), gcp-json, ndjson or lines");
  run->add_option("--min-severity", rargs.min_severity, "Override the config's severity floor");
  run->add_option("--since", rargs.since, "Start of the window: RFC 3339 or a duration ago (24h)");
  run->add_option("--until", rargs.until, "End of the window: RFC 3339 or a duration ago");
  run->add_option("--service", rargs.services, "Override the config's services (repeatable)");
  run->add_option("--now", rargs.now, "The clock, RFC 3339 (for replays and tests)");
  run->add_option("--event", rargs.event,
                  "A GitHub Actions event payload ($GITHUB_EVENT_PATH): a manual dispatch's inputs "
                  "window, min_severity, service and dry_run fill the options not given");

  CommandCliArgs kargs;
  CLI::App* command = app.add_subcommand(
      "command", "Answer a /gardener comment command on an issue (an issue_comment event)");
  AddVersionFlag(command);
  command->add_option("--event", kargs.event,
                      "The event payload (default $GITHUB_EVENT_PATH); its kind comes from "
                      "$GITHUB_EVENT_NAME, else from the payload");
  command->add_flag("--authorize-only", kargs.authorize_only,
                    "Only check that the commenter has write access, and acknowledge; "
                    "writes allowed=true|false to $GITHUB_OUTPUT");
  command->add_option("-c,--config", kargs.config,
                      std::string("The configuration (default ") + kDefaultConfigPath + ")");
  command->add_option("-i,--input", kargs.input,
                      "retriage reads these log entries instead of Cloud Logging");
  command->add_option("--format", kargs.format, "auto (default), gcp-json, ndjson or lines");
  command->add_option("--access-token-file", kargs.access_token_file,
                      "A file holding a Google access token (else Application Default Credentials)");
  command->add_option("--now", kargs.now, "The clock, RFC 3339 (for replays and tests)");

  std::string validate_config;
  CLI::App* validate = app.add_subcommand(
      "validate", "Check a configuration and its templates; exit 0 when valid, 2 when not");
  AddVersionFlag(validate);
  validate->add_option("-c,--config", validate_config,
                       std::string("The configuration (default ") + kDefaultConfigPath + ")");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::vector<CLI::App*> subs = app.get_subcommands();
    out << (subs.empty() ? app.help() : subs.back()->help(kProgramName));
    return kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    out << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::CallForVersion&) {
    out << kProgramName << " " << kVersion << " (commit " << kCommit << ")\n";
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    std::string sub;
    for (CLI::App* s : app.get_subcommands()) sub = " " + s->get_name();
    err << kProgramName << sub << ": " << e.what() << " (see " << kProgramName << sub
        << " --help)\n";
    return kExitUsage;
  }
  if (cluster->parsed()) return RunCluster(cargs, out, err, now_us);
  // In Actions, log text the bot prints must not act as workflow commands.
  // The runner reads commands from both streams; they go to `err` so that
  // stdout stays data (`run --json > report.json`).
  WorkflowCommands commands(err, env.getenv("GITHUB_ACTIONS") == "true");
  for (const char* name : {"GITHUB_TOKEN", "GH_TOKEN"}) commands.Mask(env.getenv(name));
  if (run->parsed()) return RunRun(rargs, out, err, now_us, env, &commands);
  if (command->parsed()) return RunCommandCli(kargs, out, err, now_us, env, &commands);
  if (validate->parsed()) {
    bool explicit_path = !validate_config.empty();
    return RunValidate(explicit_path ? validate_config : kDefaultConfigPath, explicit_path, out, err);
  }
  return Usage(err, "no command given (see --help)");
}

}  // namespace triage
