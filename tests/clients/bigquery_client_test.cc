#include "clients/bigquery_client.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "clients/curl_transport.h"
#include "tests/support/fake_bigquery.h"

namespace triage {
namespace {

using Json = nlohmann::json;
using testing::FakeBigQuery;
using testing::FakeBigQueryConfig;

// Six rows: a scalar string, an INT64 as text, a NULL, a REPEATED RECORD.
const char* kSixRows = R"({
  "schema": {"fields": [
    {"name": "severity", "type": "STRING", "mode": "NULLABLE"},
    {"name": "n", "type": "INTEGER", "mode": "NULLABLE"},
    {"name": "note", "type": "STRING", "mode": "NULLABLE"},
    {"name": "hours", "type": "RECORD", "mode": "REPEATED", "fields": [
      {"name": "hour", "type": "TIMESTAMP"}, {"name": "n", "type": "INTEGER"}]}]},
  "rows": [
    {"f": [{"v": "ERROR"}, {"v": "1"}, {"v": null}, {"v": [{"v": {"f": [{"v": "3600000000"}, {"v": "1"}]}}]}]},
    {"f": [{"v": "ERROR"}, {"v": "2"}, {"v": "x"}, {"v": []}]},
    {"f": [{"v": "WARNING"}, {"v": "3"}, {"v": null}, {"v": [{"v": {"f": [{"v": "0"}, {"v": "2"}]}},
                                                         {"v": {"f": [{"v": "3600000000"}, {"v": "1"}]}}]}]},
    {"f": [{"v": "WARNING"}, {"v": "9223372036854775807"}, {"v": null}, {"v": []}]},
    {"f": [{"v": null}, {"v": "5"}, {"v": null}, {"v": []}]},
    {"f": [{"v": "ALERT"}, {"v": "6"}, {"v": null}, {"v": []}]}]})";

struct Harness {
  explicit Harness(FakeBigQueryConfig config)
      : fake(std::move(config)), transport(NewCurlTransport()) {
    BigQueryOptions options;
    options.endpoint = fake.Endpoint();
    options.retry.max_attempts = 4;
    client = std::make_unique<BigQueryClient>(
        *transport, options, [this](bool force) -> Result<std::string> {
          if (force) ++refreshes;
          return std::string("ya29.test-token");
        },
        [this](int64_t us) { slept.push_back(us); }, [] { return int64_t{1700000000000000}; },
        [] { return 0.5; });
    job.project = "billing-proj";
    job.sql = "SELECT 1";
    job.parameters = {{"since", "TIMESTAMP", false, {"2025-03-10T00:00:00Z"}},
                      {"services", "STRING", true, {"cart-api", "shop-web"}}};
    job.location = "EU";
    job.maximum_bytes_billed = 5000000000;
    job.request_id = "gardener-0001";
    job.timeout_ms = 2000;
  }
  Result<BigQueryStats> Run() {
    rows.clear();
    return client->Query(job, [this](const std::vector<BigQueryField>& schema, BigQueryRow row) -> Result<Ok> {
      fields = schema;
      rows.push_back(std::move(row));
      return Ok{};
    });
  }
  FakeBigQuery fake;
  std::unique_ptr<HttpTransport> transport;
  std::unique_ptr<BigQueryClient> client;
  BigQueryJob job;
  std::vector<BigQueryRow> rows;
  std::vector<BigQueryField> fields;
  std::vector<int64_t> slept;
  int refreshes = 0;
};

FakeBigQueryConfig Rows(const char* answer = kSixRows) {
  FakeBigQueryConfig c;
  c.fixed_answer = answer;
  return c;
}

