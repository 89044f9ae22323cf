// The `run` and `validate` commands, whole: config, plan, worklog, JSON and
// the step summary; golden files pin the plan and the worklog.
#include "bot/app/run.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <stdlib.h>  // setenv

#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "bot/app/cli.h"
#include "bot/triage/decide.h"
#include "tests/support/cli_support.h"
#include "tests/support/fake_github.h"

namespace triage {
namespace {

using nlohmann::json;
using testing::ReadFile;
using testing::Run;
using testing::RunArgs;
using testing::TempDir;

const std::string kSource = GARDENER_SOURCE_DIR;
const std::string kExample = kSource + "/examples/netra-staging.yml";
const std::string kScenario = kSource + "/examples/netra-staging/2025-09-15T0241.json";
const std::string kGolden = kSource + "/tests/golden/";

// Compares `actual` with a golden file; GARDENER_UPDATE_GOLDEN=1 rewrites it.
void CheckGolden(const std::string& name, const std::string& actual) {
  const char* update = std::getenv("GARDENER_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(kGolden + name, std::ios::binary) << actual;
    return;
  }
  std::string expected = ReadFile(kGolden + name);
  REQUIRE_MESSAGE(!expected.empty(), "missing " << kGolden << name);
  if (actual == expected) return;
  std::istringstream a(actual), e(expected);
  std::string la, le;
  int line = 1;
  while (std::getline(a, la) && std::getline(e, le) && la == le) ++line;
  FAIL_CHECK(name << " differs from line " << line << ": got '" << la << "', expected '" << le
                  << "' (GARDENER_UPDATE_GOLDEN=1 rewrites it)");
}

// The tracker as the seeds found it before 2025-09-15 02:41, as a snapshot.
std::string IssuesSnapshot() {
  json issues = json::array({
      {{"number", 1171}, {"title", "GCP-race-condition | P0 | WebSocket Startup Phase Race Condition"},
       {"state", "open"}, {"labels", {"gcp-log-gardener", "P0"}},
       {"fingerprints", {"b7248ea15bb299fd"}}, {"url", "https://github.com/o/r/issues/1171"}},
      {{"number", 889}, {"title", "GCP-active-dev | P3 | SSOT WebSocket Manager Duplication Warnings"},
       {"state", "open"}, {"labels", {"gcp-log-gardener", "P3"}},
       {"fingerprints", {NamedFingerprint("ssot-manager-duplication")}},
       {"watermark", "2025-09-15T00:10:00Z"}, {"url", "https://github.com/o/r/issues/889"}},
      {{"number", 838}, {"title", "GCP-auth | P1 | Golden Path Authentication Circuit Breaker Permissive Mode"},
       {"state", "closed"}, {"state_reason", "completed"}, {"closed_at", "2025-09-14T12:00:00Z"},
       {"labels", {"gcp-log-gardener", "P1"}}, {"fingerprints", {"1daded3f69e1cb1d"}},
       {"url", "https://github.com/o/r/issues/838"}},
  });
  return issues.dump(2);
}

TEST_CASE("run: golden plan, worklog and JSON of a seed scenario against known issues") {
  TempDir dir;
  std::string issues = dir.Write("issues.json", IssuesSnapshot());
  std::string report = dir.Path("worklog.md");
  Run r = RunArgs({"run", "--dry-run", "--config", kExample, "--input", kScenario, "--issues",
                   issues, "--report", report, "--now", "2025-09-15T02:41:09Z"});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(r.err == "");
  CheckGolden("netra-0241.plan.txt", r.out);
  CheckGolden("netra-0241.worklog.md", ReadFile(report));

  Run j = RunArgs({"run", "--dry-run", "--json", "--config", kExample, "--input", kScenario,
                   "--issues", issues, "--now", "2025-09-15T02:41:09Z"});
  REQUIRE(j.code == 0);
  json out = json::parse(j.out);
  std::map<std::string, std::string> action_of;
  for (const json& c : out["clusters"]) {
    for (const char* field : {"key", "fingerprints", "title", "priority", "category", "count",
                              "action", "reason"}) {
      CHECK_MESSAGE(c.contains(field), field);
    }
    action_of[c["title"]] = c["action"].get<std::string>() + " " + c["priority"].get<std::string>();
  }
  CHECK(action_of == std::map<std::string, std::string>{
      {"GCP-race-condition | P1 | WebSocket Startup Phase Race Condition", "update P1"},
      {"GCP-active-dev | P2 | SSOT WebSocket Manager Duplication Warnings", "escalate P2"},
      {"GCP-regression | P2 | Session Middleware Configuration Missing", "create P2"},
      {"GCP-auth | P2 | Golden Path Authentication Circuit Breaker Permissive Mode", "reopen P2"},
  });
  CheckGolden("netra-0241.json", j.out);
}

TEST_CASE("run: the worklog goes to stdout with --report -, and to the step summary") {
  TempDir dir;
  std::string summary = dir.Write("summary.md", "# earlier step\n");
  setenv("GITHUB_STEP_SUMMARY", summary.c_str(), 1);
  Run r = RunArgs({"run", "--dry-run", "--config", kExample, "--input", kScenario, "--report", "-"});
  unsetenv("GITHUB_STEP_SUMMARY");
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(r.out.find("Plan (dry run") == std::string::npos);  // only the worklog
  CHECK(r.out.find("netra-backend-staging") != std::string::npos);
  CHECK(ReadFile(summary) == "# earlier step\n" + r.out);

  std::string nowhere = dir.Path("no/such/dir/worklog.md");
  Run bad = RunArgs({"run", "--dry-run", "--config", kExample, "--input", kScenario, "--report", nowhere});
  CHECK(bad.code == 1);
  CHECK(bad.err.find(nowhere + ": cannot write\n") != std::string::npos);
}

TEST_CASE("run: errors stop the run before anything is planned") {
  TempDir dir;
  std::string bad_config = dir.Write("bad.yml", "rules:\n  - name: x\n    priority: P9\n");
  std::string broken_template = dir.Write("broken.mustache", "{{#samples}}unclosed");
  std::string with_template = dir.Write("tpl.yml", "templates:\n  worklog: broken.mustache\n");
  std::string bad_issues = dir.Write("issues.json", "[{\"number\": -1}]");
  struct Case {
    std::vector<std::string> args;
    std::string error;  // how stderr starts
  } cases[] = {
      {{"--dry-run", "--config", bad_config},
       bad_config + ":3:15: rule 'x' priority: expected a priority P0 to P6, got 'P9'\n"},
      {{"--dry-run", "--config", dir.Path("missing.yml")}, dir.Path("missing.yml") + ": cannot open\n"},
      {{"--dry-run", "--config", with_template}, broken_template + ": "},
      {{"--dry-run", "--config", kExample, "--issues", bad_issues},
       bad_issues + ": issue 1: 'number' must be a positive whole number\n"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args{"run", "--input", kScenario};
    args.insert(args.end(), c.args.begin(), c.args.end());
    CAPTURE(c.error);
    Run r = RunArgs(args);
    CHECK(r.code == 2);
    CHECK(r.out == "");
    CHECK(r.err.rfind(c.error, 0) == 0);
  }
}

TEST_CASE("run: without --dry-run it needs a token and a repository") {
  struct Case {
    std::map<std::string, std::string> vars;
    std::string config;
    int code;
    std::string error;
  } cases[] = {
      {{}, kExample, 4, "gcp-log-gardener run: no GitHub token: set GITHUB_TOKEN or GH_TOKEN, or use --dry-run\n"},
      {{{"GH_TOKEN", "t"}}, "/dev/null", 2,
       "gcp-log-gardener run: no repository: set github.repository in the config or GITHUB_REPOSITORY\n"},
      // Nothing listens on port 9 of loopback: a clear error, exit 1, no token in it.
      {{{"GITHUB_TOKEN", "ghp_secret123"}, {"GITHUB_API_URL", "http://127.0.0.1:9"}}, kExample, 1,
       "gcp-log-gardener run: reading the issues of netra-systems/netra-apex: GET "},
  };
  for (const Case& c : cases) {
    CAPTURE(c.error);
    Environment env;
    env.getenv = [&](const std::string& name) {
      auto it = c.vars.find(name);
      return it == c.vars.end() ? std::string() : it->second;
    };
    env.sleep = [](int64_t) {};
    env.clock = [] { return int64_t{1757904069} * 1000000; };
    std::vector<std::string> args{"gcp-log-gardener", "run", "--input", kScenario, "--config", c.config};
    std::vector<const char*> argv;
    for (const std::string& a : args) argv.push_back(a.c_str());
    std::ostringstream out, err;
    int code = RunCli(static_cast<int>(argv.size()), argv.data(), out, err, env.clock(), env);
    CHECK(code == c.code);
    CHECK(out.str() == "");
    CHECK(err.str().rfind(c.error, 0) == 0);
    CHECK(err.str().find("ghp_secret123") == std::string::npos);
  }
}

// gh's order: GH_TOKEN, else GITHUB_TOKEN. The fake accepts one token only.
TEST_CASE("run: GH_TOKEN is read before GITHUB_TOKEN, as gh reads them") {
  testing::FakeGitHubOptions options;
  options.repos = {"netra-systems/netra-apex"};
  options.token = "right-token";
  testing::FakeGitHub github(options);
  struct Case {
    std::map<std::string, std::string> vars;
    int code;
  } cases[] = {
      {{{"GH_TOKEN", "right-token"}, {"GITHUB_TOKEN", "wrong-token"}}, 0},
      {{{"GH_TOKEN", "wrong-token"}, {"GITHUB_TOKEN", "right-token"}}, 4},
      {{{"GITHUB_TOKEN", "right-token"}}, 0},
  };
  for (const Case& c : cases) {
    std::map<std::string, std::string> vars = c.vars;
    vars["GITHUB_API_URL"] = github.base_url();
    CAPTURE(vars.count("GH_TOKEN") ? vars["GH_TOKEN"] : "(no GH_TOKEN)");
    Environment env;
    env.getenv = [&](const std::string& name) {
      auto it = vars.find(name);
      return it == vars.end() ? std::string() : it->second;
    };
    env.sleep = [](int64_t) {};
    env.clock = [] { return int64_t{1757904069} * 1000000; };
    std::vector<std::string> args{"gcp-log-gardener", "run", "-q", "--input", kScenario, "--config", kExample};
    std::vector<const char*> argv;
    for (const std::string& a : args) argv.push_back(a.c_str());
    std::ostringstream out, err;
    const int code = RunCli(static_cast<int>(argv.size()), argv.data(), out, err, env.clock(), env);
    INFO("stderr: " << err.str());
    CHECK(code == c.code);
  }
}

TEST_CASE("validate: a good config, the defaults, and a broken one") {
  Run good = RunArgs({"validate", "--config", kExample});
  CHECK(good.code == 0);
  CHECK(good.out == kExample + ": OK, 14 rules, 1 escalations\n");
  TempDir dir;
  std::string bad = dir.Write("bad.yml",
                              "source:\n  min_severity: LOUD\nrules:\n  - name: r\n    when:\n"
                              "      message: '(unclosed'\n    category: 'a,b'\n");
  Run r = RunArgs({"validate", "--config", bad});
  CHECK(r.code == 2);
  CHECK(r.out == "");
  CHECK(r.err == bad + ":2:17: source min_severity: expected a severity (DEFAULT, DEBUG, INFO, "
                       "NOTICE, WARNING, ERROR, CRITICAL, ALERT, EMERGENCY), got 'LOUD'\n" +
                     bad + ":6:16: rule 'r' when message: bad regular expression '(unclosed': "
                           "missing ): (unclosed\n" +
                     bad + ":7:15: rule 'r' category: 'a,b' cannot be a GitHub label: it holds a comma\n");
}

}  // namespace
}  // namespace triage
