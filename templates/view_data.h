// The data templates see: a run report and its planned actions turned into
// the names listed at the top of each template, every value from a log
// redacted, cut and, unless it is built Markdown (`*_md`), left for the
// template's escaping. Internal to templates/: render.cc renders it and
// checks templates against ProbeReport's names. Only nlohmann's forward
// declarations here; the data is built in view_data.cc.
#ifndef TRIAGE_TEMPLATES_VIEW_DATA_H_
#define TRIAGE_TEMPLATES_VIEW_DATA_H_

#include <cstddef>
#include <set>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "bot/base/redact.h"
#include "bot/base/types.h"

namespace triage {
namespace view_data {

// How much of a problem one kind of text shows, and what it hides.
struct Limits {
  size_t samples;
  size_t sample_bytes;
  bool shrunk = false;  // fewer or shorter samples than usual, to fit: said
  RedactOptions redact{};
};
inline constexpr Limits kIssueLimits{5, 4000};
inline constexpr Limits kCommentLimits{5, 4000};
inline constexpr Limits kWorklogLimits{2, 600};

// `limits` with email addresses redacted or not.
Limits WithEmails(Limits limits, bool emails);

// An issue body's or a comment's data: the report's and one problem's.
// `marker` is put in as it is.
nlohmann::json IssueData(const PlannedAction& action, const RunReport& report,
                         const std::string& marker, const Limits& limits);

// The worklog's data. The first `max_sections` problems get a section, the
// first `max_rows` a row in the table and, when ignored, a line; the
// truncation note says what was left out.
nlohmann::json WorklogData(const RunReport& report, int max_sections, int max_rows,
                           const Limits& limits);

// A report whose data holds every name: each list that holds objects has
// an item (keys are set whether or not a value is).
RunReport ProbeReport();

// Every name `data` can hold, as dotted paths; a list's items are keyed
// under the list's own path, as a section over the list sees them.
std::set<std::string> DataNames(const nlohmann::json& data);

}  // namespace view_data
}  // namespace triage

#endif  // TRIAGE_TEMPLATES_VIEW_DATA_H_
