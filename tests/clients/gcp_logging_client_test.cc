#include "clients/gcp_logging_client.h"

#include <doctest/doctest.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "bot/base/time_util.h"
#include "clients/curl_transport.h"
#include "tests/support/fake_logging.h"

namespace triage {
namespace {

using Json = nlohmann::json;
using testing::FakeLogging;

constexpr int64_t kStart = 1757980800LL * kMicrosPerSecond;  // 2025-09-16T00:00:00Z
constexpr char kToken[] = "ya29.fake-token";

Json Entry(const std::string& project, int i, const std::string& service = "api",
           const std::string& severity = "ERROR") {
  return {{"insertId", "id" + std::to_string(100000 + i)},
          {"logName", "projects/" + project + "/logs/run.googleapis.com%2Fstderr"},
          {"timestamp", FormatRfc3339(kStart + i * 1000000LL)},
          {"severity", severity},
          {"resource",
           {{"type", "cloud_run_revision"},
            {"labels", {{"project_id", project}, {"service_name", service}}}}},
          {"jsonPayload", {{"message", "failure " + std::to_string(i)}}}};
}

// One fake, one real curl transport, and a client whose sleeps advance the
// logical clock the fake's quota counts in.
struct Harness {
  std::atomic<int64_t> now{kStart};
  FakeLogging fake{[this] { return now.load(); }};
  std::unique_ptr<HttpTransport> transport = NewCurlTransport();
  std::string token = kToken;
  std::string refreshed_token = kToken;
  int refreshes = 0;
  std::vector<std::string> progress;

