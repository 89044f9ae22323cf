// Faults while a scheduled run reads Cloud Logging and writes GitHub: the
// run says so and exits non-zero, the dashboard keeps the last good
// window end, and the next run finishes the job with nothing lost and
// nothing doubled. Also what a run prints in Actions.
#include "tests/support/bot_world.h"

namespace triage {
namespace {

using nlohmann::json;
using testing::DashboardEnd;
using testing::FakeIssue;
using testing::kHour;
using testing::kNowUs;
using testing::kRepo;
using testing::Outcome;
using testing::World;

constexpr int64_t kMinute = 60 * int64_t{1000000};

// Issues by marker key, with their label sets and comment counts: what a
// clean run and a faulty one must agree on.
std::map<std::string, std::string> Tracker(const World& w) {
  std::map<std::string, std::string> out;
  for (const FakeIssue& i : w.Problems()) {
    std::string labels;
    for (const std::string& l : i.labels) labels += l + ",";
    out[ParseMarker(i.body)->key] = i.title + " [" + labels + "] " + i.state + " " +
                                    std::to_string(i.comments.size());
  }
  return out;
}

TEST_CASE("cloud fault run: Cloud Logging failing: non-zero, the window kept, the next run reads it") {
  World w;
  REQUIRE(w.Scheduled(kNowUs).code == 0);
  const auto clean = Tracker(w);
  w.logging().FailNext(503, 50);  // beyond every retry
  w.github.ClearRequests();
  Outcome failed = w.Scheduled(kNowUs + kHour);
  CHECK(failed.code == 1);
  CHECK(failed.err.find("reading Cloud Logging") != std::string::npos);
  CHECK(w.github.Count(testing::EndpointKind::kUpdateIssue) == 0);
  CHECK(w.github.Count(testing::EndpointKind::kCreateIssue) == 0);
  CHECK(DashboardEnd(w) == kNowUs);
  w.logging().ClearFaults();
  Outcome next = w.Scheduled(kNowUs + 2 * kHour);
  REQUIRE_MESSAGE(next.code == 0, next.err);
  const std::string filter = w.LoggingRequests().back()["filter"];
  CHECK(filter.find("timestamp >= \"2025-09-15T00:00:30") != std::string::npos);
  CHECK(DashboardEnd(w) == kNowUs);  // nothing new: left as it was, within its refresh
  CHECK(Tracker(w) == clean);
}

TEST_CASE("cloud fault run: killed after any GitHub request, the rerun finishes with no duplicate") {
  std::map<std::string, std::string> clean;
  int requests = 0;
  {
    World w;
    REQUIRE(w.Scheduled(kNowUs).code == 0);
    clean = Tracker(w);
    requests = static_cast<int>(w.github.Requests().size());
  }
  REQUIRE(requests > 3);
  for (int k = 0; k < requests; ++k) {
    CAPTURE(k);
    World w;
    w.github.KillAfter(k);
    Outcome killed = w.Scheduled(kNowUs);
    CHECK(killed.code != 0);
    w.github.Revive();
    // The next scheduled run, a little later, reads from the last recorded
    // end (none yet: the whole window again) and finishes the job.
    Outcome rerun = w.Scheduled(kNowUs + 5 * kMinute);
    REQUIRE_MESSAGE(rerun.code == 0, rerun.err);
    CHECK(Tracker(w) == clean);
    CHECK(w.Dashboards().size() == 1);
    CHECK(DashboardEnd(w) == kNowUs + 5 * kMinute);
  }
}

TEST_CASE("cloud fault run: in Actions, log text cannot act as a workflow command") {
  World w;
  w.extra_env["GITHUB_ACTIONS"] = "true";
  // A log line that tries to add a mask and raise an error annotation.
  json entry = {{"insertId", "evil-1"},
                {"timestamp", "2025-09-15T00:05:00Z"},
                {"severity", "ERROR"},
                {"resource", {{"type", "cloud_run_revision"},
                              {"labels", {{"service_name", "netra-backend-staging"}}}}},
                {"textPayload", "::add-mask::everything\n::error file=x::pwned %0A ::stop-commands::x"}};
  w.logging().AddEntry("netra-staging", entry);
  Outcome o = w.Scheduled(kNowUs);
  REQUIRE_MESSAGE(o.code == 0, o.err);
  // Workflow commands go to stderr, which the runner also reads; stdout
  // stays data.
  CHECK(o.out.find("::stop-commands::") == std::string::npos);
  CHECK(o.out.find("::notice") == std::string::npos);
  std::istringstream lines(o.err);
  std::vector<std::string> all;
  for (std::string line; std::getline(lines, line);) all.push_back(line);
  REQUIRE(all.size() > 3);
  const std::string stop = all[0];
  REQUIRE(stop.rfind("::stop-commands::", 0) == 0);
  const std::string token = stop.substr(17);
  CHECK(token.size() == 32);
  // Every line the runner would act on is the bot's own: a mask of the
  // tokens, the run's summary annotation, and the fences around them.
  bool stopped = true;
  for (size_t i = 1; i < all.size(); ++i) {
    const std::string& line = all[i];
    if (line == "::" + token + "::") {
      stopped = false;
      continue;
    }
    if (stopped) continue;
    INFO(line);
    CHECK((line == "::stop-commands::" + token || line.rfind("::add-mask::", 0) == 0 ||
           line.rfind("::notice title=gcp-log-gardener::", 0) == 0));
    if (line.rfind("::stop-commands::", 0) == 0) stopped = true;
  }
  CHECK_FALSE(stopped);  // resumed at the end
  CHECK(o.err.find("::add-mask::test-token") != std::string::npos);
  CHECK(o.err.find("::add-mask::ya29.test-token") != std::string::npos);
  CHECK(o.err.find("::notice title=gcp-log-gardener::") != std::string::npos);
}

TEST_CASE("cloud fault run: a read cut by max_entries records the newest entry read, and warns") {
  World w;
  std::string config = testing::ReadFile(w.config);
  const std::string window = "  window: 1h\n";
  REQUIRE(config.find(window) != std::string::npos);
  config.replace(config.find(window), window.size(), window + "  max_entries: 10\n");
  w.config = w.dir().Write("capped.yml", config);
  w.extra_env["GITHUB_ACTIONS"] = "true";
  Outcome o = w.Scheduled(kNowUs);
  REQUIRE_MESSAGE(o.code == 0, o.err);
  CHECK(o.err.find("stopped at source.max_entries (10 entries)") != std::string::npos);
  CHECK(o.err.find("::warning title=gcp-log-gardener::the read stopped at source.max_entries") !=
        std::string::npos);
  // Entries come oldest first: the next run starts at the tenth one's time,
  // not at the end of the window, so the rest is read then.
  const int64_t end = DashboardEnd(w);
  CHECK(end < kNowUs);
  CHECK(end > kNowUs - kHour);
}

}  // namespace
}  // namespace triage
