// Who may command the bot, and what a comment gets before its command is
// done: comments by bots, edits and pull requests are ignored; a person
// without write access (the collaborator permission API says, not
// author_association) is refused once per issue; anyone else gets a 👀.
#ifndef TRIAGE_BOT_COMMANDS_AUTHORIZE_H_
#define TRIAGE_BOT_COMMANDS_AUTHORIZE_H_

#include <string>
#include <vector>

#include "bot/actions/event.h"
#include "bot/base/result.h"
#include "bot/commands/command.h"
#include "bot/commands/reply.h"
#include "clients/github_client.h"

namespace triage {

// Why the bot stays silent about this event (not a new comment on an
// issue, by a bot, or not addressed to the gardener), or "" when it
// should answer. Pure.
std::string IgnoreReason(const GitHubEvent& event, const ParsedComment& parsed,
                         const std::string& bot_login);

// True when `login` has write access or above.
Result<bool> MayCommand(GitHubClient& client, const std::string& login);

// True when a reply of `bot_login` among `comments` already refused
// `login`. Pure.
bool RefusedBefore(const std::vector<GitHubComment>& comments, const std::string& bot_login,
                   const std::string& login);

// Tells the commenter that only people with write access may command the
// gardener, once per person and issue. Returns "refused", or "refused
// again, without a reply" when an earlier reply said so.
Result<std::string> Refuse(CommandSession& s);

// A 👀 on the comment: the command is taken.
Result<Ok> Acknowledge(CommandSession& s);

}  // namespace triage

#endif  // TRIAGE_BOT_COMMANDS_AUTHORIZE_H_
