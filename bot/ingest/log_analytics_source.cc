#include "bot/ingest/log_analytics_source.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "bot/base/severity.h"
#include "bot/base/version.h"
#include "bot/ingest/log_analytics_sql.h"
#include "clients/gcp_auth.h"

namespace triage {
namespace {

constexpr int64_t kProbeRows = 10000;  // the probe clusterer starts afresh this often

Error BadRow(const std::string& what) {
  return Error{ErrorKind::kHttp, "Log Analytics: a row not in the statement's shape: " + what, 200};
}

bool ToInt(const BigQueryValue& v, int64_t* out) {
  if (v.kind != BigQueryValue::Kind::kScalar || v.text.empty()) return false;
  char* end = nullptr;
  long long n = std::strtoll(v.text.c_str(), &end, 10);
  if (end == nullptr || *end != '\0') return false;
  *out = n;
  return true;
}

std::string Text(const BigQueryValue& v) { return v.kind == BigQueryValue::Kind::kScalar ? v.text : ""; }

}  // namespace

std::vector<AnalyticsRow> SortedAsRead(std::vector<AnalyticsRow> rows) {
  std::vector<std::pair<std::string, size_t>> ids(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    // The insertId, read without a full parse: only to break ties in time.
    const std::string& e = rows[i].earliest;
    size_t at = e.find("\"insertId\":\"");
    ids[i] = {at == std::string::npos ? "" : e.substr(at + 12, e.find('"', at + 12) - at - 12), i};
  }
  std::vector<size_t> order(rows.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (rows[a].counts.first_us != rows[b].counts.first_us) return rows[a].counts.first_us < rows[b].counts.first_us;
    return ids[a].first < ids[b].first;
  });
  std::vector<AnalyticsRow> sorted;
  sorted.reserve(rows.size());
  for (size_t i : order) sorted.push_back(std::move(rows[i]));
  return sorted;
}

Result<AnalyticsRow> ReadAnalyticsRow(const BigQueryRow& row) {
  constexpr size_t kColumns = sizeof(kAnalyticsColumns) / sizeof(kAnalyticsColumns[0]);
  if (row.size() != kColumns) {
    return BadRow(std::to_string(row.size()) + " cells, expected " + std::to_string(kColumns));
  }
  AnalyticsRow r;
  r.severity = Text(row[0]);
  if (!ToInt(row[1], &r.counts.count) || r.counts.count <= 0) return BadRow("n is not a count");
  // Timestamps come as microseconds (formatOptions.useInt64Timestamp).
  if (!ToInt(row[2], &r.counts.first_us) || !ToInt(row[3], &r.counts.last_us)) {
    return BadRow("first_seen or last_seen is not a time");
  }
  if (row[4].kind != BigQueryValue::Kind::kArray) return BadRow("hours is not a list");
  for (const BigQueryValue& h : row[4].items) {
    int64_t hour = 0, n = 0;
    if (h.kind != BigQueryValue::Kind::kRecord || h.items.size() != 2 || !ToInt(h.items[0], &hour) ||
        !ToInt(h.items[1], &n)) {
      return BadRow("an hour is not (hour, n)");
    }
    r.counts.hourly[hour] += n;
  }
  if (row[5].kind == BigQueryValue::Kind::kArray) {
    for (const BigQueryValue& rev : row[5].items) {
      if (!Text(rev).empty()) r.counts.revisions.push_back(rev.text);
    }
  }
  r.earliest = Text(row[6]);
  r.latest = Text(row[7]);
  if (r.earliest.empty() || r.latest.empty()) return BadRow("no earliest or latest entry");
  return r;
}

AnalyticsMerger::AnalyticsMerger(Collector* collector) : collector_(collector) {}
AnalyticsMerger::~AnalyticsMerger() = default;

Result<Ok> AnalyticsMerger::Add(const AnalyticsRow& row) {
  LogEntry earliest, latest;
  std::string why;
  // A row of one entry has it as earliest and latest: parsed once.
  const bool one = row.earliest == row.latest;
  if (!parser_.Parse(row.earliest, &earliest, &why) || (!one && !parser_.Parse(row.latest, &latest, &why))) {
    return Error{ErrorKind::kHttp, "Log Analytics: an entry of a row does not parse: " + why, 200};
  }
  if (one) latest = earliest;
  // The row's severity is the one every entry of it got from the parser
  // (the statement groups by the stored severity, and by the payload's
  // when there is none).
  CountedGroup counts = row.counts;
  counts.severity_counts[earliest.severity] = counts.count;
  if (probe_ == nullptr || rows_ % kProbeRows == 0) probe_ = std::make_unique<Clusterer>();
  if (!one && probe_->Add(earliest) != probe_->Add(latest)) {
    ++key_mismatches_;
    if (mismatch_examples_.size() < 5) {
      mismatch_examples_.push_back("\"" + earliest.message.substr(0, 200) + "\" and \"" +
                                   latest.message.substr(0, 200) + "\"");
    }
  }
  collector_->AddCounted(earliest, latest, counts);
  ++rows_;
  entries_ += counts.count;
  return Ok{};
}

