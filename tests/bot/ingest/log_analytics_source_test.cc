#include "bot/ingest/log_analytics_source.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "bot/base/severity.h"

namespace triage {
namespace {

BigQueryValue S(const std::string& text) {
  BigQueryValue v;
  v.kind = BigQueryValue::Kind::kScalar;
  v.text = text;
  return v;
}

BigQueryValue List(std::vector<BigQueryValue> items, BigQueryValue::Kind kind = BigQueryValue::Kind::kArray) {
  BigQueryValue v;
  v.kind = kind;
  v.items = std::move(items);
  return v;
}

std::string Entry(const std::string& id, const std::string& time, const std::string& text) {
  return R"({"insertId":")" + id + R"(","timestamp":")" + time +
         R"(","severity":"ERROR","resource":{"type":"cloud_run_revision","labels":{"service_name":"cart-api"}},"textPayload":")" +
         text + "\"}";
}

BigQueryRow Row(const std::string& n, const std::string& earliest, const std::string& latest) {
  const BigQueryValue hour = List({S("1741564800000000"), S(n)}, BigQueryValue::Kind::kRecord);
  return {S("ERROR"), S(n), S("1741564801000000"), S("1741564802000000"), List({hour}), List({S("rev-1")}),
          S(earliest), S(latest)};
}

TEST_CASE("log analytics rows: read from f/v cells, merged by the clusterer's key") {
  CollectOptions options;
  Collector collector(options);
  REQUIRE(collector.Start());
  AnalyticsMerger merger(&collector);
  // Two rows whose entries differ only in a number: one clusterer group.
  for (const auto& [n, text] : std::vector<std::pair<std::string, std::string>>{{"3", "order 17 failed"},
                                                                                 {"4", "order 99 failed"}}) {
    Result<AnalyticsRow> row = ReadAnalyticsRow(Row(n, Entry("a" + n, "2025-03-10T00:00:01Z", text),
                                                    Entry("b" + n, "2025-03-10T00:00:02Z", text)));
    REQUIRE_MESSAGE(row, row.error().message);
    REQUIRE(merger.Add(row.value()));
  }
  CHECK(merger.key_mismatches() == 0);
  CHECK(merger.entries() == 7);
  Result<CollectResult> result = collector.Finish(ReadStats{});
  REQUIRE(result);
  REQUIRE(result.value().clusters.size() == 1);
  const Cluster& c = result.value().clusters[0];
  CHECK(c.count == 7);
  CHECK(c.severity_counts.at(Severity::kError) == 7);
  CHECK(c.hourly.at(1741564800000000LL) == 7);
  CHECK(c.revisions == std::vector<std::string>{"rev-1"});
  CHECK(result.value().clustered == 7);
}

TEST_CASE("log analytics rows: a row whose latest entry gets another key is counted, not hidden") {
  CollectOptions options;
  Collector collector(options);
  REQUIRE(collector.Start());
  AnalyticsMerger merger(&collector);
  Result<AnalyticsRow> row = ReadAnalyticsRow(Row("2", Entry("a", "2025-03-10T00:00:01Z", "disk full"),
                                                  Entry("b", "2025-03-10T00:00:02Z", "cache cold")));
  REQUIRE(row);
  REQUIRE(merger.Add(row.value()));
  CHECK(merger.key_mismatches() == 1);
  REQUIRE(merger.mismatch_examples().size() == 1);
  CHECK(merger.mismatch_examples()[0].find("disk full") != std::string::npos);
}

TEST_CASE("log analytics rows: cells not in the statement's shape are an error") {
  const std::string e = Entry("a", "2025-03-10T00:00:01Z", "x");
  CHECK_FALSE(ReadAnalyticsRow({S("ERROR")}));
  BigQueryRow bad_count = Row("2", e, e);
  bad_count[1] = S("two");
  CHECK_FALSE(ReadAnalyticsRow(bad_count));
  BigQueryRow bad_hours = Row("2", e, e);
  bad_hours[4] = S("x");
  CHECK_FALSE(ReadAnalyticsRow(bad_hours));
  BigQueryRow no_entry = Row("2", e, e);
  no_entry[6] = BigQueryValue{};
  CHECK_FALSE(ReadAnalyticsRow(no_entry));
  CollectOptions options;
  Collector collector(options);
  AnalyticsMerger merger(&collector);
  Result<AnalyticsRow> broken = ReadAnalyticsRow(Row("2", "{not json", e));
  REQUIRE(broken);
  CHECK_FALSE(merger.Add(broken.value()));
}

}  // namespace
}  // namespace triage
