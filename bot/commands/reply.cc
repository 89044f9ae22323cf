#include "bot/commands/reply.h"

#include <utility>

#include "bot/base/version.h"

namespace triage {
namespace {

std::string FirstLineOf(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

CommandSession::CommandSession(GitHubClient& github, const TemplateSet& texts,
                               const GitHubEvent& comment, const SyncOptions& signing,
                               std::string link, std::ostream& log)
    : client(github), templates(texts), event(comment), sync(signing), run_url(std::move(link)),
      err(log), labels(github, signing.bot_label), writer(github, texts, sync, labels, report) {}

Marker ReplyMarker(const TrackedIssue& t, const std::string& run_id) {
  Marker m;
  m.kind = MarkerKind::kReply;
  m.key = t.known.fingerprints.empty() ? "reply" : t.known.fingerprints.front();
  m.run_id = run_id;
  return m;
}

std::string ReplyBody(const std::string& text, const std::string& run_url, const Marker& marker) {
  const std::string link = run_url.empty() ? "" : "\n\n[The run](" + run_url + ")";
  return text + link + "\n\n" + FormatMarker(marker) + "\n";
}

Result<std::string> ResultLine(const ParsedComment& parsed, const Outcome& outcome) {
  const std::string verb = parsed.command ? VerbName(parsed.command->verb) : "unknown";
  if (outcome.error) return Error{ErrorKind::kHttp, verb + " failed: " + FirstLineOf(outcome.text)};
  return verb + (outcome.failed ? " refused: " + FirstLineOf(outcome.text) : " done");
}

Result<GitHubComment> PostReply(CommandSession& s, const std::string& text, const Marker& marker) {
  return s.writer.Post(s.event.issue_number, ReplyBody(text, s.run_url, marker), MarkerKind::kReply,
                       marker.key);
}

Result<std::string> Answer(CommandSession& s, const ParsedComment& parsed, const Outcome& outcome) {
  Result<GitHubComment> posted = PostReply(s, outcome.text, outcome.marker);
  if (outcome.failed) {
    Result<Ok> confused = s.client.AddReaction(s.event.comment_id, "confused");
    if (!confused) {
      s.err << kProgramName << " command: the reaction: " << confused.error().message << "\n";
    }
  }
  if (!posted) return posted.error();
  return ResultLine(parsed, outcome);
}

}  // namespace triage
