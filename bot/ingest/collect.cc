#include "bot/ingest/collect.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
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

struct Collector::Scratch {
  File file;
};

Collector::Collector(const CollectOptions& options)
    : options_(options), clusterer_(options.cluster), scratch_(new Scratch) {}
Collector::~Collector() = default;

Result<Ok> Collector::Start() {
  // Assignments go to a scratch file as (id, group) while reading, so that
  // memory does not grow with the entries; keys are known only at the end.
  if (!options_.assignments_path.empty()) {
    scratch_->file.reset(std::tmpfile());
    if (!scratch_->file) {
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
  if (std::FILE* f = scratch_->file.get()) {
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
  std::FILE* scratch = scratch_->file.get();
  if (scratch == nullptr) return std::move(result_);
  File out(std::fopen(options_.assignments_path.c_str(), "wb"));
  if (!out) {
    return Error{ErrorKind::kInput,
                 options_.assignments_path + ": cannot write: " + std::strerror(errno)};
  }
  std::map<std::string, std::string> keys;
  if (options_.assignment_keys) keys = options_.assignment_keys(result_.clusters);
  std::fputs("id,key\n", out.get());
  std::rewind(scratch);
  uint32_t len, group;
  std::string id;
  while (std::fread(&len, sizeof len, 1, scratch) == 1) {
    id.resize(len);
    if (std::fread(&id[0], 1, len, scratch) != len || std::fread(&group, sizeof group, 1, scratch) != 1) {
      return Error{ErrorKind::kInput, "temporary assignments file is truncated"};
    }
    const std::string& key = result_.clusters[group_cluster[group]].key;
    auto mapped = keys.find(key);
    std::string line = CsvField(id) + "," + (mapped == keys.end() ? key : mapped->second) + "\n";
    std::fputs(line.c_str(), out.get());
  }
  if (std::fflush(out.get()) != 0) {
    return Error{ErrorKind::kInput,
                 options_.assignments_path + ": write failed: " + std::strerror(errno)};
  }
  return std::move(result_);
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
