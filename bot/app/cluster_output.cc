#include "bot/app/cluster_output.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <map>

#include "bot/triage/plan.h"
#include "bot/base/redact.h"
#include "bot/base/severity.h"
#include "bot/base/text.h"
#include "bot/base/time_util.h"

namespace triage {
namespace {

using nlohmann::json;

json Time(int64_t us) { return us == 0 ? json(nullptr) : json(FormatRfc3339(us)); }

json ClusterJson(const Cluster& c) {
  json severity = json::object();
  for (const auto& [sev, n] : c.severity_counts) severity[SeverityName(sev)] = n;
  json samples = json::array();
  for (const Sample& s : c.samples) {
    samples.push_back({{"id", s.id},
                       {"timestamp", Time(s.timestamp_us)},
                       {"severity", SeverityName(s.severity)},
                       {"text", RedactSecrets(s.text)}});
  }
  json hourly = json::object();
  for (const auto& [hour, n] : c.hourly) hourly[FormatRfc3339(hour)] = n;
  return {{"key", c.key},
          {"fingerprints", c.fingerprints},
          {"template", SanitizeText(RedactSecrets(c.template_text))},
          {"count", c.count},
          {"severity_counts", severity},
          {"max_severity", SeverityName(c.max_severity)},
          {"first_seen", Time(c.first_seen_us)},
          {"last_seen", Time(c.last_seen_us)},
          {"service", c.service},
          {"exception", c.exception},
          {"revisions", c.revisions},
          {"call_sites", c.call_sites},
          {"samples", samples},
          {"hourly", hourly}};
}

std::string Cut(const std::string& s, size_t width) {
  std::string clean = SanitizeText(s);
  for (char& c : clean) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  if (clean.size() <= width) return clean;
  return SanitizeAndCut(clean, width - 3) + "...";
}

json ProblemJson(const PlannedAction& a) {
  const Problem& p = a.problem;
  const Triage& t = p.triage;
  json j = ClusterJson(p.cluster);
  j["member_keys"] = p.member_keys;
  j["fingerprint_name"] = p.fingerprint_name;
  j["title"] = t.title;
  j["summary"] = t.summary;
  j["priority"] = "P" + std::to_string(t.priority);
  j["category"] = t.category;
  j["labels"] = t.labels;
  j["ignored"] = t.ignored;
  j["rule"] = t.rule;
  j["priority_reason"] = t.reason;
  j["rate_per_hour"] = std::round(t.rate_per_hour * 10) / 10;
  j["action"] = ActionName(a.kind);
  j["reason"] = a.reason;
  j["outcome"] = a.outcome;
  j["failed"] = a.failed;
  j["issue"] = nullptr;
  if (a.issue_number != 0) {
    j["issue"] = {{"number", a.issue_number}, {"url", a.issue_url}, {"title", a.issue_title}};
  }
  return j;
}

std::map<std::string, int64_t> ActionCounts(const RunReport& r) {
  std::map<std::string, int64_t> counts;
  for (const PlannedAction& a : r.actions) ++counts[ActionName(a.kind)];
  return counts;
}

}  // namespace

std::string RenderClustersJson(const CollectResult& result) {
  json clusters = json::array();
  for (const Cluster& c : result.clusters) clusters.push_back(ClusterJson(c));
  json stats = {{"entries_read", result.read.entries},
                {"malformed", result.read.malformed},
                {"filtered_out", result.filtered_out},
                {"clustered", result.clustered},
                {"clusters", result.clusters.size()}};
  json out = {{"clusters", clusters}, {"stats", stats}};
  return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string RenderReportJson(const RunReport& r) {
  json clusters = json::array();
  for (const PlannedAction& a : r.actions) clusters.push_back(ProblemJson(a));
  json severity = json::object();
  for (const auto& [sev, n] : r.severity_counts) severity[SeverityName(sev)] = n;
  json out = {{"generated", Time(r.generated_us)},
              {"dry_run", r.dry_run},
              {"project", r.project},
              {"services", r.services},
              {"repository", r.repository},
              {"window", {{"start", Time(r.window_start_us)}, {"end", Time(r.window_end_us)}}},
              {"stats", {{"entries_read", r.entries_read},
                         {"malformed", r.malformed},
                         {"filtered_out", r.filtered_out},
                         {"clustered", r.clustered},
                         {"problems", r.actions.size()}}},
              {"severity_counts", severity},
              {"actions", ActionCounts(r)},
              {"clusters", clusters}};
  return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string RenderPlanText(const RunReport& r) {
  std::string out = r.dry_run ? "Plan (dry run, nothing is written to GitHub):\n" : "Plan:\n";
  for (const PlannedAction& a : r.actions) {
    std::string issue = a.issue_number != 0 ? "#" + std::to_string(a.issue_number) : "-";
    char head[96];
    std::snprintf(head, sizeof head, "  %-8s %-7s %6lld  ", ActionName(a.kind), issue.c_str(),
                  static_cast<long long>(a.problem.cluster.count));
    out += head + Cut(a.problem.triage.title, 110) + "\n";
    out += "           " + a.problem.cluster.key + "  " + Cut(a.reason, 150) + "\n";
  }
  std::string counts;
  for (const auto& [name, n] : ActionCounts(r)) {
    counts += (counts.empty() ? "" : ", ") + std::to_string(n) + " " + name;
  }
  out += std::to_string(r.actions.size()) + " problems from " + std::to_string(r.clustered) +
         " entries" + (counts.empty() ? "" : ": " + counts) + "\n";
  return out;
}

std::string RenderClustersTable(const CollectResult& result) {
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "%8s  %-8s  %-16s  %s\n", "COUNT", "SEVERITY", "KEY",
                "TEMPLATE (call site)");
  out += line;
  for (const Cluster& c : result.clusters) {
    std::string where = c.call_sites.empty() ? "" : "  (" + Cut(c.call_sites[0], 60) + ")";
    std::snprintf(line, sizeof line, "%8lld  %-8s  %-16s  ", static_cast<long long>(c.count),
                  SeverityName(c.max_severity), c.key.c_str());
    out += line;
    out += Cut(c.template_text, 100) + where + "\n";
  }
  std::snprintf(line, sizeof line,
                "%zu clusters from %lld entries (%lld read, %lld filtered out, %lld malformed)\n",
                result.clusters.size(), static_cast<long long>(result.clustered),
                static_cast<long long>(result.read.entries),
                static_cast<long long>(result.filtered_out),
                static_cast<long long>(result.read.malformed));
  out += line;
  return out;
}

}  // namespace triage
