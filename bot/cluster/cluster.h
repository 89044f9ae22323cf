// Clustering: entries in, problems out. Entries are counted into signature
// groups as they stream by (memory grows with the groups, not the entries);
// Finish() then joins the groups of one template into clusters and gives
// each a fingerprint that does not depend on the run.
#ifndef TRIAGE_BOT_CLUSTER_CLUSTER_H_
#define TRIAGE_BOT_CLUSTER_CLUSTER_H_

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "bot/cluster/template_split.h"
#include "bot/base/types.h"

namespace triage {

struct ClusterOptions {
  size_t max_samples = 4;         // per cluster
  size_t max_fingerprints = 8;    // signature fingerprints kept per cluster
  size_t max_call_sites = 8;
  size_t max_revisions = 16;
  // When one call site and length has this many signatures, positions with
  // more than `crowded_position_words` words are masked from then on, so that
  // a variable the masks miss cannot grow memory with the entries.
  size_t max_groups_per_bucket = 1000;
  size_t crowded_position_words = 50;
  SplitOptions split;
};

// The fingerprint of a template of a call site: what a problem is, free of
// line numbers, revisions, times and variable values.
std::string TemplateFingerprint(const std::string& bucket, const std::string& template_text);

// A signature group counted elsewhere (one row of a Log Analytics query):
// how many entries, of which severities and hours, seen when.
struct CountedGroup {
  int64_t count = 0;
  std::map<Severity, int64_t> severity_counts;
  std::map<int64_t, int64_t> hourly;  // hour start (us) -> entries
  int64_t first_us = 0, last_us = 0;
  std::vector<std::string> revisions;
};

class Clusterer {
 public:
  explicit Clusterer(ClusterOptions options = {});
  ~Clusterer();
  Clusterer(const Clusterer&) = delete;
  Clusterer& operator=(const Clusterer&) = delete;

  // Counts `entry` in and returns the id of its signature group.
  uint32_t Add(const LogEntry& entry);
  // Counts in `counts.count` entries that share `earliest`'s signature and
  // call site, as if each had been added; `latest` is the newest of them.
  uint32_t AddCounted(const LogEntry& earliest, const LogEntry& latest, const CountedGroup& counts);

  // The clusters, largest first (ties by key). Sets group_cluster[g] to the
  // index of the cluster that signature group g went to. Call once.
  std::vector<Cluster> Finish(std::vector<uint32_t>* group_cluster);

  size_t group_count() const;

 private:
  struct Group;
  ClusterOptions options_;
  std::vector<Group> groups_;
  std::unordered_map<std::string, uint32_t> index_;  // bucket + signature
  struct Bucket {
    std::vector<uint32_t> groups;
    std::vector<bool> masked;  // positions masked since the bucket got crowded
  };
  void MaskCrowdedPositions(Bucket* bucket);
  std::unordered_map<std::string, Bucket> buckets_;  // bucket key + token count
  size_t crowded_buckets_ = 0;
  std::string key_scratch_;
  std::string signature_scratch_;
};

}  // namespace triage

#endif  // TRIAGE_BOT_CLUSTER_CLUSTER_H_
