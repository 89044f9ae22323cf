// The Log Analytics statement: what it lets in, and, run on ZetaSQL's
// reference implementation of GoogleSQL, that its groups never hold
// entries the clusterer tells apart, and that clustering its rows gives
// what clustering the entries one by one gives.
#include "bot/ingest/log_analytics_sql.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "bot/base/severity.h"
#include "bot/base/time_util.h"
#include "bot/cluster/cluster.h"
#include "bot/ingest/entry_parse.h"
#include "bot/ingest/log_analytics_source.h"
#include "clients/curl_transport.h"
#include "tests/support/cli_support.h"
#include "tests/support/fake_bigquery.h"
#include "tests/support/fake_bigquery_corpus.h"
#include "tests/support/fake_bigquery_zetasql.h"

namespace triage {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

const std::string kSource = GARDENER_SOURCE_DIR;
const std::string kTable = "test-proj.logs._AllLogs";
const int64_t kSince = *ParseRfc3339("2025-01-01T00:00:00Z");
const int64_t kUntil = *ParseRfc3339("2026-01-01T00:00:00Z");

SourceConfig LogAnalytics() {
  SourceConfig s;
  s.kind = "log_analytics";
  s.dataset = "test-proj.logs";
  s.resource_type = "";  // run --input does not look at it
  s.max_groups = 10000000;
  return s;
}

// The bundled examples as entries:list objects, each with its own insertId.
std::vector<std::string> Examples() {
  std::vector<Json> all;
  std::ifstream sample(kSource + "/examples/sample-entries.ndjson");
  for (std::string line; std::getline(sample, line);) {
    if (!line.empty()) all.push_back(Json::parse(line));
  }
  for (const auto& file : fs::directory_iterator(kSource + "/examples/netra-staging")) {
    std::ifstream in(file.path());
    for (const Json& e : Json::parse(in)) all.push_back(e);
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < all.size(); ++i) {
    all[i]["insertId"] = "ex-" + std::to_string(i);
    out.push_back(all[i].dump());
  }
  return out;
}

std::vector<std::string> Generated(size_t n, uint64_t seed) {
  testing::LogCorpus corpus(seed);
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) out.push_back(corpus.Entry(i));
  return out;
}

std::string WriteEntries(const std::vector<std::string>& entries, const std::string& dir, const std::string& name) {
  const std::string path = dir + "/" + name;
  std::ofstream out(path);
  for (const std::string& e : entries) out << e << "\n";
  return path;
}

Json Params(const AnalyticsQuery& q) {
  Json params = Json::array();
  for (const QueryParameter& p : q.parameters) {
    Json value = p.array ? Json(p.values) : Json(p.values.at(0));
    params.push_back({{"name", p.name}, {"type", p.array ? "ARRAY<" + p.type + ">" : p.type}, {"value", value}});
  }
  return params;
}

void RequireEngine() {
  std::string why;
  if (!testing::ZetaSqlInstalled(&why)) FAIL(why);
}

struct StraddleCheck {
  size_t entries = 0;
  size_t sql_groups = 0;
  size_t keys = 0;       // distinct clusterer keys
  size_t straddles = 0;  // SQL groups holding more than one clusterer key
  std::string example;
};

