// Adopting what people filed: the search leaves the bot's own issues out
// (they would fill the first page), asks more than one word when the first
// finds nothing, and scores the whole title, so a person's issue that says
// the problem in other words is adopted and one about something else is not.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/e2e/tracker_truth_world.h"

namespace triage {
namespace {

using testing::AppEntry;
using testing::FakeGitHub;
using testing::RequestEntry;
using testing::ShopBot;
using testing::json;
using testing::kRunHour;
using testing::kShopRepo;

const std::string kBot = "github-actions[bot]";

// Twelve problems of the payments code, each its own message and function:
// a tracker where "payments" finds more than a page of the bot's issues.
const char* kPaymentsWork[] = {"ledger",  "webhook", "refunds", "payouts", "invoices", "disputes",
                               "receipts", "mandates", "wallets", "coupons", "transfers", "statements"};

json PaymentsNoise(int hour) {
  json entries = json::array();
  const int64_t start = testing::kFirstRunUs + (hour - 1) * kRunHour;
  int i = 0;
  for (const char* work : kPaymentsWork) {
    for (int k = 0; k < 2; ++k) {
      entries.push_back(AppEntry(start + (++i) * 60 * int64_t{1000000},
                                 std::string("payments ") + work + " worker stalled", std::string("run_") + work));
    }
  }
  return entries;
}

// The problem people filed by hand: 502s of the payment capture.
json WithCapture(int hour, json entries) {
  const int64_t start = testing::kFirstRunUs + (hour - 1) * kRunHour;
  for (int i = 0; i < 4; ++i) {
    entries.push_back(RequestEntry(start + (40 + i) * 60 * int64_t{1000000}, "POST",
                                   "/api/v1/payments/" + std::to_string(500 + i) + "/capture", 502));
  }
  return entries;
}

int Seed(FakeGitHub& github, const std::string& title) {
  testing::FakeIssue by_hand;
  by_hand.title = title;
  by_hand.body = "Seen in production.";
  by_hand.user_login = "octocat";
  return github.SeedIssue(kShopRepo, by_hand);
}

// Runs the bot's first hour (the twelve), then a person's issues are there
// (seeded before the first run when `before` is set), then the capture
// problem appears: returns the issue it went to.
int CaptureIssue(FakeGitHub& github, const std::vector<std::string>& titles, std::vector<int>* numbers) {
  for (const std::string& t : titles) numbers->push_back(Seed(github, t));
  ShopBot bot(github);
  ShopBot::Outcome first = bot.Run(0, PaymentsNoise(0));
  REQUIRE_MESSAGE(first.code == 0, first.err);
  CHECK(github.CountIssues(kShopRepo, [](const testing::FakeIssue& i) { return i.user_login == kBot; }) == 13);
  github.CatchUpSearchIndex();
  github.ClearRequests();
  ShopBot::Outcome second = bot.Run(1, WithCapture(1, PaymentsNoise(1)));
  REQUIRE_MESSAGE(second.code == 0, second.err);
  MESSAGE("searches: " << github.Count(testing::EndpointKind::kSearchIssues) << "\n"
                       << testing::Describe(github, kShopRepo));
  CHECK(github.Count(testing::EndpointKind::kSearchIssues) <= 3);
  for (const json& c : second.report["clusters"]) {
    if (c["summary"].get<std::string>().find("capture") != std::string::npos) {
      return c["issue"].is_null() ? 0 : c["issue"]["number"].get<int>();
    }
  }
  FAIL("no capture problem in the plan");
  return 0;
}

TEST_CASE("tracker truth: a person's issue past a page of the bot's own is adopted") {
  FakeGitHub github(testing::ShopOptions());
  std::vector<int> seeded;
  const int issue = CaptureIssue(github, {"Payments capture fails with HTTP 502"}, &seeded);
  CHECK(issue == seeded[0]);
  CHECK(testing::DuplicateIssues(github, kShopRepo, kBot) == 0);
  auto adopted = github.Issue(kShopRepo, seeded[0]);
  CHECK(std::find(adopted->labels.begin(), adopted->labels.end(), "gcp-log-gardener") != adopted->labels.end());
}

TEST_CASE("tracker truth: a paraphrased title is adopted, an unrelated one is not") {
  FakeGitHub github(testing::ShopOptions());
  std::vector<int> seeded;
  const int issue = CaptureIssue(github,
                                 {"Capture of a payment returns HTTP 502 on POST",
                                  "Checkout shows the wrong currency for payments"},
                                 &seeded);
  CHECK(issue == seeded[0]);
  auto unrelated = github.Issue(kShopRepo, seeded[1]);
  CHECK(unrelated->comments.empty());
  CHECK(std::find(unrelated->labels.begin(), unrelated->labels.end(), "gcp-log-gardener") ==
        unrelated->labels.end());
}

TEST_CASE("tracker truth: an issue about something else is not adopted; the problem gets its own") {
  FakeGitHub github(testing::ShopOptions());
  std::vector<int> seeded;
  const int issue = CaptureIssue(github, {"Payments page capture screenshot is blurry"}, &seeded);
  CHECK(issue != seeded[0]);
  CHECK(issue > 0);
  CHECK(github.Issue(kShopRepo, seeded[0])->comments.empty());
}

}  // namespace
}  // namespace triage
