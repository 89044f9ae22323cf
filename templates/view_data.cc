#include "templates/view_data.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/base/severity.h"
#include "bot/base/text.h"
#include "bot/base/time_util.h"
#include "templates/chart.h"
#include "templates/markdown.h"

namespace triage {
namespace view_data {
namespace {

using Json = nlohmann::json;

constexpr size_t kMaxListItems = 10;
constexpr size_t kTemplateBytes = 500;
// One value in a line (an exception, a call site) and a bot-made sentence.
constexpr size_t kValueBytes = 300;
constexpr size_t kSentenceBytes = 1000;
// Log text is redacted before it is cut to what is shown; this much of it,
// so that a 1 MB line costs no more than a long one.
constexpr size_t kRedactBytes = 64 * 1024;

std::string Redact(std::string_view text, const Limits& limits) {
  return RedactSecrets(CutUtf8(text, kRedactBytes), limits.redact);
}

// A value for one line: redacted (any text may have come from a log, a
// person or an error message), at most `max` bytes, "…" where it was cut.
// Redacted before the cut, from a bounded prefix, so that the cut cannot
// split a secret out of reach of its pattern.
std::string Shown(std::string_view text, size_t max, const Limits& limits) {
  const std::string redacted = RedactSecrets(CutUtf8(text, 4 * max + 1024), limits.redact);
  if (redacted.size() <= max) return redacted;
  return SanitizeAndCut(redacted, max - 3) + "\u2026";
}

// The first kMaxListItems of `items` shown, then "and N more".
std::vector<std::string> ShownList(const std::vector<std::string>& items, const Limits& limits) {
  std::vector<std::string> out;
  for (size_t i = 0; i < items.size() && i < kMaxListItems; ++i) {
    out.push_back(Shown(items[i], kValueBytes, limits));
  }
  if (items.size() > kMaxListItems) {
    out.push_back("and " + std::to_string(items.size() - kMaxListItems) + " more");
  }
  return out;
}

// Times to the second everywhere, "2025-09-15T02:39:39Z"; samples keep
// Cloud Logging's microseconds so that they can be searched for.
std::string Seconds(int64_t us) { return us == 0 ? "" : FormatRfc3339(us).substr(0, 19) + "Z"; }
std::string PriorityName(int p) { return p < 0 ? "" : "P" + std::to_string(p); }

// In ActionKind's order.
constexpr const char* kActionNames[] = {"none", "create", "update", "reopen", "escalate", "ignore"};
const char* ActionName(ActionKind kind) { return kActionNames[static_cast<int>(kind)]; }

bool IsIgnored(const PlannedAction& a) {
  return a.kind == ActionKind::kIgnore || a.problem.triage.ignored;
}

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// Highest severity first: name, count; and "ERROR 6, WARNING 2".
std::pair<Json, std::string> Severities(const std::map<Severity, int64_t>& counts) {
  Json list = Json::array();
  std::string line;
  for (auto it = counts.rbegin(); it != counts.rend(); ++it) {
    list.push_back({{"name", SeverityName(it->first)}, {"count", it->second}});
    line += (line.empty() ? "" : ", ") + std::string(SeverityName(it->first)) + " " +
            std::to_string(it->second);
  }
  return {list, line};
}

Json SampleData(const std::vector<Sample>& samples, const Limits& limits) {
  Json list = Json::array();
  for (size_t i = 0; i < samples.size() && i < limits.samples; ++i) {
    const Sample& s = samples[i];
    std::string text = Redact(s.text, limits);
    if (text.size() > limits.sample_bytes) {
      text = std::string(CutUtf8(text, limits.sample_bytes)) + "\n... (cut at " +
             std::to_string(limits.sample_bytes) + " bytes)";
    }
    list.push_back({{"time", s.timestamp_us ? FormatRfc3339(s.timestamp_us) : ""},
                    {"severity", SeverityName(s.severity)},
                    {"id", Shown(s.id, kValueBytes, limits)},
                    {"block_md", CodeBlock(text, "text")}});
  }
  return list;
}

// What the samples leave out when they were cut down to fit; "" otherwise.
std::string SamplesNote(size_t total, const Limits& limits) {
  if (!limits.shrunk) return "";
  const size_t shown = std::min(total, limits.samples);
  const std::string why = " to stay under GitHub's limit of 65,536 characters.";
  if (shown == 0) return "The samples were left out" + why;
  return std::to_string(shown) + " of " + std::to_string(total) + " samples, each cut at " +
         std::to_string(limits.sample_bytes) + " bytes," + why;
}

// The window the run read; a missing bound is taken from the clusters.
std::pair<int64_t, int64_t> Window(const RunReport& report) {
  int64_t start = report.window_start_us;
  int64_t end = report.window_end_us;
  for (const PlannedAction& a : report.actions) {
    const Cluster& c = a.problem.cluster;
    const bool earlier = c.first_seen_us != 0 && (start == 0 || c.first_seen_us < start);
    if (report.window_start_us == 0 && earlier) start = c.first_seen_us;
    if (report.window_end_us == 0) end = std::max(end, c.last_seen_us);
  }
  return {start, end};
}

Json ReportData(const RunReport& report) {
  const auto [start, end] = Window(report);
  std::string services;
  for (const std::string& s : report.services) services += (services.empty() ? "" : ", ") + s;
  const auto [severities, severity_line] = Severities(report.severity_counts);
  return {{"services", services.empty() ? "all services" : services},
          {"project", report.project}, {"repository", report.repository},
          {"window_start", Seconds(start)}, {"window_end", Seconds(end)},
          {"generated", Seconds(report.generated_us)}, {"dry_run", report.dry_run},
          {"mode", report.dry_run ? "dry run" : "live"},
          {"entries_read", report.entries_read}, {"malformed", report.malformed},
          {"filtered_out", report.filtered_out}, {"clustered", report.clustered},
          {"severities", severities}, {"severity_line", severity_line}};
}

// "[#12](https://github.com/o/r/issues/12)", "#12", "new issue" or "".
std::string IssueLink(const PlannedAction& a) {
  if (a.issue_number <= 0) return a.kind == ActionKind::kCreate ? "new issue" : "";
  const std::string ref = "#" + std::to_string(a.issue_number);
  // Only a plain https URL is a link target: anything else could end the link early.
  const bool plain = a.issue_url.rfind("https://", 0) == 0 &&
                     a.issue_url.find_first_of(" ()<>[]\"'`\\\n\r\t") == std::string::npos;
  return plain ? "[" + ref + "](" + a.issue_url + ")" : ref;
}

// What a table row and a short line need.
Json RowData(const PlannedAction& a, size_t number, const Limits& limits) {
  const Triage& t = a.problem.triage;
  // Only an escalation changes the issue's priority; other actions keep it.
  const bool changed = a.kind == ActionKind::kEscalate && a.previous_priority >= 0 &&
                       a.previous_priority != t.priority;
  return {{"number", number}, {"title", Shown(t.title, kValueBytes, limits)},
          {"summary", Shown(t.summary, kValueBytes, limits)},
          {"priority", PriorityName(t.priority)},
          {"previous_priority", changed ? PriorityName(a.previous_priority) : ""},
          {"count", a.problem.cluster.count}, {"action", ActionName(a.kind)},
          {"issue", a.issue_number > 0 ? "#" + std::to_string(a.issue_number) : ""},
          {"issue_md", IssueLink(a)}, {"rule", t.rule.empty() ? "defaults" : t.rule},
          {"reason", Shown(t.reason, kSentenceBytes, limits)},
          {"outcome", Shown(a.outcome, kSentenceBytes, limits)}};
}

// The new occurrences and, in an evidence comment kept current, the earlier
// windows it folds.
Json EvidenceData(const PlannedAction& a) {
  const int64_t fresh = a.new_count >= 0 ? a.new_count : a.problem.cluster.count;
  Json folded = Json::array();
  int64_t total = fresh;
  for (const EvidenceWindow& w : a.folded) {
    folded.push_back({{"from", Seconds(w.from_us)}, {"to", Seconds(w.to_us)}, {"count", w.count}});
    total += w.count;
  }
  return {{"new_count", fresh}, {"folded", folded}, {"has_folded", !a.folded.empty()},
          {"folded_total", total}};
}

Json ProblemData(const PlannedAction& a, size_t number, const RunReport& report,
                 const Limits& limits) {
  const Cluster& c = a.problem.cluster;
  const Triage& t = a.problem.triage;
  Json j = RowData(a, number, limits);
  const auto [severities, severity_line] = Severities(c.severity_counts);
  const auto [start, end] = Window(report);
  const HourlyChart chart = MakeHourlyChart(c.hourly, start, end);
  char rate[32];
  std::snprintf(rate, sizeof rate, "%.1f/h", t.rate_per_hour);
  const std::vector<std::string> labels = ShownList(t.labels, limits);
  const std::vector<std::string> sites = ShownList(c.call_sites, limits);
  const std::vector<std::string> revisions = ShownList(c.revisions, limits);
  const std::string http =
      c.http_status ? Shown(c.http_method, 16, limits) + " " + std::to_string(c.http_status) : "";
  const std::string message = SanitizeAndCut(Redact(c.template_text, limits), kTemplateBytes);
  j.update({{"category", t.category}, {"severity", SeverityName(c.max_severity)},
            {"severities", severities}, {"severity_line", severity_line}, {"rate", rate},
            {"service", Shown(c.service, kValueBytes, limits)},
            {"exception", Shown(c.exception, kValueBytes, limits)},
            {"http", http}, {"template_md", InlineCode(message)},
            {"first_seen", Seconds(c.first_seen_us)}, {"last_seen", Seconds(c.last_seen_us)},
            {"fingerprint", c.key}, {"fingerprint_name", a.problem.fingerprint_name},
            {"labels", labels}, {"labels_line", Joined(labels)},
            {"call_sites", sites}, {"call_sites_line", Joined(sites)},
            {"revisions", revisions}, {"revisions_line", Joined(revisions)},
            {"samples", SampleData(c.samples, limits)}, {"sparkline", chart.bars},
            {"chart_caption", chart.caption}, {"chart_md", ChartLine(chart)},
            {"samples_note", SamplesNote(c.samples.size(), limits)},
            {"issue_url", Shown(a.issue_url, kValueBytes, limits)},
            {"issue_title", Shown(a.issue_title, kValueBytes, limits)},
            {"action_reason", Shown(a.reason, kSentenceBytes, limits)}});
  j.update(EvidenceData(a));
  return j;
}

// Counts per action in a fixed order: "create 2, update 1, ignore 1".
std::string ActionLine(const RunReport& report) {
  std::string line;
  for (ActionKind kind : {ActionKind::kCreate, ActionKind::kUpdate, ActionKind::kReopen,
                          ActionKind::kEscalate, ActionKind::kNone, ActionKind::kIgnore}) {
    const auto n = std::count_if(report.actions.begin(), report.actions.end(),
                                 [kind](const PlannedAction& a) { return a.kind == kind; });
    if (n == 0) continue;
    line += (line.empty() ? "" : ", ") + std::string(ActionName(kind)) + " " + std::to_string(n);
  }
  return line;
}

// Says what the worklog leaves out; "" when nothing.
std::string TruncationNote(size_t sections, size_t problems, size_t rows, size_t actions,
                           size_t ignored, size_t ignored_total) {
  std::string note;
  if (sections < problems) {
    note += "Sections for " + std::to_string(sections) + " of " + std::to_string(problems) +
            " problems; the others are in the results table only. ";
  }
  if (rows < actions) {
    note += "The results table lists " + std::to_string(rows) + " of " +
            std::to_string(actions) + " problems. ";
  }
  if (ignored < ignored_total) {
    note += std::to_string(ignored) + " of " + std::to_string(ignored_total) +
            " ignored problems are listed. ";
  }
  return note.empty() ? note : note + "Cut to stay under GitHub's 1 MiB step summary limit.";
}

// Says what the next run does about failed actions; "" when none failed.
std::string RetryNote(const RunReport& report) {
  const auto failed = std::count_if(report.actions.begin(), report.actions.end(),
                                    [](const PlannedAction& a) { return a.failed; });
  if (failed == 0) return "";
  return std::to_string(failed) + (failed == 1 ? " action" : " actions") +
         " above failed or were skipped (the outcome says why). Nothing of them is "
         "lost: the next run plans them again from the tracker and retries them, and "
         "reads the logs from where the last fully successful run ended.";
}

}  // namespace

Limits WithEmails(Limits limits, bool emails) {
  limits.redact.emails = emails;
  return limits;
}

Json IssueData(const PlannedAction& a, const RunReport& report, const std::string& marker,
               const Limits& limits) {
  Json j = ReportData(report);
  j.update(ProblemData(a, 1, report, limits));
  j["marker"] = marker;
  return j;
}

Json WorklogData(const RunReport& report, int max_sections, int max_rows, const Limits& limits) {
  Json sections = Json::array(), ignored = Json::array(), rows = Json::array();
  size_t problems = 0;
  size_t ignored_total = 0;
  std::map<int64_t, int64_t> hourly;
  for (size_t i = 0; i < report.actions.size(); ++i) {
    const PlannedAction& a = report.actions[i];
    if (rows.size() < static_cast<size_t>(max_rows)) rows.push_back(RowData(a, i + 1, limits));
    if (IsIgnored(a)) {
      if (ignored_total++ < static_cast<size_t>(max_rows)) {
        ignored.push_back(RowData(a, i + 1, limits));
      }
      continue;
    }
    if (problems++ < static_cast<size_t>(max_sections)) {
      sections.push_back(ProblemData(a, i + 1, report, limits));
    }
    for (const auto& [hour, n] : a.problem.cluster.hourly) hourly[hour] += n;
  }
  const auto [start, end] = Window(report);
  const HourlyChart chart = MakeHourlyChart(hourly, start, end);
  const std::string note = TruncationNote(sections.size(), problems, rows.size(),
                                          report.actions.size(), ignored.size(), ignored_total);
  Json j = ReportData(report);
  j.update({{"retry_note", RetryNote(report)}});
  j.update({{"problems", report.actions.size()}, {"ignored_count", ignored_total},
            {"has_ignored", ignored_total > 0}, {"action_line", ActionLine(report)},
            {"sections", sections}, {"ignored", ignored}, {"rows", rows},
            {"truncated", !note.empty()}, {"truncation_note", note},
            {"run_chart_md", ChartLine(chart)},
            {"run_mermaid_md", MermaidBarChart(chart, "Log entries per hour, all problems")}});
  return j;
}

RunReport ProbeReport() {
  PlannedAction problem;
  problem.problem.cluster.severity_counts[Severity::kError] = 1;
  problem.problem.cluster.samples.push_back(Sample{});
  problem.folded.push_back(EvidenceWindow{});
  PlannedAction ignored = problem;
  ignored.kind = ActionKind::kIgnore;
  RunReport report;
  report.severity_counts[Severity::kError] = 1;
  report.actions = {problem, ignored};
  return report;
}

namespace {

void CollectPaths(const Json& j, const std::string& prefix, std::set<std::string>& paths) {
  if (j.is_array()) {
    for (const Json& v : j) CollectPaths(v, prefix, paths);
  } else if (j.is_object()) {
    for (const auto& item : j.items()) {
      const std::string path = prefix.empty() ? item.key() : prefix + "." + item.key();
      paths.insert(path);
      CollectPaths(item.value(), path, paths);
    }
  }
}

}  // namespace

std::set<std::string> DataNames(const Json& data) {
  std::set<std::string> paths;
  CollectPaths(data, "", paths);
  return paths;
}

}  // namespace view_data
}  // namespace triage