Result<CollectResult> CollectFromLogAnalytics(const CollectOptions& options, const SourceConfig& source,
                                              int64_t since_us, int64_t until_us, const CloudAccess& access,
                                              std::ostream& err) {
  Result<AnalyticsQuery> query = BuildAnalyticsQuery(source, options.filter, since_us, until_us);
  if (!query) return query.error();
  if (access.transport == nullptr) return Error{ErrorKind::kUsage, "no HTTP transport"};
  HttpTransport* transport = access.transport;
  GcpAuthOptions auth;
  auth.access_token_file = access.access_token_file;
  auth.getenv = access.getenv;
  Result<std::unique_ptr<GcpTokenSource>> credential = FindGcpCredentials(*transport, auth, access.clock);
  if (!credential) return credential.error();
  GcpTokenSource& token = *credential.value();
  err << kProgramName << ": querying Log Analytics (" << source.dataset << "._AllLogs) as "
      << token.Description() << "\n";

  BigQueryOptions bq;
  std::string endpoint = access.getenv("BIGQUERY_ENDPOINT");
  if (!endpoint.empty()) bq.endpoint = endpoint;
  bq.user_agent = std::string(kProgramName) + "/" + kVersion;
  auto random = std::make_shared<std::mt19937_64>(static_cast<uint64_t>(access.clock()));
  BigQueryClient client(
      *transport, bq,
      [&](bool force) {
        auto t = token.AccessToken(force);
        if (t && access.mask) access.mask(t.value());
        return t;
      },
      access.sleep, access.clock, [random] { return std::uniform_real_distribution<double>(0, 1)(*random); });

  BigQueryJob job;
  job.project = !source.billing_project.empty() ? source.billing_project
                                                : source.dataset.substr(0, source.dataset.rfind('.'));
  job.sql = query.value().sql;
  job.parameters = query.value().parameters;
  job.location = source.location;
  job.maximum_bytes_billed = source.max_bytes_billed;
  char id[40];
  std::snprintf(id, sizeof id, "gardener-%016llx", static_cast<unsigned long long>((*random)()));
  job.request_id = id;

  Result<int64_t> bytes = client.DryRun(job);
  if (!bytes) return bytes.error();
  err << kProgramName << ": dry run: the query would process " << bytes.value() << " bytes (cap "
      << source.max_bytes_billed << ")\n";
  if (bytes.value() > source.max_bytes_billed) {
    return Error{ErrorKind::kBudget,
                 "the query would process " + std::to_string(bytes.value()) +
                     " bytes, more than source.max_bytes_billed (" + std::to_string(source.max_bytes_billed) +
                     "); nothing was run or billed: shorten the window (--since) or raise the cap"};
  }

  Collector collector(options);
  Result<Ok> started = collector.Start();
  if (!started) return started.error();
  std::vector<AnalyticsRow> rows;
  Result<BigQueryStats> ran = client.Query(job, [&](const std::vector<BigQueryField>&, BigQueryRow cells) -> Result<Ok> {
    if (static_cast<int64_t>(rows.size()) >= source.max_groups) {
      return Error{ErrorKind::kBudget, "the window holds more than source.max_groups (" +
                                           std::to_string(source.max_groups) +
                                           ") groups of entries: shorten the window (--since) or raise the cap"};
    }
    Result<AnalyticsRow> row = ReadAnalyticsRow(cells);
    if (!row) return row.error();
    rows.push_back(std::move(row.value()));
    return Ok{};
  });
  if (!ran) return ran.error();
  AnalyticsMerger merger(&collector);
  for (const AnalyticsRow& row : SortedAsRead(std::move(rows))) {
    Result<Ok> added = merger.Add(row);
    if (!added) return added.error();
  }
  err << kProgramName << ": Log Analytics: " << merger.rows() << " rows for " << merger.entries()
      << " entries, " << ran.value().total_bytes_processed << " bytes processed\n";
  if (merger.key_mismatches() > 0) {
    err << kProgramName << ": warning: " << merger.key_mismatches()
        << " Log Analytics groups hold entries with different signatures (the SQL mask is coarser than the "
           "clusterer's there; counted under the earliest's), e.g. "
        << merger.mismatch_examples()[0] << "\n";
  }
  ReadStats read;
  read.entries = merger.entries();
  Result<CollectResult> result = collector.Finish(read);
  if (result) result.value().newest_read_us = until_us;
  return result;
}

}  // namespace triage
