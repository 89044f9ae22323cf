#include "bot/commands/authorize.h"

#include "bot/github/marker.h"

namespace triage {
namespace {

bool IsBot(const GitHubEvent& e, const std::string& bot_login) {
  const std::string& login = e.comment_login;
  return login == bot_login || e.comment_user_type == "Bot" ||
         (login.size() > 5 && login.rfind("[bot]") == login.size() - 5);
}

}  // namespace

std::string IgnoreReason(const GitHubEvent& e, const ParsedComment& parsed,
                         const std::string& bot_login) {
  if (e.kind != EventKind::kIssueComment) return "not a comment event (" + e.name + ")";
  if (e.action != "created") return "the comment was " + (e.action.empty() ? "changed" : e.action);
  if (e.on_pull_request) return "a comment on a pull request";
  if (IsBot(e, bot_login)) return "a comment by a bot";
  if (!parsed.addressed) return "not a /gardener command";
  return "";
}

Result<bool> MayCommand(GitHubClient& client, const std::string& login) {
  Result<GitHubPermission> p = client.GetPermission(login);
  if (!p) return p.error();
  return p.value().push;
}

bool RefusedBefore(const std::vector<GitHubComment>& comments, const std::string& bot_login,
                   const std::string& login) {
  return FindBotItem(comments, bot_login, [&](const Marker& m) {
           return m.kind == MarkerKind::kReply && m.refused == login;
         }) != nullptr;
}

Result<std::string> Refuse(CommandSession& s) {
  const std::string& login = s.event.comment_login;
  Result<std::vector<GitHubComment>> comments = s.client.ListComments(s.event.issue_number);
  if (!comments) return comments.error();
  if (RefusedBefore(comments.value(), s.sync.bot_login, login)) {
    return std::string("refused again, without a reply");
  }
  Marker m = ReplyMarker(TrackedIssue{}, s.sync.run_id);
  m.refused = login;
  // The refusal carries no link to the run: there is nothing to see there.
  const std::string text = "Sorry @" + login +
                           ", only people with write access to this repository can command the "
                           "gardener. A maintainer can run the command for you.";
  Result<GitHubComment> posted = s.writer.Post(s.event.issue_number, ReplyBody(text, "", m),
                                               MarkerKind::kReply, m.key);
  if (!posted) return posted.error();
  return std::string("refused");
}

Result<Ok> Acknowledge(CommandSession& s) { return s.client.AddReaction(s.event.comment_id, "eyes"); }

}  // namespace triage
