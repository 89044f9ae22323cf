// The `command` entry point, whole, against the fake GitHub on loopback:
// what it exits with and what it leaves in the step outputs for a bad
// event file, an event it ignores, no token, a permission GitHub cannot
// tell, and a command answered or failed.
#include "bot/app/command_main.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "bot/app/exit_status.h"
#include "clients/curl_transport.h"
#include "tests/support/cli_support.h"
#include "tests/support/fake_github.h"

namespace triage {
namespace {

using nlohmann::json;
using testing::FakeComment;
using testing::FakeIssue;
using testing::ReadFile;
using testing::TempDir;

const std::string kEvents = std::string(GARDENER_SOURCE_DIR) + "/tests/fixtures/events/";

struct Answered {
  int code = 0;
  std::string out, err, outputs;
};

class Harness {
 public:
  Harness() {
    github.SetRole("octo/repo", "alice", "admin");
    args.config_path = dir.Path("no-config.yml");
    args.github.api_url = github.base_url();
    args.github.token = "test-token";
    args.github.repository = "octo/repo";
    args.github.run_id = "41";
    args.github.run_url = "https://ci/runs/41";
    args.github.sleep = [](int64_t) {};
    args.github.clock = [this] { return github.Now() * 1000000; };
    args.github.transport = transport.get();
    args.step_outputs_path = dir.Write("outputs", "");
  }

  // The fixture's comment, posted on a new issue of the bot's, is the event.
  void Event(const std::string& fixture) {
    std::ifstream in(kEvents + fixture);
    json event = json::parse(in);
    FakeIssue issue;
    issue.title = "A problem";
    const int number = github.SeedIssue("octo/repo", issue);
    FakeComment c;
    c.body = event["comment"]["body"];
    c.user_login = event["comment"]["user"]["login"];
    event["issue"]["number"] = number;
    event["comment"]["id"] = github.SeedComment("octo/repo", number, c);
    args.event_path = dir.Write("event.json", event.dump());
    args.event_name = "issue_comment";
  }

  Answered Run() {
    std::ostringstream out, err;
    Answered a;
    a.code = RunCommand(args, out, err);
    a.out = out.str();
    a.err = err.str();
    a.outputs = ReadFile(args.step_outputs_path);
    return a;
  }

  testing::FakeGitHub github;
  std::unique_ptr<HttpTransport> transport = NewCurlTransport();
  TempDir dir;
  CommandArgs args;
};

TEST_CASE("command main: a bad event file or config is a usage error, before GitHub") {
  Harness h;
  h.args.event_path = h.dir.Path("missing.json");
  Answered missing = h.Run();
  CHECK(missing.code == kExitUsage);
  CHECK(missing.err.find("command: " + h.args.event_path + ": cannot open the event file") !=
        std::string::npos);
  h.args.event_path = h.dir.Write("bad.json", "{not json");
  CHECK(h.Run().code == kExitUsage);
  h.Event("comment_help.json");
  h.args.config_path = h.dir.Path("missing.yml");
  h.args.config_explicit = true;
  CHECK(h.Run().code == kExitUsage);
  CHECK(h.github.Requests().empty());
}

TEST_CASE("command main: an ignored comment exits 0 and says so in the outputs, unasked") {
  Harness h;
  h.Event("comment_bot.json");
  h.github.ClearRequests();
  Answered a = h.Run();
  CHECK(a.code == kExitOk);
  CHECK(a.out == "ignored: a comment by a bot\n");
  CHECK(a.outputs == "allowed=false\nresult=ignored: a comment by a bot\n");
  CHECK(h.github.Requests().empty());
}

TEST_CASE("command main: no token exits 4; a permission GitHub cannot tell exits 1") {
  Harness h;
  h.Event("comment_help.json");
  h.args.github.token.clear();
  Answered untokened = h.Run();
  CHECK(untokened.code == kExitAuth);
  CHECK(untokened.err.find("no GitHub token") != std::string::npos);

  h.args.github.token = "test-token";
  h.github.Stop();
  Answered down = h.Run();
  CHECK(down.code == kExitFailure);
  CHECK(down.err.find("command: checking the permission of alice: ") != std::string::npos);
  CHECK(down.outputs == "allowed=false\nresult=checking the permission of alice failed\n");
}

TEST_CASE("command main: an answered command exits 0; one GitHub failed exits 1") {
  Harness h;
  h.Event("comment_help.json");
  Answered help = h.Run();
  CHECK(help.code == kExitOk);
  CHECK(help.out == "help done\n");
  CHECK(help.outputs == "allowed=true\nresult=help done\n");

  h.Event("comment_mute.json");  // the issue holds no fingerprint: refused, not failed
  Answered refused = h.Run();
  CHECK(refused.code == kExitOk);
  CHECK(refused.out.rfind("mute refused: This issue is not one the gardener manages", 0) == 0);

  h.Event("comment_mute.json");
  h.github.FailNext("GET", "/repos/octo/repo/issues/*",
                    testing::Fault{testing::FaultKind::kStatus, 404, false});
  Answered failed = h.Run();
  CHECK(failed.code == kExitFailure);
  CHECK(failed.err.find("command: mute failed: Something went wrong: ") != std::string::npos);
  CHECK(failed.outputs.find("result=mute failed: Something went wrong: ") != std::string::npos);
}

}  // namespace
}  // namespace triage
