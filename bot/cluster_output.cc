#include "bot/cluster_output.h"

#include <nlohmann/json.hpp>

#include <cstdio>

#include "bot/severity.h"
#include "bot/text.h"
#include "bot/time_util.h"

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
                       {"text", s.text}});
  }
  json hourly = json::object();
  for (const auto& [hour, n] : c.hourly) hourly[FormatRfc3339(hour)] = n;
  return {{"key", c.key},
          {"fingerprints", c.fingerprints},
          {"template", SanitizeText(c.template_text)},
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
