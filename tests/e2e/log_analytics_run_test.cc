// `run` reading through Log Analytics (a fake BigQuery on loopback whose
// rows come from ZetaSQL's reference engine): the problems of reading the
// same entries from a file, the cost guard, the group cap, `query` and
// `validate`.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "bot/app/cli.h"
#include "tests/support/cli_support.h"
#include "tests/support/fake_bigquery.h"
#include "tests/support/fake_bigquery_zetasql.h"

namespace triage {
namespace {

using nlohmann::json;

const std::string kSource = GARDENER_SOURCE_DIR;
const std::string kEntries = kSource + "/examples/sample-entries.ndjson";
const std::string kNow = "2025-03-10T12:00:00Z";
constexpr int64_t kNowUs = 1741608000LL * 1000000;

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

Outcome Cli(std::vector<std::string> args, const std::map<std::string, std::string>& vars = {}) {
  int64_t clock = kNowUs;
  Environment env = testing::FakeEnvironment(vars, &clock);
  args.insert(args.begin(), "gcp-log-gardener");
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  int code = RunCli(static_cast<int>(argv.size()), argv.data(), out, err, clock, env);
  return {code, out.str(), err.str()};
}

std::string WriteConfig(const testing::TempDir& dir, const std::string& extra) {
  const std::string path = dir.Path("la.yml");
  std::ofstream out(path);
  out << "version: 1\nsource:\n  kind: log_analytics\n  dataset: shop-prod.shop_logs\n"
         "  billing_project: shop-billing\n  location: EU\n  resource_type: ''\n  min_severity: WARNING\n"
      << extra << "github:\n  repository: synthetic-shop/shop\n";
  return path;
}

std::vector<std::string> RunArgs(const std::string& config) {
  return {"run", "--dry-run", "--json", "--quiet", "--config", config, "--now", kNow,
          "--since", "2025-03-09T00:00:00Z", "--until", "2025-03-11T00:00:00Z"};
}

std::map<std::string, std::string> Vars(const testing::FakeBigQuery& bq) {
  return {{"BIGQUERY_ENDPOINT", bq.Endpoint()}, {"GOOGLE_OAUTH_ACCESS_TOKEN", "ya29.test-token"}};
}

// key -> count and title of every problem.
std::map<std::string, std::string> Problems(const std::string& report) {
  std::map<std::string, std::string> out;
  const json parsed = json::parse(report);
  for (const json& c : parsed["clusters"]) {
    out[c["key"]] = std::to_string(c["count"].get<int>()) + " " + c["title"].get<std::string>();
  }
  return out;
}

TEST_CASE("log analytics run: the problems of reading the same entries from a file") {
  std::string why;
  if (!testing::ZetaSqlInstalled(&why)) FAIL(why);
  testing::TempDir dir;
  const std::string config = WriteConfig(dir, "");
  testing::FakeBigQueryConfig fake;
  fake.page_rows = 100;
  fake.polls_before_complete = 1;
  fake.answer = [&](const std::string& body) {
    return testing::EvaluateOnZetaSql(
               {{"body", json::parse(body)}, {"table", "shop-prod.shop_logs._AllLogs"}, {"entries", kEntries}},
               dir.Path(""))
        .dump();
  };
  testing::FakeBigQuery bq(fake);
  Outcome cloud = Cli(RunArgs(config), Vars(bq));
  REQUIRE_MESSAGE(cloud.code == 0, cloud.err);
  std::vector<std::string> file_args = RunArgs(config);
  file_args.insert(file_args.end(), {"--input", kEntries});
  Outcome file = Cli(file_args);
  REQUIRE_MESSAGE(file.code == 0, file.err);
  CHECK(Problems(cloud.out) == Problems(file.out));
  CHECK(Problems(cloud.out).size() > 10);
  CHECK(bq.DryRuns() == 1);
  CHECK(bq.Queries() == 1);
  // The job ran in the billing project, with the cap and location.
  const json sent = json::parse(bq.Requests()[1].body);
  CHECK(bq.Requests()[1].path == "/bigquery/v2/projects/shop-billing/queries");
  CHECK(sent["maximumBytesBilled"] == "10000000000");
  CHECK(sent["location"] == "EU");
  CHECK(sent["useLegacySql"] == false);
  CHECK(cloud.err.find("ya29") == std::string::npos);
}

TEST_CASE("log analytics run: over the bytes cap, one dry run, no query, exit 1") {
  testing::TempDir dir;
  const std::string config = WriteConfig(dir, "  max_bytes_billed: 1000000\n");
  testing::FakeBigQueryConfig fake;
  fake.dry_run_bytes = 1000001;
  testing::FakeBigQuery bq(fake);
  Outcome run = Cli(RunArgs(config), Vars(bq));
  CHECK(run.code == 1);
  CHECK(run.err.find("1000001 bytes") != std::string::npos);
  CHECK(run.err.find("max_bytes_billed") != std::string::npos);
  CHECK(bq.DryRuns() == 1);
  CHECK(bq.Queries() == 0);
  CHECK(bq.Results() == 0);
  CHECK(bq.Requests().size() == 1);
}

TEST_CASE("log analytics run: bytesBilledLimitExceeded is not retried") {
  testing::TempDir dir;
  const std::string config = WriteConfig(dir, "");
  testing::FakeBigQuery bq(testing::FakeBigQueryConfig{});
  bq.FailNext(400, "bytesBilledLimitExceeded", 3);
  Outcome run = Cli(RunArgs(config), Vars(bq));
  CHECK(run.code == 1);
  CHECK(run.err.find("bytesBilledLimitExceeded") != std::string::npos);
  CHECK(bq.Queries() == 1);
}

TEST_CASE("log analytics run: more groups than the cap stop the run and say to shorten the window") {
  testing::TempDir dir;
  const std::string config = WriteConfig(dir, "  max_groups: 2\n");
  testing::FakeBigQueryConfig fake;
  fake.fixed_answer = R"({"schema": {"fields": []}, "rows": [
    {"f": [{"v": "ERROR"}, {"v": "1"}, {"v": "1741564800000000"}, {"v": "1741564800000000"}, {"v": []}, {"v": []},
           {"v": "{\"textPayload\": \"a\"}"}, {"v": "{\"textPayload\": \"a\"}"}]},
    {"f": [{"v": "ERROR"}, {"v": "1"}, {"v": "1741564800000000"}, {"v": "1741564800000000"}, {"v": []}, {"v": []},
           {"v": "{\"textPayload\": \"b\"}"}, {"v": "{\"textPayload\": \"b\"}"}]},
    {"f": [{"v": "ERROR"}, {"v": "1"}, {"v": "1741564800000000"}, {"v": "1741564800000000"}, {"v": []}, {"v": []},
           {"v": "{\"textPayload\": \"c\"}"}, {"v": "{\"textPayload\": \"c\"}"}]}]})";
  testing::FakeBigQuery bq(fake);
  Outcome run = Cli(RunArgs(config), Vars(bq));
  CHECK(run.code == 1);
  CHECK(run.err.find("max_groups") != std::string::npos);
  CHECK(run.err.find("shorten the window") != std::string::npos);
}