TEST_CASE("bigquery: the request body is GoogleSQL with named parameters, a bytes cap, a request id") {
  BigQueryJob job;
  job.project = "p";
  job.sql = "SELECT @x";
  job.parameters = {{"x", "STRING", false, {"a"}}, {"ys", "STRING", true, {"b", "c"}}};
  job.location = "US";
  job.maximum_bytes_billed = 42;
  job.request_id = "rid";
  const Json real = Json::parse(QueryRequestBody(job, false));
  CHECK(real["useLegacySql"] == false);  // the API's default is legacy SQL
  CHECK(real["parameterMode"] == "NAMED");
  CHECK(real["maximumBytesBilled"] == "42");
  CHECK(real["requestId"] == "rid");
  CHECK(real["location"] == "US");
  CHECK(real["timeoutMs"] == 10000);
  CHECK(real["dryRun"] == false);
  CHECK(real["jobCreationMode"] == "JOB_CREATION_OPTIONAL");
  CHECK(real["formatOptions"]["useInt64Timestamp"] == true);
  CHECK(real["queryParameters"][0] ==
        Json::parse(R"({"name":"x","parameterType":{"type":"STRING"},"parameterValue":{"value":"a"}})"));
  CHECK(real["queryParameters"][1] == Json::parse(R"({"name":"ys","parameterType":{"type":"ARRAY",
        "arrayType":{"type":"STRING"}},"parameterValue":{"arrayValues":[{"value":"b"},{"value":"c"}]}})"));
  const Json dry = Json::parse(QueryRequestBody(job, true));
  CHECK(dry["dryRun"] == true);
  CHECK_FALSE(dry.contains("requestId"));
}

TEST_CASE("bigquery: the dry run gives the bytes the query would process") {
  FakeBigQueryConfig config = Rows();
  config.dry_run_bytes = 987654321012;
  Harness h(config);
  Result<int64_t> bytes = h.client->DryRun(h.job);
  REQUIRE_MESSAGE(bytes, bytes.error().message);
  CHECK(bytes.value() == 987654321012);
  CHECK(h.fake.DryRuns() == 1);
  CHECK(h.fake.Queries() == 0);
  CHECK(h.fake.Requests()[0].authorization == "Bearer ya29.test-token");
}

TEST_CASE("bigquery: a job not done is polled, then read in three pages") {
  FakeBigQueryConfig config = Rows();
  config.polls_before_complete = 2;
  config.page_rows = 2;
  Harness h(config);
  Result<BigQueryStats> stats = h.Run();
  REQUIRE_MESSAGE(stats, stats.error().message);
  CHECK(stats.value().polls == 2);
  CHECK(stats.value().pages == 3);
  CHECK(stats.value().rows == 6);
  CHECK(stats.value().job_id == "job_1");
  CHECK(h.fake.Queries() == 1);
  CHECK(h.fake.Results() == 4);  // a poll (the POST was the first), then three pages
  REQUIRE(h.rows.size() == 6);
  CHECK(h.rows[3][1].text == "9223372036854775807");  // INT64 as text, not a double
  CHECK(h.rows[5][0].text == "ALERT");
  // Every poll and page names the job's location; pages their token.
  std::vector<testing::BigQueryRequestSeen> seen = h.fake.Requests();
  REQUIRE(seen.size() == 5);
  for (size_t i = 1; i < seen.size(); ++i) {
    CHECK(seen[i].method == "GET");
    CHECK(seen[i].path == "/bigquery/v2/projects/billing-proj/queries/job_1");
    CHECK(seen[i].query.find("location=EU") != std::string::npos);
  }
  CHECK(seen[2].query.find("pageToken") == std::string::npos);
  CHECK(seen[3].query.find("pageToken=page-2") != std::string::npos);
  CHECK(seen[4].query.find("pageToken=page-4") != std::string::npos);
}

TEST_CASE("bigquery: nested, repeated and null cells in the f/v format") {
  Harness h(Rows());
  REQUIRE(h.Run());
  REQUIRE(h.fields.size() == 4);
  CHECK(h.fields[3].mode == "REPEATED");
  CHECK(h.fields[3].type == "RECORD");
  const BigQueryRow& first = h.rows[0];
  CHECK(first[2].kind == BigQueryValue::Kind::kNull);
  REQUIRE(first[3].kind == BigQueryValue::Kind::kArray);
  REQUIRE(first[3].items.size() == 1);
  CHECK(first[3].items[0].kind == BigQueryValue::Kind::kRecord);
  CHECK(first[3].items[0].items[0].text == "3600000000");
  CHECK(h.rows[1][3].items.empty());
  CHECK(h.rows[2][3].items.size() == 2);
  CHECK(h.rows[4][0].kind == BigQueryValue::Kind::kNull);
}

