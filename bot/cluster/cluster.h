// Clustering: entries in, problems out. Entries are counted into signature
// groups as they stream by (memory grows with the groups, not the entries);
// Finish() then joins the groups of one template into clusters and gives
// each a fingerprint that does not depend on the run.
#ifndef TRIAGE_BOT_CLUSTER_CLUSTER_H_
#define TRIAGE_BOT_CLUSTER_CLUSTER_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "bot/cluster/template_join.h"
#include "bot/cluster/template_split.h"
#include "bot/base/types.h"

namespace triage {

struct ClusterOptions {
  size_t max_samples = 4;         // per cluster
  size_t max_fingerprints = 8;    // signature fingerprints kept per cluster
  size_t max_call_sites = 8;
  size_t max_revisions = 16;
  // Signatures kept per group as they were before spans (quoted texts, lists,
  // bodies) were values, so that issues filed under their keys still match.
  size_t max_legacy_signatures = 4;
  // When one call site and length has this many signatures, positions with
  // more than `crowded_position_words` words are masked from then on, so that
  // a variable the masks miss cannot grow memory with the entries.
  size_t max_groups_per_bucket = 1000;
  size_t crowded_position_words = 50;
  SplitOptions split;
  JoinOptions join;
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
  struct Draft;
  // The steps of Finish(): templates per call site and length, joined across
  // lengths, then each made a cluster.
  std::vector<Draft> SplitBuckets() const;
  std::vector<Draft> JoinLengths(std::vector<Draft> drafts) const;
  // The template keys that signatures had before spans were values:
  // (bucket, old signature) -> key.
  std::map<std::pair<std::string, std::string>, std::string> LegacyKeys() const;
  Cluster BuildCluster(
      Draft draft, const std::map<std::pair<std::string, std::string>, std::string>& legacy) const;
  void AddGroups(const std::vector<uint32_t>& members, Cluster* c,
                 std::set<std::string>* fingerprints) const;
  void AddSamples(const std::vector<uint32_t>& members, Cluster* c) const;
  ClusterOptions options_;
  std::vector<Group> groups_;
  std::unordered_map<std::string, uint32_t> index_;  // bucket + signature
  struct Bucket {
    std::vector<uint32_t> groups;
    std::vector<bool> masked;  // positions masked since the bucket got crowded
  };
  void MaskCrowdedPositions(Bucket* bucket);
  // The steps of Add(): the call site key into key_scratch_ (its length is
  // returned), the signature masked where the bucket is crowded, a new group,
  // and the entry counted into its group.
  size_t BuildBucketKey(const LogEntry& entry);
  Bucket* MaskIfCrowded(size_t tokens, std::string* bucket_key);
  uint32_t NewGroup(const LogEntry& entry, size_t tokens, size_t bucket_size);
  void CountIn(const LogEntry& entry, Group* g);
  std::unordered_map<std::string, Bucket> buckets_;  // bucket key + token count
  size_t crowded_buckets_ = 0;
  std::string key_scratch_;
  std::string signature_scratch_;
  std::string legacy_scratch_;
  std::string site_scratch_;
};

}  // namespace triage

#endif  // TRIAGE_BOT_CLUSTER_CLUSTER_H_
