#include "bot/app/cli_commands.h"

#include "bot/app/cli_common.h"
#include "bot/app/command_main.h"
#include "bot/app/exit_status.h"
#include "bot/base/version.h"

namespace triage {

CLI::App* AddCommandCommand(CLI::App& app, CommandCliArgs* a) {
  CLI::App* sub = app.add_subcommand(
      "command", "Answer a /gardener comment command on an issue (an issue_comment event)");
  AddVersionFlag(sub);
  sub->add_option("--event", a->event,
                      "The event payload (default $GITHUB_EVENT_PATH); its kind comes from "
                      "$GITHUB_EVENT_NAME, else from the payload");
  sub->add_flag("--authorize-only", a->authorize_only,
                    "Only check that the commenter has write access, and acknowledge; "
                    "writes allowed=true|false to $GITHUB_OUTPUT");
  sub->add_option("-c,--config", a->config,
                      std::string("The configuration (default ") + kDefaultConfigPath + ")");
  sub->add_option("-i,--input", a->input,
                      "retriage reads these log entries instead of Cloud Logging");
  sub->add_option("--format", a->format, "auto (default), gcp-json, ndjson or lines");
  sub->add_option("--access-token-file", a->access_token_file,
                      "A file holding a Google access token (else Application Default Credentials)");
  sub->add_option("--now", a->now, "The clock, RFC 3339 (for replays and tests)");
  return sub;
}

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
  Result<InputFormat> format = ReadFormat(a.format);
  if (!format) return Usage(err, format.error().message);
  args.format = format.value();
  std::optional<int64_t> unused_since, unused_until;
  Result<Window> window = ReadWindow(a.now, "", "", now_us);
  if (!window) return Usage(err, window.error().message);
  now_us = window.value().now_us;
  unused_since = window.value().since_us;
  unused_until = window.value().until_us;
  args.now_us = now_us;
  args.github = ReadGitHubAccess(env, env.clock());
  args.cloud = ReadCloudAccess(env, a.access_token_file, false, commands);
  args.step_outputs_path = env.getenv("GITHUB_OUTPUT");
  return RunCommand(args, out, err);
}

}  // namespace triage
