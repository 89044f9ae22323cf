// The dashboard issue: one issue the bot keeps current, listing every open
// problem by priority and holding, in its marker, where the last
// successful run's window ended, so that a late or dropped scheduled run
// does not leave a gap. Pure: dashboard_sync.h reads and writes it.
#ifndef TRIAGE_BOT_GITHUB_DASHBOARD_H_
#define TRIAGE_BOT_GITHUB_DASHBOARD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bot/base/types.h"
#include "rules/config.h"

namespace triage {

// Where a run's window starts and why, for the worklog and stderr.
struct WindowStart {
  int64_t since_us = 0;
  std::string reason;
};

// The start of the window ending at `now_us`: `last_end_us` (the last
// successful run's end) less the overlap, but no further back than
// max_lookback; without a last end, `window` back from now.
WindowStart ChooseWindowStart(const SourceConfig& source, std::optional<int64_t> last_end_us,
                              int64_t now_us);

struct DashboardView {
  std::string repository;
  std::string bot_label;
  int64_t updated_us = 0;        // when this run wrote it
  int64_t window_end_us = 0;     // where the next run starts (less the overlap)
  // The first occurrence of a problem whose action failed: the next run
  // reads from there at the latest, so that it retries it. 0 = none failed.
  int64_t retry_from_us = 0;
  int64_t overlap_us = 0;
  std::string run_url;           // link to the run, or ""
  std::vector<KnownIssue> issues;  // the tracker; closed ones are left out
  // With nothing else to change, the dashboard is left as it is (a run with
  // nothing new writes nothing) until the window end it records is this
  // far behind.
  int64_t refresh_us = 6 * 3600 * int64_t{1000000};
};

// The dashboard's body: the open problems by priority (highest first, then
// by number) and the marker. Titles are escaped; the list is cut to stay
// far below GitHub's body limit, saying how many more there are.
std::string RenderDashboard(const DashboardView& view);

// True when dashboard bodies `a` and `b` list the same problems: they
// differ at most in the time they were updated and the window end.
bool SameProblems(const std::string& a, const std::string& b);

// The open problem issues a dashboard body lists (its marker), by number.
std::vector<int> DashboardIssues(const std::string& body);

// The window end recorded in a dashboard body (its marker), if any.
std::optional<int64_t> DashboardWindowEnd(const std::string& body);

// The retry point recorded in a dashboard body (its marker); 0 = none.
int64_t DashboardRetryFrom(const std::string& body);

}  // namespace triage

#endif  // TRIAGE_BOT_GITHUB_DASHBOARD_H_
