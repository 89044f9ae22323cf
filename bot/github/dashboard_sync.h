// Reads and writes the dashboard issue (dashboard.h) on GitHub.
#ifndef TRIAGE_BOT_GITHUB_DASHBOARD_SYNC_H_
#define TRIAGE_BOT_GITHUB_DASHBOARD_SYNC_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bot/github/dashboard.h"
#include "bot/base/result.h"
#include "clients/github_client.h"

namespace triage {

// The window end of the oldest dashboard among `dashboards` (LoadTracker
// hands them over), if it records one.
std::optional<int64_t> LastWindowEnd(const std::vector<GitHubIssue>& dashboards);

// Where the last run asked the next to read from at the latest, to retry
// an action that failed; 0 = nothing to retry.
int64_t LastRetryFrom(const std::vector<GitHubIssue>& dashboards);

// Brings the dashboard up to date: edits the oldest of `dashboards` when
// its body or title differs (reopening it if someone closed it), or
// creates it with `bot_label`, reading back before a resend. Returns what
// was done ("updated #3", "created #9", "unchanged #3").
Result<std::string> WriteDashboard(GitHubClient& client, const std::string& title,
                                   const std::string& bot_label, const std::string& bot_login,
                                   const std::vector<GitHubIssue>& dashboards,
                                   const DashboardView& view);

}  // namespace triage

#endif  // TRIAGE_BOT_GITHUB_DASHBOARD_SYNC_H_
