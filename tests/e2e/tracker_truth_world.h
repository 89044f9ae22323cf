// Test support for the tracker replays: one service's hourly runs of
// `run --input` against the fake GitHub on loopback, log entries made per
// hour, and what a maintainer checks on the tracker afterwards (whose
// evidence lands where, duplicates, titles).
#ifndef TRIAGE_TESTS_E2E_TRACKER_TRUTH_WORLD_H_
#define TRIAGE_TESTS_E2E_TRACKER_TRUTH_WORLD_H_

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "bot/app/cli.h"
#include "bot/base/time_util.h"
#include "bot/github/marker.h"
#include "tests/support/cli_support.h"
#include "tests/support/fake_github.h"

namespace triage {
namespace testing {

using nlohmann::json;

inline const std::string kShopRepo = "acme/shop";
inline const std::string kShopService = "shop-api";
inline const int64_t kFirstRunUs = *ParseRfc3339("2030-01-01T01:05:00Z");
constexpr int64_t kRunHour = 3600 * int64_t{1000000};

inline FakeGitHubOptions ShopOptions() {
  FakeGitHubOptions o;
  o.repos = {kShopRepo};
  o.start_time = kFirstRunUs / 1000000 - 3600;
  return o;
}

// A request log entry of the service.
inline json RequestEntry(int64_t at_us, const std::string& method, const std::string& path, int status) {
  static int n = 0;
  return {{"insertId", "req" + std::to_string(++n)},
          {"timestamp", FormatRfc3339(at_us)},
          {"severity", status >= 500 ? "ERROR" : "WARNING"},
          {"logName", "projects/acme/logs/run.googleapis.com%2Frequests"},
          {"resource",
           {{"type", "cloud_run_revision"},
            {"labels", {{"service_name", kShopService}, {"revision_name", kShopService + "-00001-abc"}}}}},
          {"httpRequest",
           {{"requestMethod", method}, {"requestUrl", "https://shop.example" + path}, {"status", status}}}};
}

// A route of the shop: requests to prefix + <id> + suffix answered `status`.
struct Route {
  std::string method;
  std::string prefix;
  std::string suffix;
  int status = 500;
};

// The 500s of one order route, the 502s of a payments route, the 400s of
// the carts: one route family, one skeleton.
inline const Route kOrders{"GET", "/api/v1/orders/", "", 500};
inline const Route kCapture{"POST", "/api/v1/payments/", "/capture", 502};
inline const Route kCarts{"PUT", "/api/v1/carts/", "", 400};

// Hour `hour` of the shop (read by run `hour`): `n` requests of each route,
// spread over the hour before the run, with ids new each hour.
inline json RouteEntries(int hour, int n, const std::vector<Route>& routes) {
  json entries = json::array();
  const int64_t start = kFirstRunUs + (hour - 1) * kRunHour;
  for (int i = 0; i < n; ++i) {
    const int64_t at = start + (i + 1) * (kRunHour / (n + 2));
    for (size_t r = 0; r < routes.size(); ++r) {
      const Route& route = routes[r];
      entries.push_back(RequestEntry(at + static_cast<int64_t>(r) * 1000000, route.method,
                                     route.prefix + std::to_string(1000 + i + 50 * hour) + route.suffix,
                                     route.status));
    }
  }
  return entries;
}

// An application log entry of the service, logged at `function`.
inline json AppEntry(int64_t at_us, const std::string& message, const std::string& function,
                     const std::string& severity = "ERROR") {
  static int n = 0;
  return {{"insertId", "app" + std::to_string(++n)},
          {"timestamp", FormatRfc3339(at_us)},
          {"severity", severity},
          {"logName", "projects/acme/logs/run.googleapis.com%2Fstderr"},
          {"resource",
           {{"type", "cloud_run_revision"},
            {"labels", {{"service_name", kShopService}, {"revision_name", kShopService + "-00001-abc"}}}}},
          {"jsonPayload", {{"message", message}}},
          {"sourceLocation", {{"file", "shop/app.py"}, {"function", function}, {"line", "10"}}}};
}

// The bot's runs: run `hour` (0 = the first) reads the entries given for
// it, at kFirstRunUs + hour hours, with a clock that sleeping advances.
class ShopBot {
 public:
  explicit ShopBot(FakeGitHub& github, std::string extra_config = "") : github_(github) {
    config_ = dir_.Write("gardener.yml",
                         "version: 1\n"
                         "source:\n  project: acme\n  services: [" + kShopService + "]\n"
                         "  min_severity: WARNING\n"
                         "github:\n  repository: " + kShopRepo + "\n" + extra_config);
  }

  struct Outcome {
    int code = 0;
    json report;
    std::string err;
  };

