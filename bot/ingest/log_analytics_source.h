// The run's entries read through Log Analytics: one GoogleSQL query on the
// bucket's linked BigQuery dataset returns one row per group of entries
// with one signature (log_analytics_sql.h); each row's earliest entry goes
// through the unchanged parser, rows whose clusterer keys are equal merge,
// and the clusterer splits templates and fingerprints as for any read.
#ifndef TRIAGE_BOT_INGEST_LOG_ANALYTICS_SOURCE_H_
#define TRIAGE_BOT_INGEST_LOG_ANALYTICS_SOURCE_H_

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "bot/base/result.h"
#include "bot/cluster/cluster.h"
#include "bot/ingest/cloud_source.h"
#include "bot/ingest/collect.h"
#include "bot/ingest/entry_parse.h"
#include "clients/bigquery_client.h"
#include "rules/config.h"

namespace triage {

// One row of the statement (columns as kAnalyticsColumns).
struct AnalyticsRow {
  std::string severity;  // as stored; "" when NULL
  CountedGroup counts;
  std::string earliest;  // the entries:list JSON of the earliest entry
  std::string latest;    // and of the latest
};

// Reads a row in BigQuery's f/v cells. Errors (kHttp): a row that does not
// have the statement's shape.
Result<AnalyticsRow> ReadAnalyticsRow(const BigQueryRow& row);

// The rows in the order entries:list would first show their entries
// (earliest entry's time, then insertId): the clusterer keeps the first
// call sites and revisions it meets, so the order matters there.
std::vector<AnalyticsRow> SortedAsRead(std::vector<AnalyticsRow> rows);

// Turns rows into clusterer groups through `collector`.
class AnalyticsMerger {
 public:
  explicit AnalyticsMerger(Collector* collector);
  ~AnalyticsMerger();
  AnalyticsMerger(const AnalyticsMerger&) = delete;
  AnalyticsMerger& operator=(const AnalyticsMerger&) = delete;

  // Parses the row's earliest and latest entries, checks that both get one
  // clusterer key, and counts the row in. Errors (kHttp): an entry that
  // does not parse.
  Result<Ok> Add(const AnalyticsRow& row);

  int64_t rows() const { return rows_; }
  int64_t entries() const { return entries_; }
  // Rows whose latest entry got another clusterer key than their earliest:
  // the SQL mask was coarser than the clusterer's there. Counted under the
  // earliest's key, never merged silently: said in the run's output.
  int64_t key_mismatches() const { return key_mismatches_; }
  const std::vector<std::string>& mismatch_examples() const { return mismatch_examples_; }

 private:
  Collector* collector_;
  EntryParser parser_;
  std::unique_ptr<Clusterer> probe_;  // tells whether two entries share a key
  int64_t rows_ = 0, entries_ = 0, key_mismatches_ = 0;
  std::vector<std::string> mismatch_examples_;
};

// Reads `source` (kind log_analytics) from `since_us` to `until_us`: a dry
// run, stopping (kBudget) when it would scan more than
// source.max_bytes_billed; then the query, stopping (kBudget) at more than
// source.max_groups rows. Says the bytes, rows and any key mismatches on
// `err`. Errors as BigQueryClient gives them; kAuth for credentials.
Result<CollectResult> CollectFromLogAnalytics(const CollectOptions& options, const SourceConfig& source,
                                              int64_t since_us, int64_t until_us, const CloudAccess& access,
                                              std::ostream& err);

}  // namespace triage

#endif  // TRIAGE_BOT_INGEST_LOG_ANALYTICS_SOURCE_H_
