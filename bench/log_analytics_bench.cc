// The Log Analytics source's share of a run, measured: the columns its
// statement references (what on-demand billing charges for), and the time
// to merge and cluster returned rows. A benchmark, not a test: it prints
// figures and checks nothing. bench/log_analytics.sh runs it.
//
//   log_analytics_bench columns            the _AllLogs columns referenced
//   log_analytics_bench corpus N SEED      N generated entries as NDJSON
//   log_analytics_bench merge ROWS         time to read, merge, cluster ROWS rows
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include "bot/base/time_util.h"
#include "bot/ingest/log_analytics_source.h"
#include "bot/ingest/log_analytics_sql.h"
#include "tests/support/fake_bigquery_corpus.h"

namespace triage {
namespace {

const char* kAllLogsColumns[] = {"timestamp", "receive_timestamp", "log_id", "log_name", "resource",
                                 "proto_payload", "text_payload", "json_payload", "http_request", "labels",
                                 "operation", "trace", "span_id", "trace_sampled", "source_location", "split",
                                 "severity", "severity_number", "insert_id", "error_groups"};

int Columns() {
  SourceConfig source;
  source.dataset = "shop-prod.shop_logs";
  Result<AnalyticsQuery> q = BuildAnalyticsQuery(source, EntryFilter{}, 0, 3600000000LL);
  if (!q) return 1;
  std::cout << "statement: " << q.value().sql.size() << " bytes; columns referenced:";
  int n = 0;
  for (const char* column : kAllLogsColumns) {
    if (std::regex_search(q.value().sql, std::regex(std::string("(^|[^.'\\w])") + column + "\\b(?!')"))) {
      std::cout << " " << column;
      ++n;
    }
  }
  std::cout << " (" << n << " of " << sizeof kAllLogsColumns / sizeof kAllLogsColumns[0] << ")\n";
  return 0;
}

int Corpus(size_t n, uint64_t seed) {
  testing::LogCorpus corpus(seed);
  for (size_t i = 0; i < n; ++i) std::cout << corpus.Entry(i) << "\n";
  return 0;
}

BigQueryValue Scalar(std::string text) {
  BigQueryValue v;
  v.kind = BigQueryValue::Kind::kScalar;
  v.text = std::move(text);
  return v;
}

// ROWS rows as BigQuery would return them: each a generated entry as its
// earliest (and, with another insertId, its latest), a count, hours and
// revisions.
int Merge(size_t rows) {
  testing::LogCorpus corpus(99);
  std::mt19937_64 rng(5);
  std::vector<BigQueryRow> cells;
  cells.reserve(rows);
  for (size_t i = 0; i < rows; ++i) {
    std::string entry = corpus.Entry(i);
    const size_t at = entry.find("\"timestamp\":\"") + 13;
    const int64_t t = ParseRfc3339(entry.substr(at, entry.find('"', at) - at)).value_or(0);
    const int64_t hour = t - t % 3600000000LL;
    const int64_t n = 1 + static_cast<int64_t>(rng() % 50);
    BigQueryValue hours;
    hours.kind = BigQueryValue::Kind::kArray;
    BigQueryValue h;
    h.kind = BigQueryValue::Kind::kRecord;
    h.items = {Scalar(std::to_string(hour)), Scalar(std::to_string(n))};
    hours.items.push_back(h);
    BigQueryValue revisions;
    revisions.kind = BigQueryValue::Kind::kArray;
    revisions.items.push_back(Scalar("rev-1"));
    const size_t sev = entry.find("\"severity\":\"");
    std::string severity = sev == std::string::npos ? "" : entry.substr(sev + 12, entry.find('"', sev + 12) - sev - 12);
    BigQueryValue severity_cell = severity.empty() ? BigQueryValue{} : Scalar(severity);
    // A row of more than one entry has another entry as its latest.
    std::string latest = entry;
    if (n > 1) latest.replace(latest.find("\"g-"), 3, "\"h-");
    cells.push_back({severity_cell, Scalar(std::to_string(n)), Scalar(std::to_string(t)), Scalar(std::to_string(t)),
                     hours, revisions, Scalar(entry), Scalar(latest)});
  }
  const auto start = std::chrono::steady_clock::now();
  CollectOptions options;
  Collector collector(options);
  if (!collector.Start()) return 1;
  std::vector<AnalyticsRow> parsed;
  parsed.reserve(rows);
  for (const BigQueryRow& row : cells) {
    Result<AnalyticsRow> r = ReadAnalyticsRow(row);
    if (!r) {
      std::cerr << r.error().message << "\n";
      return 1;
    }
    parsed.push_back(std::move(r.value()));
  }
  AnalyticsMerger merger(&collector);
  for (const AnalyticsRow& row : SortedAsRead(std::move(parsed))) {
    if (!merger.Add(row)) return 1;
  }
  Result<CollectResult> result = collector.Finish(ReadStats{});
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!result) return 1;
  std::printf("merge and cluster: %zu rows (%lld entries) -> %zu clusters in %.2f s, %.0f rows per s\n", rows,
              static_cast<long long>(merger.entries()), result.value().clusters.size(), secs, rows / secs);
  return 0;
}

}  // namespace
}  // namespace triage

int main(int argc, char** argv) {
  const std::string what = argc > 1 ? argv[1] : "";
  if (what == "columns") return triage::Columns();
  if (what == "corpus" && argc == 4) return triage::Corpus(std::strtoull(argv[2], nullptr, 10), std::strtoull(argv[3], nullptr, 10));
  if (what == "merge" && argc == 3) return triage::Merge(std::strtoull(argv[2], nullptr, 10));
  std::cerr << "usage: log_analytics_bench columns | corpus N SEED | merge ROWS\n";
  return 2;
}