// Runs the statement's per-entry keys on ZetaSQL and checks every SQL
// group against the clusterer's keys of its entries.
StraddleCheck CheckStraddles(const std::vector<std::string>& entries, SqlMask mask) {
  testing::TempDir dir;
  EntryFilter everything;
  everything.min_severity = Severity::kDefault;
  Result<AnalyticsQuery> q = BuildAnalyticsQuery(LogAnalytics(), everything, kSince, kUntil, mask);
  REQUIRE(q);
  // A key is a function of its row alone, so the entries go in batches
  // (the engine takes at most 4 MiB a request) and the keys are compared
  // across all of them.
  Json rows = Json::array();
  for (size_t begin = 0; begin < entries.size();) {
    size_t end = begin, bytes = 0;
    while (end < entries.size() && bytes < (2u << 20)) bytes += entries[end++].size();
    const std::string path = WriteEntries({entries.begin() + begin, entries.begin() + end}, dir.Path(""),
                                          "entries-" + std::to_string(begin) + ".ndjson");
    Json answer = testing::EvaluateOnZetaSql(
        {{"sql", q.value().keys_sql}, {"params", Params(q.value())}, {"table", kTable}, {"entries", path}},
        dir.Path(""));
    REQUIRE_MESSAGE(!answer.contains("error"), answer["error"].dump());
    for (Json& row : answer["rows"]) rows.push_back(std::move(row));
    begin = end;
  }

  // The clusterer's key of every entry, as a group id: no crowding, so
  // that nothing is masked beyond the signature.
  ClusterOptions options;
  options.max_groups_per_bucket = 1u << 30;
  Clusterer clusterer(options);
  EntryParser parser;
  std::map<std::string, uint32_t> key_of;
  std::map<std::string, std::string> message_of;
  for (const std::string& text : entries) {
    LogEntry e;
    std::string why;
    REQUIRE(parser.Parse(text, &e, &why));
    key_of[e.id] = clusterer.Add(e);
    message_of[e.id] = e.message;
  }
  std::map<std::string, std::set<uint32_t>> groups;
  std::map<std::string, std::vector<std::string>> members;
  StraddleCheck check;
  for (const Json& row : rows) {
    const std::string id = row["f"][0]["v"];
    const std::string k = row["f"][1]["v"];
    REQUIRE(key_of.count(id) == 1);
    groups[k].insert(key_of[id]);
    if (members[k].size() < 2 && (members[k].empty() || key_of[members[k][0]] != key_of[id])) {
      members[k].push_back(id);
    }
    ++check.entries;
  }
  check.sql_groups = groups.size();
  check.keys = clusterer.group_count();
  for (const auto& [k, keys] : groups) {
    if (keys.size() < 2) continue;
    if (check.straddles++ == 0) {
      check.example = "\"" + message_of[members[k][0]] + "\" vs \"" + message_of[members[k][1]] + "\"";
    }
  }
  return check;
}

TEST_CASE("log analytics sql: the dataset is checked, never pasted raw") {
  EntryFilter filter;
  for (const std::string bad : {"p.d`; DROP TABLE x; --", "proj.LOCATION.bucket", "nodot", "p r.d", "proj.d-x",
                                "Proj.data", "proj.data set"}) {
    CAPTURE(bad);
    SourceConfig s = LogAnalytics();
    s.dataset = bad;
    Result<AnalyticsQuery> q = BuildAnalyticsQuery(s, filter, kSince, kUntil);
    REQUIRE_FALSE(q);
    CHECK(q.error().kind == ErrorKind::kConfig);
  }
  SourceConfig s = LogAnalytics();
  s.dataset = "example.com:shop-prod.shop_logs";
  Result<AnalyticsQuery> q = BuildAnalyticsQuery(s, filter, kSince, kUntil);
  REQUIRE(q);
  CHECK(q.value().sql.find("FROM `example.com:shop-prod.shop_logs._AllLogs`") != std::string::npos);
  s.filter = "severity>=ERROR";
  CHECK_FALSE(BuildAnalyticsQuery(s, filter, kSince, kUntil));
}

