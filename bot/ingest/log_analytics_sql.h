// The one GoogleSQL statement the Log Analytics source sends to BigQuery.
// It groups the window's entries by a key at least as fine as the
// clusterer's (service, call-site inputs, exception inputs, the message
// masked token by token): two entries with one SQL key always get one
// clusterer key, so merging the rows in C++ gives the clusters that reading
// the entries one by one gives. Pure: builds text, sends nothing.
#ifndef TRIAGE_BOT_INGEST_LOG_ANALYTICS_SQL_H_
#define TRIAGE_BOT_INGEST_LOG_ANALYTICS_SQL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "bot/base/result.h"
#include "bot/ingest/collect.h"
#include "clients/bigquery_client.h"
#include "rules/config.h"

namespace triage {

using QueryParameter = BigQueryParameter;

struct AnalyticsQuery {
  std::string sql;
  std::vector<QueryParameter> parameters;
  int64_t max_groups = 0;  // the statement asks for one row more, to tell
  // The same entries and keys, one row (insert_id, k) per entry, to look
  // into a group: what the tests check the clusterer's keys against.
  std::string keys_sql;
};

// How message tokens are masked. kExact is what the bot sends. kCoarse
// replaces every token that holds a digit by one symbol, which is coarser
// than the clusterer in places ("id=5" and "5," become one): tests use it
// to show that their straddle check can fail.
enum class SqlMask { kExact, kCoarse };

// The columns of each returned row, in order.
inline constexpr const char* kAnalyticsColumns[] = {
    "severity", "n", "first_seen", "last_seen", "hours", "revisions", "earliest", "latest"};

// The statement for `source` (its dataset, resource type, group cap),
// `filter` (severity floor, services) and [since_us, until_us). Errors
// (kConfig): the dataset is not PROJECT.DATASET, or source.filter is set
// (Logging query language has no place in SQL).
Result<AnalyticsQuery> BuildAnalyticsQuery(const SourceConfig& source, const EntryFilter& filter,
                                           int64_t since_us, int64_t until_us,
                                           SqlMask mask = SqlMask::kExact);

// The statement and its parameters as text a person can read and paste into
// the BigQuery console (`gcp-log-gardener query`).
std::string DescribeAnalyticsQuery(const AnalyticsQuery& query);

}  // namespace triage

#endif  // TRIAGE_BOT_INGEST_LOG_ANALYTICS_SQL_H_
