// Planning: what to do on the tracker for each problem, given the issues
// already there. Pure, so a dry run and a real run plan alike.
#ifndef TRIAGE_BOT_TRIAGE_PLAN_H_
#define TRIAGE_BOT_TRIAGE_PLAN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bot/base/types.h"

namespace triage {

struct PlanOptions {
  int file_at_or_above = 4;        // new problems below this are not filed
  int64_t reopen_window_us = 30 * 24 * 3600 * int64_t{1000000};
  int64_t now_us = 0;
  // An evidence comment younger than this is edited in place with plain
  // new evidence; anything notable is posted.
  int64_t quiet_period_us = 24 * 3600 * int64_t{1000000};
};

// "none", "create", "update", "reopen", "escalate", "ignore".
const char* ActionName(ActionKind kind);
std::optional<ActionKind> ParseActionName(const std::string& name);

// The issue that holds any fingerprint of `problem`: an open one first,
// else the most recently closed; nullptr when none does.
const KnownIssue* FindIssue(const Problem& problem, const std::vector<KnownIssue>& issues);

// The issue each problem of one run goes to (nullptr: none), by index. A
// problem goes to the issue holding its key (or a member's key); a
// secondary fingerprint (a broader template, the skeleton) routes it to an
// issue only when no other of `problems` reaches that issue by any
// fingerprint, so that the problems of one run never share an issue through
// what they have in common.
std::vector<const KnownIssue*> AssignIssues(const std::vector<Problem>& problems,
                                            const std::vector<KnownIssue>& issues);

// The fingerprints of `problem` (an element of `problems`) that no other of
// `problems` has, and its keys: what its issue's marker may hold.
std::vector<std::string> OwnFingerprints(const Problem& problem, const std::vector<Problem>& problems);

// One action per problem, in the order of `problems`, each on the issue
// AssignIssues gives it. The action's problem carries OwnFingerprints.
std::vector<PlannedAction> PlanActions(const std::vector<Problem>& problems,
                                       const std::vector<KnownIssue>& issues,
                                       const PlanOptions& options);

}  // namespace triage

#endif  // TRIAGE_BOT_TRIAGE_PLAN_H_
