// Fuzz targets for what reads log entries and the user's configuration:
// entry reading and parsing, normalisation and clustering, the rules loader.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "bot/cluster/cluster.h"
#include "bot/app/embedded_files.h"
#include "bot/ingest/entry_parse.h"
#include "bot/ingest/entry_reader.h"
#include "bot/cluster/normalize.h"
#include "bot/base/text.h"
#include "bot/base/time_util.h"
#include "rules/config.h"
#include "tests/fuzz/fuzz_input.h"
#include "tests/fuzz/targets.h"

namespace triage::fuzz {
namespace {

// Enough entries to fill a template split; more only slows the fuzzer.
constexpr size_t kMaxEntries = 512;

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

bool IsWhiteSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// What the clustering of entries promises whatever the entries.
std::string ClustersProblem(const std::vector<Cluster>& clusters,
                            const std::vector<uint32_t>& group_cluster, size_t groups,
                            size_t entries, const ClusterOptions& options) {
  if (group_cluster.size() != groups) return "group_cluster does not cover every group";
  for (uint32_t c : group_cluster) {
    if (c >= clusters.size()) return "a group maps to cluster " + std::to_string(c) + " of " +
                                      std::to_string(clusters.size());
  }
  int64_t total = 0;
  std::set<std::string> keys;
  for (size_t i = 0; i < clusters.size(); ++i) {
    const Cluster& c = clusters[i];
    total += c.count;
    int64_t by_severity = 0;
    for (const auto& [severity, n] : c.severity_counts) by_severity += n;
    if (c.count < 1 || by_severity != c.count) return "cluster " + c.key + " miscounts";
    if (!keys.insert(c.key).second) return "two clusters share the key " + c.key;
    const auto& fps = c.fingerprints;
    if (!std::is_sorted(fps.begin(), fps.end()) ||
        std::adjacent_find(fps.begin(), fps.end()) != fps.end() ||
        !std::binary_search(fps.begin(), fps.end(), c.key)) {
      return "cluster " + c.key + ": fingerprints not sorted, unique and holding the key";
    }
    if (c.samples.empty() || c.samples.size() > options.max_samples) {
      return "cluster " + c.key + " has " + std::to_string(c.samples.size()) + " samples";
    }
    for (const Sample& s : c.samples) {
      if (SanitizeText(s.text) != s.text) return "a sample is not clean UTF-8: " + Quote(s.text);
    }
    if (c.first_seen_us > c.last_seen_us) return "cluster " + c.key + " ends before it starts";
    if (i > 0 && (clusters[i - 1].count < c.count ||
                  (clusters[i - 1].count == c.count && clusters[i - 1].key > c.key))) {
      return "clusters are not ordered by count, then key";
    }
  }
  if (total != static_cast<int64_t>(entries)) {
    return std::to_string(entries) + " entries went in, " + std::to_string(total) + " came out";
  }
  return "";
}

// What must not depend on the order the entries came in: fingerprints and
// counts (README: "input order never enters a fingerprint").
std::vector<std::string> OrderFree(const std::vector<Cluster>& clusters) {
  std::vector<std::string> out;
  for (const Cluster& c : clusters) {
    std::string s = c.key + " " + std::to_string(c.count) + " " + Quote(c.template_text, 400);
    for (const std::string& fp : c.fingerprints) s += " " + fp;
    s += " " + std::to_string(c.first_seen_us) + ".." + std::to_string(c.last_seen_us);
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<Cluster> ClusterAll(const std::vector<const LogEntry*>& entries,
                                const ClusterOptions& options, std::string* problem) {
  Clusterer clusterer(options);
  for (const LogEntry* e : entries) clusterer.Add(*e);
  const size_t groups = clusterer.group_count();
  std::vector<uint32_t> group_cluster;
  std::vector<Cluster> clusters = clusterer.Finish(&group_cluster);
  *problem = ClustersProblem(clusters, group_cluster, groups, entries.size(), options);
  return clusters;
}

// Clusters `entries` forwards and backwards, and once more with buckets
// that crowd after three signatures, so that masking as entries come runs.
std::string ClusterProblem(const std::vector<LogEntry>& entries) {
  std::vector<const LogEntry*> order;
  for (const LogEntry& e : entries) order.push_back(&e);
  std::string problem;
  const std::vector<Cluster> forward = ClusterAll(order, ClusterOptions{}, &problem);
  if (!problem.empty()) return problem;
  std::reverse(order.begin(), order.end());
  const std::vector<Cluster> backward = ClusterAll(order, ClusterOptions{}, &problem);
  if (!problem.empty()) return problem;
  const std::vector<std::string> a = OrderFree(forward), b = OrderFree(backward);
  for (size_t i = 0; i < a.size() || i < b.size(); ++i) {
    if (i >= a.size() || i >= b.size() || a[i] != b[i]) {
      return "clusters depend on input order: " + (i < a.size() ? a[i] : "(none)") +
             " | reversed: " + (i < b.size() ? b[i] : "(none)");
    }
  }
  ClusterOptions crowded;
  crowded.max_groups_per_bucket = 3;
  crowded.crowded_position_words = 1;
  ClusterAll(order, crowded, &problem);
  return problem;
}

// A signature is tokens joined by single spaces, as many as counted, and a
// run of values is one value (README: lists of varying length match).
std::string NormalizeProblem(std::string_view message, size_t literal_tokens) {
  std::string signature;
  const size_t n = NormalizeMessage(message, &signature, literal_tokens);
  const std::vector<std::string> tokens = SplitSignature(signature);
  if (n > kMaxTokens || tokens.size() != n) {
    return "NormalizeMessage counted " + std::to_string(n) + " tokens in " + Quote(signature) +
           " from " + Quote(message);
  }
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string& t = tokens[i];
    if (t.empty() || std::any_of(t.begin(), t.end(), IsWhiteSpace)) {
      return "signature " + Quote(signature) + " has an empty or spaced token, from " +
             Quote(message);
    }
    // Two values may stand side by side: a quoted text or a list is one
    // value beside the next, and a request's literal route ends in one; the
    // join of templates (bot/cluster/template_join.h) reads a run of values
    // as one.
  }
  return "";
}

// What every entry the reader or parser hands out keeps to.
std::string EntryProblem(const LogEntry& e) {
  if (e.message.size() > kMaxMessageBytes) return "a message over kMaxMessageBytes";
  if (e.message.find('\n') != std::string::npos) {
    return "a message of more than one line: " + Quote(e.message);
  }
  if (e.timestamp_us != 0 && ParseRfc3339(FormatRfc3339(e.timestamp_us)) != e.timestamp_us) {
    return "timestamp " + std::to_string(e.timestamp_us) + " is written as " +
           FormatRfc3339(e.timestamp_us) + ", which does not read back";
  }
  return NormalizeProblem(e.message, static_cast<size_t>(std::max(e.literal_tokens, 0)));
}

// Reads `input` to its end as `format`; the entries go to *entries.
std::string ReadProblem(std::string_view input, InputFormat format,
                        std::vector<LogEntry>* entries) {
  std::string buffer(input);  // fmemopen wants a writable buffer
  std::unique_ptr<std::FILE, FileCloser> file(fmemopen(buffer.data(), buffer.size(), "r"));
  if (!file) return "";  // not the code under test
  EntryReader reader(file.get(), "fuzz.json", format);
  int64_t returned = 0;
  std::optional<Error> error;
  bool ended = false;
  // Every entry takes at least one byte: more calls than that, and the
  // reader has stopped moving.
  for (size_t calls = 0; calls <= input.size() + 1 && !ended; ++calls) {
    Result<std::optional<LogEntry>> next = reader.Next();
    if (!next) {
      error = next.error();
      ended = true;
    } else if (!next.value()) {
      Result<std::optional<LogEntry>> again = reader.Next();
      if (!again || again.value()) return "after the end, Next() gave more";
      ended = true;
    } else {
      ++returned;
      if (std::string p = EntryProblem(*next.value()); !p.empty()) return p;
      if (next.value()->id.empty()) return "an entry without an id";
      if (entries->size() < kMaxEntries) entries->push_back(std::move(*next.value()));
    }
  }
  if (!ended) return "the reader gave more entries than the input has bytes";
  const ReadStats& s = reader.stats();
  // Lines are always readable; JSON errors name the source and the offset.
  const bool expected_error =
      format != InputFormat::kLines && error && error->message.rfind("fuzz.json: byte ", 0) == 0;
  if (error && !expected_error) return "unexpected error: " + error->message;
  if (s.entries != returned) return "stats.entries differs from the entries returned";
  if (!error && s.bytes != static_cast<int64_t>(input.size())) return "stats.bytes is not the size";
  const bool offset_ok = s.malformed == 0
                             ? s.first_malformed_offset == -1
                             : s.first_malformed_offset >= 0 &&
                                   s.first_malformed_offset <= s.bytes &&
                                   !s.first_malformed_reason.empty();
  if (!offset_ok) return "first_malformed_offset " + std::to_string(s.first_malformed_offset);
  return "";
}

}  // namespace

std::string FuzzEntryParse(const uint8_t* data, size_t size) {
  Bytes in(data, size);
  const uint8_t flags = in.Byte();
  std::vector<LogEntry> entries;
  if (flags & 4) {
    // One entry straight to the parser: many more per second than through
    // the reader, whose 1 MiB read buffer dominates a small input's time.
    EntryParser parser;
    LogEntry entry;
    std::string reason;
    if (!parser.Parse(in.rest(), &entry, &reason)) {
      return reason.empty() ? "Parse failed without a reason" : "";
    }
    if (std::string p = EntryProblem(entry); !p.empty()) return p;
    entries.push_back(std::move(entry));
  } else {
    static constexpr InputFormat kFormats[] = {InputFormat::kAuto, InputFormat::kGcpJson,
                                               InputFormat::kNdjson, InputFormat::kLines};
    if (std::string p = ReadProblem(in.rest(), kFormats[flags & 3], &entries); !p.empty()) {
      return p;
    }
  }
  return ClusterProblem(entries);
}

std::string FuzzCluster(const uint8_t* data, size_t size) {
  Bytes in(data, size);
  const uint8_t flags = in.Byte();
  const size_t literal_tokens = flags & 3;
  const bool texts = flags & 4;  // NUL-separated texts, stack traces allowed
  const size_t services = 1 + ((flags >> 3) & 3);
  static constexpr Severity kSeverities[] = {Severity::kWarning, Severity::kError,
                                             Severity::kCritical, Severity::kDefault};
  std::vector<LogEntry> entries;
  while (!in.empty() && entries.size() < kMaxEntries) {
    const std::string_view record = in.Piece(texts ? '\0' : '\n');
    const size_t i = entries.size();
    LogEntry e;
    e.id = std::to_string(i + 1);
    e.service = "svc" + std::to_string(i % services);
    e.severity = kSeverities[i % 4];
    e.has_severity = true;
    // Some entries without a time; the others an hour and a bit apart.
    e.timestamp_us = i % 5 == 4 ? 0 : 1757700000 * kMicrosPerSecond + int64_t(i) * 3700000000;
    e.literal_tokens = static_cast<int>(literal_tokens);
    if (texts) {
      SetMessageFromText(record, &e);
    } else {
      e.message = std::string(CutUtf8(record, kMaxMessageBytes));
    }
    if (std::string p = NormalizeProblem(e.message, literal_tokens); !p.empty()) return p;
    entries.push_back(std::move(e));
  }
  return ClusterProblem(entries);
}

std::string FuzzConfig(const uint8_t* data, size_t size) {
  const ConfigText defaults{std::string(EmbeddedFile("rules/default.yml")), "rules/default.yml"};
  if (defaults.text.empty()) return "rules/default.yml is not embedded";
  const ConfigText user{std::string(reinterpret_cast<const char*>(data), size), "gardener.yml"};
  Result<Config> config = LoadConfig(defaults, user);
  if (!config) {
    const Error& e = config.error();
    if (e.kind != ErrorKind::kConfig || e.message.empty()) return "an error of the wrong kind";
    // "<source_name>:<line>:<column>: <what>", one problem a line.
    Bytes lines(reinterpret_cast<const uint8_t*>(e.message.data()), e.message.size());
    while (!lines.empty()) {
      const std::string_view line = lines.Piece('\n');
      size_t at = std::string_view("gardener.yml:").size();
      bool ok = line.rfind("gardener.yml:", 0) == 0;
      for (int part = 0; ok && part < 2; ++part) {
        const size_t digits = line.find_first_not_of("0123456789", at);
        ok = digits != at && digits != std::string_view::npos && line[digits] == ':';
        at = digits + 1;
      }
      if (!ok || line.substr(at, 1) != " " || line.size() <= at + 1) {
        return "error line not as <file>:<line>:<column>: <what>: " + Quote(line);
      }
    }
    return "";
  }
  const Config& c = config.value();
  for (const Rule& rule : c.rules.rules) {
    for (const std::string& label : rule.set.labels) {
      if (!LabelProblem(label).empty()) return "rule " + rule.name + " sets label " + Quote(label);
    }
    if (rule.set.priority && (*rule.set.priority < 0 || *rule.set.priority > 6)) {
      return "rule " + rule.name + " sets priority " + std::to_string(*rule.set.priority);
    }
  }
  // The patterns run over a problem, as they would in a run.
  Cluster cluster;
  cluster.template_text = "payment <*> failed: connection reset by peer";
  cluster.service = "cart-api";
  cluster.max_severity = Severity::kError;
  cluster.count = 12;
  cluster.locations.push_back(Location{"app.payments", "charge", 88});
  cluster.samples.push_back(Sample{"1", 0, Severity::kError, "payment 42 failed"});
  ProblemFacts facts;
  facts.cluster = &cluster;
  facts.rate_per_hour = 12;
  Evaluate(c.rules, facts);
  return "";
}

}  // namespace triage::fuzz
