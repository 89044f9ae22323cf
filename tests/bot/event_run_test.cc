// The binary driven by saved GitHub Actions event payloads
// (tests/fixtures/events/), against the fake GitHub and the fake Cloud
// Logging on loopback: a schedule and a dispatch run, and `/gardener`
// comments by an owner, a stranger, a bot, on a pull request, with unknown
// or hostile text. The tracker is checked after each.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "bot/cli.h"
#include "bot/marker.h"
#include "bot/time_util.h"
#include "tests/support/cli_support.h"
#include "tests/support/fake_github.h"
#include "tests/support/fake_logging.h"

namespace triage {
namespace {

using nlohmann::json;
using testing::EndpointKind;
using testing::FakeGitHub;
using testing::FakeIssue;

const std::string kSource = GARDENER_SOURCE_DIR;
const std::string kRepo = "netra-systems/netra-apex";  // examples/netra-staging.yml's
const std::string kScenario = kSource + "/examples/netra-staging/2025-09-15T0010.json";
const int64_t kNowUs = *ParseRfc3339("2025-09-15T00:10:30Z");
constexpr int64_t kHour = 3600 * int64_t{1000000};

testing::FakeGitHubOptions Options() {
  testing::FakeGitHubOptions o;
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
    Environment env;
    env.getenv = [vars](const std::string& name) {
      auto it = vars.find(name);
      return it == vars.end() ? std::string() : it->second;
    };
    env.sleep = [this](int64_t us) {
      clock_us_ += us;
      github.SetNow(clock_us_ / 1000000);
    };
    env.clock = [this] { return clock_us_; };
    args.insert(args.begin(), "gcp-log-gardener");
    args.insert(args.end(), {"--config", kSource + "/examples/netra-staging.yml", "--now",
                             FormatRfc3339(now_us)});
    std::vector<const char*> argv;
    for (const std::string& a : args) argv.push_back(a.c_str());
    std::ostringstream out, err;
    Outcome o;
    o.code = RunCli(static_cast<int>(argv.size()), argv.data(), out, err, clock_us_, env);
    o.out = out.str();
    o.err = err.str();
    std::istringstream lines(testing::ReadFile(outputs));
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
    testing::FakeComment c;
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

  // The bot's problem issues (not the dashboard), by number.
  std::vector<FakeIssue> Problems() const {
    std::vector<FakeIssue> out;
    for (const FakeIssue& i : github.Issues(kRepo)) {
      auto m = ParseMarker(i.body);
      if (m && m->kind == MarkerKind::kIssue) out.push_back(i);
    }
    return out;
  }
  std::vector<FakeIssue> Dashboards() const {
    std::vector<FakeIssue> out;
    for (const FakeIssue& i : github.Issues(kRepo)) {
      auto m = ParseMarker(i.body);
      if (m && m->kind == MarkerKind::kDashboard) out.push_back(i);
    }
    return out;
  }
  std::vector<std::string> Reactions(int number) const {
    const FakeIssue issue = *github.Issue(kRepo, number);
    for (const testing::FakeComment& c : issue.comments) {
      if (c.id == last_comment_id) return c.reactions;
    }
    return {};
  }
  // The bot's comments on `number`.
  std::vector<std::string> BotComments(int number) const {
    std::vector<std::string> out;
    const FakeIssue issue = *github.Issue(kRepo, number);
    for (const testing::FakeComment& c : issue.comments) {
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

 private:
  int64_t clock_us_ = kNowUs;
  testing::FakeLogging logging_;
  testing::TempDir dir_;
  int runs_ = 0;
  std::vector<json> requests_;
};

int64_t DashboardEnd(const World& w) {
  auto m = ParseMarker(w.Dashboards().at(0).body);
  return m ? m->window_end_us : 0;
}

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST_CASE("event run: a scheduled run starts where the last successful one ended") {
  World w;
  Outcome first = w.Scheduled(kNowUs);
  REQUIRE_MESSAGE(first.code == 0, first.err);
  CHECK(first.err.find("no earlier run recorded on the dashboard") != std::string::npos);
  const size_t filed = w.Problems().size();
  CHECK(filed > 0);
  REQUIRE(w.Dashboards().size() == 1);
  CHECK(DashboardEnd(w) == kNowUs);
  CHECK(first.outputs["issues_created"] == std::to_string(filed));
  CHECK(first.outputs["failed"] == "0");

  // The next run is three hours late: it reads from the recorded end, less
  // the overlap, not from "now minus the window".
  Outcome late = w.Scheduled(kNowUs + 3 * kHour);
  REQUIRE_MESSAGE(late.code == 0, late.err);
  const std::string filter = w.LoggingRequests().back()["filter"];
  CHECK(filter.find("timestamp >= \"2025-09-15T00:00:30") != std::string::npos);
  CHECK(w.Problems().size() == filed);  // nothing doubled
  REQUIRE(w.Dashboards().size() == 1);
  CHECK(DashboardEnd(w) == kNowUs + 3 * kHour);
  for (const FakeIssue& i : w.Problems()) {
    CHECK(w.Dashboards()[0].body.find("#" + std::to_string(i.number) + " |") != std::string::npos);
  }
}

TEST_CASE("event run: a manual dispatch's inputs: a dry run over its window, nothing written") {
  World w;
  Outcome o = w.Run({"run", "-q", "--event", kSource + "/tests/fixtures/events/dispatch.json"}, kNowUs,
                    "workflow_dispatch");
  REQUIRE_MESSAGE(o.code == 0, o.err);
  CHECK(o.outputs["dry_run"] == "true");
  CHECK(w.github.Requests().empty());  // a dry run reads no GitHub either
  const json& request = w.LoggingRequests().back();
  const std::string filter = request["filter"];
  CHECK(filter.find("timestamp >= \"2025-09-14T22:10:30") != std::string::npos);  // window 2h
  CHECK(filter.find("severity >= ERROR") != std::string::npos);
  // A comment event is not for `run`.
  Outcome wrong = w.Run({"run", "--event", kSource + "/tests/fixtures/events/comment_help.json"}, kNowUs,
                        "issue_comment");
  CHECK(wrong.code == 2);
  CHECK(wrong.err.find("a comment event is for `command`") != std::string::npos);
}

TEST_CASE("event run: comments by a bot, on a pull request, or edited are ignored without a request") {
  World w;
  REQUIRE(w.Scheduled(kNowUs).code == 0);
  w.github.ClearRequests();
  for (const char* fixture : {"comment_bot.json", "comment_pull_request.json", "comment_edited.json"}) {
    INFO(fixture);
    Outcome o = w.Comment(fixture, 1, kNowUs);
    CHECK(o.code == 0);
    CHECK(o.out.rfind("ignored: ", 0) == 0);
    CHECK(o.outputs["allowed"] == "false");
    CHECK(w.Reactions(1).empty());
  }
  CHECK(w.github.Requests().empty());
  CHECK(w.BotComments(1).empty());
}

TEST_CASE("event run: a stranger is refused politely, once; no reaction, no Google") {
  World w;
  REQUIRE(w.Scheduled(kNowUs).code == 0);
  const size_t logging_before = w.LoggingRequests().size();
  Outcome o = w.Comment("comment_stranger.json", 1, kNowUs);
  CHECK(o.code == 0);
  CHECK(o.outputs["allowed"] == "false");
  std::vector<std::string> replies = w.BotComments(1);
  REQUIRE(replies.size() == 1);
  CHECK(replies[0].find("Sorry @mallory, only people with write access") == 0);
  CHECK(w.Reactions(1).empty());
  Outcome again = w.Comment("comment_stranger.json", 1, kNowUs + kHour);
  CHECK(again.code == 0);
  CHECK(w.BotComments(1).size() == 1);  // told once
  CHECK(w.LoggingRequests().size() == logging_before);
  // The authorize-only step says the same without replying twice.
  Outcome gate = w.Comment("comment_stranger.json", 1, kNowUs + kHour, {"--authorize-only"});
  CHECK(gate.outputs["allowed"] == "false");
  CHECK(w.BotComments(1).size() == 1);
}

TEST_CASE("event run: an owner gets 👀, then one reply; an unknown command gets the usage and 😕") {
  World w;
  REQUIRE(w.Scheduled(kNowUs).code == 0);
  Outcome gate = w.Comment("comment_help.json", 1, kNowUs, {"--authorize-only"});
  CHECK(gate.code == 0);
  CHECK(gate.outputs["allowed"] == "true");
  CHECK(w.Reactions(1) == std::vector<std::string>{"github-actions[bot]:eyes"});
  CHECK(w.BotComments(1).empty());  // the gate only acknowledges

  Outcome help = w.Comment("comment_help.json", 1, kNowUs);
  CHECK(help.code == 0);
  CHECK(w.Reactions(1) == std::vector<std::string>{"github-actions[bot]:eyes"});
  REQUIRE(w.BotComments(1).size() == 1);
  CHECK(w.BotComments(1)[0].find("/gardener retriage [window]") != std::string::npos);

  Outcome unknown = w.Comment("comment_unknown.json", 1, kNowUs);
  CHECK(unknown.code == 0);
  CHECK(w.Reactions(1) == std::vector<std::string>{"github-actions[bot]:eyes", "github-actions[bot]:confused"});
  REQUIRE(w.BotComments(1).size() == 2);
  CHECK(w.BotComments(1)[1].find("I did not understand that: unknown command `frobnicate`") == 0);
  CHECK(w.BotComments(1)[1].find("/gardener help") != std::string::npos);
  // Hostile arguments are quoted back inert, never run.
  Outcome hostile = w.Comment("comment_injection.json", 1, kNowUs);
  CHECK(hostile.code == 0);
  CHECK(w.BotComments(1)[2].find("`retriage` takes one argument") != std::string::npos);
}

TEST_CASE("event run: priority pins, mute silences, retriage recomputes") {
  World w;
  REQUIRE(w.Scheduled(kNowUs).code == 0);
  std::vector<FakeIssue> issues = w.Problems();
  REQUIRE(!issues.empty());
  const int n = issues[0].number;

  // Pinned at P5: the next runs never change it, even when new occurrences come.
  Outcome pin = w.Comment("comment_priority.json", n, kNowUs + kHour);
  REQUIRE_MESSAGE(pin.code == 0, pin.err);
  FakeIssue pinned = *w.github.Issue(kRepo, n);
  CHECK(Has(pinned.labels, "P5"));
  CHECK(pinned.title.find("| P5 |") != std::string::npos);
  auto marker = ParseMarker(pinned.body);
  REQUIRE(marker);
  CHECK(marker->pinned == std::optional<bool>(true));
  CHECK(w.BotComments(n).back().find("Priority set to **P5** and pinned") == 0);

  // Muted: a run with new occurrences posts nothing there.
  REQUIRE(w.Comment("comment_mute.json", n, kNowUs + kHour).code == 0);
  CHECK(ParseMarker(w.github.Issue(kRepo, n)->body)->muted == std::optional<bool>(true));
  const size_t comments = w.github.Issue(kRepo, n)->comments.size();
  w.github.ClearRequests();
  REQUIRE(w.Scheduled(kNowUs + 2 * kHour).code == 0);  // the overlap re-reads the same entries
  CHECK(w.github.Issue(kRepo, n)->comments.size() == comments);
  CHECK(Has(w.github.Issue(kRepo, n)->labels, "P5"));

  // Unmuted, then retriaged: priority stays pinned, an evidence comment is added.
  REQUIRE(w.Comment("comment_unmute.json", n, kNowUs + 2 * kHour).code == 0);
  CHECK(ParseMarker(w.github.Issue(kRepo, n)->body)->muted == std::optional<bool>(false));
  // Its window (2h) back from an hour after the scenario holds the entries.
  Outcome retriage = w.Comment("comment_retriage.json", n, kNowUs + kHour);
  REQUIRE_MESSAGE(retriage.code == 0, retriage.err);
  std::vector<std::string> bot = w.BotComments(n);
  REQUIRE(bot.size() >= 2);
  CHECK(bot.back().find("Retriaged from ") == 0);
  CHECK(bot.back().find("stays **P5** (pinned)") != std::string::npos);
  auto evidence = ParseMarker(bot[bot.size() - 2]);
  REQUIRE(evidence);
  CHECK(evidence->kind == MarkerKind::kEvidence);
  CHECK(Has(w.github.Issue(kRepo, n)->labels, "P5"));
}

TEST_CASE("event run: retriage of an unpinned issue takes the rules' priority and title back") {
  World w;
  REQUIRE(w.Scheduled(kNowUs).code == 0);
  FakeIssue issue = w.Problems()[0];
  const std::string title = issue.title;
  // A no-window retriage reads the config's window (1 h) ending now.
  Outcome o = w.Comment("comment_retriage.json", issue.number, kNowUs + 10 * 60 * int64_t{1000000});
  REQUIRE_MESSAGE(o.code == 0, o.err);
  FakeIssue after = *w.github.Issue(kRepo, issue.number);
  CHECK(after.title == title);
  CHECK(w.BotComments(issue.number).back().find("Retriaged from ") == 0);
  // Long after the problem: nothing found, nothing changed.
  Outcome quiet = w.Comment("comment_retriage.json", issue.number, kNowUs + 48 * kHour);
  CHECK(quiet.code == 0);
  CHECK(w.BotComments(issue.number).back().find("No occurrence of this issue's problem in the last 2h") == 0);
  CHECK(w.github.Issue(kRepo, issue.number)->labels == after.labels);
}

}  // namespace
}  // namespace triage
