#include "bot/cluster/cluster.h"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>

#include "bot/base/hash.h"
#include "bot/cluster/normalize.h"
#include "bot/base/text.h"

namespace triage {
namespace {

constexpr char kSep = '\x1f';

std::string Join(const std::vector<std::string>& tokens) {
  std::string out;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (i) out.push_back(' ');
    out += tokens[i];
  }
  return out;
}

// "module.function:line", written into *site (a buffer kept between calls).
void CallSite(const Location& loc, std::string* site) {
  *site = loc.module;
  if (!loc.function.empty()) {
    if (!site->empty()) site->push_back('.');
    *site += loc.function;
  }
  if (loc.line > 0) {
    char digits[16];
    int n = std::snprintf(digits, sizeof digits, ":%d", loc.line);
    site->append(digits, static_cast<size_t>(n));
  }
}

Sample MakeSample(const LogEntry& entry) {
  Sample s;
  s.id = entry.id;
  s.timestamp_us = entry.timestamp_us;
  s.severity = entry.severity;
  // Cut here, cleaned at the end: samples are replaced often while reading.
  const std::string& text = entry.text.empty() ? entry.message : entry.text;
  s.text = text.substr(0, 2048 + 4);
  return s;
}

// A plain word: "failed", "cart-api", "Error". Identifiers (CamelCase,
// CONSTANTS, dotted names), quoted values and units are not.
bool IsPlainWord(std::string_view token) {
  size_t begin = 0, end = token.size();
  while (begin < end && std::strchr("([{'\"", token[begin]) != nullptr) ++begin;
  while (end > begin && std::strchr(")]}'\",;:.!?", token[end - 1]) != nullptr) --end;
  if (end - begin < 2) return false;
  for (size_t i = begin; i < end; ++i) {
    char c = token[i];
    bool lower = c >= 'a' && c <= 'z';
    bool upper_first = i == begin && c >= 'A' && c <= 'Z';
    if (!lower && !upper_first && !(i > begin && (c == '-' || c == '_'))) return false;
  }
  return true;
}

// The template with only its plain words: what stays when a run has seen
// one value of an identifier where another run has seen several.
std::string Skeleton(const std::string& template_text) {
  std::string out;
  size_t start = 0;
  bool last_var = false;
  while (start < template_text.size()) {
    size_t space = template_text.find(' ', start);
    if (space == std::string::npos) space = template_text.size();
    std::string_view token(template_text.data() + start, space - start);
    bool plain = IsPlainWord(token);
    if (plain || !last_var) {
      if (!out.empty()) out.push_back(' ');
      out += plain ? std::string(token) : "<*>";
    }
    last_var = !plain;
    start = space + 1;
  }
  return out;
}

}  // namespace

struct Clusterer::Group {
  std::string bucket;
  std::string signature;
  size_t token_count = 0;
  std::string service;
  std::string exception;
  std::string group_key;
  bool has_call_site = false;  // a module or function names the place
  int64_t count = 0;
  std::map<Severity, int64_t> severity_counts;
  int64_t first_us = INT64_MAX;
  int64_t last_us = INT64_MIN;
  std::set<std::string> revisions;
  std::map<std::string, std::pair<Location, int64_t>> call_sites;
  std::string http_method;
  int http_status = 0;
  // Up to max_legacy_signatures signatures of its messages as they were
  // masked before spans were values (the smallest, so input order does not
  // matter), with their counts.
  std::map<std::string, int64_t> legacy;
  Sample earliest;
  Sample latest;
  std::map<int64_t, int64_t> hourly;
};

std::string TemplateFingerprint(const std::string& bucket, const std::string& template_text) {
  return Fingerprint(bucket + '\x1e' + template_text);
}

Clusterer::Clusterer(ClusterOptions options) : options_(options) {}
Clusterer::~Clusterer() = default;
size_t Clusterer::group_count() const { return groups_.size(); }

