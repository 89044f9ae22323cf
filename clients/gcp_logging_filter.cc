#include "clients/gcp_logging_filter.h"

#include <string_view>

#include "bot/base/severity.h"
#include "bot/base/time_util.h"

namespace triage {
namespace {

// A string value of the query language (notes §2.3): always quoted.
std::string Quote(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += c;
    }
  }
  return out + "\"";
}

// RFC 3339 UTC, without a fraction when it is zero.
std::string Time(int64_t micros) {
  std::string text = FormatRfc3339(micros);
  const size_t fraction = text.find(".000000Z");
  if (fraction != std::string::npos) text.replace(fraction, 8, "Z");
  return text;
}

}  // namespace

std::string BuildFilter(const LoggingQuery& query) {
  std::vector<std::string> clauses;
  if (!query.resource_type.empty())
    clauses.push_back("resource.type = " + Quote(query.resource_type));
  std::string services;
  for (const std::string& service : query.services) {
    if (service.empty()) continue;
    services += (services.empty() ? "" : " OR ") + Quote(service);
  }
  if (!services.empty()) clauses.push_back("resource.labels.service_name = (" + services + ")");
  if (query.min_severity != Severity::kDefault) {
    clauses.push_back(std::string("severity >= ") + SeverityName(query.min_severity));
  }
  if (query.since_us > 0) clauses.push_back("timestamp >= " + Quote(Time(query.since_us)));
  if (query.until_us > 0) clauses.push_back("timestamp < " + Quote(Time(query.until_us)));
  const std::string& extra = query.extra_filter;
  if (extra.find_first_not_of(" \t\r\n") != std::string::npos) {
    // A `--` comment runs to the end of its line: keep ")" off it.
    clauses.push_back("(" + extra + (extra.find("--") == std::string::npos ? ")" : "\n)"));
  }
  std::string filter;
  for (const std::string& clause : clauses) filter += (filter.empty() ? "" : "\nAND ") + clause;
  return filter;
}

}  // namespace triage
