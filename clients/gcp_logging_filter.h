// What the bot asks Cloud Logging for, and the filter in the Logging query
// language that says it (../shared/docs/gcp-logging-notes.md §2).
#ifndef TRIAGE_CLIENTS_GCP_LOGGING_FILTER_H_
#define TRIAGE_CLIENTS_GCP_LOGGING_FILTER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "bot/base/types.h"

namespace triage {

struct LoggingQuery {
  // Read one after another. A bare ID becomes "projects/ID"; a name with a
  // '/' (a log view, "organizations/N") is sent as it is.
  std::vector<std::string> projects;
  std::vector<std::string> services;                 // Cloud Run service names; empty = all
  std::string resource_type = "cloud_run_revision";  // "" = any
  Severity min_severity = Severity::kWarning;        // kDefault = no floor
  int64_t since_us = 0, until_us = 0;                // [since, until); 0 = unbounded
  // The user's Logging query language, ANDed in parentheses; "" = none.
  std::string extra_filter;
  // At most this many entries are delivered; <= 0 = no cap.
  int64_t max_entries = 100000;
};

// The filter for one project: one clause a line, joined by AND, every OR
// list and the extra filter parenthesised (OR binds tighter than AND, and a
// `--` comment in the extra filter must not swallow the closing
// parenthesis), values quoted and escaped, times RFC 3339 UTC. Pure.
std::string BuildFilter(const LoggingQuery& query);

}  // namespace triage

#endif  // TRIAGE_CLIENTS_GCP_LOGGING_FILTER_H_
