// GitHubClient over real HTTP: the curl transport against the fake GitHub
// (tests/support/fake_github.h) on loopback, with a fake clock that moves
// only when the client sleeps, and carries the fake's clock along.
#include "clients/github_client.h"

#include <doctest/doctest.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "clients/curl_transport.h"
#include "tests/support/fake_github.h"

namespace triage {
namespace {

using testing::EndpointKind;
using testing::FakeIssue;
using testing::Fault;
using testing::FaultKind;

constexpr char kRepo[] = "octo/repo";
constexpr char kToken[] = "ghp_SECRETsecret0123456789";
constexpr int64_t kSecond = 1000000;

struct Harness {
  // The client aims at the fake; token and repository default to its.
  explicit Harness(GitHubOptions options = {})
      : client(
            *transport, Complete(std::move(options)), [this](int64_t us) { Sleep(us); },
            [this] { return now_us; },
            [this] { return std::uniform_real_distribution<double>(0, 1)(rng); }) {}

  GitHubOptions Complete(GitHubOptions options) const {
    options.api_url = github.base_url();
    if (options.token.empty()) options.token = kToken;
    if (options.repository.empty()) options.repository = kRepo;
    return options;
  }
  void Sleep(int64_t us) {
    waits.push_back(us);
    Advance(us);
  }
  void Advance(int64_t us) {
    now_us += us;
    github.SetNow(now_us / kSecond);
  }
  // Lists the bot's issues (all states) for one with `title`, counting calls.
  GitHubClient::FindExisting<GitHubIssue> FindByTitle(const std::string& title) {
    return [this, title]() -> Result<std::optional<GitHubIssue>> {
      ++find_calls;
      Result<std::vector<GitHubIssue>> issues = client.ListIssues("gardener", "all");
      if (!issues) return issues.error();
      for (const GitHubIssue& issue : issues.value()) {
        if (issue.title == title) return std::optional<GitHubIssue>(issue);
      }
      return std::optional<GitHubIssue>();
    };
  }
  Result<GitHubIssue> Create(const std::string& title) {
    return client.CreateIssue(title, "fingerprint: " + title, {"gardener"}, FindByTitle(title));
  }

