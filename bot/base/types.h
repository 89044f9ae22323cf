// The vocabulary of the pipeline: log entries in, clusters out. Plain
// structs, std only, shared by every stage.
#ifndef TRIAGE_BOT_BASE_TYPES_H_
#define TRIAGE_BOT_BASE_TYPES_H_

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
  std::vector<Location> locations;        // the same call sites, as parts
  std::string http_method;                // request logs only
  int http_status = 0;                    // request logs only; 0 = none
  std::vector<Sample> samples;            // a few, diverse, oldest first
  std::map<int64_t, int64_t> hourly;      // hour start (us) -> count
};

// Priorities run from P0 (drop everything) to P6 (someday).
constexpr int kHighestPriority = 0;
constexpr int kLowestPriority = 6;

// An issue already on the tracker, as planning needs to know it.
struct KnownIssue {
  int number = 0;
  std::string title;
  std::string url;
  bool open = true;
  std::string state_reason;              // closed: "completed" or "not_planned"
  int64_t closed_at_us = 0;
  std::vector<std::string> labels;
  std::vector<std::string> fingerprints; // from the bot's marker
  int64_t watermark_us = 0;              // newest occurrence it already holds
  int priority = -1;                     // from its P label; -1 = none
  bool priority_set_by_person = false;   // the P label was not the bot's, or is pinned
  bool muted = false;                    // `/gardener mute`: no evidence, no reopening
  bool pinned = false;                   // `/gardener priority`: a person's choice
  int bot_priority = -1;                 // the priority the bot last set; -1 = unknown
  // When the evidence comment the bot keeps current was posted; 0 = none.
  int64_t evidence_at_us = 0;
  // Set when a search found this issue, filed by a person, for a problem
  // without one: why it is taken ("similarity 0.60 to ...").
  std::string adoption;
};

// The rules' verdict on one problem.
struct Triage {
  std::string category;
  int priority = 3;
  std::string summary;                   // the title's last part
  std::string title;                     // "<category> | P<n> | <summary>"
  std::vector<std::string> labels;       // extra labels from rules, sorted
  bool ignored = false;
  std::string rule;                      // the deciding rule; "" = defaults
  std::string reason;                    // "P1: rule `auth`; +1 for 42/hour"
  double rate_per_hour = 0;
};

// A cluster after rules may have merged several into one (a fingerprint
// name), with its verdict.
struct Problem {
  Cluster cluster;                       // merged: counts summed, keys kept
  std::vector<std::string> member_keys;  // the clusters it holds, sorted
  std::string fingerprint_name;          // the rule's name for it, or ""
  Triage triage;
};

enum class ActionKind { kNone, kCreate, kUpdate, kReopen, kEscalate, kIgnore };

// One run's evidence as an evidence comment shows it: the window read and
// the occurrences in it that were new to the issue.
struct EvidenceWindow {
  int64_t from_us = 0;
  int64_t to_us = 0;
  int64_t count = 0;
};

// How an action's evidence reaches the issue: folded into the comment the
// bot keeps current (edited in place), as a new such comment, or as a
// notice (an escalation, a reopening, an adoption, a new variant) that
// stays as it was written.
enum class EvidenceMode { kNone, kEdit, kPost, kNotice };

// What the bot will do for one problem, and why.
struct PlannedAction {
  ActionKind kind = ActionKind::kNone;
  // The problem, its fingerprints cut by the plan to those the issue's
  // marker may hold (the writer merges them in): its keys and what no other
  // problem of the run shares (a skeleton of one service stays out).
  Problem problem;
  int issue_number = 0;                  // the existing issue, 0 = none
  std::string issue_url;
  std::string issue_title;
  int previous_priority = -1;            // the issue's priority before
  std::string reason;
  // What the writer carries out, decided by the plan. The priority the
  // issue has after the action (its markers record it); for an escalation
  // or a reopening also its new title and labels.
  int target_priority = -1;
  std::string new_title;                 // "" = unchanged
  std::vector<std::string> new_labels;   // empty = unchanged
  EvidenceMode evidence = EvidenceMode::kNone;
  // The occurrences newer than what the issue holds (its watermark); -1 =
  // all of the window's (a new issue, or nothing known).
  int64_t new_count = -1;
  // Set by the writer for the comment it renders: the earlier windows an
  // edited comment already showed, oldest first.
  std::vector<EvidenceWindow> folded;
  // After a real run: what was done ("created #12", "commented") or why not;
  // "" in a dry run.
  std::string outcome;
  bool failed = false;
};

// Everything a worklog shows about one run.
struct RunReport {
  std::vector<std::string> services;     // as configured; empty = all
  std::string project;
  std::string repository;                // "owner/name", or ""
  int64_t window_start_us = 0;           // 0 = from the first entry
  int64_t window_end_us = 0;             // 0 = to the last entry
  int64_t generated_us = 0;
  bool dry_run = true;
  int64_t entries_read = 0;
  int64_t malformed = 0;
  int64_t filtered_out = 0;
  int64_t clustered = 0;
  std::map<Severity, int64_t> severity_counts;  // of clustered entries
  std::vector<PlannedAction> actions;    // one per problem, plan order
};

}  // namespace triage

#endif  // TRIAGE_BOT_BASE_TYPES_H_
