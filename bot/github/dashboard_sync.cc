#include "bot/github/dashboard_sync.h"

#include "bot/github/tracker.h"

namespace triage {

std::optional<int64_t> LastWindowEnd(const std::vector<GitHubIssue>& dashboards) {
  if (dashboards.empty()) return std::nullopt;
  return DashboardWindowEnd(dashboards.front().body);
}

int64_t LastRetryFrom(const std::vector<GitHubIssue>& dashboards) {
  return dashboards.empty() ? 0 : DashboardRetryFrom(dashboards.front().body);
}

Result<std::string> WriteDashboard(GitHubClient& client, const std::string& title,
                                   const std::string& bot_label, const std::string& bot_login,
                                   const std::vector<GitHubIssue>& dashboards,
                                   const DashboardView& view) {
  const std::string body = RenderDashboard(view);
  if (!dashboards.empty()) {
    const GitHubIssue& d = dashboards.front();
    const std::string ref = "#" + std::to_string(d.number);
    IssuePatch patch;
    const std::optional<int64_t> recorded = DashboardWindowEnd(d.body);
    const bool stale = !recorded || view.window_end_us - *recorded >= view.refresh_us ||
                       DashboardRetryFrom(d.body) != view.retry_from_us;
    if (d.body != body && (stale || !SameProblems(d.body, body))) patch.body = body;
    if (d.title != title) patch.title = title;
    if (d.state == "closed") patch.state = "open";
    if (!patch.body && !patch.title && !patch.state) return "unchanged " + ref;
    Result<GitHubIssue> updated = client.UpdateIssue(d.number, patch);
    if (!updated) return updated.error();
    return "updated " + ref;
  }
  Result<GitHubIssue> created = client.CreateIssue(title, body, {bot_label}, [&]() -> Result<std::optional<GitHubIssue>> {
    Result<std::vector<GitHubIssue>> listed = client.ListIssues(bot_label, "all");
    if (!listed) return listed.error();
    for (const GitHubIssue& issue : listed.value()) {
      if (IsDashboard(issue, bot_login)) return std::optional<GitHubIssue>(issue);
    }
    return std::optional<GitHubIssue>();
  });
  if (!created) return created.error();
  return "created #" + std::to_string(created.value().number);
}

}  // namespace triage
