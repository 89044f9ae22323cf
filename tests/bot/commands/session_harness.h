// Test support for the steps of a comment command: a CommandSession whose
// client talks to the fake GitHub over loopback, about a comment the test
// seeds, signed as the fake's bot account.
#ifndef TRIAGE_TESTS_BOT_COMMANDS_SESSION_HARNESS_H_
#define TRIAGE_TESTS_BOT_COMMANDS_SESSION_HARNESS_H_

#include <doctest/doctest.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "bot/actions/event.h"
#include "bot/app/setup.h"
#include "bot/commands/reply.h"
#include "bot/github/marker.h"
#include "clients/curl_transport.h"
#include "clients/github_client.h"
#include "tests/support/fake_github.h"

namespace triage {
namespace testing {

inline constexpr char kHarnessRepo[] = "octo/repo";
inline constexpr char kBot[] = "github-actions[bot]";

class SessionHarness {
 public:
  SessionHarness()
      : client_(*transport_, Options(), [](int64_t) {}, [this] { return github.Now() * 1000000; },
                [] { return 0.5; }) {
    Result<Setup> setup = LoadSetup("no-such-config.yml", false);
    REQUIRE_MESSAGE(setup, setup.error().message);
    setup_ = setup.value();
    sync.run_id = "run-7";
    event.kind = EventKind::kIssueComment;
    event.action = "created";
  }

  // Seeds `issue` and a comment on it by `login` saying `body`; the event
  // is that comment's.
  int Seed(FakeIssue issue, const std::string& login, const std::string& body) {
    const int number = github.SeedIssue(kHarnessRepo, std::move(issue));
    FakeComment c;
    c.user_login = login;
    c.body = body;
    event.issue_number = number;
    event.comment_id = github.SeedComment(kHarnessRepo, number, c);
    event.comment_login = login;
    event.comment_body = body;
    REQUIRE(event.comment_id > 0);
    return number;
  }

  // A session over the event as it stands; `run_url` is linked from replies.
  std::unique_ptr<CommandSession> Session(const std::string& run_url = "") {
    return std::make_unique<CommandSession>(client_, setup_.templates, event, sync, run_url, err);
  }

  // The bodies of the bot's comments on `number`, oldest first.
  std::vector<std::string> BotComments(int number) const {
    std::vector<std::string> out;
    const FakeIssue issue = *github.Issue(kHarnessRepo, number);
    for (const FakeComment& c : issue.comments) {
      if (c.user_login == kBot) out.push_back(c.body);
    }
    return out;
  }
  // The reactions on the event's comment.
  std::vector<std::string> Reactions() const {
    const FakeIssue issue = *github.Issue(kHarnessRepo, event.issue_number);
    for (const FakeComment& c : issue.comments) {
      if (c.id == event.comment_id) return c.reactions;
    }
    return {};
  }

  const Config& config() const { return setup_.config; }
  const TemplateSet& templates() const { return setup_.templates; }

  FakeGitHub github;
  GitHubEvent event;
  SyncOptions sync;
  std::ostringstream err;

 private:
  GitHubOptions Options() const {
    GitHubOptions o;
    o.api_url = github.base_url();
    o.token = "test-token";
    o.repository = kHarnessRepo;
    return o;
  }

  std::unique_ptr<HttpTransport> transport_ = NewCurlTransport();
  GitHubClient client_;
  Setup setup_;
};

}  // namespace testing
}  // namespace triage

#endif  // TRIAGE_TESTS_BOT_COMMANDS_SESSION_HARNESS_H_
