// Reads entries from a file, keeps those that pass the filters, and
// clusters them: the `cluster` command's work, apart from its output.
#ifndef TRIAGE_BOT_INGEST_COLLECT_H_
#define TRIAGE_BOT_INGEST_COLLECT_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bot/cluster/cluster.h"
#include "bot/ingest/entry_reader.h"
#include "bot/base/result.h"
#include "bot/base/types.h"

namespace triage {

struct EntryFilter {
  // Entries below are dropped. Text lines carry no severity and pass unless
  // `severity_explicit` (the user asked for a floor).
  Severity min_severity = Severity::kWarning;
  bool severity_explicit = false;
  std::optional<int64_t> since_us;   // inclusive
  std::optional<int64_t> until_us;   // exclusive
  std::vector<std::string> services; // empty: all
};

// True when `entry` passes `filter`. Entries without a timestamp pass the
// time window, which cannot tell.
bool PassesFilter(const EntryFilter& filter, const LogEntry& entry);

// Which cluster each clustered entry went to, kept in a scratch file while
// reading so that memory does not grow with the entries.
class AssignmentLog;

// How many of each cluster's entries fall at or before each of a few times
// (the watermarks of the issues on the tracker), so that evidence can say
// how many occurrences are new to an issue, exactly.
struct OccurrencesBefore {
  std::vector<int64_t> times;                                 // sorted, unique
  std::map<std::string, std::vector<int64_t>> at_or_before;   // key -> count per time
};

// Of the `total` occurrences of the clusters `keys`, those after `time`
// (one of counts.times; any other time counts all as after it).
int64_t CountAfter(const OccurrencesBefore& counts, const std::vector<std::string>& keys,
                   int64_t total, int64_t time);

struct CollectResult {
  std::vector<Cluster> clusters;
  ReadStats read;
  int64_t filtered_out = 0;   // read, valid, but outside the filter
  int64_t clustered = 0;
  // Cloud Logging only: the cap (source.max_entries) stopped the read
  // before the window's end, after entries up to newest_read_us.
  bool capped = false;
  int64_t newest_read_us = 0;
  // Set when CollectOptions::keep_assignments asked for it.
  std::shared_ptr<AssignmentLog> assignments;
  OccurrencesBefore before;  // for CollectOptions::count_before
};

struct CollectOptions {
  std::string input;                 // a path, or "-" for stdin
  InputFormat format = InputFormat::kAuto;
  EntryFilter filter;
  ClusterOptions cluster;
  bool keep_assignments = false;     // for WriteAssignments
  // Times to count each cluster's occurrences up to (OccurrencesBefore).
  std::vector<int64_t> count_before;
};

// Filters and clusters entries as they come, from a file or an API, and
// keeps the assignments when asked. `options.input` and `format` are not used.
class Collector {
 public:
  explicit Collector(const CollectOptions& options);
  ~Collector();
  Collector(const Collector&) = delete;
  Collector& operator=(const Collector&) = delete;

  // Opens the scratch file for assignments, when they are kept.
  Result<Ok> Start();
  void Add(const LogEntry& entry);
  // A group counted elsewhere (a Log Analytics row): it passes the filter
  // as `earliest` does. Not in the assignments file (no entry ids).
  void AddCounted(const LogEntry& earliest, const LogEntry& latest, const CountedGroup& counts);
  // The clusters; `read` says how many entries were read. Call once.
  Result<CollectResult> Finish(const ReadStats& read);

 private:
  const CollectOptions& options_;
  Clusterer clusterer_;
  CollectResult result_;
  // Per group that has entries at or before the last time: how many fall
  // in each span between the times.
  std::map<uint32_t, std::vector<int64_t>> before_;
};

// Writes "id,key" for every clustered entry of `r` (which kept its
// assignments) to `path`, each key mapped through `keys` (the problem
// rules merged a cluster into); unmapped keys stay as they are.
Result<Ok> WriteAssignments(const CollectResult& r, const std::string& path,
                            const std::map<std::string, std::string>& keys = {});

// Errors: the input cannot be opened or read as its format (kInput), or the
// assignments file cannot be written.
Result<CollectResult> CollectAndCluster(const CollectOptions& options);

}  // namespace triage

#endif  // TRIAGE_BOT_INGEST_COLLECT_H_