  Outcome Run(int hour, const json& entries, const std::string& run_id = "") {
    const int64_t now = kFirstRunUs + hour * kRunHour;
    clock_us_ = std::max(clock_us_, now);
    github_.SetNow(std::max(github_.Now(), clock_us_ / 1000000));
    const std::string input = dir_.Write("hour" + std::to_string(hour) + ".json", entries.dump());
    Environment env = FakeEnvironment(
        {{"GITHUB_API_URL", github_.base_url()}, {"GITHUB_TOKEN", "test-token"},
         {"GITHUB_RUN_ID", run_id.empty() ? "h" + std::to_string(hour) + "-" + std::to_string(++runs_) : run_id}},
        &clock_us_, [this] { github_.SetNow(clock_us_ / 1000000); });
    std::vector<std::string> args{"gcp-log-gardener", "run", "--json", "--config", config_,
                                  "--input", input, "--now", FormatRfc3339(now)};
    std::vector<const char*> argv;
    for (const std::string& a : args) argv.push_back(a.c_str());
    std::ostringstream out, err;
    Outcome o;
    o.code = RunCli(static_cast<int>(argv.size()), argv.data(), out, err, clock_us_, env);
    o.err = err.str();
    o.report = json::parse(out.str(), nullptr, false);
    return o;
  }

 private:
  FakeGitHub& github_;
  TempDir dir_;
  std::string config_;
  int64_t clock_us_ = 0;
  int runs_ = 0;
};

// The key of an issue: its body's marker when the bot wrote it, else the
// first evidence comment's (an adopted issue).
inline std::string IssueKey(const FakeIssue& issue, const std::string& bot_login) {
  if (issue.user_login == bot_login) {
    auto m = ParseMarker(issue.body);
    if (m && m->kind == MarkerKind::kIssue) return m->key;
    if (m) return "";
  }
  for (const FakeComment& c : issue.comments) {
    auto m = c.user_login == bot_login ? ParseMarker(c.body) : std::nullopt;
    if (m && m->kind == MarkerKind::kEvidence) return m->key;
  }
  return "";
}

// Evidence comments on an issue that belong to another problem's key, and
// issue markers holding another problem's key: what a maintainer sees as
// evidence on the wrong issue.
inline int Misroutes(const FakeGitHub& github, const std::string& repo, const std::string& bot_login) {
  std::set<std::string> keys;
  for (const FakeIssue& issue : github.Issues(repo)) {
    std::string k = IssueKey(issue, bot_login);
    if (!k.empty()) keys.insert(k);
  }
  int misroutes = 0;
  for (const FakeIssue& issue : github.Issues(repo)) {
    const std::string key = IssueKey(issue, bot_login);
    if (key.empty()) continue;
    for (const FakeComment& c : issue.comments) {
      auto m = c.user_login == bot_login ? ParseMarker(c.body) : std::nullopt;
      if (m && m->kind == MarkerKind::kEvidence && m->key != key) {
        MESSAGE("#" << issue.number << " (" << key << ") holds evidence of " << m->key);
        ++misroutes;
      }
    }
    auto body = issue.user_login == bot_login ? ParseMarker(issue.body) : std::nullopt;
    if (!body) continue;
    for (const std::string& fp : body->fingerprints) {
      if (fp != key && keys.count(fp)) {
        MESSAGE("#" << issue.number << " (" << key << ") marker holds the key " << fp);
        ++misroutes;
      }
    }
  }
  return misroutes;
}

// Problem issues (not the dashboard) per key: more than one is a duplicate.
inline int DuplicateIssues(const FakeGitHub& github, const std::string& repo, const std::string& bot_login) {
  std::map<std::string, int> per_key;
  for (const FakeIssue& issue : github.Issues(repo)) {
    std::string k = IssueKey(issue, bot_login);
    if (!k.empty()) ++per_key[k];
  }
  int duplicates = 0;
  for (const auto& [k, n] : per_key) duplicates += n - 1;
  return duplicates;
}

// Open problem issues sharing a title with another open one.
inline int SameTitles(const FakeGitHub& github, const std::string& repo) {
  std::map<std::string, int> per_title;
  for (const FakeIssue& issue : github.Issues(repo)) {
    auto m = ParseMarker(issue.body);
    if (issue.state == "open" && (!m || m->kind != MarkerKind::kDashboard)) ++per_title[issue.title];
  }
  int same = 0;
  for (const auto& [t, n] : per_title) same += n - 1;
  return same;
}

inline std::string Describe(const FakeGitHub& github, const std::string& repo) {
  std::string s;
  for (const FakeIssue& issue : github.Issues(repo)) {
    s += "#" + std::to_string(issue.number) + " " + issue.state + " by " + issue.user_login + ": " +
         issue.title + " [";
    for (const std::string& l : issue.labels) s += l + ",";
    s += "] " + std::to_string(issue.comments.size()) + " comments\n";
  }
  return s;
}

}  // namespace testing
}  // namespace triage

#endif  // TRIAGE_TESTS_E2E_TRACKER_TRUTH_WORLD_H_