TEST_CASE("log analytics run: a row that is not the statement's shape is an error, not a crash") {
  testing::TempDir dir;
  const std::string config = WriteConfig(dir, "");
  testing::FakeBigQueryConfig fake;
  fake.fixed_answer = R"({"schema": {"fields": []}, "rows": [{"f": [{"v": "ERROR"}, {"v": "x"}]}]})";
  testing::FakeBigQuery bq(fake);
  Outcome run = Cli(RunArgs(config), Vars(bq));
  CHECK(run.code == 1);
  CHECK(run.err.find("not in the statement's shape") != std::string::npos);
}

TEST_CASE("query: prints the statement and its parameters") {
  Outcome q = Cli({"query", "--config", kSource + "/examples/log-analytics.yml", "--now", kNow});
  REQUIRE_MESSAGE(q.code == 0, q.err);
  CHECK(q.out.find("FROM `synthetic-shop-prod.shop_logs._AllLogs`") != std::string::npos);
  CHECK(q.out.find("@since TIMESTAMP = \"2025-03-10T11:00:00.000000Z\"") != std::string::npos);
  CHECK(q.out.find("@services ARRAY<STRING> = [\"cart-api\", \"shop-web\"]") != std::string::npos);
  Outcome body = Cli({"query", "--config", kSource + "/examples/log-analytics.yml", "--now", kNow, "--since", "2h",
                      "--json"});
  REQUIRE(body.code == 0);
  const json sent = json::parse(body.out);
  CHECK(sent["useLegacySql"] == false);
  CHECK(sent["queryParameters"][0]["parameterValue"]["value"] == "2025-03-10T10:00:00.000000Z");
  Outcome wrong = Cli({"query", "--config", kSource + "/examples/netra-staging.yml"});
  CHECK(wrong.code == 2);
  CHECK(wrong.err.find("log_analytics") != std::string::npos);
}

TEST_CASE("validate: the Log Analytics example passes; a four-part name does not") {
  Outcome ok = Cli({"validate", "--config", kSource + "/examples/log-analytics.yml"});
  CHECK_MESSAGE(ok.code == 0, ok.err);
  testing::TempDir dir;
  const std::string path = dir.Path("bad.yml");
  std::ofstream(path) << "version: 1\nsource:\n  kind: log_analytics\n  dataset: shop-prod.us.my-bucket._AllLogs\n"
                         "  filter: severity>=ERROR\n";
  Outcome bad = Cli({"validate", "--config", path});
  CHECK(bad.code == 2);
  CHECK(bad.err.find("PROJECT.DATASET") != std::string::npos);
  std::ofstream(path) << "version: 1\nsource:\n  kind: bigtable\n";
  Outcome kind = Cli({"validate", "--config", path});
  CHECK(kind.code == 2);
  CHECK(kind.err.find("entries_list or log_analytics") != std::string::npos);
}

}  // namespace
}  // namespace triage
