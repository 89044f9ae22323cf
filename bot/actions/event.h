// The GitHub Actions event that started a run ($GITHUB_EVENT_NAME and the
// payload at $GITHUB_EVENT_PATH): a schedule, a manual dispatch with its
// inputs, or a comment on an issue. The payload is untrusted text; only
// the fields the bot uses are read, each checked for its type.
#ifndef TRIAGE_BOT_ACTIONS_EVENT_H_
#define TRIAGE_BOT_ACTIONS_EVENT_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bot/base/result.h"

namespace triage {

enum class EventKind { kSchedule, kDispatch, kIssueComment, kOther };

struct GitHubEvent {
  EventKind kind = EventKind::kOther;
  std::string name;                          // "schedule", "issue_comment", ...
  std::string action;                        // "created", "edited", ...
  std::string repository;                    // "owner/name"
  std::string schedule;                      // the cron line that fired
  std::map<std::string, std::string> inputs; // a dispatch's inputs, as text
  // issue_comment:
  int issue_number = 0;
  std::string issue_title;
  std::string issue_state;
  std::vector<std::string> issue_labels;
  bool on_pull_request = false;
  int64_t comment_id = 0;
  std::string comment_body;
  std::string comment_login;
  std::string comment_user_type;             // "User", "Bot", "Organization"
};

// Reads a payload. `name` is $GITHUB_EVENT_NAME; when empty the kind is
// told from the payload (a comment and an issue: issue_comment; inputs:
// workflow_dispatch; schedule). Errors (kInput) name `where` and what is
// wrong; a comment event without an issue number or comment id is one.
Result<GitHubEvent> ParseEvent(const std::string& payload, const std::string& name,
                               const std::string& where);

}  // namespace triage

#endif  // TRIAGE_BOT_ACTIONS_EVENT_H_
