// Which issue a problem's evidence goes to: request-log problems of one
// service share secondary fingerprints (the skeleton of their templates),
// and each must still get its own issue and only its own evidence, over
// hourly runs and over a rerun after a kill. And a problem split in two by
// clustering never gives two issues of one title.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/e2e/tracker_truth_world.h"

namespace triage {
namespace {

using testing::AppEntry;
using testing::FakeGitHub;
using testing::ShopBot;
using testing::json;
using testing::kRunHour;
using testing::kShopRepo;

const std::string kBot = "github-actions[bot]";

json ThreeRoutes(int hour, int n) {
  return testing::RouteEntries(hour, n, {testing::kOrders, testing::kCapture, testing::kCarts});
}

// Per issue, the keys of the evidence comments on it, and the problems
// with an issue: what the three runs must leave.
void CheckOwnEvidence(const FakeGitHub& github, size_t problems, size_t evidence_per_issue) {
  int issues = 0;
  for (const testing::FakeIssue& issue : github.Issues(kShopRepo)) {
    const std::string key = testing::IssueKey(issue, kBot);
    if (key.empty()) continue;
    ++issues;
    size_t evidence = 0;
    for (const testing::FakeComment& c : issue.comments) {
      auto m = ParseMarker(c.body);
      if (m && m->kind == MarkerKind::kEvidence) ++evidence;
    }
    CHECK_MESSAGE(evidence == evidence_per_issue, "#" << issue.number << " has " << evidence << " evidence comments");
  }
  CHECK(issues == static_cast<int>(problems));
  CHECK(testing::Misroutes(github, kShopRepo, kBot) == 0);
  CHECK(testing::DuplicateIssues(github, kShopRepo, kBot) == 0);
}

TEST_CASE("tracker truth: three routes of one service over three runs each keep their own issue") {
  FakeGitHub github(testing::ShopOptions());
  ShopBot bot(github, "  quiet_period: 1m\n");
  for (int hour = 0; hour < 3; ++hour) {
    ShopBot::Outcome o = bot.Run(hour, ThreeRoutes(hour, 4));
    REQUIRE_MESSAGE(o.code == 0, o.err);
    // Within a run one issue per problem: no two problems on one issue.
    std::set<std::string> issues;
    for (const json& c : o.report["clusters"]) {
      if (c["issue"].is_null()) continue;
      CHECK_MESSAGE(issues.insert(c["issue"]["number"].dump()).second, c.dump());
    }
    CHECK(issues.size() == 3);
  }
  MESSAGE("misroutes after three runs: " << testing::Misroutes(github, kShopRepo, kBot) << "\n"
                                          << testing::Describe(github, kShopRepo));
  // Each issue got the evidence of runs 2 and 3, its own only.
  CheckOwnEvidence(github, 3, 2);
}

TEST_CASE("tracker truth: killed after any request of the first run, a rerun creates, never updates a neighbour") {
  int requests = 0;
  {
    FakeGitHub github(testing::ShopOptions());
    ShopBot bot(github);
    REQUIRE(bot.Run(0, ThreeRoutes(0, 4)).code == 0);
    requests = static_cast<int>(github.Requests().size());
  }
  int misroutes = 0, duplicates = 0;
  for (int k = 0; k < requests; ++k) {
    CAPTURE(k);
    FakeGitHub github(testing::ShopOptions());
    ShopBot bot(github);
    github.KillAfter(k);
    CHECK(bot.Run(0, ThreeRoutes(0, 4), "killed").code == 1);
    github.Revive();
    ShopBot::Outcome rerun = bot.Run(0, ThreeRoutes(0, 4), "rerun");
    REQUIRE_MESSAGE(rerun.code == 0, rerun.err);
    misroutes += testing::Misroutes(github, kShopRepo, kBot);
    duplicates += testing::DuplicateIssues(github, kShopRepo, kBot);
    // The next hour: every problem updates its own issue.
    REQUIRE(bot.Run(1, ThreeRoutes(1, 4)).code == 0);
    CheckOwnEvidence(github, 3, 1);
  }
  MESSAGE(requests << " kill points; misroutes " << misroutes << ", duplicates " << duplicates);
  CHECK(misroutes == 0);
  CHECK(duplicates == 0);
}

// One function logging one failure with two details the summary leaves
// out: two clusters, one summary.
json SplitProblem(int hour, int n) {
  json entries = json::array();
  const int64_t start = testing::kFirstRunUs + (hour - 1) * kRunHour;
  for (int i = 0; i < n; ++i) {
    const int64_t at = start + (i + 1) * (kRunHour / (n + 2));
    entries.push_back(AppEntry(at, "Inventory sync failed (warehouse=north, reason=timeout)", "sync_inventory"));
    entries.push_back(AppEntry(at + 1000000, "Inventory sync failed (warehouse=south, reason=refused)",
                               "sync_inventory"));
  }
  return entries;
}

TEST_CASE("tracker truth: a problem split in two by clustering never gives two issues of one title") {
  FakeGitHub github(testing::ShopOptions());
  ShopBot bot(github);
  ShopBot::Outcome first = bot.Run(0, SplitProblem(0, 5));
  REQUIRE_MESSAGE(first.code == 0, first.err);
  std::vector<std::string> titles;
  for (const testing::FakeIssue& issue : github.Issues(kShopRepo)) {
    if (!testing::IssueKey(issue, kBot).empty()) titles.push_back(issue.title);
  }
  MESSAGE(testing::Describe(github, kShopRepo));
  REQUIRE(titles.size() == 2);
  CHECK(testing::SameTitles(github, kShopRepo) == 0);
  // Each says what is its own.
  CHECK(titles[0].find("north") != std::string::npos);
  CHECK(titles[1].find("south") != std::string::npos);
  // The next runs keep them apart and file nothing new.
  for (int hour = 1; hour < 3; ++hour) {
    ShopBot::Outcome o = bot.Run(hour, SplitProblem(hour, 5));
    REQUIRE_MESSAGE(o.code == 0, o.err);
  }
  CHECK(testing::SameTitles(github, kShopRepo) == 0);
  CHECK(testing::DuplicateIssues(github, kShopRepo, kBot) == 0);
  CHECK(testing::Misroutes(github, kShopRepo, kBot) == 0);
}

}  // namespace
}  // namespace triage
