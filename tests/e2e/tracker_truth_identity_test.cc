// Whose issues are the bot's: with a personal token (whose login is not
// github.bot_login) the bot asks GitHub who it is; with an App token that
// cannot ask, issues of its label and marker written by another bot stop
// the run before any write. And an issue of the bot's whose label a person
// removed is still found (the dashboard lists it) and labelled again.
#include <doctest/doctest.h>

#include <httplib.h>

#include <string>
#include <vector>

#include "tests/e2e/tracker_truth_world.h"

namespace triage {
namespace {

using testing::FakeGitHub;
using testing::ShopBot;
using testing::json;
using testing::kRunHour;
using testing::kShopRepo;

json TwoRoutes(int hour, int n) { return testing::RouteEntries(hour, n, {testing::kOrders, testing::kCapture}); }

// Two problems of the application's own logs, nothing shared.
json TwoFunctions(int hour, int n) {
  json entries = json::array();
  const int64_t start = testing::kFirstRunUs + (hour - 1) * kRunHour;
  for (int i = 0; i < n; ++i) {
    const int64_t at = start + (i + 1) * (kRunHour / (n + 2));
    entries.push_back(testing::AppEntry(at, "Order export to the warehouse failed", "export_orders"));
    entries.push_back(testing::AppEntry(at + 1000000, "Stock reservation expired before payment", "reserve_stock"));
  }
  return entries;
}

int Writes(const FakeGitHub& github) {
  int writes = 0;
  for (const testing::RecordedRequest& r : github.Requests()) writes += r.method != "GET";
  return writes;
}

TEST_CASE("tracker truth: a personal token's runs know its issues as the bot's own") {
  testing::FakeGitHubOptions options = testing::ShopOptions();
  options.login = "alice";  // a personal token: GET /user answers its login
  options.user_type = "User";
  FakeGitHub github(options);
  ShopBot bot(github);
  for (int hour = 0; hour < 4; ++hour) {
    ShopBot::Outcome o = bot.Run(hour, TwoRoutes(hour, 3));
    REQUIRE_MESSAGE(o.code == 0, o.err);
  }
  MESSAGE(testing::Describe(github, kShopRepo));
  CHECK(testing::DuplicateIssues(github, kShopRepo, "alice") == 0);
  CHECK(github.CountIssues(kShopRepo, [](const testing::FakeIssue& i) { return i.user_login == "alice"; }) == 3);
  CHECK(testing::Misroutes(github, kShopRepo, "alice") == 0);
}

TEST_CASE("tracker truth: Actions' token cannot say who it is; github.bot_login stands") {
  FakeGitHub github(testing::ShopOptions());  // github-actions[bot], GET /user 403
  ShopBot bot(github);
  for (int hour = 0; hour < 3; ++hour) {
    github.ClearRequests();
    ShopBot::Outcome o = bot.Run(hour, TwoRoutes(hour, 3));
    REQUIRE_MESSAGE(o.code == 0, o.err);
    CHECK(github.Count(testing::EndpointKind::kGetUser) == 1);  // one question a run
  }
  CHECK(testing::DuplicateIssues(github, kShopRepo, "github-actions[bot]") == 0);
}

TEST_CASE("tracker truth: an App token writing as another bot stops before the first write, exit 2") {
  testing::FakeGitHubOptions options = testing::ShopOptions();
  options.login = "shop-gardener[bot]";  // a GitHub App's installation token
  FakeGitHub github(options);
  ShopBot bot(github);
  // The first run cannot tell: there is nothing on the tracker yet.
  REQUIRE(bot.Run(0, TwoRoutes(0, 3)).code == 0);
  const int issues = static_cast<int>(github.Issues(kShopRepo).size());
  github.ClearRequests();
  ShopBot::Outcome second = bot.Run(1, TwoRoutes(1, 3));
  CHECK(second.code == 2);
  CHECK(Writes(github) == 0);
  CHECK(second.err.find("shop-gardener[bot]") != std::string::npos);
  CHECK(second.err.find("github-actions[bot]") != std::string::npos);
  CHECK(second.err.find("github.bot_login") != std::string::npos);
  MESSAGE(second.err);
  CHECK(static_cast<int>(github.Issues(kShopRepo).size()) == issues);
  // Told whose they are, it goes on with them.
  ShopBot told(github, "  bot_login: shop-gardener[bot]\n");
  ShopBot::Outcome third = told.Run(2, TwoRoutes(2, 3));
  REQUIRE_MESSAGE(third.code == 0, third.err);
  CHECK(static_cast<int>(github.Issues(kShopRepo).size()) == issues);
  CHECK(testing::DuplicateIssues(github, kShopRepo, "shop-gardener[bot]") == 0);
}

TEST_CASE("tracker truth: an issue whose bot label a person removed is found and labelled again") {
  FakeGitHub github(testing::ShopOptions());
  ShopBot bot(github);
  REQUIRE(bot.Run(0, TwoFunctions(0, 3)).code == 0);
  const std::string bot_login = "github-actions[bot]";
  int target = 0;
  for (const testing::FakeIssue& issue : github.Issues(kShopRepo)) {
    if (!testing::IssueKey(issue, bot_login).empty()) target = issue.number;
  }
  REQUIRE(target > 0);
  httplib::Client http(github.base_url());
  httplib::Headers headers{{"Authorization", "Bearer test-token"}, {"User-Agent", "test"}};
  auto removed = http.Delete(("/repos/" + kShopRepo + "/issues/" + std::to_string(target) +
                              "/labels/gcp-log-gardener").c_str(), headers);
  REQUIRE(removed);
  REQUIRE(removed->status == 200);
  const size_t before = github.Issues(kShopRepo).size();
  for (int hour = 1; hour < 3; ++hour) {
    ShopBot::Outcome o = bot.Run(hour, TwoFunctions(hour, 3));
    REQUIRE_MESSAGE(o.code == 0, o.err);
  }
  MESSAGE(testing::Describe(github, kShopRepo));
  CHECK(github.Issues(kShopRepo).size() == before);
  CHECK(testing::DuplicateIssues(github, kShopRepo, bot_login) == 0);
  const auto labels = github.Issue(kShopRepo, target)->labels;
  CHECK(std::find(labels.begin(), labels.end(), "gcp-log-gardener") != labels.end());
  CHECK(testing::Misroutes(github, kShopRepo, bot_login) == 0);
}

}  // namespace
}  // namespace triage
