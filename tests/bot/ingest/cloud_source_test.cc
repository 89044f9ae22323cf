// CollectFromCloudLogging against the fake Cloud Logging on loopback, with
// a service-account key whose token comes from the fake Google token
// endpoint: no transport, no project, and entries filtered and clustered.
#include "bot/ingest/cloud_source.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "clients/curl_transport.h"
#include "tests/support/cli_support.h"
#include "tests/support/fake_google.h"
#include "tests/support/fake_logging.h"

namespace triage {
namespace {

using nlohmann::json;

constexpr int64_t kSecond = 1000000;
constexpr int64_t kNowUs = 1757895030LL * kSecond;  // 2025-09-15T00:10:30Z

json Entry(const std::string& id, const std::string& time, const std::string& severity,
           const std::string& service, const std::string& message) {
  return {{"insertId", id},
          {"timestamp", time},
          {"severity", severity},
          {"logName", "projects/proj-a/logs/run.googleapis.com%2Fstderr"},
          {"resource", {{"type", "cloud_run_revision"},
                        {"labels", {{"service_name", service}, {"project_id", "proj-a"}}}}},
          {"jsonPayload", {{"message", message}}}};
}

struct World {
  World() : logging([] { return kNowUs; }), transport(NewCurlTransport()) {
    key = testing::GenerateTestRsaKey();
    config.sa_public_pem = key.public_pem;
    auth = std::make_unique<testing::FakeGoogleAuth>(config);
    auth->SetNow(kNowUs / kSecond);
    logging.SetValidToken("sa-1");  // the first token the fake token endpoint issues
    json sa = {{"type", "service_account"}, {"project_id", "proj-a"},
               {"private_key_id", config.sa_key_id}, {"private_key", key.private_pem},
               {"client_email", config.sa_email}, {"client_id", "1234"},
               {"token_uri", auth->TokenUrl()}};
    vars = {{"GCP_LOGGING_ENDPOINT", logging.endpoint()},
            {"GOOGLE_APPLICATION_CREDENTIALS", dir.Write("key.json", sa.dump())}};
    access.getenv = [this](const std::string& name) {
      auto it = vars.find(name);
      return it == vars.end() ? std::string() : it->second;
    };
    access.sleep = [this](int64_t us) { clock += us; };
    access.clock = [this] { return clock; };
    access.quiet = true;
    access.mask = [this](const std::string& t) { masked.push_back(t); };
    access.transport = transport.get();
  }
  testing::TempDir dir;
  testing::TestRsaKey key;
  testing::FakeGoogleConfig config;
  std::unique_ptr<testing::FakeGoogleAuth> auth;
  testing::FakeLogging logging;
  std::unique_ptr<HttpTransport> transport;
  std::map<std::string, std::string> vars;
  int64_t clock = kNowUs;
  std::vector<std::string> masked;
  CloudAccess access;
};

const std::string kDb = "database connection refused by host db-";

TEST_CASE("cloud source: without a transport it is an error") {
  World w;
  w.access.transport = nullptr;
  CollectOptions o;
  SourceConfig source;
  source.project = "proj-a";
  std::ostringstream err;
  Result<CollectResult> r = CollectFromCloudLogging(o, source, kNowUs - 3600 * kSecond, kNowUs, w.access, err);
  REQUIRE_FALSE(r);
  CHECK(r.error().message == "no HTTP transport");
  CHECK(w.auth->Calls(testing::GoogleEndpoint::kToken) == 0);
}

TEST_CASE("cloud source: no project in the config nor the credential is a config error") {
  World w;
  w.vars = {{"GCP_LOGGING_ENDPOINT", w.logging.endpoint()}, {"GOOGLE_OAUTH_ACCESS_TOKEN", "sa-1"}};
  CollectOptions o;
  SourceConfig source;  // no project
  std::ostringstream err;
  Result<CollectResult> r = CollectFromCloudLogging(o, source, kNowUs - 3600 * kSecond, kNowUs, w.access, err);
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == ErrorKind::kConfig);
  CHECK(r.error().message == "no project to read: set source.project in the config");
  CHECK(w.logging.requests().empty());
}

TEST_CASE("cloud source: entries are read with the token, filtered and clustered") {
  World w;
  // In the window: three db errors (svc-a), one db error of svc-b, one
  // INFO of svc-a; outside it: one db error an hour and more earlier.
  w.logging.AddEntry("proj-a", Entry("a1", "2025-09-15T00:01:00Z", "ERROR", "svc-a", kDb + "1"));
  w.logging.AddEntry("proj-a", Entry("a2", "2025-09-15T00:02:00Z", "ERROR", "svc-a", kDb + "2"));
  w.logging.AddEntry("proj-a", Entry("a3", "2025-09-15T00:03:00Z", "CRITICAL", "svc-a", kDb + "3"));
  w.logging.AddEntry("proj-a", Entry("b1", "2025-09-15T00:04:00Z", "ERROR", "svc-b", kDb + "4"));
  w.logging.AddEntry("proj-a", Entry("i1", "2025-09-15T00:05:00Z", "INFO", "svc-a", "started"));
  w.logging.AddEntry("proj-a", Entry("old", "2025-09-14T22:00:00Z", "ERROR", "svc-a", kDb + "5"));

  CollectOptions o;
  o.filter.services = {"svc-a"};
  o.filter.min_severity = Severity::kWarning;
  o.count_before = {1757894520LL * kSecond};  // 00:02:00Z, a watermark
  SourceConfig source;
  source.project = "proj-a";
  std::ostringstream err;
  Result<CollectResult> r =
      CollectFromCloudLogging(o, source, kNowUs - 3600 * kSecond, kNowUs, w.access, err);
  REQUIRE_MESSAGE(r, err.str());
  CHECK(r.value().read.entries == 3);
  CHECK(r.value().clustered == 3);
  REQUIRE(r.value().clusters.size() == 1);
  const Cluster& c = r.value().clusters[0];
  CHECK(c.count == 3);
  CHECK(c.service == "svc-a");
  CHECK(c.max_severity == Severity::kCritical);
  CHECK(r.value().newest_read_us == 1757894580LL * kSecond);  // 00:03:00Z
  CHECK_FALSE(r.value().capped);
  CHECK(CountAfter(r.value().before, {c.key}, c.count, 1757894520LL * kSecond) == 1);
  // The token came from the fake token endpoint, was masked, and is never
  // printed; stderr names the credential.
  CHECK(w.auth->Calls(testing::GoogleEndpoint::kToken) == 1);
  CHECK(w.masked == std::vector<std::string>{"sa-1"});
  CHECK(err.str().find("reading Cloud Logging as ") != std::string::npos);
  CHECK(err.str().find("sa-1") == std::string::npos);
  REQUIRE_FALSE(w.logging.requests().empty());
  CHECK(w.logging.requests()[0].authorization == "Bearer sa-1");
  CHECK(w.logging.requests()[0].body.find("svc-a") != std::string::npos);

  SUBCASE("the cap stops the read and says so") {
    source.max_entries = 2;
    w.logging.SetValidToken("sa-2");  // a new credential, the fake's second token
    std::ostringstream capped_err;
    Result<CollectResult> capped =
        CollectFromCloudLogging(o, source, kNowUs - 3600 * kSecond, kNowUs, w.access, capped_err);
    REQUIRE_MESSAGE(capped, capped.error().message);
    CHECK(capped.value().capped);
    CHECK(capped.value().read.entries == 2);
    CHECK(capped_err.str().find("stopped at source.max_entries (2 entries)") != std::string::npos);
  }
}

}  // namespace
}  // namespace triage
