#include "bot/commands/command.h"

#include <cctype>
#include <sstream>
#include <vector>

#include "bot/base/text.h"
#include "bot/base/time_util.h"
#include "rules/config.h"

namespace triage {
namespace {

constexpr const char* kPrefix = "/gardener";

std::vector<std::string> Words(const std::string& line) {
  std::vector<std::string> words;
  std::istringstream in(line);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// A word quoted back in a reply: short, and only printable ASCII.
std::string Quoted(const std::string& word) {
  std::string out;
  for (char c : word.substr(0, 40)) out += std::isprint(static_cast<unsigned char>(c)) && c != '`' ? c : '?';
  return "`" + out + (word.size() > 40 ? "..." : "") + "`";
}

ParsedComment Bad(std::string problem) {
  ParsedComment p;
  p.addressed = true;
  p.problem = std::move(problem);
  return p;
}

ParsedComment Good(Command c) {
  ParsedComment p;
  p.addressed = true;
  p.command = c;
  return p;
}

}  // namespace

const char* VerbName(Verb verb) {
  switch (verb) {
    case Verb::kRetriage: return "retriage";
    case Verb::kPriority: return "priority";
    case Verb::kMute: return "mute";
    case Verb::kUnmute: return "unmute";
    case Verb::kHelp: return "help";
  }
  return "help";
}

ParsedComment ParseComment(const std::string& body) {
  std::string line(FirstLine(body));
  // Blanks (and a byte-order mark some clients send) before the command.
  size_t start = line.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  while (start < line.size() && std::isspace(static_cast<unsigned char>(line[start]))) ++start;
  line = line.substr(start);
  const std::string prefix = kPrefix;
  if (line.compare(0, prefix.size(), prefix) != 0 ||
      (line.size() > prefix.size() && !std::isspace(static_cast<unsigned char>(line[prefix.size()])))) {
    return ParsedComment{};
  }
  std::vector<std::string> words = Words(line.substr(prefix.size()));
  if (words.empty()) return Bad("no command given");
  const std::string verb = Lower(words[0]);
  const size_t args = words.size() - 1;
  auto too_many = [&](size_t allowed) {
    return Bad("`" + verb + "` takes " + (allowed == 0 ? "no argument" : "one argument") + ", got " +
               std::to_string(args));
  };
  Command c;
  if (verb == "retriage") {
    c.verb = Verb::kRetriage;
    if (args > 1) return too_many(1);
    if (args == 1) {
      std::optional<int64_t> window = ParseDuration(words[1]);
      if (!window || *window <= 0 || *window > kMaxRetriageWindowUs) {
        return Bad("the window must be a duration such as 6h, 90m or 7d, at most 30d; got " +
                   Quoted(words[1]));
      }
      c.window_us = window;
    }
    return Good(c);
  }
  if (verb == "priority") {
    c.verb = Verb::kPriority;
    if (args != 1) return Bad("`priority` takes one argument, P0 to P6");
    std::optional<int> p = ParsePriority(words[1]);
    if (!p) return Bad("the priority must be P0 to P6; got " + Quoted(words[1]));
    c.priority = *p;
    return Good(c);
  }
  for (auto [name, v] : {std::pair{"mute", Verb::kMute}, std::pair{"unmute", Verb::kUnmute},
                         std::pair{"help", Verb::kHelp}}) {
    if (verb != name) continue;
    if (args > 0) return too_many(0);
    c.verb = v;
    return Good(c);
  }
  return Bad("unknown command " + Quoted(words[0]));
}

std::string CommandHelp() {
  return "Commands, on the first line of a comment on an issue the bot manages (write access "
         "needed):\n\n"
         "| Command | What it does |\n"
         "|---|---|\n"
         "| `/gardener retriage [window]` | Reads this issue's logs for the window (default: the "
         "configured one, e.g. `6h`, `7d`, at most `30d`), recomputes priority and category with "
         "the rules, updates labels and title, and adds an evidence comment. |\n"
         "| `/gardener priority P<n>` | Sets the priority (`P0` to `P6`) and pins it: the bot will "
         "not change it. `retriage` does not unpin it. |\n"
         "| `/gardener mute` | Stops evidence comments and reopening for this issue. |\n"
         "| `/gardener unmute` | Resumes them. |\n"
         "| `/gardener help` | Shows this. |\n";
}

}  // namespace triage