  std::unique_ptr<GcpLoggingClient> Client(GcpLoggingOptions options = {}) {
    options.endpoint = fake.endpoint() + "/";
    auto client = std::make_unique<GcpLoggingClient>(
        *transport, options,
        [this](bool force) -> Result<std::string> {
          if (force) {
            ++refreshes;
            token = refreshed_token;
          }
          return token;
        },
        [this](int64_t us) { now += us; }, [this] { return now.load(); }, [] { return 0.5; });
    client->set_progress([this](const std::string& line) { progress.push_back(line); });
    return client;
  }
};

LoggingQuery Query(std::vector<std::string> projects = {"p1"}) {
  LoggingQuery query;
  query.projects = std::move(projects);
  query.services = {"api"};
  query.since_us = kStart;
  query.until_us = kStart + 24 * kMicrosPerHour;
  return query;
}

struct Collected {
  std::vector<std::string> ids;
  Result<ListStats> stats = ListStats{};
};

Collected Read(GcpLoggingClient& client, const LoggingQuery& query) {
  Collected out;
  out.stats = client.ListEntries(query, [&out](std::string_view text) {
    const Json entry = Json::parse(text);
    out.ids.push_back(entry.at("insertId").get<std::string>());
  });
  return out;
}

TEST_CASE("gcp logging: 2,500 entries in pages of 1,000, through an empty page, each once") {
  Harness h;
  REQUIRE(h.fake.ok());
  for (int i = 0; i < 2500; ++i) h.fake.AddEntry("p1", Entry("p1", 2500 - i));  // any order
  h.fake.AddEntry("p1", Entry("p1", 9001, "other"));
  h.fake.AddEntry("p1", Entry("p1", 9002, "api", "INFO"));
  h.fake.AddEntry("p1", Entry("p1", -5));  // before the window
  h.fake.SetEmptyPages({2});
  std::unique_ptr<GcpLoggingClient> client = h.Client();
  const Collected got = Read(*client, Query());
  REQUIRE(got.stats);
  CHECK(got.stats.value().entries == 2500);
  CHECK(got.stats.value().pages == 4);
  CHECK(got.stats.value().requests == 4);
  CHECK(got.stats.value().duplicates == 0);
  CHECK_FALSE(got.stats.value().capped);
  REQUIRE(got.ids.size() == 2500);
  CHECK(got.ids.front() == "id100001");  // oldest first
  CHECK(got.ids.back() == "id102500");
  CHECK(std::set<std::string>(got.ids.begin(), got.ids.end()).size() == 2500);

  const std::vector<testing::FakeLoggingRequest> seen = h.fake.requests();
  REQUIRE(seen.size() == 4);
  for (size_t i = 0; i < seen.size(); ++i) {
    CHECK(seen[i].authorization == std::string("Bearer ") + kToken);
    CHECK(seen[i].content_type == "application/json");
    CHECK(seen[i].user_agent == "gcp-log-gardener");
    const Json body = Json::parse(seen[i].body);
    CHECK(body["resourceNames"] == Json::array({"projects/p1"}));
    CHECK(body["filter"] == BuildFilter(Query()));
    CHECK(body["orderBy"] == "timestamp asc");
    CHECK(body["pageSize"] == 1000);
    CHECK(body.contains("pageToken") == (i > 0));
  }
  CHECK(h.progress.size() == 4);
}

TEST_CASE("gcp logging: overlapping pages and projects are read in turn, duplicates dropped") {
  Harness h;
  REQUIRE(h.fake.ok());
  for (int i = 0; i < 25; ++i) h.fake.AddEntry("p1", Entry("p1", i));
  for (int i = 0; i < 5; ++i) h.fake.AddEntry("p2", Entry("p2", i));  // same insertIds, other log
  h.fake.SetOverlap(3);
  GcpLoggingOptions options;
  options.page_size = 10;
  std::unique_ptr<GcpLoggingClient> client = h.Client(options);
  const Collected got = Read(*client, Query({"p1", "p2"}));
  REQUIRE(got.stats);
  CHECK(got.stats.value().entries == 30);
  CHECK(got.stats.value().duplicates == 9);  // pages start at 0, 7, 14, 21
  CHECK(got.stats.value().pages == 5);
  const std::vector<testing::FakeLoggingRequest> seen = h.fake.requests();
  CHECK(Json::parse(seen.back().body)["resourceNames"] == Json::array({"projects/p2"}));
}

TEST_CASE("gcp logging: max_entries caps the read and says so") {
  Harness h;
  REQUIRE(h.fake.ok());
  for (int i = 0; i < 250; ++i) h.fake.AddEntry("p1", Entry("p1", i));
  GcpLoggingOptions options;
  options.page_size = 100;
  std::unique_ptr<GcpLoggingClient> client = h.Client(options);
  LoggingQuery query = Query();
  SUBCASE("mid-page") {
    query.max_entries = 150;
    const Collected got = Read(*client, query);
    REQUIRE(got.stats);
    CHECK(got.ids.size() == 150);
    CHECK(got.stats.value().capped);
    CHECK(got.stats.value().requests == 2);
  }
  SUBCASE("at a page end, with a token") {
    query.max_entries = 200;
    const Collected got = Read(*client, query);
    REQUIRE(got.stats);
    CHECK(got.stats.value().capped);
    CHECK(got.stats.value().requests == 2);
  }
  SUBCASE("exactly everything is not capped") {
    query.max_entries = 250;
    const Collected got = Read(*client, query);
    REQUIRE(got.stats);
    CHECK(got.ids.size() == 250);
    CHECK_FALSE(got.stats.value().capped);
  }
}

TEST_CASE("gcp logging: a 401 refreshes the token once and resends once") {
  Harness h;
  REQUIRE(h.fake.ok());
  h.fake.AddEntry("p1", Entry("p1", 1));
  h.token = "ya29.expired";
  SUBCASE("the fresh token works") {
    std::unique_ptr<GcpLoggingClient> client = h.Client();
    const Collected got = Read(*client, Query());
    REQUIRE(got.stats);
    CHECK(got.ids.size() == 1);
    CHECK(h.refreshes == 1);
    CHECK(got.stats.value().requests == 2);
  }
  SUBCASE("the fresh token is refused too") {
    h.refreshed_token = "ya29.also-wrong";
    std::unique_ptr<GcpLoggingClient> client = h.Client();
    const Collected got = Read(*client, Query());
    REQUIRE_FALSE(got.stats);
    CHECK(got.stats.error().kind == ErrorKind::kAuth);
    CHECK(got.stats.error().http_status == 401);
    CHECK(got.stats.error().message.find("refused again after a token refresh") !=
          std::string::npos);
    CHECK(h.refreshes == 1);
    CHECK(h.fake.requests().size() == 2);
  }
}

TEST_CASE("gcp logging: a 429 waits out the quota, lowers the pace, and the read completes") {
  Harness h;
  REQUIRE(h.fake.ok());
  for (int i = 0; i < 100; ++i) h.fake.AddEntry("p1", Entry("p1", i));
  bool retry_info = true;
  SUBCASE("with RetryInfo") { retry_info = true; }
  SUBCASE("without RetryInfo: 60 s") { retry_info = false; }
  h.fake.SetQuotaPerMinute(5, retry_info);
  GcpLoggingOptions options;
  options.page_size = 10;
  options.requests_per_minute = 600;
  std::unique_ptr<GcpLoggingClient> client = h.Client(options);
  const Collected got = Read(*client, Query());
  REQUIRE(got.stats);
  CHECK(got.ids.size() == 100);
  CHECK(h.fake.CountStatus(429) == 1);
  CHECK(client->requests_per_minute() == 4);
  CHECK(got.stats.value().requests == 11);
  CHECK(got.stats.value().waited_us >= 60 * kMicrosPerSecond);
}

TEST_CASE("gcp logging: a quota that never frees stops the read as partial") {
  Harness h;
  REQUIRE(h.fake.ok());
  for (int i = 0; i < 30; ++i) h.fake.AddEntry("p1", Entry("p1", i));
  h.fake.SetQuotaPerMinute(0);
  std::unique_ptr<GcpLoggingClient> client = h.Client();
  const Collected got = Read(*client, Query());
  REQUIRE_FALSE(got.stats);
  CHECK(got.stats.error().kind == ErrorKind::kRateLimited);
  CHECK(got.stats.error().message.find("partial: quota, 0 entries delivered") != std::string::npos);
  CHECK(client->stats().requests == 4);
}

TEST_CASE("gcp logging: 400 shows Google's message and the filter") {
  Harness h;
  REQUIRE(h.fake.ok());
  h.fake.AddProject("p1");
  LoggingQuery query = Query();
  query.extra_filter = "jsonPayload.message : BAD";
  std::unique_ptr<GcpLoggingClient> client = h.Client();
  const Collected got = Read(*client, query);
  REQUIRE_FALSE(got.stats);
  const std::string filter = BuildFilter(query);
  CHECK(got.stats.error().kind == ErrorKind::kHttp);
  CHECK(got.stats.error().message ==
        "entries:list projects/p1: HTTP 400: Unparseable filter: syntax error at line 1, column " +
            std::to_string(filter.find("BAD")) + ", token 'BAD'; filter:\n" + filter);
  CHECK(h.fake.requests().size() == 1);
}

TEST_CASE("gcp logging: 403 names the permission and role; 404 names the project") {
  Harness h;
  REQUIRE(h.fake.ok());
  h.fake.DenyProject("secret");
  std::unique_ptr<GcpLoggingClient> client = h.Client();
  const Collected denied = Read(*client, Query({"secret"}));
  REQUIRE_FALSE(denied.stats);
  CHECK(denied.stats.error().kind == ErrorKind::kAuth);
  CHECK(denied.stats.error().message ==
        "entries:list projects/secret: HTTP 403: Permission 'logging.logEntries.list' denied on "
        "resource (or it may not exist).; the caller needs permission logging.logEntries.list on "
        "projects/secret (role roles/logging.viewer, Logs Viewer)");
  const Collected missing = Read(*client, Query({"nope"}));
  REQUIRE_FALSE(missing.stats);
  CHECK(missing.stats.error().http_status == 404);
  CHECK(missing.stats.error().message ==
        "entries:list projects/nope: HTTP 404: Project 'nope' not found.; is projects/nope the "
        "right project ID?");
}

TEST_CASE("gcp logging: 500 and 503 are retried with backoff") {
  Harness h;
  REQUIRE(h.fake.ok());
  for (int i = 0; i < 3; ++i) h.fake.AddEntry("p1", Entry("p1", i));
  h.fake.FailNext(500);
  h.fake.FailNext(503);
  std::unique_ptr<GcpLoggingClient> client = h.Client();
  const Collected got = Read(*client, Query());
  REQUIRE(got.stats);
  CHECK(got.ids.size() == 3);
  CHECK(got.stats.value().requests == 3);
  CHECK(h.fake.CountStatus(500) == 1);
  CHECK(h.fake.CountStatus(503) == 1);
}

TEST_CASE("gcp logging: requests are paced below requests_per_minute") {
  Harness h;
  REQUIRE(h.fake.ok());
  for (int i = 0; i < 60; ++i) h.fake.AddEntry("p1", Entry("p1", i));
  GcpLoggingOptions options;
  options.page_size = 5;
  std::unique_ptr<GcpLoggingClient> client = h.Client(options);
  const Collected got = Read(*client, Query());
  REQUIRE(got.stats);
  const std::vector<testing::FakeLoggingRequest> seen = h.fake.requests();
  REQUIRE(seen.size() == 12);
  for (size_t i = 1; i < seen.size(); ++i) {
    CHECK(seen[i].at_us - seen[i - 1].at_us >= 1200000);  // 60 s / 50
  }
  CHECK(h.fake.CountStatus(429) == 0);
}

TEST_CASE("gcp logging: values with quotes and backslashes reach the server intact") {
  Harness h;
  REQUIRE(h.fake.ok());
  const std::string odd = "we\"ird\\svc";
  h.fake.AddEntry("p1", Entry("p1", 1, odd));
  h.fake.AddEntry("p1", Entry("p1", 2, "weird\\svc"));
  LoggingQuery query = Query();
  query.services = {odd};
  std::unique_ptr<GcpLoggingClient> client = h.Client();
  const Collected got = Read(*client, query);
  REQUIRE(got.stats);
  CHECK(got.ids == std::vector<std::string>{"id100001"});
}

TEST_CASE("gcp logging: the fake refuses pageSize over 1000 and a token from another request") {
  Harness h;
  REQUIRE(h.fake.ok());
  for (int i = 0; i < 3; ++i) h.fake.AddEntry("p1", Entry("p1", i));
  const auto post = [&h](const Json& body) {
    HttpRequest request{"POST",
                        h.fake.endpoint() + "/v2/entries:list",
                        {{"Authorization", std::string("Bearer ") + kToken}},
                        body.dump()};
    return h.transport->Send(request);
  };
  const HttpResponse big =
      post({{"resourceNames", Json::array({"projects/p1"})}, {"pageSize", 1001}});
  CHECK(big.status == 400);
  CHECK(Json::parse(big.body)["error"]["status"] == "INVALID_ARGUMENT");
  const HttpResponse first =
      post({{"resourceNames", Json::array({"projects/p1"})}, {"pageSize", 1}});
  REQUIRE(first.status == 200);
  const std::string token = Json::parse(first.body)["nextPageToken"];
  const HttpResponse other = post(
      {{"resourceNames", Json::array({"projects/p1"})}, {"pageSize", 2}, {"pageToken", token}});
  CHECK(other.status == 400);
}

}  // namespace
}  // namespace triage