uint32_t Clusterer::Add(const LogEntry& entry) {
  const size_t literal = static_cast<size_t>(std::max(entry.literal_tokens, 0));
  bool used_spans = false;
  size_t tokens = NormalizeMessage(entry.message, &signature_scratch_, literal, &used_spans);
  const size_t bucket_size = BuildBucketKey(entry);
  std::string bucket_key;
  Bucket* bucket = MaskIfCrowded(tokens, &bucket_key);
  key_scratch_ += '\x1e';
  key_scratch_ += signature_scratch_;

  uint32_t id;
  auto it = index_.find(key_scratch_);
  if (it == index_.end()) {
    id = NewGroup(entry, tokens, bucket_size);
    if (bucket_key.empty()) bucket_key = groups_.back().bucket + '\x1d' + std::to_string(tokens);
    if (bucket == nullptr) bucket = &buckets_[bucket_key];
    bucket->groups.push_back(id);
    if (bucket->groups.size() % options_.max_groups_per_bucket == 0) MaskCrowdedPositions(bucket);
  } else {
    id = it->second;
  }
  Group& g = groups_[id];
  if (used_spans) {
    // The signature this message had before spans were values: the
    // fingerprints issues were filed under until then.
    NormalizeMessage(entry.message, &legacy_scratch_, literal, nullptr, false);
    ++g.legacy[legacy_scratch_];
    if (g.legacy.size() > options_.max_legacy_signatures) g.legacy.erase(std::prev(g.legacy.end()));
  }
  CountIn(entry, &g);
  return id;
}

size_t Clusterer::BuildBucketKey(const LogEntry& entry) {
  key_scratch_.clear();
  key_scratch_ += entry.service;
  key_scratch_ += kSep;
  // A request's route is in its message when it matters (a 5xx).
  if (entry.group_key != "http") {
    key_scratch_ += entry.location.module;
    key_scratch_ += '.';
    key_scratch_ += entry.location.function;
  }
  key_scratch_ += kSep;
  key_scratch_ += entry.group_key;
  key_scratch_ += kSep;
  key_scratch_ += entry.exception;
  return key_scratch_.size();
}

Clusterer::Bucket* Clusterer::MaskIfCrowded(size_t tokens, std::string* bucket_key) {
  if (crowded_buckets_ == 0) return nullptr;
  *bucket_key = key_scratch_ + '\x1d' + std::to_string(tokens);
  auto b = buckets_.find(*bucket_key);
  if (b == buckets_.end() || b->second.masked.empty()) return nullptr;
  Bucket* bucket = &b->second;
  std::vector<std::string> parts = SplitSignature(signature_scratch_);
  for (size_t p = 0; p < parts.size() && p < bucket->masked.size(); ++p) {
    if (bucket->masked[p]) parts[p] = "<*>";
  }
  signature_scratch_ = Join(parts);
  return bucket;
}

uint32_t Clusterer::NewGroup(const LogEntry& entry, size_t tokens, size_t bucket_size) {
  uint32_t id = static_cast<uint32_t>(groups_.size());
  index_.emplace(key_scratch_, id);
  Group g;
  g.bucket = key_scratch_.substr(0, bucket_size);
  g.signature = signature_scratch_;
  g.token_count = tokens;
  g.service = entry.service;
  g.exception = entry.exception;
  g.group_key = entry.group_key;
  g.has_call_site = entry.group_key != "http" &&
                    (!entry.location.module.empty() || !entry.location.function.empty());
  g.http_status = entry.http_status;
  if (entry.http_status != 0) {
    g.http_method = entry.location.function.substr(0, entry.location.function.find(' '));
  }
  g.earliest = MakeSample(entry);
  g.latest = g.earliest;
  groups_.push_back(std::move(g));
  return id;
}

void Clusterer::CountIn(const LogEntry& entry, Group* g) {
  ++g->count;
  ++g->severity_counts[entry.severity];
  if (entry.timestamp_us != 0) {
    if (entry.timestamp_us < g->first_us) {
      g->first_us = entry.timestamp_us;
      if (g->count > 1) g->earliest = MakeSample(entry);
    }
    if (entry.timestamp_us > g->last_us) {
      g->last_us = entry.timestamp_us;
      if (g->count > 1) g->latest = MakeSample(entry);
    }
    int64_t hour = entry.timestamp_us - ((entry.timestamp_us % 3600000000LL) + 3600000000LL) % 3600000000LL;
    ++g->hourly[hour];
  }
  if (!entry.revision.empty() && g->revisions.size() < options_.max_revisions) {
    g->revisions.insert(entry.revision);
  }
  if (!entry.location.module.empty() || !entry.location.function.empty()) {
    CallSite(entry.location, &site_scratch_);
    auto cs = g->call_sites.find(site_scratch_);
    if (cs != g->call_sites.end()) {
      ++cs->second.second;
    } else if (g->call_sites.size() < 4 * options_.max_call_sites) {
      g->call_sites.emplace(site_scratch_, std::pair{entry.location, int64_t{1}});
    }
  }
}

