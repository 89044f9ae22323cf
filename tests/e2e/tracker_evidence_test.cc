// Hourly runs as production makes them, against the fake GitHub and the
// fake Cloud Logging on loopback, checking what a maintainer sees on the
// tracker: every occurrence read is shown once, notices stay as written, a
// run with nothing new writes nothing, an ordinary hour fits the write
// budget, and a dry run plans what the real run then does.
#include <doctest/doctest.h>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "tests/support/bot_world.h"

namespace triage {
namespace {

using nlohmann::json;
using testing::FakeComment;
using testing::FakeIssue;
using testing::kHour;
using testing::kNowUs;
using testing::kRepo;
using testing::Outcome;
using testing::World;

constexpr int64_t kMinute = 60 * int64_t{1000000};

// One ERROR entry of the staging service, as Cloud Logging returns it.
json Entry(int64_t ts, const std::string& message, const std::string& function, int n) {
  return {{"insertId", function + "-" + std::to_string(n) + "-" + std::to_string(ts)},
          {"jsonPayload",
           {{"message", message + " object-" + std::to_string(n)},
            {"labels", {{"module", "netra_backend.app.storage"}, {"function", function}}}}},
          {"logName", "projects/netra-staging/logs/run.googleapis.com%2Fstderr"},
          {"resource",
           {{"type", "cloud_run_revision"},
            {"labels", {{"service_name", "netra-backend-staging"}, {"project_id", "netra-staging"}}}}},
          {"severity", "ERROR"},
          {"timestamp", FormatRfc3339(ts)}};
}

// Adds one entry every 5 minutes from kNowUs + 1 min for `hours`; returns
// their times.
std::vector<int64_t> Every5Minutes(World& w, const std::string& message, const std::string& function,
                                   int hours) {
  std::vector<int64_t> times;
  for (int i = 0; i < hours * 12; ++i) {
    const int64_t ts = kNowUs + kMinute + i * 5 * kMinute;
    w.logging().AddEntry("netra-staging", Entry(ts, message, function, i));
    times.push_back(ts);
  }
  return times;
}

std::optional<FakeIssue> IssueAbout(const std::vector<FakeIssue>& issues, const std::string& text) {
  for (const FakeIssue& i : issues) {
    if (i.body.find(text) != std::string::npos) return i;
  }
  return std::nullopt;
}

// The occurrences a comment shows as new: a kept evidence comment's every
// folded window, a notice's heading.
int64_t ShownNew(const std::string& body) {
  auto m = ParseMarker(body);
  REQUIRE(m);
  if (m->kind == MarkerKind::kEvidence) {
    int64_t sum = 0;
    for (const EvidenceWindow& w : m->folded) sum += w.count;
    return sum;
  }
  std::smatch heading;
  REQUIRE(std::regex_search(body, heading, std::regex("^### (\\d+) new occurrences")));
  return std::stoll(heading[1]);
}

int Writes(const World& w) {
  int writes = 0;
  for (const testing::RecordedRequest& r : w.github.Requests()) writes += r.method != "GET";
  return writes;
}

TEST_CASE("tracker evidence: six hourly runs show every occurrence once; a notice stays as written") {
  World w;
  std::vector<int64_t> times = Every5Minutes(w, "Quota exceeded for bucket uploads while writing", "upload_object", 7);
  // A burst in the fourth hour: the rate escalates the problem (P2 -> P1).
  for (int i = 0; i < 30; ++i) {
    const int64_t ts = kNowUs + 3 * kHour + 2 * kMinute + i * kMinute;
    w.logging().AddEntry("netra-staging",
                         Entry(ts, "Quota exceeded for bucket uploads while writing", "upload_object", 100 + i));
    times.push_back(ts);
  }
  REQUIRE(w.Scheduled(kNowUs).code == 0);
  std::string notice;  // the escalation's notice, as first posted
  for (int h = 1; h <= 6; ++h) {
    Outcome o = w.Scheduled(kNowUs + h * kHour);
    REQUIRE_MESSAGE(o.code == 0, o.err);
    std::optional<FakeIssue> issue = IssueAbout(w.Problems(), "Quota exceeded for bucket");
    REQUIRE(issue);
    for (const FakeComment& c : issue->comments) {
      auto m = ParseMarker(c.body);
      if (m && m->kind == MarkerKind::kNotice && notice.empty()) notice = c.body;
    }
  }
  std::optional<FakeIssue> issue = IssueAbout(w.Problems(), "Quota exceeded for bucket");
  REQUIRE(issue);
  CHECK(issue->title.find("| P1 |") != std::string::npos);
  // The first run filed what it read; the comments show the rest, once.
  int64_t first = 0, read = 0;
  for (int64_t ts : times) {
    first += ts < kNowUs + kHour;
    read += ts < kNowUs + 6 * kHour;
  }
  int64_t shown = 0;
  int notices = 0;
  for (const FakeComment& c : issue->comments) {
    shown += ShownNew(c.body);
    notices += ParseMarker(c.body)->kind == MarkerKind::kNotice;
    if (ParseMarker(c.body)->kind == MarkerKind::kNotice) CHECK(c.body == notice);  // never rewritten
  }
  CHECK(notices == 1);
  CHECK(shown == read - first);
  // The last kept comment: 12 new, of the 14 its window read (10 minutes
  // overlap the run before), after the earlier windows it folds.
  const std::string& last = issue->comments.back().body;
  CHECK(ParseMarker(last)->kind == MarkerKind::kEvidence);
  CHECK(last.rfind("### 12 new occurrences", 0) == 0);
  CHECK(last.find("**in the window read:** 14") != std::string::npos);
  CHECK(last.find("Earlier runs in this comment") != std::string::npos);
  CHECK(ParseMarker(last)->folded.size() == 2);  // hours 5 and 6, after the notice of hour 4
}

TEST_CASE("tracker evidence: a run with nothing new writes nothing, and counts every request") {
  World w;
  REQUIRE(w.Scheduled(kNowUs).code == 0);
  w.github.ClearRequests();
  Outcome again = w.Scheduled(kNowUs + kHour);
  REQUIRE_MESSAGE(again.code == 0, again.err);
  CHECK(Writes(w) == 0);
  const size_t requests = w.github.Requests().size();
  CHECK(again.err.find("GitHub: " + std::to_string(requests) + " requests") != std::string::npos);
  CHECK(again.outputs["dashboard"].rfind("unchanged", 0) == 0);
}

TEST_CASE("tracker evidence: an ordinary hour of 20 changing problems fits the default write budget") {
  World w;
  for (int p = 0; p < 20; ++p) {
    Every5Minutes(w, "Upstream " + std::to_string(p) + " refused the upload of", "upload_" + std::string(1, 'a' + p), 4);
  }
  REQUIRE(w.Scheduled(kNowUs).code == 0);
  for (int h = 1; h <= 3; ++h) {
    w.github.ClearRequests();
    Outcome o = w.Scheduled(kNowUs + h * kHour);
    CHECK_MESSAGE(o.code == 0, o.err);
    CHECK(o.outputs["failed"] == "0");
    if (h > 1) CHECK(Writes(w) <= 2 * 20 + 1);  // per update: its comment and the marker; the dashboard
  }
  CHECK(w.Problems().size() >= 20);
}

TEST_CASE("tracker evidence: with a token, a dry run plans what the real run then does") {
  World w;
  Every5Minutes(w, "Quota exceeded for bucket uploads while writing", "upload_object", 3);
  REQUIRE(w.Scheduled(kNowUs + kHour).code == 0);  // the tracker now holds the problems
  auto plan = [](const std::string& json_text) {
    std::map<std::string, std::string> actions;
    const json report = json::parse(json_text);
    for (const json& c : report.at("clusters")) {
      actions[c["fingerprints"][0].get<std::string>()] =
          c["action"].get<std::string>() + (c["issue"].is_null() ? "" : " #" + std::to_string(c["issue"]["number"].get<int>()));
    }
    return actions;
  };
  w.github.ClearRequests();
  Outcome dry = w.Run({"run", "-q", "--dry-run", "--json"}, kNowUs + 2 * kHour, "workflow_dispatch");
  REQUIRE_MESSAGE(dry.code == 0, dry.err);
  CHECK(Writes(w) == 0);
  CHECK(w.github.Count(testing::EndpointKind::kListIssues) >= 1);  // it read the tracker
  Outcome real = w.Run({"run", "-q", "--json"}, kNowUs + 2 * kHour, "workflow_dispatch");
  REQUIRE_MESSAGE(real.code == 0, real.err);
  CHECK(plan(dry.out) == plan(real.out));
  bool updates = false;
  for (const auto& [key, action] : plan(real.out)) updates = updates || action.rfind("update #", 0) == 0;
  std::string all;
  for (const auto& [key, action] : plan(real.out)) all += key + ": " + action + "\n";
  CHECK_MESSAGE(updates, all);  // not "create": the dry run saw the issues
}

}  // namespace
}  // namespace triage

