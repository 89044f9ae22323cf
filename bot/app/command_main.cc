#include "bot/app/command_main.h"

#include <fstream>
#include <iterator>

#include "bot/actions/actions_output.h"
#include "bot/actions/event.h"
#include "bot/app/exit_status.h"
#include "bot/base/version.h"
#include "bot/commands/authorize.h"
#include "bot/commands/command.h"
#include "bot/commands/reply.h"
#include "bot/commands/verbs.h"
#include "bot/github/sync_options.h"

namespace triage {
namespace {

const std::string kMe = std::string(kProgramName) + " command";

void WriteOutputs(const CommandArgs& args, bool allowed, const std::string& result, std::ostream& err) {
  if (args.step_outputs_path.empty()) return;
  Result<Ok> w = WriteStepOutputs(args.step_outputs_path,
                                  {{"allowed", allowed ? "true" : "false"}, {"result", result}});
  if (!w) err << kProgramName << ": " << w.error().message << "\n";
}

Result<GitHubEvent> ReadEvent(const CommandArgs& args) {
  std::ifstream in(args.event_path, std::ios::binary);
  if (!in) return Error{ErrorKind::kInput, args.event_path + ": cannot open the event file"};
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return ParseEvent(text, args.event_name, args.event_path);
}

SyncOptions SigningOf(const CommandArgs& args, const Config& config) {
  SyncOptions sync;
  sync.bot_label = config.github.bot_label;
  sync.labels = config.github.labels;
  sync.bot_login = config.github.bot_login;
  sync.run_id = args.github.run_id;
  return sync;
}

WindowSource WindowOf(const CommandArgs& args) {
  WindowSource window;
  window.input = args.input;
  window.format = args.format;
  window.cloud = args.cloud;
  window.now_us = args.now_us;
  return window;
}

// The steps once connected: the commenter's permission (a refusal, once),
// the 👀, and unless only authorizing, the command and its reply.
int AnswerComment(const CommandArgs& args, const Setup& setup, GitHubClient& client,
             const GitHubEvent& event, const ParsedComment& parsed, std::ostream& out,
             std::ostream& err) {
  CommandSession s(client, setup.templates, event, SigningOf(args, setup.config),
                   args.github.run_url, err);
  auto fail = [&](const std::string& what, const Error& e) {
    err << kMe << ": " << what << ": " << e.message << "\n";
    WriteOutputs(args, false, what + " failed", err);
    return ExitStatusFor(e);
  };
  Result<bool> allowed = MayCommand(client, event.comment_login);
  if (!allowed) return fail("checking the permission of " + event.comment_login, allowed.error());
  if (!allowed.value()) {
    Result<std::string> refused = Refuse(s);
    if (!refused) return fail("replying", refused.error());
    out << event.comment_login << " has no write access: " << refused.value() << "\n";
    WriteOutputs(args, false, refused.value(), err);
    return kExitOk;
  }
  Result<Ok> eyes = Acknowledge(s);
  if (!eyes) return fail("acknowledging", eyes.error());
  if (args.authorize_only) {
    out << "allowed: " << event.comment_login << " may command the gardener\n";
    WriteOutputs(args, true, "allowed", err);
    return kExitOk;
  }
  Result<std::string> done = Answer(s, parsed, Perform(s, parsed, setup.config, WindowOf(args)));
  if (!done) {
    err << kMe << ": " << done.error().message << "\n";
    WriteOutputs(args, true, done.error().message, err);
    return kExitFailure;
  }
  out << done.value() << "\n";
  WriteOutputs(args, true, done.value(), err);
  return kExitOk;
}

}  // namespace

int RunCommand(const CommandArgs& args, std::ostream& out, std::ostream& err) {
  Result<GitHubEvent> event = ReadEvent(args);
  if (!event) {
    err << kMe << ": " << event.error().message << "\n";
    return kExitUsage;
  }
  Result<Setup> setup = LoadSetup(args.config_path, args.config_explicit);
  if (!setup) {
    err << setup.error().message << "\n";
    return kExitUsage;
  }
  const Config& config = setup.value().config;
  ParsedComment parsed = ParseComment(event.value().comment_body);
  std::string ignore = IgnoreReason(event.value(), parsed, config.github.bot_login);
  if (!ignore.empty()) {
    out << "ignored: " << ignore << "\n";
    WriteOutputs(args, false, "ignored: " + ignore, err);
    return kExitOk;
  }
  Result<std::unique_ptr<GitHubClient>> github = ConnectGitHub(args.github, config, "command");
  if (!github) {
    err << github.error().message << "\n";
    return ExitStatusFor(github.error());
  }
  return AnswerComment(args, setup.value(), *github.value(), event.value(), parsed, out, err);
}

}  // namespace triage