uint32_t Clusterer::AddCounted(const LogEntry& earliest, const LogEntry& latest,
                               const CountedGroup& counts) {
  // Add() counted one entry; the rest of the counts replace that one.
  const uint32_t id = Add(earliest);
  Group& g = groups_[id];
  auto uncount = [](auto& map, auto key) {
    if (--map[key] == 0) map.erase(key);
  };
  uncount(g.severity_counts, earliest.severity);
  if (earliest.timestamp_us != 0) {
    uncount(g.hourly, earliest.timestamp_us -
                          ((earliest.timestamp_us % 3600000000LL) + 3600000000LL) % 3600000000LL);
  }
  g.count += counts.count - 1;
  for (const auto& [sev, n] : counts.severity_counts) g.severity_counts[sev] += n;
  for (const auto& [hour, n] : counts.hourly) g.hourly[hour] += n;
  if (counts.first_us != 0) g.first_us = std::min(g.first_us, counts.first_us);
  if (counts.last_us != 0 && counts.last_us > g.last_us) {
    g.last_us = counts.last_us;
    g.latest = MakeSample(latest);
  }
  for (const std::string& r : counts.revisions) {
    if (g.revisions.size() < options_.max_revisions) g.revisions.insert(r);
  }
  if (!earliest.location.module.empty() || !earliest.location.function.empty()) {
    std::string site;
    CallSite(earliest.location, &site);
    auto cs = g.call_sites.find(site);
    if (cs != g.call_sites.end()) cs->second.second += counts.count - 1;
  }
  return id;
}

void Clusterer::MaskCrowdedPositions(Bucket* bucket) {
  const size_t width = groups_[bucket->groups[0]].token_count;
  std::vector<std::set<std::string>> words(width);
  for (uint32_t id : bucket->groups) {
    std::vector<std::string> parts = SplitSignature(groups_[id].signature);
    for (size_t p = 0; p < width && p < parts.size(); ++p) {
      if (words[p].size() <= options_.crowded_position_words) words[p].insert(parts[p]);
    }
  }
  if (bucket->masked.empty()) {
    bucket->masked.assign(width, false);
    ++crowded_buckets_;
  }
  for (size_t p = 0; p < width; ++p) {
    if (words[p].size() > options_.crowded_position_words) bucket->masked[p] = true;
  }
}

// A template of one call site on its way to becoming a cluster.
struct Clusterer::Draft {
  std::string bucket;
  std::vector<std::string> tokens;
  std::vector<uint32_t> groups;
  // Fingerprints it answers to besides its own: the broader templates it was
  // split from and the templates joined into it.
  std::set<std::string> fingerprints;
};

std::vector<Clusterer::Draft> Clusterer::SplitBuckets() const {
  // Signature groups of one call site and length are candidates to join.
  std::map<std::pair<std::string, size_t>, std::vector<uint32_t>> buckets;
  for (uint32_t i = 0; i < groups_.size(); ++i) {
    buckets[{groups_[i].bucket, groups_[i].token_count}].push_back(i);
  }
  std::vector<Draft> drafts;
  std::map<std::pair<std::string, std::string>, size_t> by_template;  // two splits, one template
  for (auto& [bucket_key, ids] : buckets) {
    // Order by signature so that the input order never matters.
    std::sort(ids.begin(), ids.end(), [&](uint32_t a, uint32_t b) {
      return groups_[a].signature < groups_[b].signature;
    });
    std::vector<std::vector<std::string>> sigs;
    std::vector<int64_t> counts;
    for (uint32_t id : ids) {
      sigs.push_back(SplitSignature(groups_[id].signature));
      counts.push_back(groups_[id].count);
    }
    for (TemplateGroup& tg : SplitTemplates(sigs, counts, options_.split)) {
      auto [it, added] = by_template.emplace(std::pair{bucket_key.first, Join(tg.tokens)}, drafts.size());
      if (added) drafts.push_back(Draft{bucket_key.first, std::move(tg.tokens), {}, {}});
      Draft& d = drafts[it->second];
      for (size_t m : tg.members) d.groups.push_back(ids[m]);
      for (const auto& general : tg.generalizations) {
        d.fingerprints.insert(TemplateFingerprint(bucket_key.first, Join(general)));
      }
    }
  }
  return drafts;
}

