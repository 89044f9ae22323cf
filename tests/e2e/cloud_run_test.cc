// `run` reading Cloud Logging (a fake on loopback) instead of a file: the
// same problems as from the file, the window, and the errors a user meets.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "bot/app/cli.h"
#include "tests/support/cli_support.h"
#include "tests/support/fake_google.h"
#include "tests/support/fake_logging.h"

namespace triage {
namespace {

using nlohmann::json;

const std::string kSource = GARDENER_SOURCE_DIR;
const std::string kScenario = kSource + "/examples/netra-staging/2025-09-15T0010.json";
const std::string kNow = "2025-09-15T00:10:30Z";
constexpr int64_t kNowUs = 1757895030LL * 1000000;

struct Outcome {
  int code;
  json report;
  std::string err;
};

Outcome Run(const std::vector<std::string>& extra, const std::map<std::string, std::string>& vars) {
  Environment env;
  env.getenv = [vars](const std::string& name) {
    auto it = vars.find(name);
    return it == vars.end() ? std::string() : it->second;
  };
  int64_t clock = kNowUs;
  env.sleep = [&](int64_t us) { clock += us; };
  env.clock = [&] { return clock; };
  std::vector<std::string> args{"gcp-log-gardener", "run", "--dry-run", "--json", "--quiet",
                                "--config", kSource + "/examples/netra-staging.yml", "--now", kNow};
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  int code = RunCli(static_cast<int>(argv.size()), argv.data(), out, err, clock, env);
  return {code, json::parse(out.str(), nullptr, false), err.str()};
}

// key -> count, title and action of every problem.
std::map<std::string, std::string> Problems(const json& report) {
  std::map<std::string, std::string> out;
  for (const json& c : report["clusters"]) {
    out[c["key"]] = std::to_string(c["count"].get<int>()) + " " + c["title"].get<std::string>() +
                    " " + c["action"].get<std::string>();
  }
  return out;
}

TEST_CASE("cloud run: entries read from Cloud Logging give the same problems as the file") {
  testing::FakeLogging logging([] { return kNowUs; });
  REQUIRE(logging.ok());
  logging.SetValidToken("ya29.test-token");
  std::ifstream in(kScenario);
  json entries = json::parse(in);
  for (const json& e : entries) logging.AddEntry("netra-staging", e);
  json outside = entries[0];
  outside["insertId"] = "too-old";
  outside["timestamp"] = "2025-09-14T20:00:00Z";  // before the config's 1 h window
  logging.AddEntry("netra-staging", outside);

  Outcome cloud = Run({}, {{"GCP_LOGGING_ENDPOINT", logging.endpoint()},
                           {"GOOGLE_OAUTH_ACCESS_TOKEN", "ya29.test-token"}});
  REQUIRE_MESSAGE(cloud.code == 0, cloud.err);
  Outcome file = Run({"--input", kScenario}, {});
  REQUIRE_MESSAGE(file.code == 0, file.err);
  CHECK(Problems(cloud.report) == Problems(file.report));
  CHECK(cloud.report["stats"]["entries_read"] == 50);
  CHECK(cloud.report["window"]["start"] == "2025-09-14T23:10:30.000000Z");
  CHECK(cloud.report["window"]["end"] == "2025-09-15T00:10:30.000000Z");
  CHECK(cloud.err.find("reading Cloud Logging as") != std::string::npos);
  CHECK(cloud.err.find("ya29.test-token") == std::string::npos);
  auto requests = logging.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].body.find("netra-backend-staging") != std::string::npos);
}

TEST_CASE("cloud run: with a service-account key file, the same problems as from the file") {
  testing::TestRsaKey key = testing::GenerateTestRsaKey();
  testing::FakeGoogleConfig config;
  config.sa_public_pem = key.public_pem;
  testing::FakeGoogleAuth auth(config);
  auth.SetNow(kNowUs / 1000000);
  testing::FakeLogging logging([] { return kNowUs; });
  logging.SetValidToken("sa-1");  // the first token the fake token endpoint issues
  std::ifstream in(kScenario);
  for (const json& e : json::parse(in)) logging.AddEntry("netra-staging", e);
  testing::TempDir dir;
  json sa = {{"type", "service_account"}, {"project_id", "netra-staging"},
             {"private_key_id", config.sa_key_id}, {"private_key", key.private_pem},
             {"client_email", config.sa_email}, {"client_id", "1234"},
             {"token_uri", auth.TokenUrl()}};
  std::string file = dir.Write("key.json", sa.dump());
  Outcome cloud = Run({}, {{"GCP_LOGGING_ENDPOINT", logging.endpoint()},
                           {"GOOGLE_APPLICATION_CREDENTIALS", file}});
  REQUIRE_MESSAGE(cloud.code == 0, cloud.err);
  Outcome local = Run({"--input", kScenario}, {});
  CHECK(Problems(cloud.report) == Problems(local.report));
  CHECK(auth.Calls(testing::GoogleEndpoint::kToken) == 1);
  CHECK(cloud.err.find("service account") != std::string::npos);
  CHECK(cloud.err.find("PRIVATE KEY") == std::string::npos);
}

TEST_CASE("cloud run: no credential, a refused one and a missing project are clear errors") {
  testing::FakeLogging logging([] { return kNowUs; });
  logging.SetValidToken("good");
  logging.AddProject("netra-staging");
  struct Case {
    std::map<std::string, std::string> vars;
    int code;
    std::string says;
  } cases[] = {
      {{{"NO_GCE_CHECK", "true"}, {"HOME", "/nonexistent"}}, 4, "reading Cloud Logging: "},
      // Refused, and a token given directly cannot be refreshed.
      {{{"GCP_LOGGING_ENDPOINT", logging.endpoint()}, {"GOOGLE_OAUTH_ACCESS_TOKEN", "bad-token"}}, 4,
       "run: reading Cloud Logging: "},
  };
  for (const Case& c : cases) {
    CAPTURE(c.says);
    Outcome o = Run({}, c.vars);
    CHECK(o.code == c.code);
    CHECK_MESSAGE(o.err.find(c.says) != std::string::npos, o.err);
    CHECK(o.err.find("bad-token") == std::string::npos);
  }
}

}  // namespace
}  // namespace triage
