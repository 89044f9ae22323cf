#include "bot/app/cli_commands.h"

#include <fstream>
#include <iterator>

#include "bot/actions/event.h"
#include "bot/app/cli_common.h"
#include "bot/app/exit_status.h"
#include "bot/base/version.h"
#include "bot/app/run.h"
#include "bot/base/severity.h"

namespace triage {

CLI::App* AddRunCommand(CLI::App& app, JobArgs* a) {
  CLI::App* sub = app.add_subcommand(
      "run", "The whole job: read entries, cluster, triage with the rules, plan the GitHub "
             "actions and write the worklog");
  AddVersionFlag(sub);
  sub->add_option("-i,--input", a->input,
                  "Log entries (as for cluster): a file of LogEntry objects, or - for stdin; "
                  "without it the entries are read from Cloud Logging");
  sub->add_option("--access-token-file", a->access_token_file,
                  "A file holding a Google access token (else Application Default Credentials)");
  sub->add_flag("-q,--quiet", a->quiet, "No progress lines while reading Cloud Logging");
  sub->add_flag("--dry-run", a->dry_run, "Plan and report, but write nothing to GitHub");
  sub->add_option("--max-writes", a->max_writes,
                  "Stop writing to GitHub after this many writes (default: the config's max_writes)")
      ->check(CLI::Range(0, 100000));
  sub->add_option("-c,--config", a->config,
                  std::string("The configuration (default ") + kDefaultConfigPath +
                      " when it exists, else the built-in defaults)");
  sub->add_option("--issues", a->issues,
                  "A JSON snapshot of the issues already on the tracker, to plan against");
  sub->add_option("--report", a->report, "Write the worklog (Markdown) here; - for stdout");
  sub->add_flag("--json", a->json, "Print the plan as JSON instead of text");
  sub->add_option("--assignments", a->assignments,
                  "Write a CSV id,key with the problem of every clustered entry");
  sub->add_option("--format", a->format, "auto (default), gcp-json, ndjson or lines");
  sub->add_option("--min-severity", a->min_severity, "Override the config's severity floor");
  sub->add_option("--since", a->since, "Start of the window: RFC 3339 or a duration ago (24h)");
  sub->add_option("--until", a->until, "End of the window: RFC 3339 or a duration ago");
  sub->add_option("--service", a->services, "Override the config's services (repeatable)");
  sub->add_option("--now", a->now, "The clock, RFC 3339 (for replays and tests)");
  sub->add_option("--event", a->event,
                  "A GitHub Actions event payload ($GITHUB_EVENT_PATH): a manual dispatch's inputs "
                  "window, min_severity, service and dry_run fill the options not given");
  return sub;
}

namespace {

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

}  // namespace

int RunRun(JobArgs a, std::ostream& out, std::ostream& err, int64_t now_us,
           const Environment& env, WorkflowCommands* commands) {
  if (!a.event.empty()) {
    int code = ApplyEvent(a.event, env, &a, err);
    if (code != kExitOk) return code;
  }
  RunArgs args;
  args.input = a.input;
  Result<InputFormat> format = ReadFormat(a.format);
  if (!format) return Usage(err, format.error().message);
  args.format = format.value();
  if (!a.config.empty()) {
    args.config_path = a.config;
    args.config_explicit = true;
  }
  if (!a.min_severity.empty()) {
    args.min_severity = ParseSeverity(a.min_severity);
    if (!args.min_severity) return Usage(err, "--min-severity: unknown severity '" + a.min_severity + "'");
  }
  Result<Window> window = ReadWindow(a.now, a.since, a.until, now_us);
  if (!window) return Usage(err, window.error().message);
  now_us = window.value().now_us;
  args.since_us = window.value().since_us;
  args.until_us = window.value().until_us;
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

}  // namespace triage