std::vector<Clusterer::Draft> Clusterer::JoinLengths(std::vector<Draft> drafts) const {
  std::map<std::string, std::vector<size_t>> by_bucket;
  for (size_t i = 0; i < drafts.size(); ++i) by_bucket[drafts[i].bucket].push_back(i);
  std::vector<Draft> out;
  for (const auto& [bucket, ids] : by_bucket) {
    std::vector<std::vector<std::string>> templates;
    for (size_t i : ids) templates.push_back(drafts[i].tokens);
    bool call_site = groups_[drafts[ids[0]].groups[0]].has_call_site;
    for (JoinedTemplate& jt : JoinTemplates(templates, call_site, options_.join)) {
      if (jt.members.size() == 1) {
        out.push_back(std::move(drafts[ids[jt.members[0]]]));
        continue;
      }
      // The joined templates' own fingerprints stay with the problem, so an
      // issue filed under one of them still finds it.
      Draft joined{bucket, std::move(jt.tokens), {}, {}};
      for (size_t m : jt.members) {
        Draft& d = drafts[ids[m]];
        std::string text = Join(d.tokens);
        joined.fingerprints.insert(TemplateFingerprint(bucket, text));
        joined.fingerprints.insert(TemplateFingerprint(bucket, Skeleton(text)));
        joined.fingerprints.insert(d.fingerprints.begin(), d.fingerprints.end());
        joined.groups.insert(joined.groups.end(), d.groups.begin(), d.groups.end());
      }
      out.push_back(std::move(joined));
    }
  }
  return out;
}

void Clusterer::AddGroups(const std::vector<uint32_t>& members, Cluster* c,
                          std::set<std::string>* fps) const {
  std::set<std::string> revisions;
  std::map<std::string, std::pair<Location, int64_t>> sites;
  c->first_seen_us = INT64_MAX;
  c->last_seen_us = INT64_MIN;
  for (size_t k = 0; k < members.size(); ++k) {
    const Group& g = groups_[members[k]];
    c->count += g.count;
    for (const auto& [sev, n] : g.severity_counts) {
      c->severity_counts[sev] += n;
      c->max_severity = std::max(c->max_severity, sev);
    }
    c->first_seen_us = std::min(c->first_seen_us, g.first_us);
    c->last_seen_us = std::max(c->last_seen_us, g.last_us);
    revisions.insert(g.revisions.begin(), g.revisions.end());
    for (const auto& [site, counted] : g.call_sites) {
      auto& slot = sites[site];
      slot.first = counted.first;
      slot.second += counted.second;
    }
    for (const auto& [hour, n] : g.hourly) c->hourly[hour] += n;
    if (k < options_.max_fingerprints) fps->insert(TemplateFingerprint(g.bucket, g.signature));
  }
  if (c->first_seen_us == INT64_MAX) c->first_seen_us = 0;
  if (c->last_seen_us == INT64_MIN) c->last_seen_us = 0;
  for (const std::string& r : revisions) {
    if (c->revisions.size() < options_.max_revisions) c->revisions.push_back(r);
  }
  std::vector<std::pair<int64_t, std::string>> ranked;
  for (const auto& [site, counted] : sites) ranked.emplace_back(-counted.second, site);
  std::sort(ranked.begin(), ranked.end());
  for (const auto& [n, site] : ranked) {
    if (c->call_sites.size() >= options_.max_call_sites) break;
    c->call_sites.push_back(site);
    c->locations.push_back(sites[site].first);
  }
}

void Clusterer::AddSamples(const std::vector<uint32_t>& members, Cluster* c) const {
  std::map<std::string, Sample> samples;  // by id
  for (size_t k = 0; k < members.size() && k < options_.max_samples; ++k) {
    const Group& g = groups_[members[k]];
    samples.emplace(g.earliest.id, g.earliest);
  }
  // The newest occurrence is always worth showing.
  const Group* newest = &groups_[members[0]];
  for (uint32_t m : members) {
    if (groups_[m].last_us > newest->last_us) newest = &groups_[m];
  }
  samples.emplace(newest->latest.id, newest->latest);
  for (auto& [id, s] : samples) {
    s.text = SanitizeAndCut(s.text, 2048);
    c->samples.push_back(std::move(s));
  }
  std::sort(c->samples.begin(), c->samples.end(), [](const Sample& a, const Sample& b) {
    if (a.timestamp_us != b.timestamp_us) return a.timestamp_us < b.timestamp_us;
    return a.id < b.id;
  });
  if (c->samples.size() > options_.max_samples) {
    // Keep the oldest ones and the newest one.
    Sample newest_sample = c->samples.back();
    c->samples.resize(options_.max_samples - 1);
    c->samples.push_back(std::move(newest_sample));
  }
}