namespace triage {
namespace {

TEST_CASE("tracker evidence: a body a person grew to GitHub's limit keeps its text, and the bot its state") {
  World w;
  std::vector<int64_t> times = Every5Minutes(w, "Quota exceeded for bucket uploads while writing", "upload_object", 4);
  REQUIRE(w.Scheduled(kNowUs + kHour).code == 0);
  std::optional<FakeIssue> issue = IssueAbout(w.Problems(), "Quota exceeded for bucket");
  REQUIRE(issue);
  // A person pastes a long log into the description, near GitHub's limit.
  const std::string grown = issue->body + "\n\n" + std::string(65536 - issue->body.size() - 20, 'x');
  httplib::Client http(w.github.base_url());
  httplib::Headers headers{{"Authorization", "Bearer test-token"}, {"User-Agent", "test"}};
  auto patched = http.Patch(("/repos/" + kRepo + "/issues/" + std::to_string(issue->number)).c_str(), headers,
                            json{{"body", grown}}.dump(), "application/json");
  REQUIRE(patched);
  REQUIRE(patched->status == 200);
  for (int h = 2; h <= 4; ++h) {
    Outcome o = w.Scheduled(kNowUs + h * kHour);
    REQUIRE_MESSAGE(o.code == 0, o.err);  // before: the marker edit failed, exit 1, the window held
    CHECK(testing::DashboardEnd(w) == kNowUs + h * kHour);
  }
  issue = IssueAbout(w.Problems(), "Quota exceeded for bucket");
  REQUIRE(issue);
  CHECK(issue->body == grown);  // never cut
  int64_t first = 0, read = 0;
  for (int64_t ts : times) {
    first += ts < kNowUs + kHour;
    read += ts < kNowUs + 4 * kHour;
  }
  int64_t shown = 0;
  for (const FakeComment& c : issue->comments) shown += ShownNew(c.body);
  CHECK(shown == read - first);  // each hour's evidence once: the state lived in the comments
  int about = 0;
  for (const FakeIssue& i : w.Problems()) about += i.body.find("Quota exceeded for bucket") != std::string::npos;
  CHECK(about == 1);  // no duplicate
}

}  // namespace
}  // namespace triage
