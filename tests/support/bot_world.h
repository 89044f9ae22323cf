// Test support: the binary as a workflow step runs it, against the fake
// GitHub and the fake Cloud Logging on loopback, holding the scenario
// examples/netra-staging/2025-09-15T0010.json, with a shared fake clock.
#ifndef TRIAGE_TESTS_SUPPORT_BOT_WORLD_H_
#define TRIAGE_TESTS_SUPPORT_BOT_WORLD_H_

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "bot/app/cli.h"
#include "bot/github/marker.h"
#include "bot/base/time_util.h"
#include "tests/support/cli_support.h"
#include "tests/support/fake_github.h"
#include "tests/support/fake_logging.h"

namespace triage {
namespace testing {

using nlohmann::json;

inline const std::string kSource = GARDENER_SOURCE_DIR;
inline const std::string kRepo = "netra-systems/netra-apex";  // examples/netra-staging.yml's
inline const std::string kScenario = kSource + "/examples/netra-staging/2025-09-15T0010.json";
inline const int64_t kNowUs = *ParseRfc3339("2025-09-15T00:10:30Z");
constexpr int64_t kHour = 3600 * int64_t{1000000};

inline FakeGitHubOptions Options() {
  FakeGitHubOptions o;
  o.repos = {kRepo};
  o.start_time = kNowUs / 1000000;
  return o;
}

struct Outcome {
  int code = 0;
  std::string out, err;
  std::map<std::string, std::string> outputs;  // $GITHUB_OUTPUT
};

class World {
 public:
  World() : logging_([this] { return clock_us_; }) {
    github.SetRole(kRepo, "alice", "admin");
    github.SetRole(kRepo, "tri", "triage");
    logging_.SetValidToken("ya29.test-token");
    std::ifstream in(kScenario);
    for (const json& e : json::parse(in)) logging_.AddEntry("netra-staging", e);
  }

  // `gcp-log-gardener <args>` at `now_us`, as a workflow step would run it.
  Outcome Run(std::vector<std::string> args, int64_t now_us, const std::string& event_name) {
    clock_us_ = std::max(clock_us_, now_us);
    github.SetNow(clock_us_ / 1000000);
    const std::string outputs = dir_.Write("github_output", "");
    std::map<std::string, std::string> vars{
        {"GITHUB_API_URL", github.base_url()}, {"GITHUB_TOKEN", "test-token"},
        {"GITHUB_RUN_ID", std::to_string(++runs_)}, {"GITHUB_EVENT_NAME", event_name},
        {"GITHUB_OUTPUT", outputs}, {"GCP_LOGGING_ENDPOINT", logging_.endpoint()},
        {"GOOGLE_OAUTH_ACCESS_TOKEN", "ya29.test-token"}};
    for (const auto& [k, v] : extra_env) vars[k] = v;
    Environment env = FakeEnvironment(vars, &clock_us_, [this] { github.SetNow(clock_us_ / 1000000); });
    args.insert(args.begin(), "gcp-log-gardener");
    args.insert(args.end(), {"--config", config, "--now",
                             FormatRfc3339(now_us)});
    std::vector<const char*> argv;
    for (const std::string& a : args) argv.push_back(a.c_str());
    std::ostringstream out, err;
    Outcome o;
    o.code = RunCli(static_cast<int>(argv.size()), argv.data(), out, err, clock_us_, env);
    o.out = out.str();
    o.err = err.str();
    std::istringstream lines(ReadFile(outputs));
    for (std::string line; std::getline(lines, line);) {
      size_t eq = line.find('=');
      if (eq != std::string::npos) o.outputs[line.substr(0, eq)] = line.substr(eq + 1);
    }
    return o;
  }

  Outcome Scheduled(int64_t now_us) {
    return Run({"run", "-q", "--event", kSource + "/tests/fixtures/events/schedule.json"}, now_us, "schedule");
  }

  // Posts the fixture's comment on `number` as its author, then runs
  // `command --event` on the payload with the ids GitHub gave.
  Outcome Comment(const std::string& fixture, int number, int64_t now_us, std::vector<std::string> extra = {}) {
    std::ifstream in(kSource + "/tests/fixtures/events/" + fixture);
    json event = json::parse(in);
    FakeComment c;
    c.body = event["comment"]["body"];
    c.user_login = event["comment"]["user"]["login"];
    c.user_type = event["comment"]["user"]["type"];
    const int64_t id = github.SeedComment(kRepo, number, c);
    REQUIRE(id > 0);
    event["issue"]["number"] = number;
    event["comment"]["id"] = id;
    last_comment_id = id;
    std::vector<std::string> args{"command", "--event", dir_.Write("event.json", event.dump())};
    args.insert(args.end(), extra.begin(), extra.end());
    return Run(args, now_us, "issue_comment");
  }

  // The bot's issues whose body marker is of `kind`, by number.
  std::vector<FakeIssue> IssuesOf(MarkerKind kind) const {
    std::vector<FakeIssue> out;
    for (const FakeIssue& i : github.Issues(kRepo)) {
      auto m = ParseMarker(i.body);
      if (m && m->kind == kind) out.push_back(i);
    }
    return out;
  }
  std::vector<FakeIssue> Problems() const { return IssuesOf(MarkerKind::kIssue); }
  std::vector<FakeIssue> Dashboards() const { return IssuesOf(MarkerKind::kDashboard); }
  std::vector<std::string> Reactions(int number) const {
    const FakeIssue issue = *github.Issue(kRepo, number);
    for (const FakeComment& c : issue.comments) {
      if (c.id == last_comment_id) return c.reactions;
    }
    return {};
  }
  // The bot's comments on `number`.
  std::vector<std::string> BotComments(int number) const {
    std::vector<std::string> out;
    const FakeIssue issue = *github.Issue(kRepo, number);
    for (const FakeComment& c : issue.comments) {
      if (c.user_login == "github-actions[bot]") out.push_back(c.body);
    }
    return out;
  }
  const std::vector<json>& LoggingRequests() {
    requests_.clear();
    for (const auto& r : logging_.requests()) requests_.push_back(json::parse(r.body));
    return requests_;
  }

  FakeGitHub github{Options()};
  int64_t last_comment_id = 0;
  // The configuration every run reads.
  std::string config = kSource + "/examples/netra-staging.yml";
  // Variables added to those every run sees.
  std::map<std::string, std::string> extra_env;
  FakeLogging& logging() { return logging_; }
  TempDir& dir() { return dir_; }

 private:
  int64_t clock_us_ = kNowUs;
  FakeLogging logging_;
  TempDir dir_;
  int runs_ = 0;
  std::vector<json> requests_;
};

inline int64_t DashboardEnd(const World& w) {
  auto m = ParseMarker(w.Dashboards().at(0).body);
  return m ? m->window_end_us : 0;
}

inline bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace testing
}  // namespace triage

#endif  // TRIAGE_TESTS_SUPPORT_BOT_WORLD_H_
