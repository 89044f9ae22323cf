// `run` writing to a fake GitHub on loopback, through the real libcurl
// transport: the five seed scenarios replayed as five hourly runs, reruns,
// faults, and a run killed after every possible request.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "bot/app/cli.h"
#include "bot/github/marker.h"
#include <httplib.h>

#include "tests/support/cli_support.h"
#include "tests/support/fake_github.h"

namespace triage {
namespace {

using nlohmann::json;
using testing::FakeGitHub;
using testing::FakeGitHubOptions;

const std::string kSource = GARDENER_SOURCE_DIR;
const std::string kRepo = "netra-systems/netra-apex";  // examples/netra-staging.yml's
const char* kScenarios[][2] = {
    {"2025-09-12T2330.json", "2025-09-12T23:30:00Z"}, {"2025-09-13T1800.json", "2025-09-13T18:00:00Z"},
    {"2025-09-14T0300.json", "2025-09-14T03:00:00Z"}, {"2025-09-15T0010.json", "2025-09-15T00:10:30Z"},
    {"2025-09-15T0241.json", "2025-09-15T02:41:09Z"}};

FakeGitHubOptions Options() {
  FakeGitHubOptions o;
  o.repos = {kRepo};
  o.start_time = 1757719800;  // 2025-09-12T23:30:00Z, the first run
  return o;
}

// Runs the bot against `github` with a fake clock that sleeping advances.
class Bot {
 public:
  explicit Bot(FakeGitHub& github) : github_(github) {}

  struct Outcome {
    int code = 0;
    json report;
    std::string err;
  };

