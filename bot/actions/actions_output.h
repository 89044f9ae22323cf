// Talking to the GitHub Actions runner: workflow commands (annotations,
// masks; the CLI sends them to stderr, which the runner reads too) and the $GITHUB_OUTPUT file. Log text the bot
// prints is untrusted, so while the bot runs, workflow commands are
// stopped (::stop-commands::TOKEN) with a token nobody can guess, and only
// the bot's own, escaped, commands are sent while they are resumed.
#ifndef TRIAGE_BOT_ACTIONS_ACTIONS_OUTPUT_H_
#define TRIAGE_BOT_ACTIONS_ACTIONS_OUTPUT_H_

#include <map>
#include <ostream>
#include <string>
#include <string_view>

#include "bot/base/result.h"

namespace triage {

// Workflow command escaping (as the runner's toolkit does): data escapes
// %, CR and LF; a property value also ':' and ','.
std::string EscapeCommandData(std::string_view text);
std::string EscapeCommandProperty(std::string_view text);

// 32 hex digits from the system's random source.
std::string RandomToken();

// Disabled (outside Actions) it writes nothing. Enabled, the constructor
// stops workflow commands and the destructor resumes them.
class WorkflowCommands {
 public:
  WorkflowCommands(std::ostream& out, bool enabled, std::string token = RandomToken());
  ~WorkflowCommands();
  WorkflowCommands(const WorkflowCommands&) = delete;
  WorkflowCommands& operator=(const WorkflowCommands&) = delete;

  // Asks the runner to mask `secret` in the log from now on.
  void Mask(const std::string& secret);
  // An annotation: level is "notice", "warning" or "error".
  void Annotate(const std::string& level, const std::string& title, const std::string& message);
  bool enabled() const { return enabled_; }

 private:
  void Resume();
  void Stop();
  std::ostream& out_;
  bool enabled_;
  std::string token_;
};

// Appends name=value lines to the $GITHUB_OUTPUT file at `path`; a value
// with a line break is written as name<<DELIMITER with a random delimiter.
Result<Ok> WriteStepOutputs(const std::string& path, const std::map<std::string, std::string>& outputs);

}  // namespace triage

#endif  // TRIAGE_BOT_ACTIONS_ACTIONS_OUTPUT_H_
