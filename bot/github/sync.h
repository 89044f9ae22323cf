// Carries a plan out on GitHub: creates issues, edits or adds evidence
// comments, swaps priority labels, reopens. The one place, with run.cc,
// that writes to the tracker. Every write carries a marker with the run's
// id, so that a create that may have been stored is found, not repeated.
#ifndef TRIAGE_BOT_GITHUB_SYNC_H_
#define TRIAGE_BOT_GITHUB_SYNC_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bot/github/tracker.h"
#include "bot/base/types.h"
#include "clients/github_client.h"
#include "templates/render.h"

namespace triage {

struct SyncOptions {
  std::string bot_label = "gcp-log-gardener";
  std::vector<std::string> labels;     // on every issue the bot files
  std::string bot_login = "github-actions[bot]";
  int64_t quiet_period_us = 24 * 3600 * int64_t{1000000};
  int64_t now_us = 0;
  std::string run_id;                  // [0-9A-Za-z._-], unique per run
};

// The labels of a new issue for `problem`: the bot's, the priority's
// ("P2"), the category's, the config's and the rules'; sorted, unique.
std::vector<std::string> IssueLabels(const Problem& problem, const SyncOptions& options);

// `title` with its priority part ("| P3 |") replaced; unchanged when it has
// none (a title a person wrote).
std::string RetitlePriority(const std::string& title, int priority);

// Applies `report->actions` in order and writes each one's outcome into
// it. After a rate limit or a spent write budget the remaining writes are
// skipped (and say so). Returns the number of actions that failed.
int ApplyPlan(GitHubClient& client, const TemplateSet& templates, const SyncOptions& options,
              std::map<int, TrackedIssue>* tracker, RunReport* report);

}  // namespace triage

#endif  // TRIAGE_BOT_GITHUB_SYNC_H_
