#include "bot/github/dashboard.h"

#include <algorithm>

#include "bot/github/marker.h"
#include "bot/base/time_util.h"
#include "templates/markdown.h"

namespace triage {
namespace {

// Rows listed; an issue row is at most ~400 characters, so the body stays
// far below GitHub's 65,536.
constexpr size_t kMaxRows = 100;

std::string Hours(int64_t us) {
  const int64_t minutes = us / (60 * int64_t{1000000});
  if (minutes % 60 != 0) return std::to_string(minutes) + " min";
  return std::to_string(minutes / 60) + " h";
}

// What a person changed about the issue through commands or labels.
std::string Notes(const KnownIssue& k) {
  std::string notes = k.muted ? "muted" : "";
  if (k.priority_set_by_person) notes += std::string(notes.empty() ? "" : ", ") + "priority kept";
  return notes;
}

}  // namespace

WindowStart ChooseWindowStart(const SourceConfig& source, std::optional<int64_t> last_end_us,
                              int64_t now_us) {
  const int64_t floor_us = now_us - source.max_lookback_us;
  if (!last_end_us) {
    return {now_us - source.window_us,
            "no earlier run recorded on the dashboard: the last " + Hours(source.window_us)};
  }
  const int64_t from = *last_end_us - source.overlap_us;
  if (from < floor_us) {
    return {floor_us, "the last run ended at " + FormatRfc3339(*last_end_us) +
                          ", beyond max_lookback: the last " + Hours(source.max_lookback_us)};
  }
  if (from >= now_us) {
    // A clock behind the last run's: read the overlap rather than nothing.
    return {now_us - source.overlap_us,
            "the last run ended at " + FormatRfc3339(*last_end_us) + ", after now"};
  }
  return {from, "from where the last run ended (" + FormatRfc3339(*last_end_us) + "), less " +
                    Hours(source.overlap_us) + " of overlap"};
}

namespace {

// A dashboard body without its lines that change every run.
std::string Lasting(const std::string& body) {
  std::string out;
  size_t start = 0;
  while (start < body.size()) {
    size_t end = body.find('\n', start);
    if (end == std::string::npos) end = body.size();
    std::string_view line(body.data() + start, end - start);
    bool passing = line.rfind("- Updated: ", 0) == 0 || line.rfind("- Logs read up to: ", 0) == 0 ||
                   line.rfind("<!-- ", 0) == 0;
    if (!passing) out.append(line).push_back('\n');
    start = end + 1;
  }
  return out;
}

}  // namespace

bool SameProblems(const std::string& a, const std::string& b) { return Lasting(a) == Lasting(b); }

std::string RenderDashboard(const DashboardView& view) {
  std::vector<const KnownIssue*> open;
  for (const KnownIssue& k : view.issues) {
    if (k.open) open.push_back(&k);
  }
  std::sort(open.begin(), open.end(), [](const KnownIssue* a, const KnownIssue* b) {
    int pa = a->priority < 0 ? 99 : a->priority, pb = b->priority < 0 ? 99 : b->priority;
    return pa != pb ? pa < pb : a->number < b->number;
  });
  std::string body = "The gardener keeps this issue current; edits to it are overwritten. It "
                     "lists every open problem by priority and records where the last "
                     "successful run stopped reading logs.\n\n";
  body += "- Updated: " + FormatRfc3339(view.updated_us);
  if (!view.run_url.empty()) body += " ([run](" + view.run_url + "))";
  body += "\n- Logs read up to: " + FormatRfc3339(view.window_end_us) + "; the next run starts " +
          Hours(view.overlap_us) + " earlier.\n\n";
  body += "### Open problems (" + std::to_string(open.size()) + ")\n\n";
  if (open.empty()) {
    body += "None.\n";
  } else {
    body += "| Priority | Issue | Title | Last seen | |\n|---|---|---|---|---|\n";
    for (size_t i = 0; i < open.size() && i < kMaxRows; ++i) {
      const KnownIssue& k = *open[i];
      std::string title = k.title.size() > 200 ? k.title.substr(0, 200) + "..." : k.title;
      body += "| " + (k.priority < 0 ? std::string("-") : "P" + std::to_string(k.priority)) + " | #" +
              std::to_string(k.number) + " | " + InlineCode(title, /*in_table=*/true) + " | " +
              (k.watermark_us != 0 ? FormatRfc3339(k.watermark_us) : std::string("-")) + " | " +
              Notes(k) + " |\n";
    }
    if (open.size() > kMaxRows) {
      body += "\n_... and " + std::to_string(open.size() - kMaxRows) + " more, all labelled " +
              InlineCode(view.bot_label) + "._\n";
    }
  }
  Marker m;
  m.kind = MarkerKind::kDashboard;
  m.key = "dashboard";
  m.window_end_us = view.window_end_us;
  m.retry_from_us = view.retry_from_us;
  for (const KnownIssue* k : open) m.issues.push_back(k->number);
  std::sort(m.issues.begin(), m.issues.end());
  body += "\n" + FormatMarker(m) + "\n";
  return body;
}

std::vector<int> DashboardIssues(const std::string& body) {
  auto m = ParseMarker(body);
  if (!m || m->kind != MarkerKind::kDashboard) return {};
  return m->issues;
}

std::optional<int64_t> DashboardWindowEnd(const std::string& body) {
  auto m = ParseMarker(body);
  if (!m || m->kind != MarkerKind::kDashboard || m->window_end_us == 0) return std::nullopt;
  return m->window_end_us;
}

int64_t DashboardRetryFrom(const std::string& body) {
  auto m = ParseMarker(body);
  return m && m->kind == MarkerKind::kDashboard ? m->retry_from_us : 0;
}

}  // namespace triage
