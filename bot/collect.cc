#include "bot/collect.h"

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
  // Assignments go to a scratch file as (id, group) while reading, so that
  // memory does not grow with the entries; keys are known only at the end.
  File scratch;
  if (!options.assignments_path.empty()) {
    scratch.reset(std::tmpfile());
    if (!scratch) {
      return Error{ErrorKind::kInput, std::string("cannot create a temporary file: ") +
                                          std::strerror(errno)};
    }
  }
  EntryReader reader(in, options.input, options.format);
  Clusterer clusterer(options.cluster);
  CollectResult result;
  for (;;) {
    Result<std::optional<LogEntry>> next = reader.Next();
    if (!next) return next.error();
    if (!next.value()) break;
    const LogEntry& entry = *next.value();
    if (!PassesFilter(options.filter, entry)) {
      ++result.filtered_out;
      continue;
    }
    uint32_t group = clusterer.Add(entry);
    ++result.clustered;
    if (scratch) {
      uint32_t len = static_cast<uint32_t>(entry.id.size());
      std::fwrite(&len, sizeof len, 1, scratch.get());
      std::fwrite(entry.id.data(), 1, len, scratch.get());
      std::fwrite(&group, sizeof group, 1, scratch.get());
    }
  }
  if (std::ferror(in)) {
    return Error{ErrorKind::kInput, reader.source() + ": read error: " + std::strerror(errno)};
  }
  result.read = reader.stats();
  if (result.read.entries == 0 && result.read.malformed > 0) {
    return Error{ErrorKind::kInput,
                 reader.source() + ": byte " + std::to_string(result.read.first_malformed_offset) +
                     ": no valid log entry: " + result.read.first_malformed_reason};
  }
  std::vector<uint32_t> group_cluster;
  result.clusters = clusterer.Finish(&group_cluster);

  if (scratch) {
    File out(std::fopen(options.assignments_path.c_str(), "wb"));
    if (!out) {
      return Error{ErrorKind::kInput,
                   options.assignments_path + ": cannot write: " + std::strerror(errno)};
    }
    std::map<std::string, std::string> keys;
    if (options.assignment_keys) keys = options.assignment_keys(result.clusters);
    std::fputs("id,key\n", out.get());
    std::rewind(scratch.get());
    uint32_t len, group;
    std::string id;
    while (std::fread(&len, sizeof len, 1, scratch.get()) == 1) {
      id.resize(len);
      if (std::fread(&id[0], 1, len, scratch.get()) != len ||
          std::fread(&group, sizeof group, 1, scratch.get()) != 1) {
        return Error{ErrorKind::kInput, "temporary assignments file is truncated"};
      }
      const std::string& key = result.clusters[group_cluster[group]].key;
      auto mapped = keys.find(key);
      std::string line = CsvField(id) + "," + (mapped == keys.end() ? key : mapped->second) + "\n";
      std::fputs(line.c_str(), out.get());
    }
    if (std::fflush(out.get()) != 0) {
      return Error{ErrorKind::kInput,
                   options.assignments_path + ": write failed: " + std::strerror(errno)};
    }
  }
  return result;
}

}  // namespace triage
