// Reads entries from a file, keeps those that pass the filters, and
// clusters them: the `cluster` command's work, apart from its output.
#ifndef TRIAGE_BOT_INGEST_COLLECT_H_
#define TRIAGE_BOT_INGEST_COLLECT_H_

#include <cstdint>
#include <functional>
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

struct CollectResult {
  std::vector<Cluster> clusters;
  ReadStats read;
  int64_t filtered_out = 0;   // read, valid, but outside the filter
  int64_t clustered = 0;
  // Cloud Logging only: the cap (source.max_entries) stopped the read
  // before the window's end, after entries up to newest_read_us.
  bool capped = false;
  int64_t newest_read_us = 0;
};

struct CollectOptions {
  std::string input;                 // a path, or "-" for stdin
  InputFormat format = InputFormat::kAuto;
  EntryFilter filter;
  ClusterOptions cluster;
  std::string assignments_path;      // CSV id,key per clustered entry; "" = none
  // Maps cluster keys to the keys written to the assignments file (a
  // problem that rules merged); unset or unmapped keys stay as they are.
  std::function<std::map<std::string, std::string>(const std::vector<Cluster>&)> assignment_keys;
};

// Filters and clusters entries as they come, from a file or an API; then
// writes the assignments. `options.input` and `format` are not used.
class Collector {
 public:
  explicit Collector(const CollectOptions& options);
  ~Collector();
  Collector(const Collector&) = delete;
  Collector& operator=(const Collector&) = delete;

  // Opens the scratch file for assignments, when they are asked for.
  Result<Ok> Start();
  void Add(const LogEntry& entry);
  // A group counted elsewhere (a Log Analytics row): it passes the filter
  // as `earliest` does. Not in the assignments file (no entry ids).
  void AddCounted(const LogEntry& earliest, const LogEntry& latest, const CountedGroup& counts);
  // The clusters; `read` says how many entries were read. Call once.
  Result<CollectResult> Finish(const ReadStats& read);

 private:
  struct Scratch;
  const CollectOptions& options_;
  Clusterer clusterer_;
  CollectResult result_;
  std::unique_ptr<Scratch> scratch_;
};

// Errors: the input cannot be opened or read as its format (kInput), or the
// assignments file cannot be written.
Result<CollectResult> CollectAndCluster(const CollectOptions& options);

}  // namespace triage

#endif  // TRIAGE_BOT_INGEST_COLLECT_H_
