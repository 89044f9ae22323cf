// `/gardener` comment commands: the grammar, read from the first line of a
// comment. Pure: what to do is decided here, done in verbs.cc.
#ifndef TRIAGE_BOT_COMMANDS_COMMAND_H_
#define TRIAGE_BOT_COMMANDS_COMMAND_H_

#include <cstdint>
#include <optional>
#include <string>

namespace triage {

enum class Verb { kRetriage, kPriority, kMute, kUnmute, kHelp };

struct Command {
  Verb verb = Verb::kHelp;
  std::optional<int64_t> window_us;  // retriage: how far back to read
  int priority = -1;                 // priority: 0..6
};

// What a comment says to the bot.
struct ParsedComment {
  bool addressed = false;            // the first line starts with /gardener
  std::optional<Command> command;    // set when the command is well-formed
  std::string problem;               // else why not, for the reply
};

// Longest retriage window accepted: Cloud Logging keeps 30 days by default.
constexpr int64_t kMaxRetriageWindowUs = 30 * 24 * 3600 * int64_t{1000000};

// Reads the first line of `body`: "/gardener" then a verb and its
// arguments, separated by blanks. The verb is case-insensitive; anything
// after the first line is free text and ignored.
ParsedComment ParseComment(const std::string& body);

// The commands and what they do, as Markdown for a reply.
std::string CommandHelp();

const char* VerbName(Verb verb);

}  // namespace triage

#endif  // TRIAGE_BOT_COMMANDS_COMMAND_H_