TEST_CASE("bigquery: without a jobReference (JOB_CREATION_OPTIONAL) one page is the whole answer") {
  FakeBigQueryConfig config = Rows();
  config.omit_job_reference = true;
  Harness h(config);
  Result<BigQueryStats> stats = h.Run();
  REQUIRE_MESSAGE(stats, stats.error().message);
  CHECK(stats.value().job_id.empty());
  CHECK(h.rows.size() == 6);
  CHECK(h.fake.Results() == 0);
}

TEST_CASE("bigquery: transient errors are retried with backoff, the same requestId resent") {
  for (const auto& row : std::vector<std::pair<int, std::string>>{
           {403, "rateLimitExceeded"}, {500, "backendError"}, {503, "backendError"},
           {500, "internalError"}, {502, "badGateway"}, {503, ""}, {500, ""}}) {
    const int status = row.first;  // no structured binding: clang 14 cannot capture one
    const std::string& reason = row.second;
    CAPTURE(status);
    CAPTURE(reason);
    Harness h(Rows());
    h.fake.FailNext(status, reason, 2);
    Result<BigQueryStats> stats = h.Run();
    REQUIRE_MESSAGE(stats, stats.error().message);
    CHECK(h.rows.size() == 6);
    CHECK(h.fake.Queries() == 3);
    CHECK(h.slept.size() == 2);
    for (const auto& r : h.fake.Requests()) CHECK(Json::parse(r.body)["requestId"] == "gardener-0001");
  }
}

TEST_CASE("bigquery: a transient error that outlasts the retries stops with a clear message") {
  Harness h(Rows());
  h.fake.FailNext(403, "rateLimitExceeded", 10);
  Result<BigQueryStats> stats = h.Run();
  REQUIRE_FALSE(stats);
  CHECK(stats.error().kind == ErrorKind::kRateLimited);
  CHECK(stats.error().message.find("rateLimitExceeded") != std::string::npos);
  CHECK(stats.error().message.find("4 attempts") != std::string::npos);
  CHECK(h.fake.Queries() == 4);
}

TEST_CASE("bigquery: errors a person must fix are not retried, and say what to fix") {
  struct Case {
    int status;
    std::string reason;
    std::string advice;
    ErrorKind kind;
  };
  for (const Case& c : std::vector<Case>{
           {400, "invalidQuery", "gcp-log-gardener query", ErrorKind::kHttp},
           {403, "accessDenied", "roles/bigquery.jobUser", ErrorKind::kAuth},
           {404, "notFound", "gcloud logging links create", ErrorKind::kHttp},
           {403, "billingNotEnabled", "source.billing_project", ErrorKind::kHttp},
           {400, "bytesBilledLimitExceeded", "source.max_bytes_billed", ErrorKind::kHttp},
           {403, "quotaExceeded", "quota", ErrorKind::kRateLimited}}) {
    CAPTURE(c.reason);
    Harness h(Rows());
    h.fake.FailNext(c.status, c.reason, 1);
    Result<BigQueryStats> stats = h.Run();
    REQUIRE_FALSE(stats);
    CHECK(h.fake.Queries() == 1);
    CHECK(h.slept.empty());
    CHECK(stats.error().kind == c.kind);
    CHECK(stats.error().http_status == c.status);
    CHECK(stats.error().message.find(c.reason) != std::string::npos);
    CHECK_MESSAGE(stats.error().message.find(c.advice) != std::string::npos, stats.error().message);
    CHECK(stats.error().message.find("ya29") == std::string::npos);
  }
}

TEST_CASE("bigquery: a 401 gets one token refresh and one resend") {
  Harness h(Rows());
  h.fake.FailNext(401, "authError", 1);
  REQUIRE(h.Run());
  CHECK(h.refreshes == 1);
  CHECK(h.fake.Queries() == 2);
}

TEST_CASE("bigquery: an error from the row sink stops the read") {
  FakeBigQueryConfig config = Rows();
  config.page_rows = 2;
  Harness h(config);
  int taken = 0;
  Result<BigQueryStats> stats = h.client->Query(h.job, [&](const auto&, BigQueryRow) -> Result<Ok> {
    if (++taken == 3) return Error{ErrorKind::kBudget, "too many groups"};
    return Ok{};
  });
  REQUIRE_FALSE(stats);
  CHECK(stats.error().kind == ErrorKind::kBudget);
  CHECK(h.fake.Results() == 1);  // page 2 was read, page 3 never asked for
}

}  // namespace
}  // namespace triage
