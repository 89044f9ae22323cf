#include "bot/ingest/collect.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <algorithm>
#include <memory>

namespace triage {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

// A CSV field: quoted when it holds a comma, quote or line break.
std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

}  // namespace

bool PassesFilter(const EntryFilter& filter, const LogEntry& entry) {
  if (entry.has_severity || filter.severity_explicit) {
    if (static_cast<int>(entry.severity) < static_cast<int>(filter.min_severity)) return false;
  }
  if (entry.timestamp_us != 0) {
    if (filter.since_us && entry.timestamp_us < *filter.since_us) return false;
    if (filter.until_us && entry.timestamp_us >= *filter.until_us) return false;
  }
  if (!filter.services.empty()) {
    bool found = false;
    for (const std::string& s : filter.services) found = found || s == entry.service;
    if (!found) return false;
  }
  return true;
}

class AssignmentLog {
 public:
  File file;
  std::vector<uint32_t> group_cluster;  // group -> index in the clusters
};

Collector::Collector(const CollectOptions& options)
    : options_(options), clusterer_(options.cluster) {
  result_.before.times = options.count_before;
  std::vector<int64_t>& times = result_.before.times;
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
}
Collector::~Collector() = default;

Result<Ok> Collector::Start() {
  // Assignments go to a scratch file as (id, group) while reading, so that
  // memory does not grow with the entries; keys are known only at the end.
  if (options_.keep_assignments) {
    result_.assignments = std::make_shared<AssignmentLog>();
    result_.assignments->file.reset(std::tmpfile());
    if (!result_.assignments->file) {
      return Error{ErrorKind::kInput, std::string("cannot create a temporary file: ") +
                                          std::strerror(errno)};
    }
  }
  return Ok{};
}

void Collector::Add(const LogEntry& entry) {
  if (!PassesFilter(options_.filter, entry)) {
    ++result_.filtered_out;
    return;
  }
  uint32_t group = clusterer_.Add(entry);
  ++result_.clustered;
  const std::vector<int64_t>& times = result_.before.times;
  if (entry.timestamp_us != 0 && !times.empty() && entry.timestamp_us <= times.back()) {
    std::vector<int64_t>& spans = before_[group];
    if (spans.empty()) spans.assign(times.size(), 0);
    ++spans[std::lower_bound(times.begin(), times.end(), entry.timestamp_us) - times.begin()];
  }
  if (result_.assignments) {
    std::FILE* f = result_.assignments->file.get();
    uint32_t len = static_cast<uint32_t>(entry.id.size());
    std::fwrite(&len, sizeof len, 1, f);
    std::fwrite(entry.id.data(), 1, len, f);
    std::fwrite(&group, sizeof group, 1, f);
  }
}

void Collector::AddCounted(const LogEntry& earliest, const LogEntry& latest, const CountedGroup& counts) {
  if (!PassesFilter(options_.filter, earliest)) {
    result_.filtered_out += counts.count;
    return;
  }
  clusterer_.AddCounted(earliest, latest, counts);
  result_.clustered += counts.count;
}

Result<CollectResult> Collector::Finish(const ReadStats& read) {
  result_.read = read;
  std::vector<uint32_t> group_cluster;
  result_.clusters = clusterer_.Finish(&group_cluster);
  for (const auto& [group, spans] : before_) {
    std::vector<int64_t>& counts = result_.before.at_or_before[result_.clusters[group_cluster[group]].key];
    if (counts.empty()) counts.assign(spans.size(), 0);
    for (size_t i = 0; i < spans.size(); ++i) counts[i] += spans[i];
  }
  for (auto& [key, counts] : result_.before.at_or_before) {
    for (size_t i = 1; i < counts.size(); ++i) counts[i] += counts[i - 1];
  }
  if (result_.assignments) result_.assignments->group_cluster = std::move(group_cluster);
  return std::move(result_);
}

int64_t CountAfter(const OccurrencesBefore& counts, const std::vector<std::string>& keys,
                   int64_t total, int64_t time) {
  auto at = std::lower_bound(counts.times.begin(), counts.times.end(), time);
  if (at == counts.times.end() || *at != time) return total;
  const size_t index = at - counts.times.begin();
  int64_t before = 0;
  for (const std::string& key : keys) {
    auto it = counts.at_or_before.find(key);
    if (it != counts.at_or_before.end()) before += it->second[index];
  }
  return std::max<int64_t>(total - before, 0);
}

Result<Ok> WriteAssignments(const CollectResult& r, const std::string& path,
                            const std::map<std::string, std::string>& keys) {
  if (!r.assignments) return Error{ErrorKind::kUsage, "the assignments were not kept"};
  std::FILE* scratch = r.assignments->file.get();
  File out(std::fopen(path.c_str(), "wb"));
  if (!out) return Error{ErrorKind::kInput, path + ": cannot write: " + std::strerror(errno)};
  std::fputs("id,key\n", out.get());
  std::rewind(scratch);
  uint32_t len, group;
  std::string id;
  while (std::fread(&len, sizeof len, 1, scratch) == 1) {
    id.resize(len);
    if (std::fread(&id[0], 1, len, scratch) != len || std::fread(&group, sizeof group, 1, scratch) != 1 ||
        group >= r.assignments->group_cluster.size()) {
      return Error{ErrorKind::kInput, "temporary assignments file is truncated"};
    }
    const std::string& key = r.clusters[r.assignments->group_cluster[group]].key;
    auto mapped = keys.find(key);
    std::string line = CsvField(id) + "," + (mapped == keys.end() ? key : mapped->second) + "\n";
    std::fputs(line.c_str(), out.get());
  }
  if (std::fflush(out.get()) != 0) {
    return Error{ErrorKind::kInput, path + ": write failed: " + std::strerror(errno)};
  }
  return Ok{};
}

Result<CollectResult> CollectAndCluster(const CollectOptions& options) {
  File owned;
  std::FILE* in = stdin;
  if (options.input != "-") {
    owned.reset(std::fopen(options.input.c_str(), "rb"));
    if (!owned) {
      return Error{ErrorKind::kInput,
                   options.input + ": cannot open: " + std::strerror(errno)};
    }
    in = owned.get();
  }
  Collector collector(options);
  Result<Ok> started = collector.Start();
  if (!started) return started.error();
  EntryReader reader(in, options.input, options.format);
  for (;;) {
    Result<std::optional<LogEntry>> next = reader.Next();
    if (!next) return next.error();
    if (!next.value()) break;
    collector.Add(*next.value());
  }
  if (std::ferror(in)) {
    return Error{ErrorKind::kInput, reader.source() + ": read error: " + std::strerror(errno)};
  }
  const ReadStats& read = reader.stats();
  if (read.entries == 0 && read.malformed > 0) {
    return Error{ErrorKind::kInput,
                 reader.source() + ": byte " + std::to_string(read.first_malformed_offset) +
                     ": no valid log entry: " + read.first_malformed_reason};
  }
  return collector.Finish(read);
}

}  // namespace triage