std::map<std::pair<std::string, std::string>, std::string> Clusterer::LegacyKeys() const {
  std::map<std::pair<std::string, size_t>, std::map<std::string, int64_t>> legacy;
  for (const Group& g : groups_) {
    for (const auto& [sig, n] : g.legacy) {
      legacy[{g.bucket, SplitSignature(sig).size()}][sig] += n;
    }
  }
  std::map<std::pair<std::string, std::string>, std::string> keys;
  for (const auto& [bucket_key, counted] : legacy) {
    std::vector<std::vector<std::string>> sigs;
    std::vector<int64_t> counts;
    std::vector<const std::string*> names;
    for (const auto& [sig, n] : counted) {
      sigs.push_back(SplitSignature(sig));
      counts.push_back(n);
      names.push_back(&sig);
    }
    for (const TemplateGroup& tg : SplitTemplates(sigs, counts, options_.split)) {
      std::string key = TemplateFingerprint(bucket_key.first, Join(tg.tokens));
      for (size_t m : tg.members) keys[{bucket_key.first, *names[m]}] = key;
    }
  }
  return keys;
}

Cluster Clusterer::BuildCluster(
    Draft draft, const std::map<std::pair<std::string, std::string>, std::string>& legacy) const {
  std::vector<uint32_t>& members = draft.groups;
  std::sort(members.begin(), members.end(), [&](uint32_t a, uint32_t b) {
    if (groups_[a].count != groups_[b].count) return groups_[a].count > groups_[b].count;
    return groups_[a].signature < groups_[b].signature;
  });
  const Group& top = groups_[members[0]];
  Cluster c;
  c.template_text = Join(draft.tokens);
  c.key = TemplateFingerprint(draft.bucket, c.template_text);
  c.service = top.service;
  c.exception = top.exception;
  c.group_key = top.group_key;
  c.http_status = top.http_status;
  c.http_method = top.http_method;
  std::set<std::string> fps{c.key, TemplateFingerprint(draft.bucket, Skeleton(c.template_text))};
  fps.insert(draft.fingerprints.begin(), draft.fingerprints.end());
  AddGroups(members, &c, &fps);
  size_t old_keys = 0;
  for (size_t k = 0; k < members.size() && old_keys < options_.max_fingerprints; ++k) {
    for (const auto& [sig, n] : groups_[members[k]].legacy) {
      auto it = legacy.find({draft.bucket, sig});
      if (it != legacy.end() && fps.insert(it->second).second) ++old_keys;
    }
  }
  AddSamples(members, &c);
  c.fingerprints.assign(fps.begin(), fps.end());
  return c;
}

std::vector<Cluster> Clusterer::Finish(std::vector<uint32_t>* group_cluster) {
  std::vector<Draft> drafts = JoinLengths(SplitBuckets());
  const auto legacy = LegacyKeys();
  group_cluster->assign(groups_.size(), 0);
  std::vector<Cluster> clusters;
  clusters.reserve(drafts.size());
  for (Draft& d : drafts) {
    for (uint32_t g : d.groups) (*group_cluster)[g] = static_cast<uint32_t>(clusters.size());
    clusters.push_back(BuildCluster(std::move(d), legacy));
  }
  // Largest first; the permutation is applied to group_cluster too.
  std::vector<size_t> order(clusters.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (clusters[a].count != clusters[b].count) return clusters[a].count > clusters[b].count;
    return clusters[a].key < clusters[b].key;
  });
  std::vector<size_t> rank(order.size());
  std::vector<Cluster> sorted;
  sorted.reserve(clusters.size());
  for (size_t r = 0; r < order.size(); ++r) {
    rank[order[r]] = r;
    sorted.push_back(std::move(clusters[order[r]]));
  }
  for (uint32_t& ci : *group_cluster) ci = static_cast<uint32_t>(rank[ci]);
  return sorted;
}

}  // namespace triage