TEST_CASE("log analytics sql: times, severities and services are named parameters") {
  EntryFilter filter;
  filter.min_severity = Severity::kError;
  filter.services = {"cart-api", "it's \"quoted\""};
  SourceConfig s = LogAnalytics();
  s.resource_type = "cloud_run_revision";
  Result<AnalyticsQuery> q = BuildAnalyticsQuery(s, filter, kSince, kUntil);
  REQUIRE(q);
  const std::string& sql = q.value().sql;
  CHECK(sql.find("cart-api") == std::string::npos);  // values never in the text
  CHECK(sql.find("quoted") == std::string::npos);
  CHECK(sql.find("2025-01-01") == std::string::npos);
  CHECK(sql.find("APPROX_") == std::string::npos);
  for (const char* p : {"@since", "@until", "@below_floor", "@services", "@resource_type"}) CHECK(sql.find(p) != std::string::npos);
  std::map<std::string, QueryParameter> by_name;
  for (const QueryParameter& p : q.value().parameters) by_name[p.name] = p;
  CHECK(by_name["since"].values == std::vector<std::string>{"2025-01-01T00:00:00.000000Z"});
  CHECK(by_name["services"].values == filter.services);
  const std::vector<std::string>& below = by_name["below_floor"].values;
  CHECK(std::count(below.begin(), below.end(), "WARNING") == 1);
  CHECK(std::count(below.begin(), below.end(), "ERROR") == 0);
  CHECK(std::count(below.begin(), below.end(), "WARN") == 1);
  CHECK(std::count(below.begin(), below.end(), "400") == 1);
  CHECK(sql.find("LIMIT 10000001") != std::string::npos);
  const std::string shown = DescribeAnalyticsQuery(q.value());
  CHECK(shown.find(R"(--   @services ARRAY<STRING> = ["cart-api", "it's \"quoted\""])") != std::string::npos);
}

TEST_CASE("log analytics on ZetaSQL: no SQL group holds entries the clusterer tells apart") {
  RequireEngine();
  std::vector<std::string> entries = Examples();
  const size_t examples = entries.size();
  StraddleCheck ex = CheckStraddles(entries, SqlMask::kExact);
  MESSAGE("examples: " << ex.entries << " entries, " << ex.sql_groups << " SQL groups, " << ex.keys
                        << " clusterer keys");
  CHECK(ex.entries == examples);
  CHECK_MESSAGE(ex.straddles == 0, ex.straddles << " groups straddle, e.g. " << ex.example);
  // 100,000 generated and fuzzed entries, in four batches.
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    CAPTURE(seed);
    StraddleCheck gen = CheckStraddles(Generated(25000, seed), SqlMask::kExact);
    MESSAGE("generated (seed " << seed << "): " << gen.entries << " entries, " << gen.sql_groups
                                << " SQL groups, " << gen.keys << " clusterer keys");
    CHECK(gen.entries == 25000);
    CHECK(gen.sql_groups < gen.entries);  // it does group
    CHECK_MESSAGE(gen.straddles == 0, gen.straddles << " groups straddle, e.g. " << gen.example);
  }
}

// Pairs the clusterer tells apart only by a neighbour's reading of a token
// that a plain per-token mask would replace: a restated quantity after a
// path with or without a digit, bare lists with an item that is not one
// (a ':', over 40 bytes), a restatement whose second token is over 6 bytes,
// and a bracketed word that starts an HTML body or does not.
TEST_CASE("log analytics on ZetaSQL: tokens the span rules read through their neighbours stay apart") {
  RequireEngine();
  const std::vector<std::string> messages = {
      "request /257/cart/24212 took (116130749181174)",
      "request /db/Jan took (99)",
      "tried 12:30:00, 5, 6, then",
      "tried 7, 5, 6, then",
      "queued user1234567890123456789012345678901234567890, b, c, done",
      "queued user1, b, c, done",
      "read 5 rows (12 abc1234)",
      "read 5 rows (12 a1)",
      "got reply <a_1> from upstream",
      "got reply <a1> from upstream",
  };
  std::vector<std::string> entries;
  for (size_t i = 0; i < messages.size(); ++i) {
    entries.push_back(Json{{"insertId", "span-" + std::to_string(i)},
                           {"timestamp", "2025-03-10T00:00:0" + std::to_string(i) + "Z"},
                           {"severity", "ERROR"},
                           {"resource", {{"type", "cloud_run_revision"}, {"labels", {{"service_name", "cart-api"}}}}},
                           {"textPayload", messages[i]}}
                          .dump());
  }
  StraddleCheck check = CheckStraddles(entries, SqlMask::kExact);
  CHECK(check.entries == messages.size());
  CHECK(check.keys == messages.size());  // every pair is two clusters
  CHECK_MESSAGE(check.straddles == 0, check.straddles << " groups straddle, e.g. " << check.example);
}

TEST_CASE("log analytics on ZetaSQL: a coarsened mask is caught straddling") {
  RequireEngine();
  StraddleCheck gen = CheckStraddles(Generated(5000, 7), SqlMask::kCoarse);
  MESSAGE("coarse mask: " << gen.straddles << " straddling groups, e.g. " << gen.example);
  CHECK(gen.straddles > 0);
}

// ---- two stages against one by one ----------------------------------------

std::string Describe(const Cluster& c) {
  std::ostringstream out;
  out << c.key << " " << c.template_text << " n=" << c.count << " first=" << c.first_seen_us
      << " last=" << c.last_seen_us << " service=" << c.service << " exception=" << c.exception << " sev:";
  for (const auto& [s, n] : c.severity_counts) out << " " << SeverityName(s) << "=" << n;
  out << " hours:";
  for (const auto& [h, n] : c.hourly) out << " " << h << "=" << n;
  out << " fps:";
  for (const std::string& f : c.fingerprints) out << " " << f;
  out << " sites:";
  for (const std::string& s : c.call_sites) out << " " << s;
  return out.str();
}

struct TwoStage {
  std::vector<Cluster> one_by_one;
  std::vector<Cluster> two_stage;
  std::string err;
  int64_t rows = 0;
};

// In the order entries:list gives them: by time, then insertId.
std::vector<std::string> AsListed(std::vector<std::string> entries) {
  std::vector<std::pair<std::pair<int64_t, std::string>, std::string>> keyed;
  for (std::string& e : entries) {
    Json j = Json::parse(e);
    keyed.push_back({{ParseRfc3339(j.value("timestamp", "")).value_or(0), j.value("insertId", "")}, std::move(e)});
  }
  std::sort(keyed.begin(), keyed.end());
  std::vector<std::string> out;
  for (auto& [key, e] : keyed) out.push_back(std::move(e));
  return out;
}

TwoStage RunBoth(const std::vector<std::string>& unordered, Severity floor) {
  TwoStage out;
  testing::TempDir dir;
  const std::vector<std::string> entries = AsListed(unordered);
  const std::string path = WriteEntries(entries, dir.Path(""), "entries.ndjson");
  CollectOptions options;
  options.input = path;
  options.filter.min_severity = floor;
  options.filter.since_us = kSince;
  options.filter.until_us = kUntil;
  Result<CollectResult> direct = CollectAndCluster(options);
  REQUIRE(direct);
  out.one_by_one = direct.value().clusters;

  testing::FakeBigQueryConfig config;
  config.page_rows = 500;
  config.answer = [&](const std::string& body) {
    return testing::EvaluateOnZetaSql({{"body", Json::parse(body)}, {"table", kTable}, {"entries", path}}, dir.Path(""))
        .dump();
  };
  testing::FakeBigQuery bigquery(config);
  CloudAccess access;
  std::map<std::string, std::string> vars = {{"BIGQUERY_ENDPOINT", bigquery.Endpoint()},
                                             {"GOOGLE_OAUTH_ACCESS_TOKEN", "ya29.test-token"}};
  access.getenv = [vars](const std::string& name) {
    auto it = vars.find(name);
    return it == vars.end() ? std::string() : it->second;
  };
  access.sleep = [](int64_t) {};
  access.clock = [] { return int64_t{1741600000000000}; };
  access.quiet = true;
  std::unique_ptr<HttpTransport> transport = NewCurlTransport();
  access.transport = transport.get();
  std::ostringstream err;
  Result<CollectResult> two = CollectFromCloudLogging(options, LogAnalytics(), kSince, kUntil, access, err);
  out.err = err.str();
  REQUIRE_MESSAGE(two, two.error().message << "\n" << out.err);
  out.two_stage = two.value().clusters;
  out.rows = two.value().read.entries;
  return out;
}

void CheckSame(const TwoStage& r) {
  REQUIRE(r.one_by_one.size() == r.two_stage.size());
  size_t differ = 0;
  for (size_t i = 0; i < r.one_by_one.size(); ++i) {
    const std::string a = Describe(r.one_by_one[i]), b = Describe(r.two_stage[i]);
    if (a != b && differ++ < 3) CHECK_MESSAGE(a == b, "one by one: " << a << "\ntwo stages: " << b);
  }
  CHECK(differ == 0);
}

TEST_CASE("log analytics on ZetaSQL: two stages give the clusters of reading the entries one by one") {
  RequireEngine();
  SUBCASE("the bundled examples") {
    TwoStage r = RunBoth(Examples(), Severity::kWarning);
    MESSAGE(r.one_by_one.size() << " clusters");
    CHECK(r.one_by_one.size() > 10);
    CHECK(r.err.find("warning") == std::string::npos);
    CheckSame(r);
  }
  SUBCASE("generated entries") {
    // As many as the reference engine groups within its 128 MiB.
    TwoStage r = RunBoth(Generated(2500, 11), Severity::kWarning);
    MESSAGE(r.one_by_one.size() << " clusters");
    CHECK(r.err.find("warning") == std::string::npos);
    CheckSame(r);
  }
}

}  // namespace
}  // namespace triage
