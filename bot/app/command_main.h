// `gcp-log-gardener command --event FILE`: answers a `/gardener` comment on
// an issue the bot manages. Reads the event and the config, connects, then
// takes the steps of bot/commands: checks that the commenter has write
// access and acknowledges (authorize.h), does the command (verbs.h), and
// replies once with what it did or what went wrong (reply.h).
#ifndef TRIAGE_BOT_APP_COMMAND_MAIN_H_
#define TRIAGE_BOT_APP_COMMAND_MAIN_H_

#include <cstdint>
#include <ostream>
#include <string>

#include "bot/app/github_session.h"
#include "bot/app/setup.h"
#include "bot/ingest/cloud_source.h"
#include "bot/ingest/entry_reader.h"

namespace triage {

struct CommandArgs {
  std::string event_path;        // $GITHUB_EVENT_PATH
  std::string event_name;        // $GITHUB_EVENT_NAME; "" = told from the payload
  // Only check the commenter's permission and acknowledge: a workflow runs
  // this before any step that holds Google credentials.
  bool authorize_only = false;
  std::string config_path = kDefaultConfigPath;
  bool config_explicit = false;
  std::string input;             // retriage from this file instead of Cloud Logging
  InputFormat format = InputFormat::kAuto;
  int64_t now_us = 0;
  GitHubAccess github;
  CloudAccess cloud;
  std::string step_outputs_path; // $GITHUB_OUTPUT: allowed=true|false, result
};

// 0 when the comment was answered or rightly ignored (not a command, on a
// pull request, by a bot); 1 when the command failed (the reply says so);
// 2 for a bad event file or config; 4 without a GitHub token.
int RunCommand(const CommandArgs& args, std::ostream& out, std::ostream& err);

}  // namespace triage

#endif  // TRIAGE_BOT_APP_COMMAND_MAIN_H_