  Outcome Run(int scenario, const std::string& run_id) {
    const std::string now = kScenarios[scenario][1];
    clock_us_ = std::max(clock_us_, Seconds(now) * 1000000);
    github_.SetNow(std::max(github_.Now(), clock_us_ / 1000000));
    Environment env = testing::FakeEnvironment(
        {{"GITHUB_API_URL", github_.base_url()}, {"GITHUB_TOKEN", "test-token"}, {"GITHUB_RUN_ID", run_id}},
        &clock_us_, [this] { github_.SetNow(clock_us_ / 1000000); });
    std::vector<std::string> args{"gcp-log-gardener", "run", "--json",
                                  "--config", kSource + "/examples/netra-staging.yml",
                                  "--input", kSource + "/examples/netra-staging/" + kScenarios[scenario][0],
                                  "--now", now};
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
  static int64_t Seconds(const std::string& rfc3339) {
    std::tm tm{};
    strptime(rfc3339.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return timegm(&tm);
  }
  FakeGitHub& github_;
  int64_t clock_us_ = 0;
};

std::string KeyOf(const testing::FakeIssue& issue) {
  auto m = ParseMarker(issue.body);
  return m ? m->key : "";
}

// What a person sees: per issue, its title, state, labels and the bot
// comments, each as its marker's (kind, key, watermark).
std::string Snapshot(const FakeGitHub& github) {
  std::string s;
  for (const testing::FakeIssue& issue : github.Issues(kRepo)) {
    s += "#" + std::to_string(issue.number) + " " + issue.state + " " + issue.title + " [";
    for (const std::string& l : issue.labels) s += l + ",";
    s += "]\n";
    for (const testing::FakeComment& c : issue.comments) {
      auto m = ParseMarker(c.body);
      s += "  comment " + (m ? m->key + " " + std::to_string(m->watermark_us) : "?") + "\n";
    }
  }
  return s;
}

void CheckNoDuplicates(const FakeGitHub& github) {
  CHECK(github.Duplicates(kRepo, KeyOf).empty());
  for (const testing::FakeIssue& issue : github.Issues(kRepo)) {
    std::set<std::string> seen;
    for (const testing::FakeComment& c : issue.comments) {
      auto m = ParseMarker(c.body);
      REQUIRE(m);
      CHECK_MESSAGE(seen.insert(m->key + "@" + std::to_string(m->watermark_us)).second,
                    "issue #" << issue.number << " has the same evidence twice");
    }
  }
}

TEST_CASE("github run: five seed scenarios as five runs give one issue per problem") {
  FakeGitHub github(Options());
  Bot bot(github);
  std::map<std::string, std::set<int>> issues_of_title;
  std::set<std::string> actions;
  for (int i = 0; i < 5; ++i) {
    CAPTURE(std::string(kScenarios[i][0]));
    github.ClearRequests();
    Bot::Outcome o = bot.Run(i, "run" + std::to_string(i));
    REQUIRE_MESSAGE(o.code == 0, o.err);
    int creates = 0;
    for (const json& c : o.report["clusters"]) {
      CHECK_FALSE(c["failed"].get<bool>());
      if (!c["issue"].is_null()) issues_of_title[c["summary"]].insert(c["issue"]["number"].get<int>());
      creates += c["action"] == "create";
      actions.insert(c["action"].get<std::string>());
    }
    MESSAGE("run " << i + 1 << ": " << github.Requests().size() << " requests; " << o.err);
    // Searches only before filing, for an issue a person may have filed:
    // at least one per new issue, at most three.
    CHECK(github.Count(testing::EndpointKind::kSearchIssues) >= creates);
    CHECK(github.Count(testing::EndpointKind::kSearchIssues) <= 3 * creates);
  }
  std::string seen;
  for (const std::string& a : actions) seen += a + " ";
  CHECK(seen == "create ignore none update ");
  for (const auto& entry : issues_of_title) {  // no structured binding: CHECK is a lambda
    CHECK_MESSAGE(entry.second.size() == 1, entry.first << " went to " << entry.second.size() << " issues");
  }
  CheckNoDuplicates(github);
  MESSAGE("tracker after five runs:\n" << Snapshot(github));
  // A rerun of the last hour finds nothing new: no write at all.
  std::string before = Snapshot(github);
  github.ClearRequests();
  Bot::Outcome again = bot.Run(4, "run4-again");
  REQUIRE_MESSAGE(again.code == 0, again.err);
  CHECK(Snapshot(github) == before);
  MESSAGE("a rerun with nothing new: " << github.Requests().size() << " requests");
  CHECK(github.Count(testing::EndpointKind::kSearchIssues) == 0);
  for (const testing::RecordedRequest& r : github.Requests()) CHECK(r.method == "GET");
}

}  // namespace
}  // namespace triage

namespace triage {
namespace {

TEST_CASE("github run: an issue a person filed for the problem is adopted, not duplicated") {
  FakeGitHub github(Options());
  testing::FakeIssue by_hand;
  by_hand.title = "GCP-staging-P2-SessionMiddleware-high-frequency-warnings";
  by_hand.body = "Seen all day in staging.";
  by_hand.user_login = "octocat";
  const int human = github.SeedIssue(kRepo, by_hand);
  testing::FakeIssue unrelated;
  unrelated.title = "Session timeout too short on the dashboard";
  github.SeedIssue(kRepo, unrelated);
  Bot bot(github);
  Bot::Outcome first = bot.Run(0, "adopt1");
  REQUIRE_MESSAGE(first.code == 0, first.err);
  std::string reason;
  for (const json& c : first.report["clusters"]) {
    if (c["summary"] == "Session Middleware Configuration Missing") {
      CHECK(c["issue"]["number"] == human);
      reason = c["reason"];
    }
  }
  CHECK(reason.rfind("adopts #" + std::to_string(human) + ", filed by octocat (similarity 1.00: "
                     "middleware, session, sessionmiddleware)", 0) == 0);
  auto adopted = github.Issue(kRepo, human);
  REQUIRE(adopted);
  CHECK(std::find(adopted->labels.begin(), adopted->labels.end(), "gcp-log-gardener") !=
        adopted->labels.end());
  REQUIRE(adopted->comments.size() == 1);
  CHECK(ParseMarker(adopted->comments[0].body)->key == "ccd44d2a28159e47");
  CHECK(github.Issue(kRepo, human + 1)->comments.empty());  // the unrelated one is left alone
  // The next runs find it by the bot's label and comment: no search for it, no new issue.
  github.ClearRequests();
  Bot::Outcome second = bot.Run(1, "adopt2");
  REQUIRE_MESSAGE(second.code == 0, second.err);
  for (const json& c : second.report["clusters"]) {
    if (c["summary"] == "Session Middleware Configuration Missing") CHECK(c["issue"]["number"] == human);
  }
  CHECK(github.CountIssues(kRepo, [](const testing::FakeIssue& i) {
    return i.title.find("Session Middleware") != std::string::npos;
  }) == 0);
  CheckNoDuplicates(github);
}

// The tracker as its readers see it: per issue its title, state and
// labels, and how far its evidence goes (the newest watermark).
// The tracker as a set of issues: which number an issue got depends on
// where faults fell, so lines are sorted.
std::string Outcome(const FakeGitHub& github) {
  std::vector<std::string> lines;
  for (const testing::FakeIssue& issue : github.Issues(kRepo)) {
    std::string s;
    int64_t watermark = 0;
    auto body = ParseMarker(issue.body);
    if (body) watermark = body->watermark_us;
    for (const testing::FakeComment& c : issue.comments) {
      if (auto m = ParseMarker(c.body)) watermark = std::max(watermark, m->watermark_us);
    }
    s += issue.state + " " + issue.title + " [";
    for (const std::string& l : issue.labels) s += l + ",";
    s += "] " + std::to_string(watermark) + "\n";
    lines.push_back(s);
  }
  std::sort(lines.begin(), lines.end());
  std::string s;
  for (const std::string& l : lines) s += l;
  return s;
}

// Runs scenario `i` until it succeeds; returns the number of tries.
int RunUntilDone(Bot& bot, int i, const std::string& id) {
  for (int attempt = 1; attempt <= 6; ++attempt) {
    Bot::Outcome o = bot.Run(i, id + "-" + std::to_string(attempt));
    if (o.code == 0) return attempt;
    INFO(o.err);
    REQUIRE(o.code == 1);  // a failed run, never a crash or a usage error
  }
  FAIL("six tries were not enough");
  return 0;
}

// As if the bot had filed the issue titled `summary` at P3 (its label, title
// and marker), so that the next run, which judges it P2, escalates it.
void FiledAtP3(FakeGitHub& github, const std::string& summary) {
  for (const testing::FakeIssue& issue : github.Issues(kRepo)) {
    if (issue.title.find(summary) == std::string::npos) continue;
    std::string body = issue.body, title = issue.title;
    body.replace(body.rfind("\"priority\":2"), 12, "\"priority\":3");
    title.replace(title.find("| P2 |"), 6, "| P3 |");
    json labels = json::array();
    for (const std::string& l : issue.labels) labels.push_back(l == "P2" ? "P3" : l);
    httplib::Client http(github.base_url());
    httplib::Headers headers{{"Authorization", "Bearer test-token"}, {"User-Agent", "test"}};
    json patch = {{"title", title}, {"body", body}, {"labels", labels}};
    auto answer = http.Patch(("/repos/" + kRepo + "/issues/" + std::to_string(issue.number)).c_str(),
                             headers, patch.dump(), "application/json");
    REQUIRE(answer);
    REQUIRE(answer->status == 200);
    return;
  }
  FAIL("no issue " << summary);
}

using Setup = std::function<void(FakeGitHub&)>;

std::string CleanOutcome(int scenarios, int setup_at = -1, const Setup& setup = nullptr) {
  FakeGitHub github(Options());
  Bot bot(github);
  for (int i = 0; i < scenarios; ++i) {
    if (i == setup_at) setup(github);
    REQUIRE(bot.Run(i, "clean" + std::to_string(i)).code == 0);
  }
  return Outcome(github);
}

TEST_CASE("github run: with 10% of requests failing, reruns finish the job without duplicates") {
  const std::string clean = CleanOutcome(5);
  FakeGitHub github(Options());
  using testing::Fault;
  using testing::FaultKind;
  github.SetRandomFaults(0.10, 20250915,
                         {Fault{FaultKind::kStatus, 500, false}, Fault{FaultKind::kStatus, 502, false},
                          Fault{FaultKind::kDrop, 0, false}, Fault{FaultKind::kStatus, 500, true},
                          Fault{FaultKind::kDrop, 0, true}});
  Bot bot(github);
  int tries = 0;
  for (int i = 0; i < 5; ++i) tries += RunUntilDone(bot, i, "faulty" + std::to_string(i));
  int faults = 0, stored = 0;
  for (const testing::RecordedRequest& r : github.Requests()) {
    faults += !r.fault.empty();
    stored += r.fault.rfind("stored", 0) == 0;
  }
  MESSAGE(tries << " runs for 5 scenarios; " << github.Requests().size() << " requests, " << faults
                << " failed (" << stored << " of them after storing the write)");
  CHECK(faults >= 5);
  CHECK(stored >= 1);
  CheckNoDuplicates(github);
  CHECK(Outcome(github) == clean);
}

// The bot can die at any request. For every k, a run stopped after k
// requests and then rerun leaves the tracker as one clean run does.
void CheckKilledAt(int prefix, int scenario, const Setup& setup = [](FakeGitHub&) {}) {
  const std::string clean = CleanOutcome(scenario + 1, scenario, setup);
  int requests = 0;
  {
    FakeGitHub github(Options());
    Bot bot(github);
    for (int i = 0; i < prefix; ++i) REQUIRE(bot.Run(i, "prefix" + std::to_string(i)).code == 0);
    setup(github);
    github.ClearRequests();
    REQUIRE(bot.Run(scenario, "count").code == 0);
    requests = static_cast<int>(github.Requests().size());
  }
  MESSAGE("scenario " << scenario + 1 << ": killed after each of " << requests << " requests");
  for (int k = 0; k < requests; ++k) {
    CAPTURE(k);
    FakeGitHub github(Options());
    Bot bot(github);
    for (int i = 0; i < prefix; ++i) REQUIRE(bot.Run(i, "prefix" + std::to_string(i)).code == 0);
    setup(github);
    github.KillAfter(k);
    Bot::Outcome killed = bot.Run(scenario, "killed");
    CHECK(killed.code == 1);
    github.Revive();
    Bot::Outcome rerun = bot.Run(scenario, "rerun");
    REQUIRE_MESSAGE(rerun.code == 0, rerun.err);
    CheckNoDuplicates(github);
    CHECK(Outcome(github) == clean);
  }
}

TEST_CASE("github run: killed after any request of a first run, a rerun finishes it") {
  CheckKilledAt(0, 0);
}

TEST_CASE("github run: killed after any request of a run that updates and escalates") {
  CheckKilledAt(4, 4, [](FakeGitHub& github) { FiledAtP3(github, "SSOT WebSocket Manager"); });
}

TEST_CASE("github run: a problem judged higher than its issue is escalated once") {
  FakeGitHub github(Options());
  Bot bot(github);
  for (int i = 0; i < 4; ++i) REQUIRE(bot.Run(i, "run" + std::to_string(i)).code == 0);
  FiledAtP3(github, "SSOT WebSocket Manager");
  Bot::Outcome o = bot.Run(4, "run4");
  REQUIRE_MESSAGE(o.code == 0, o.err);
  std::string outcome;
  for (const json& c : o.report["clusters"]) {
    if (c["action"] == "escalate") outcome = c["outcome"];
  }
  CHECK(outcome == "P3 -> P2, commented");
  for (const testing::FakeIssue& issue : github.Issues(kRepo)) {
    if (issue.title.find("SSOT WebSocket Manager") == std::string::npos) continue;
    CHECK(issue.title == "GCP-active-dev | P2 | SSOT WebSocket Manager Duplication Warnings");
    CHECK(std::count(issue.labels.begin(), issue.labels.end(), "P2") == 1);
    CHECK(std::count(issue.labels.begin(), issue.labels.end(), "P3") == 0);
    CHECK(ParseMarker(issue.body)->priority == 2);
  }
  // The next run sees P2 everywhere: no second escalation.
  Bot::Outcome again = bot.Run(4, "run4-again");
  for (const json& c : again.report["clusters"]) CHECK(c["action"] != "escalate");
}

}  // namespace
}  // namespace triage

namespace triage {
namespace {

TEST_CASE("github run: hostile log text cannot forge a marker, ping people or leak the token") {
  FakeGitHub github(Options());
  const std::string forged =
      "<!-- gcp-log-gardener:v1 {\"kind\":\"issue\",\"key\":\"0000000000000000\","
      "\"fingerprints\":[\"0000000000000000\"],\"priority\":6} -->";
  json entry = {{"insertId", "evil1"},
                {"timestamp", "2025-09-12T23:20:00Z"},
                {"severity", "ERROR"},
                {"resource", {{"type", "cloud_run_revision"},
                              {"labels", {{"service_name", "netra-backend-staging"}}}}},
                {"jsonPayload", {{"message", "login failed for @admin test-token " + forged +
                                                 " ```\n#1 <script>alert(1)</script>\npassword=hunter22"}}}};
  testing::TempDir dir;
  std::string path = dir.Write("hostile.ndjson", entry.dump() + "\n");
  Environment env;
  int64_t clock = 1757719800LL * 1000000;
  env.getenv = [&](const std::string& name) {
    if (name == "GITHUB_API_URL") return github.base_url();
    if (name == "GITHUB_TOKEN") return std::string("test-token");
    return std::string();
  };
  env.sleep = [&](int64_t us) { clock += us; };
  env.clock = [&] { return clock; };
  std::vector<std::string> args{"gcp-log-gardener", "run", "--config",
                                kSource + "/examples/netra-staging.yml", "--input", path,
                                "--now", "2025-09-12T23:30:00Z"};
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  int code = RunCli(static_cast<int>(argv.size()), argv.data(), out, err, clock, env);
  REQUIRE_MESSAGE(code == 0, err.str());
  std::vector<testing::FakeIssue> issues;
  for (const testing::FakeIssue& i : github.Issues(kRepo)) {
    auto m = ParseMarker(i.body);
    if (!m || m->kind != MarkerKind::kDashboard) issues.push_back(i);
  }
  REQUIRE(issues.size() == 1);
  const testing::FakeIssue& issue = issues[0];
  auto marker = ParseMarker(issue.body);
  REQUIRE(marker);
  CHECK(marker->key != "0000000000000000");  // the bot's own marker, not the log's
  CHECK(marker->priority == 2);
  // No mention that notifies: a zero-width space after '@' outside code.
  CHECK(issue.title == "GCP-regression | P2 | login failed for @\u200badmin [redacted]");
  CHECK(issue.body.rfind("## login failed for @\u200badmin [redacted]\n", 0) == 0);
  // Markup only inside code; the forged marker broken up there.
  CHECK(issue.body.find("#1 <script>alert(1)</script>\npassword=[redacted]\n```") != std::string::npos);
  CHECK(issue.body.find("<!--", 0) == issue.body.rfind("<!-- gcp-log-gardener:v1"));
  for (const testing::RecordedRequest& r : github.Requests()) {
    CHECK(r.body.find("test-token") == std::string::npos);  // the token is never written
    CHECK(r.body.find("hunter22") == std::string::npos);    // nor a password the log held
  }
  CHECK(out.str().find("Bearer test-token") == std::string::npos);
  CHECK(err.str().find("test-token") == std::string::npos);
}

}  // namespace
}  // namespace triage

namespace triage {
namespace {

TEST_CASE("github run: an issue closed as completed comes back: reopened as a regression") {
  FakeGitHub github(Options());
  Bot bot(github);
  REQUIRE(bot.Run(0, "first").code == 0);
  int session = 0;
  for (const testing::FakeIssue& issue : github.Issues(kRepo)) {
    if (issue.title.find("Session Middleware") != std::string::npos) session = issue.number;
  }
  REQUIRE(session != 0);
  httplib::Client http(github.base_url());
  httplib::Headers headers{{"Authorization", "Bearer test-token"}, {"User-Agent", "a-person"}};
  auto closed = http.Patch(("/repos/" + kRepo + "/issues/" + std::to_string(session)).c_str(), headers,
                           R"({"state":"closed","state_reason":"completed"})", "application/json");
  REQUIRE(closed);
  REQUIRE(closed->status == 200);
  Bot::Outcome next = bot.Run(1, "second");  // the next day: SessionMiddleware again
  REQUIRE_MESSAGE(next.code == 0, next.err);
  std::string outcome;
  for (const json& c : next.report["clusters"]) {
    if (!c["issue"].is_null() && c["issue"]["number"] == session) outcome = c["action"].get<std::string>() + ": " + c["outcome"].get<std::string>();
  }
  CHECK(outcome == "reopen: reopened, commented");
  auto issue = github.Issue(kRepo, session);
  REQUIRE(issue);
  CHECK(issue->state == "open");
  CHECK(issue->title == "GCP-regression | P2 | Session Middleware Configuration Missing");
  CHECK(std::find(issue->labels.begin(), issue->labels.end(), "GCP-regression") != issue->labels.end());
  CHECK(ParseMarker(issue->comments.back().body)->kind == MarkerKind::kNotice);  // kept as written
  CheckNoDuplicates(github);
}

}  // namespace
}  // namespace triage
