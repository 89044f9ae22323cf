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

#include "tests/support/bot_world.h"

namespace triage {
namespace {

using nlohmann::json;
using testing::DashboardEnd;
using testing::FakeIssue;
using testing::Has;
using testing::kHour;
using testing::kNowUs;
using testing::kRepo;
using testing::kSource;
using testing::Outcome;
using testing::World;

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
  // Nothing new: nothing written, the dashboard included; the window end it
  // records moves once it is 6 hours behind.
  CHECK(late.outputs["dashboard"].rfind("unchanged", 0) == 0);
  CHECK(DashboardEnd(w) == kNowUs);
  Outcome later = w.Scheduled(kNowUs + 7 * kHour);
  REQUIRE_MESSAGE(later.code == 0, later.err);
  CHECK(DashboardEnd(w) == kNowUs + 7 * kHour);
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
  // A dry run reads the tracker, as the real run would, and writes nothing.
  for (const testing::RecordedRequest& r : w.github.Requests()) CHECK(r.method == "GET");
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

TEST_CASE("event run: retriage of an unpinned issue: the rules' labels, evidence, or nothing found") {
  World w;
  REQUIRE(w.Scheduled(kNowUs).code == 0);
  FakeIssue issue = w.Problems()[0];
  // A no-window retriage reads the config's window (1 h) ending now.
  Outcome o = w.Comment("comment_retriage.json", issue.number, kNowUs + 10 * 60 * int64_t{1000000});
  REQUIRE_MESSAGE(o.code == 0, o.err);
  FakeIssue after = *w.github.Issue(kRepo, issue.number);
  CHECK(after.title == issue.title);  // the rules judge the same window the same way
  std::vector<std::string> bot = w.BotComments(issue.number);
  REQUIRE(bot.size() >= 2);
  CHECK(bot.back().find("Retriaged from ") == 0);
  auto evidence = ParseMarker(bot[bot.size() - 2]);
  REQUIRE(evidence);
  CHECK(evidence->kind == MarkerKind::kEvidence);
  // The priority the bot recorded is the label it set: a later run does not
  // take the label for a person's.
  CHECK(Has(after.labels, "P" + std::to_string(evidence->priority)));
  CHECK(ParseMarker(after.body)->priority == evidence->priority);
  // Long after the problem: nothing found, nothing changed.
  Outcome quiet = w.Comment("comment_retriage.json", issue.number, kNowUs + 48 * kHour);
  CHECK(quiet.code == 0);
  CHECK(w.BotComments(issue.number).back().find("No occurrence of this issue's problem in the last 2h") == 0);
  CHECK(w.github.Issue(kRepo, issue.number)->labels == after.labels);
}

}  // namespace
}  // namespace triage
