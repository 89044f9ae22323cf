// The one reply a `/gardener` comment gets: what was done, a link to the
// run and a reply marker, posted so that a lost answer is read back rather
// than posted twice, with a 😕 on the comment when the command failed.
// Also the CommandSession every step of a command (authorize.h, verbs.h)
// works in.
#ifndef TRIAGE_BOT_COMMANDS_REPLY_H_
#define TRIAGE_BOT_COMMANDS_REPLY_H_

#include <ostream>
#include <string>

#include "bot/actions/event.h"
#include "bot/base/result.h"
#include "bot/base/types.h"
#include "bot/commands/command.h"
#include "bot/github/evidence.h"
#include "bot/github/label_maker.h"
#include "bot/github/marker.h"
#include "bot/github/sync_options.h"
#include "bot/github/tracker.h"
#include "clients/github_client.h"
#include "templates/render.h"

namespace triage {

// One comment being answered: the client, the event, how the bot signs,
// and the sync's writer, through which the command posts and re-marks.
// `client`, `templates`, `event` and `err` must outlive it. Not copyable:
// the writer points into it.
struct CommandSession {
  CommandSession(GitHubClient& github, const TemplateSet& texts, const GitHubEvent& comment,
                 const SyncOptions& signing, std::string link, std::ostream& log);
  CommandSession(const CommandSession&) = delete;
  CommandSession& operator=(const CommandSession&) = delete;

  GitHubClient& client;
  const TemplateSet& templates;
  const GitHubEvent& event;
  const SyncOptions sync;        // the bot's login and label, the run's id
  const std::string run_url;     // the Actions run, linked from replies; "" = none
  std::ostream& err;             // what goes wrong besides the reply
  LabelMaker labels;
  RunReport report;              // no run's: what the command writes renders its own
  EvidenceWriter writer;
};

// What a command did, for its reply.
struct Outcome {
  std::string text;
  bool failed = false;  // refused or failed: the comment gets a 😕
  bool error = false;   // GitHub or Google failed, not the command's words: exit 1
  Marker marker;        // the reply's (kReply), with the state it records
};

// The marker of a reply about issue `t`: keyed by its first fingerprint
// ("reply" when it holds none, as for an issue the bot does not manage),
// signed with `run_id`.
Marker ReplyMarker(const TrackedIssue& t, const std::string& run_id);

// `text`, then a link to the run when `run_url` is set, then the marker.
std::string ReplyBody(const std::string& text, const std::string& run_url, const Marker& marker);

// The result line for the step outputs: "<verb> done", "<verb> refused:
// <first line of the reply>", or, for an outcome that is an error, an
// Error (kHttp) "<verb> failed: <first line>". An unparsed command's verb
// is "unknown".
Result<std::string> ResultLine(const ParsedComment& parsed, const Outcome& outcome);

// Posts `text` with `marker` (and the run's link) on the event's issue.
// After a failure that may have stored it, the issue's comments are read
// back for this run's reply instead of posting it twice.
Result<GitHubComment> PostReply(CommandSession& s, const std::string& text, const Marker& marker);

// Replies with `outcome`, adds 😕 when it failed (a reaction that fails is
// only reported on `s.err`), and returns ResultLine's answer. Errors: the
// reply could not be posted.
Result<std::string> Answer(CommandSession& s, const ParsedComment& parsed, const Outcome& outcome);

}  // namespace triage

#endif  // TRIAGE_BOT_COMMANDS_REPLY_H_