  testing::FakeGitHub github{[] {
    testing::FakeGitHubOptions options;
    options.token = kToken;
    return options;
  }()};
  std::unique_ptr<HttpTransport> transport = NewCurlTransport();
  int64_t now_us = github.Now() * kSecond;
  std::vector<int64_t> waits;
  std::mt19937_64 rng{20300101};
  int find_calls = 0;
  GitHubClient client;
};

FakeIssue Seed(const std::string& title, std::vector<std::string> labels = {"gardener"}) {
  FakeIssue issue;
  issue.title = title;
  issue.labels = std::move(labels);
  return issue;
}

// The error of `result`, or an error saying "<no error>".
template <typename T>
Error ErrorOf(const Result<T>& result) {
  return result ? Error{ErrorKind::kInput, "<no error>", 0} : result.error();
}

// The client's stats in one line, so that a check covers all of them.
std::string Counts(const GitHubStats& s) {
  return std::to_string(s.requests) + " requests, " + std::to_string(s.list_calls) + " pages, " +
         std::to_string(s.search_calls) + " searches, " + std::to_string(s.writes) + " writes, " +
         std::to_string(s.retries) + " retries, waited " + std::to_string(s.waited_us) + " us";
}

std::string Param(const testing::RecordedRequest& r, const std::string& name) {
  auto it = r.params.find(name);
  return it == r.params.end() ? "<absent>" : it->second;
}

TEST_CASE("github client: every request carries GitHub's headers; results are parsed") {
  Harness h;
  Result<GitHubIssue> created = h.Create("Disk full");
  REQUIRE_MESSAGE(created, created.error().message);
  CHECK(created.value().number == 1);
  CHECK(created.value().labels == std::vector<std::string>{"gardener"});
  CHECK(created.value().user_login == "github-actions[bot]");
  CHECK(created.value().user_type == "Bot");
  CHECK(created.value().state == "open");
  CHECK(created.value().state_reason == "");
  CHECK(created.value().created_at_us == h.github.Now() * kSecond);
  CHECK(created.value().html_url == "https://github.com/octo/repo/issues/1");
  REQUIRE(h.client.GetIssue(1));

  const std::vector<testing::RecordedRequest> seen = h.github.Requests();
  REQUIRE(seen.size() == 2);
  for (const testing::RecordedRequest& r : seen) {
    CHECK(r.Header("authorization") == std::string("Bearer ") + kToken);
    CHECK(r.Header("accept") == "application/vnd.github+json");
    CHECK(r.Header("x-github-api-version") == "2022-11-28");
    CHECK(r.Header("user-agent") == "gcp-log-gardener");
  }
  CHECK(seen[0].method == "POST");
  CHECK(seen[0].path == "/repos/octo/repo/issues");
  CHECK(seen[0].Header("content-type") == "application/json");
  CHECK(nlohmann::json::parse(seen[0].body) == nlohmann::json{{"title", "Disk full"},
                                                              {"body", "fingerprint: Disk full"},
                                                              {"labels", {"gardener"}}});
  CHECK(seen[1].path == "/repos/octo/repo/issues/1");
  CHECK(seen[1].Header("content-type") == "");
  CHECK(Counts(h.client.stats()) ==
        "2 requests, 0 pages, 0 searches, 1 writes, 0 retries, waited 0 us");
}

TEST_CASE("github client: lists walk every page once, oldest first, without pull requests") {
  Harness h;
  for (int i = 0; i < 260; ++i) {
    FakeIssue issue = Seed("issue " + std::to_string(i));
    issue.pull_request = i % 26 == 0;  // 10 pull requests among 250 issues
    h.github.SeedIssue(kRepo, issue);
  }
  h.github.SeedIssue(kRepo, Seed("unlabelled", {}));
  for (int i = 0; i < 150; ++i) {
    testing::FakeComment c;
    c.body = "c" + std::to_string(i);
    h.github.SeedComment(kRepo, 2, c);
  }

  Result<std::vector<GitHubIssue>> issues = h.client.ListIssues("gardener", "all");
  REQUIRE_MESSAGE(issues, issues.error().message);
  REQUIRE(issues.value().size() == 250);
  for (size_t i = 1; i < issues.value().size(); ++i) {
    CHECK(issues.value()[i - 1].number < issues.value()[i].number);
  }
  CHECK(h.github.Count(EndpointKind::kListIssues) == 3);
  CHECK(h.github.Requests()[0].query ==
        "labels=gardener&state=all&sort=created&direction=asc&per_page=100");
  CHECK(Param(h.github.Requests()[2], "page") == "3");

  Result<std::vector<GitHubComment>> comments = h.client.ListComments(2);
  REQUIRE(comments);
  REQUIRE(comments.value().size() == 150);
  CHECK(comments.value().back().body == "c149");
  CHECK(Counts(h.client.stats()) ==
        "5 requests, 5 pages, 0 searches, 0 writes, 0 retries, waited 0 us");
}

TEST_CASE("github client: one label, encoded, in the query") {
  Harness h;
  const std::string label = "area: db/slow ✓";
  h.github.SeedIssue(kRepo, Seed("both", {"gardener", label}));
  h.github.SeedIssue(kRepo, Seed("bot only"));
  Result<std::vector<GitHubIssue>> issues = h.client.ListIssues(label, "open");
  REQUIRE(issues);
  REQUIRE(issues.value().size() == 1);
  CHECK(issues.value()[0].labels == std::vector<std::string>{"gardener", label});
  CHECK(h.github.Requests()[0].query.rfind("labels=area%3A%20db%2Fslow%20%E2%9C%93&state=open",
                                           0) == 0);
  REQUIRE(h.client.CreateLabel({"a/b c", "ff0000", "slash"}));
  CHECK(h.github.Labels(kRepo).back().name == "a/b c");
}

TEST_CASE("github client: a bad token is kAuth with GitHub's message, never the token") {
  GitHubOptions options;
  options.token = "ghp_WRONGwrong987";
  Harness h(options);
  const Error issue = ErrorOf(h.client.GetIssue(1));
  CHECK(issue.kind == ErrorKind::kAuth);
  CHECK(issue.http_status == 401);
  CHECK(issue.message == "GET /repos/octo/repo/issues/1: HTTP 401: Bad credentials");
  CHECK(issue.message.find("ghp_") == std::string::npos);
  CHECK(Counts(h.client.stats()) ==
        "1 requests, 0 pages, 0 searches, 0 writes, 0 retries, waited 0 us");
}

TEST_CASE("github client: 404 and 422 stop with the request and GitHub's errors") {
  Harness h;
  h.github.SeedIssue(kRepo, Seed("one"));
  const Error missing = ErrorOf(h.client.GetIssue(99));
  CHECK(missing.kind == ErrorKind::kHttp);
  CHECK(missing.message == "GET /repos/octo/repo/issues/99: HTTP 404: Not Found");
  IssuePatch patch;
  patch.state = "bogus";
  const Error invalid = ErrorOf(h.client.UpdateIssue(1, patch));
  CHECK(invalid.http_status == 422);
  CHECK(invalid.message ==
        "PATCH /repos/octo/repo/issues/1: HTTP 422: Validation Failed; Issue.state: invalid");
  const Error color = ErrorOf(h.client.CreateLabel({"p1", "red", ""}));
  CHECK(color.message ==
        "POST /repos/octo/repo/labels: HTTP 422: Validation Failed; Label.color: invalid");
  CHECK(h.client.stats().writes == 0);  // refusals spend no budget
}

// The duplicate trap (github-rest-notes §5.4 item 5): GitHub may store a
// create and still fail to answer, so find_existing decides before a resend.
TEST_CASE("github client: a create that may have been stored is checked before any resend") {
  const Fault stored_500{FaultKind::kStatus, 500, true};
  const Fault dropped{FaultKind::kDrop, 0, false};  // before storing
  struct Case {
    const char* what;
    std::vector<Fault> faults;  // for the POSTs, in turn
    int posts;                  // as GitHub saw them
    int finds;                  // calls of find_existing
    const char* counts;         // the client's stats
  } cases[] = {
      {"stored, then 500: found, never resent",
       {stored_500},
       1,
       1,
       "2 requests, 1 pages, 0 searches, 1 writes, 0 retries, waited 0 us"},
      // Each resend waits out the backoff, then the rest of the 3 s between creates.
      {"dropped before storing: not found, resent once",
       {dropped},
       2,
       1,
       "3 requests, 1 pages, 0 searches, 1 writes, 1 retries, waited 3000000 us"},
      {"failed on every attempt, stored on the last: found",
       {dropped, dropped, dropped, stored_500},
       4,
       4,
       "8 requests, 4 pages, 0 searches, 1 writes, 3 retries, waited 9000000 us"},
  };
  for (const Case& c : cases) {
    INFO(std::string(c.what));
    GitHubOptions options;
    options.retry.base_backoff_us = kSecond / 2;  // below the 3 s pace on every attempt
    Harness h(options);
    for (const Fault& fault : c.faults) h.github.FailNext("POST", "/repos/octo/repo/issues", fault);
    Result<GitHubIssue> created = h.Create("Disk full");
    REQUIRE_MESSAGE(created, created.error().message);
    CHECK(created.value().number == 1);
    CHECK(h.find_calls == c.finds);
    CHECK(h.github.Count(EndpointKind::kCreateIssue) == c.posts);
    CHECK(h.github.Issues(kRepo).size() == 1);
    CHECK(Counts(h.client.stats()) == c.counts);
  }
}

TEST_CASE("github client: a create that may be stored and cannot be checked is not resent") {
  Harness h;
  h.github.FailNext("POST", "/repos/octo/repo/issues/1/comments",
                    Fault{FaultKind::kStatus, 502, true}, 2);
  h.github.SeedIssue(kRepo, Seed("one"));
  const Error unchecked = ErrorOf(h.client.CreateComment(1, "seen again", nullptr));
  CHECK(unchecked.message ==
        "POST /repos/octo/repo/issues/1/comments: HTTP 502; not resent: it may have been stored");
  const Error failing = ErrorOf(h.client.CreateComment(1, "seen again", [] {
    return Result<std::optional<GitHubComment>>(Error{ErrorKind::kHttp, "list failed", 500});
  }));
  CHECK(failing.message ==
        "POST /repos/octo/repo/issues/1/comments: HTTP 502; not resent: checking whether it was "
        "stored failed: list failed");
  CHECK(h.github.Count(EndpointKind::kCreateComment) == 2);
  CHECK(h.github.Issue(kRepo, 1)->comments.size() == 2);  // both stored: the caller knows
}

TEST_CASE("github client: a 502 on a GET is retried after a jittered backoff") {
  Harness h;
  h.github.SeedIssue(kRepo, Seed("one"));
  h.github.FailNext("GET", "/repos/octo/repo/issues/1", Fault{FaultKind::kStatus, 502, false});
  REQUIRE(h.client.GetIssue(1));
  REQUIRE(h.waits.size() == 1);
  CHECK(h.waits[0] >= 0);
  CHECK(h.waits[0] < kSecond);  // full jitter below 1 s
  CHECK(h.client.stats().retries == 1);
}

TEST_CASE("github client: a secondary rate limit is waited out as retry-after says") {
  Harness h;
  h.github.StartSecondaryLimit({403, true, 60, 0, false});
  Result<GitHubIssue> created = h.Create("Disk full");
  REQUIRE_MESSAGE(created, created.error().message);
  CHECK(h.waits == std::vector<int64_t>{60 * kSecond});
  CHECK(h.github.Count(EndpointKind::kCreateIssue) == 2);  // the first was refused
  CHECK(h.github.Issues(kRepo).size() == 1);
  CHECK(h.find_calls == 0);  // refused, so certainly not stored
}

TEST_CASE("github client: a primary limit ending in 5 minutes is waited out") {
  Harness h;
  h.github.ExhaustPrimary(testing::RateResource::kCore, 403, h.github.Now() + 300);
  REQUIRE(h.client.ListIssues("gardener", "open"));
  CHECK(h.waits == std::vector<int64_t>{301 * kSecond});  // until x-ratelimit-reset + 1 s
}

TEST_CASE("github client: a primary limit ending in 2 hours stops this run's writes") {
  Harness h;
  h.github.SeedIssue(kRepo, Seed("one"));
  h.github.ExhaustPrimary(testing::RateResource::kCore, 429, h.github.Now() + 7200);
  const Error created = ErrorOf(h.Create("Disk full"));
  CHECK(created.kind == ErrorKind::kRateLimited);
  CHECK(created.message.rfind("POST /repos/octo/repo/issues: primary rate limit: ", 0) == 0);
  CHECK(created.message.find("rerun after 2030-01-01T02:00:00") != std::string::npos);
  CHECK(h.waits.empty());

  h.Advance(7201 * kSecond);  // the limit is over, but not for this run's writes
  const size_t sent = h.github.Requests().size();
  const Error comment = ErrorOf(h.client.CreateComment(1, "seen again", nullptr));
  CHECK(comment.kind == ErrorKind::kRateLimited);
  CHECK(comment.message.rfind(
            "POST /repos/octo/repo/issues/1/comments: not sent: writes stopped for this run", 0) ==
        0);
  CHECK(h.client.CreateLabel({"p1", "ff0000", ""}).error().kind == ErrorKind::kRateLimited);
  CHECK(h.github.Requests().size() == sent);
  CHECK(h.client.GetIssue(1));  // reads go on
}

TEST_CASE("github client: the write budget refuses writes past it without sending") {
  GitHubOptions options;
  options.max_writes = 2;
  Harness h(options);
  CHECK(h.client.writes_left() == 2);
  REQUIRE(h.client.CreateLabel({"p1", "ff0000", ""}));
  REQUIRE(h.Create("Disk full"));
  CHECK(h.client.writes_left() == 0);
  const Error third = ErrorOf(h.client.CreateLabel({"p2", "ff0000", ""}));
  CHECK(third.kind == ErrorKind::kBudget);
  CHECK(third.message ==
        "POST /repos/octo/repo/labels: not sent: the run's budget of 2 writes is spent");
  CHECK(h.github.Count(EndpointKind::kCreateLabel) == 1);
  CHECK(h.client.GetIssue(1));  // reads are not budgeted
}

TEST_CASE("github client: writes, creates and searches are paced on the clock") {
  Harness h;
  h.github.SeedIssue(kRepo, Seed("one"));
  REQUIRE(h.client.CreateLabel({"p1", "ff0000", ""}));
  IssuePatch patch;
  patch.title = "one, renamed";
  REQUIRE(h.client.UpdateIssue(1, patch));               // 1 s after a write
  REQUIRE(h.Create("Disk full"));                        // 1 s after a write
  REQUIRE(h.client.CreateComment(1, "again", nullptr));  // 3 s after a create
  REQUIRE(h.client.SearchIssues("one", 10));             // searches are not writes
  REQUIRE(h.client.SearchIssues("one", 10));             // 2.2 s after a search
  CHECK(h.waits == std::vector<int64_t>{kSecond, kSecond, 3 * kSecond, 2200000});
  CHECK(Counts(h.client.stats()) ==
        "6 requests, 0 pages, 2 searches, 4 writes, 0 retries, waited 7200000 us");
}

TEST_CASE("github client: search lags behind writes, so it never proves absence") {
  Harness h;
  REQUIRE(h.Create("Disk full on db-1"));
  CHECK(h.client.SearchIssues("\"Disk full\"", 10).value().empty());  // not yet searchable
  h.Advance(30 * kSecond);
  Result<std::vector<GitHubIssue>> later = h.client.SearchIssues("\"Disk full\"", 10);
  REQUIRE(later);
  REQUIRE(later.value().size() == 1);
  CHECK(later.value()[0].number == 1);
  const testing::RecordedRequest search = h.github.Requests().back();
  CHECK(Param(search, "q") == "repo:octo/repo is:issue \"Disk full\"");
  CHECK(Param(search, "per_page") == "10");

  for (int i = 0; i < 150; ++i) h.github.SeedIssue(kRepo, Seed("match " + std::to_string(i)));
  CHECK(h.client.SearchIssues("match", 120).value().size() == 120);
  // 2 searches, then 2 pages of 100 for 120 results.
  CHECK(Counts(h.client.stats()) ==
        "5 requests, 0 pages, 4 searches, 1 writes, 0 retries, waited 4400000 us");
}

TEST_CASE("github client: creating a label that exists is success") {
  Harness h;
  h.github.SeedLabel(kRepo, {"gardener", "0e8a16", "Filed by the gardener"});
  REQUIRE(h.client.CreateLabel({"Gardener", "ededed", ""}));  // names match case-insensitively
  REQUIRE(h.client.CreateLabel({"p1", "d93f0b", "Urgent"}));
  Result<std::vector<GitHubLabel>> labels = h.client.ListLabels();
  REQUIRE(labels);
  REQUIRE(labels.value().size() == 2);
  CHECK(labels.value()[0].color == "0e8a16");
  CHECK(labels.value()[1].description == "Urgent");
  CHECK(Counts(h.client.stats()) ==
        "3 requests, 1 pages, 0 searches, 1 writes, 0 retries, waited 1000000 us");
}

TEST_CASE("github client: over-long titles and bodies are refused without a request") {
  Harness h;
  h.github.SeedIssue(kRepo, Seed("one"));
  const Error title = ErrorOf(h.Create(std::string(257, 'x')));
  CHECK(title.kind == ErrorKind::kUsage);
  CHECK(title.message ==
        "POST /repos/octo/repo/issues: not sent: the title has 257 characters, more than "
        "GitHub's 256; the caller must cut it");
  std::string long_body;
  for (int i = 0; i < 65537; ++i) long_body += "é";
  const Error body = ErrorOf(h.client.CreateComment(1, long_body, nullptr));
  CHECK(body.message ==
        "POST /repos/octo/repo/issues/1/comments: not sent: the body has 65537 code points, "
        "more than the 65536 allowed; the caller must cut it");
  CHECK(h.github.Requests().empty());
  std::string wide_title;
  for (int i = 0; i < 256; ++i) wide_title += "é";  // 512 bytes, 256 characters
  CHECK(h.Create(wide_title));
}

TEST_CASE("github client: UpdateIssue sends only the fields that are set") {
  Harness h;
  h.github.SeedIssue(kRepo, Seed("one"));
  IssuePatch patch;
  patch.state = "closed";
  patch.state_reason = "not_planned";
  Result<GitHubIssue> closed = h.client.UpdateIssue(1, patch);
  REQUIRE(closed);
  CHECK(closed.value().state_reason == "not_planned");
  CHECK(closed.value().closed_at_us == h.now_us);
  CHECK(nlohmann::json::parse(h.github.Requests().back().body) ==
        nlohmann::json{{"state", "closed"}, {"state_reason", "not_planned"}});
  patch = IssuePatch();
  patch.body = "line one\nline two";
  patch.labels = std::vector<std::string>{};
  CHECK(h.client.UpdateIssue(1, patch).value().labels.empty());
  CHECK(nlohmann::json::parse(h.github.Requests().back().body) ==
        nlohmann::json{{"body", "line one\nline two"}, {"labels", nlohmann::json::array()}});
  CHECK(h.client.UpdateIssue(1, IssuePatch()).error().kind == ErrorKind::kUsage);
}

TEST_CASE("github client: a user's permission, from the role GitHub reports") {
  Harness h;
  h.github.SetRole(kRepo, "alice", "write");
  h.github.SetRole(kRepo, "mona", "maintain");
  h.github.SetRole(kRepo, "tri", "triage");
  h.github.SetRole(kRepo, "ghost", "");
  struct Case {
    const char* login;
    const char* permission;
    bool push;
  };
  for (const Case& c : {Case{"alice", "write", true}, Case{"mona", "write", true},
                        Case{"tri", "read", false}, Case{"stranger", "none", false},
                        Case{"ghost", "none", false}}) {
    INFO(c.login);
    Result<GitHubPermission> p = h.client.GetPermission(c.login);
    REQUIRE(p);
    CHECK(p.value().permission == c.permission);
    CHECK(p.value().push == c.push);
  }
  CHECK(h.github.Count(EndpointKind::kGetPermission) == 5);
  // A login is one path segment, whatever it holds.
  Result<GitHubPermission> odd = h.client.GetPermission("a/../b");
  REQUIRE(odd);
  CHECK(odd.value().permission == "none");
  CHECK(h.github.Requests().back().path == "/repos/octo/repo/collaborators/a%2F..%2Fb/permission");
}

TEST_CASE("github client: a reaction is added once, and a lost answer is resent harmlessly") {
  Harness h;
  FakeIssue issue;
  issue.title = "t";
  const int number = h.github.SeedIssue(kRepo, issue);
  testing::FakeComment c;
  c.body = "/gardener help";
  const int64_t id = h.github.SeedComment(kRepo, number, c);
  REQUIRE(h.client.AddReaction(id, "eyes"));
  h.github.FailNext("POST", "/repos/octo/repo/issues/comments/*/reactions",
                    Fault{FaultKind::kStatus, 502, /*after_write=*/true});
  REQUIRE(h.client.AddReaction(id, "eyes"));
  REQUIRE(h.client.AddReaction(id, "confused"));
  CHECK(h.github.Issue(kRepo, number)->comments[0].reactions ==
        std::vector<std::string>{"github-actions[bot]:eyes", "github-actions[bot]:confused"});
  Result<Ok> bad = h.client.AddReaction(id, "party");
  CHECK_FALSE(bad);
  CHECK_FALSE(h.client.AddReaction(id + 999, "eyes"));
}

}  // namespace
}  // namespace triage
