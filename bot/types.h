// The vocabulary of the pipeline: log entries in, clusters out. Plain
// structs, std only, shared by every stage.
#ifndef TRIAGE_BOT_TYPES_H_
#define TRIAGE_BOT_TYPES_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace triage {

// Cloud Logging's LogSeverity; the numbers are the API's.
enum class Severity : int {
  kDefault = 0,
  kDebug = 100,
  kInfo = 200,
  kNotice = 300,
  kWarning = 400,
  kError = 500,
  kCritical = 600,
  kAlert = 700,
  kEmergency = 800,
};

// Where a message was logged. `line` is kept for display only: it changes
// with every deploy and never takes part in a fingerprint.
struct Location {
  std::string module;    // logger, module, class or file
  std::string function;
  int line = 0;
};

// One log entry, reduced to what clustering and reporting need.
struct LogEntry {
  std::string id;                 // insertId, or the line number for text
  int64_t timestamp_us = 0;       // microseconds since the epoch; 0 = none
  Severity severity = Severity::kDefault;
  bool has_severity = false;      // false for plain text lines
  std::string service;            // resource.labels.service_name
  std::string revision;           // resource.labels.revision_name
  std::string message;            // the line that is clustered (one line)
  std::string text;               // the whole text, for samples; "" = message
  std::string exception;          // exception type when one is known
  Location location;
  // Extra key that must match for two entries to be one problem, beyond the
  // message: for request logs the method, status class and route.
  std::string group_key;
  int http_status = 0;
  // Leading tokens of `message` already normalised, clustered as they are
  // (a request's method, status and route segments).
  int literal_tokens = 0;
};

// An example occurrence kept with a cluster.
struct Sample {
  std::string id;
  int64_t timestamp_us = 0;
  Severity severity = Severity::kDefault;
  std::string text;
};

// A problem: entries that share one template and call site.
struct Cluster {
  std::string key;                        // primary fingerprint
  std::vector<std::string> fingerprints;  // all, key included, sorted
  std::string template_text;              // variable parts as <*>
  std::string service;
  std::string exception;
  std::string group_key;
  int64_t count = 0;
  std::map<Severity, int64_t> severity_counts;
  Severity max_severity = Severity::kDefault;
  int64_t first_seen_us = 0;
  int64_t last_seen_us = 0;
  std::vector<std::string> revisions;     // sorted, bounded
  std::vector<std::string> call_sites;    // "module.function:line", bounded
  std::vector<Sample> samples;            // a few, diverse, oldest first
  std::map<int64_t, int64_t> hourly;      // hour start (us) -> count
};

}  // namespace triage

#endif  // TRIAGE_BOT_TYPES_H_
