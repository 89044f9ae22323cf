// The fake BigQuery's answers, read by Google's own BigQuery client for
// Node (tests/fixtures/zetasql/bigquery_check.js): a job not done at first,
// three pages, nested, repeated and null cells, INT64 beyond a double.
#include "tests/support/fake_bigquery.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <string>
#include <sys/stat.h>

#include "tests/support/cli_support.h"
#include "tests/support/fake_bigquery_zetasql.h"

namespace triage {
namespace {

using Json = nlohmann::json;

const char* kRows = R"({
  "schema": {"fields": [
    {"name": "severity", "type": "STRING", "mode": "NULLABLE"},
    {"name": "n", "type": "INTEGER", "mode": "NULLABLE"},
    {"name": "hours", "type": "RECORD", "mode": "REPEATED", "fields": [
      {"name": "hour", "type": "TIMESTAMP", "mode": "NULLABLE"}, {"name": "n", "type": "INTEGER", "mode": "NULLABLE"}]},
    {"name": "revisions", "type": "STRING", "mode": "REPEATED"}]},
  "rows": [
    {"f": [{"v": "ERROR"}, {"v": "9223372036854775807"}, {"v": [{"v": {"f": [{"v": "1741564800000000"}, {"v": "7"}]}}]},
           {"v": [{"v": "rev-1"}, {"v": "rev-2"}]}]},
    {"f": [{"v": null}, {"v": "2"}, {"v": []}, {"v": []}]},
    {"f": [{"v": "WARNING"}, {"v": "3"}, {"v": []}, {"v": [{"v": "rev-3"}]}]},
    {"f": [{"v": "ALERT"}, {"v": "4"}, {"v": []}, {"v": []}]},
    {"f": [{"v": "ERROR"}, {"v": "5"}, {"v": []}, {"v": []}]}]})";

TEST_CASE("fake bigquery: Google's Node client reads its polls, pages and cells") {
  struct stat st;
  const std::string client = testing::ZetaSqlFolder() + "/node_modules/@google-cloud/bigquery";
  if (stat(client.c_str(), &st) != 0) FAIL("missing " << client << ": install with " << testing::kZetaSqlInstall);
  testing::FakeBigQueryConfig config;
  config.fixed_answer = kRows;
  config.polls_before_complete = 1;
  config.page_rows = 2;
  testing::FakeBigQuery bq(config);
  testing::TempDir dir;
  const std::string out = dir.Path("rows.json");
  const std::string command = "node '" + testing::ZetaSqlFolder() + "/bigquery_check.js' '" + bq.Endpoint() +
                              "' billing-proj EU > '" + out + "' 2>&1";
  const int status = std::system(command.c_str());
  const std::string text = testing::ReadFile(out);
  REQUIRE_MESSAGE(status == 0, text);
  const Json rows = Json::parse(text)["rows"];
  REQUIRE(rows.size() == 5);
  CHECK(rows[0]["severity"] == "ERROR");
  CHECK(rows[0]["n"] == "9223372036854775807");  // no precision lost
  CHECK(rows[0]["hours"][0]["hour"]["value"] == "2025-03-10T00:00:00.000Z");  // microseconds read as a time
  CHECK(rows[0]["hours"][0]["n"] == "7");
  CHECK(rows[0]["revisions"] == Json::array({"rev-1", "rev-2"}));
  CHECK(rows[1]["severity"].is_null());
  CHECK(rows[1]["hours"].empty());
  CHECK(rows[4]["n"] == "5");
  // It polled and paged: one jobs.query, then getQueryResults.
  CHECK(bq.Queries() == 1);
  CHECK(bq.Results() >= 3);
  const Json sent = Json::parse(bq.Requests()[0].body);
  CHECK(sent["useLegacySql"] == false);
}

}  // namespace
}  // namespace triage
