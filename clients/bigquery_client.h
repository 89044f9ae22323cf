// BigQuery's jobs.query and jobs.getQueryResults, as the Log Analytics
// source uses them: a dry run that says what the query would scan, then
// the query with a cap on the bytes billed, polled until it is done and
// paged through. Retries the errors BigQuery calls transient, never the
// ones a person must fix, and says what to fix.
#ifndef TRIAGE_CLIENTS_BIGQUERY_CLIENT_H_
#define TRIAGE_CLIENTS_BIGQUERY_CLIENT_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "bot/base/result.h"
#include "clients/http.h"
#include "clients/retry_policy.h"

namespace triage {

// A named query parameter: `type` "STRING", "TIMESTAMP", "INT64"; an array
// of that type when `array`. TIMESTAMP values are RFC 3339 text.
struct BigQueryParameter {
  std::string name;
  std::string type;
  bool array = false;
  std::vector<std::string> values;  // exactly one unless `array`
};

struct BigQueryJob {
  std::string project;   // the billing project: the job runs and is billed there
  std::string sql;       // GoogleSQL (useLegacySql is always false)
  std::vector<BigQueryParameter> parameters;
  std::string location;  // the dataset's location; "" = let BigQuery find it
  int64_t maximum_bytes_billed = 0;  // 0 = no cap (never sent so by the bot)
  std::string request_id;  // the same on a resend, so BigQuery runs it once
  int64_t timeout_ms = 10000;  // how long one call waits for the job
  int max_results = 10000;     // rows per page
};

// A cell of a row in BigQuery's f/v format: NULL, a scalar (INT64 and
// TIMESTAMP come as text), a REPEATED field's values or a RECORD's fields.
struct BigQueryValue {
  enum class Kind { kNull, kScalar, kArray, kRecord };
  Kind kind = Kind::kNull;
  std::string text;                  // kScalar
  std::vector<BigQueryValue> items;  // kArray, kRecord
};
using BigQueryRow = std::vector<BigQueryValue>;

struct BigQueryField {
  std::string name;
  std::string type;  // STRING, INTEGER, TIMESTAMP, RECORD, ...
  std::string mode;  // NULLABLE, REPEATED, REQUIRED
};

struct BigQueryStats {
  int64_t total_bytes_processed = 0;
  int64_t total_bytes_billed = 0;
  int64_t rows = 0;      // delivered
  int pages = 0;         // answers that carried rows or completed the job
  int polls = 0;         // answers with jobComplete false
  int requests = 0;      // sends, retries included
  bool cache_hit = false;
  std::string job_id;    // "" when BigQuery ran it without a job
};

struct BigQueryOptions {
  // "/bigquery/v2/projects/P/queries" is appended. BIGQUERY_ENDPOINT
  // overrides it (the caller reads the environment).
  std::string endpoint = "https://bigquery.googleapis.com";
  std::string user_agent = "gcp-log-gardener";
  RetryOptions retry;
  // A job not done after this long is given up on (its id is said).
  int64_t max_wait_us = 30 * 60 * int64_t{1000000};
};

// The body of jobs.query for `job`; with `dry_run`, dryRun: true. Pure.
std::string QueryRequestBody(const BigQueryJob& job, bool dry_run);

class BigQueryClient {
 public:
  // Gives an access token; `force_refresh` is true once after a 401.
  using TokenSource = std::function<Result<std::string>(bool force_refresh)>;
  using RowSink = std::function<Result<Ok>(const std::vector<BigQueryField>& schema, BigQueryRow row)>;

  BigQueryClient(HttpTransport& transport, BigQueryOptions options, TokenSource token,
                 std::function<void(int64_t micros)> sleep, std::function<int64_t()> clock,
                 std::function<double()> random);
  BigQueryClient(const BigQueryClient&) = delete;
  BigQueryClient& operator=(const BigQueryClient&) = delete;

  // The bytes the query would process (dryRun: true; nothing runs, nothing
  // is billed).
  Result<int64_t> DryRun(const BigQueryJob& job);

  // Runs the query and hands every row to `on_row`, page after page; stops
  // at the first error `on_row` returns. Errors (kHttp unless said): what
  // BigQuery refused and what to change, e.g. the dataset is not linked or
  // not in `location` (notFound), a role is missing (accessDenied, kAuth),
  // the bytes cap (bytesBilledLimitExceeded), billing, bad SQL; transient
  // errors that outlast the retries.
  Result<BigQueryStats> Query(const BigQueryJob& job, const RowSink& on_row);

  const BigQueryStats& stats() const { return stats_; }

 private:
  Result<std::string> Send(const std::string& method, const std::string& url, const std::string& body);

  HttpTransport& transport_;
  BigQueryOptions options_;
  TokenSource token_;
  std::function<void(int64_t)> sleep_;
  std::function<int64_t()> clock_;
  std::function<double()> random_;
  BigQueryStats stats_;
  std::string url_project_;  // the job's project, for the messages
};

}  // namespace triage

#endif  // TRIAGE_CLIENTS_BIGQUERY_CLIENT_H_
