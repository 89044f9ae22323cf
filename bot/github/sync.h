// Carries a plan out on GitHub: creates issues, writes evidence, applies
// an escalation's or a reopening's title and labels. It only writes: what
// to write, and how, is the plan's (bot/triage/plan.h). Every write
// carries a marker with the run's id, so that a create that may have been
// stored is found, not repeated.
#ifndef TRIAGE_BOT_GITHUB_SYNC_H_
#define TRIAGE_BOT_GITHUB_SYNC_H_

#include <map>

#include "bot/base/types.h"
#include "bot/github/sync_options.h"
#include "bot/github/tracker.h"
#include "clients/github_client.h"
#include "templates/render.h"

namespace triage {

// Applies `report->actions` in order and writes each one's outcome into
// it. After a rate limit or a spent write budget the remaining writes are
// skipped (and say so). Returns the number of actions that failed.
int ApplyPlan(GitHubClient& client, const TemplateSet& templates, const SyncOptions& options,
              std::map<int, TrackedIssue>* tracker, RunReport* report);

}  // namespace triage

#endif  // TRIAGE_BOT_GITHUB_SYNC_H_
