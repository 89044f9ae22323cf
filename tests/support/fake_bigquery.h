// A fake of BigQuery's jobs.query and jobs.getQueryResults on 127.0.0.1:
// dry runs with a set byte count, jobs that are not done for a few polls,
// results in pages, no jobReference under JOB_CREATION_OPTIONAL, and
// errors in BigQuery's shape (errors[].reason) injected on demand. Its rows
// come from a fixed answer or from a function of the request body (tests
// forward the SQL to ZetaSQL's reference engine).
#ifndef TRIAGE_TESTS_SUPPORT_FAKE_BIGQUERY_H_
#define TRIAGE_TESTS_SUPPORT_FAKE_BIGQUERY_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace triage {

class LoopbackServer;

namespace testing {

struct FakeBigQueryConfig {
  int64_t dry_run_bytes = 123456789;
  int polls_before_complete = 0;  // jobComplete: false answers first
  size_t page_rows = 0;           // rows per page; 0 = all in one
  // Answer a query that fits one page without a jobReference, as BigQuery
  // may under jobCreationMode JOB_CREATION_OPTIONAL.
  bool omit_job_reference = false;
  // {"schema": {...}, "rows": [...]} for every query, unless `answer` is set;
  // `answer` gets the jobs.query body and gives that object, or
  // {"error": "..."} to answer 400 invalidQuery.
  std::string fixed_answer = R"({"schema": {"fields": []}, "rows": []})";
  std::function<std::string(const std::string& request_body)> answer;
};

struct BigQueryRequestSeen {
  std::string method;
  std::string path;
  std::string query;  // the URL's query string
  std::string body;
  std::string authorization;
};

class FakeBigQuery {
 public:
  explicit FakeBigQuery(FakeBigQueryConfig config);
  ~FakeBigQuery();
  FakeBigQuery(const FakeBigQuery&) = delete;
  FakeBigQuery& operator=(const FakeBigQuery&) = delete;

  std::string Endpoint() const;  // "http://127.0.0.1:PORT"
  // The next `times` requests get `status` with errors[0].reason `reason`
  // (an empty reason: a bare status with an HTML body). Dry runs pass
  // unless `dry_runs_too`.
  void FailNext(int status, const std::string& reason, int times = 1, bool dry_runs_too = false);
  std::vector<BigQueryRequestSeen> Requests() const;
  int DryRuns() const;    // jobs.query with dryRun: true
  int Queries() const;    // jobs.query without
  int Results() const;    // jobs.getQueryResults

  struct State;

 private:
  std::unique_ptr<State> state_;
  std::unique_ptr<LoopbackServer> server_;
};

}  // namespace testing
}  // namespace triage

#endif  // TRIAGE_TESTS_SUPPORT_FAKE_BIGQUERY_H_
