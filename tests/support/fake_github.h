// A fake GitHub REST API for client tests: a cpp-httplib server on
// 127.0.0.1 holding an in-memory issue tracker, answering with GitHub's
// shapes, rate-limit headers, a lagging search index and scripted faults.
#ifndef TRIAGE_TESTS_SUPPORT_FAKE_GITHUB_H_
#define TRIAGE_TESTS_SUPPORT_FAKE_GITHUB_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace triage {
namespace testing {

// Times are logical epoch seconds from the fake's clock; 0 means "now" when
// seeding and "null" for closed_at.
struct FakeLabel {
  std::string name;              // unique in a repository, compared case-insensitively
  std::string color = "ededed";  // six hex digits, no '#'
  std::string description;       // "" is served as null
  int64_t id = 0;                // assigned by the fake
};

struct FakeComment {
  int64_t id = 0;  // assigned by the fake; unique across repositories
  std::string body;
  std::string user_login = "octocat";
  std::string user_type = "User";  // "User" or "Bot"
  std::string author_association = "NONE";
  int64_t created_at = 0;
  int64_t updated_at = 0;  // 0 = created_at
  // Reactions added through the API, as "<login>:<content>", in order;
  // GitHub keeps one of each per user.
  std::vector<std::string> reactions;
};

struct FakeIssue {
  int number = 0;  // assigned by the fake (issues and PRs share numbers)
  int64_t id = 0;  // assigned by the fake
  std::string title;
  std::string body;
  std::string state = "open";       // "open" or "closed"
  std::string state_reason;         // "" = null, completed, not_planned, reopened
  std::vector<std::string> labels;  // names; missing labels are created
  std::string user_login = "octocat";
  std::string user_type = "User";
  std::string author_association = "NONE";
  int64_t created_at = 0;
  int64_t updated_at = 0;  // 0 = created_at
  int64_t closed_at = 0;
  bool pull_request = false;          // listed by /issues with a pull_request object
  std::vector<FakeComment> comments;  // oldest first
};

enum class EndpointKind {
  kListIssues,
  kGetIssue,
  kCreateIssue,
  kUpdateIssue,
  kListComments,
  kCreateComment,
  kUpdateComment,
  kListLabels,
  kGetLabel,
  kCreateLabel,
  kAddLabels,
  kSetLabels,
  kRemoveLabel,
  kSearchIssues,
  kRateLimit,
  kGetPermission,
  kAddReaction,
  // GET /user: the token's account. A "Bot" login (an App installation
  // token, Actions' GITHUB_TOKEN) gets 403 "Resource not accessible by
  // integration", as on GitHub; a "User" login (a personal token) its login.
  kGetUser,
  kOther,
};

struct RecordedRequest {
  int64_t seq = 0;  // 1-based arrival order since the fake started
  EndpointKind kind = EndpointKind::kOther;
  std::string method;
  std::string path;                                // raw, as sent, without the query
  std::string query;                               // raw, without '?'
  std::multimap<std::string, std::string> params;  // decoded query
  // Lower-case names; values as cpp-httplib's server hands them over, which
  // percent-decodes them ("a%20b" is recorded as "a b").
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  int status = 0;     // 0 = no HTTP answer (dropped, truncated, hung, killed)
  std::string fault;  // the injected fault ("drop", "stored+500", ...), or ""
  // The first header named `name` (lower case), or "".
  std::string Header(const std::string& name) const;
};

// What a scripted fault does to one request. A fault that is not
// after_write answers before the request takes effect; an after_write one
// lets the request take effect (a POST stores its issue) and then fails.
enum class FaultKind {
  kStatus,  // answer `status` (500: JSON, 502: HTML, 503: JSON)
  // Close the connection before any byte of answer (curl: "Empty reply from
  // server"). On a reused keep-alive connection libcurl then silently resends
  // the request once on a new one, so a kDrop after_write on a reused
  // connection stores the write twice; keep_alive = false avoids the resend.
  kDrop,
  kTruncate,  // send status line and headers, then close mid-body
  kHang,      // hold the request until ReleaseHung() or Stop(), then drop
};
struct Fault {
  FaultKind kind = FaultKind::kStatus;
  int status = 500;
  bool after_write = false;
};

enum class RateResource { kCore, kSearch };

// A secondary (abuse) limit: every request (or every non-GET) is refused
// with GitHub's secondary-limit message until the block ends.
struct SecondaryLimit {
  int status = 403;          // 403 or 429
  bool retry_after = true;   // send `retry-after`: seconds left (60 when counting)
  int64_t seconds = 60;      // block ends at now + seconds (logical)
  int requests = 0;          // > 0: block ends after this many refusals instead
  bool writes_only = false;  // GET requests pass
};

struct FakeGitHubOptions {
  std::vector<std::string> repos = {"octo/repo"};  // "owner/name"; others 404
  std::string token = "test-token";                // accepted as "Bearer X" or "token X"
  std::string login = "github-actions[bot]";       // author of what the API creates
  std::string user_type = "Bot";
  int64_t start_time = 1893456000;  // 2030-01-01T00:00:00Z
  int64_t seconds_per_request = 0;  // clock advance at each request's arrival
  // Writes reach /search/issues this many logical seconds after they happen
  // (with seconds_per_request = 1 that is also a number of requests); lists
  // and GETs are always current. Seeds are searchable at once.
  int64_t search_lag_seconds = 30;
  bool search_requires_is_issue = true;  // 422 for a q without is:issue/is:pr
  bool index_html_comments = false;      // <!-- --> text is searchable
  bool search_incomplete = false;        // incomplete_results: true, as on a timeout
  bool push_access = true;               // false: labels are silently dropped on writes
  int core_limit = 5000;                 // per hour
  int search_limit = 30;                 // per minute
  int primary_limit_status = 403;        // 403 or 429 once a limit is used up
  int content_per_minute = 0;            // issue+comment creations; 0 = unlimited (GitHub: 80)
  int content_per_hour = 0;              // 0 = unlimited (GitHub: 500)
  int max_page = 0;                      // > 0: list issues answers 422 for page > max_page
  bool keep_alive = true;                // false: one request per connection
};

// Not copyable or movable: a server thread points into it. Every method is
// thread-safe. Construction binds the port and starts serving; the
// destructor stops the server and joins its thread.
class FakeGitHub {
 public:
  FakeGitHub();
  explicit FakeGitHub(FakeGitHubOptions options);
  ~FakeGitHub();
  FakeGitHub(const FakeGitHub&) = delete;
  FakeGitHub& operator=(const FakeGitHub&) = delete;

  // "http://127.0.0.1:PORT", without a trailing slash.
  std::string base_url() const;
  // Stops serving (new connections are refused), releases hung requests and
  // joins the server thread. Idempotent; the tracker stays readable.
  void Stop();

  // The logical clock behind every timestamp and rate-limit window.
  int64_t Now() const;
  void SetNow(int64_t epoch_seconds);
  void Advance(int64_t seconds);

  // Seeding, as if done through the web UI long ago: no request is
  // recorded, and the result is searchable at once. Unknown repositories
  // are created. Missing labels are created with color "ededed".
  int SeedIssue(const std::string& repo, FakeIssue issue);  // its number
  // The comment's id, or 0 when the issue does not exist.
  int64_t SeedComment(const std::string& repo, int number, FakeComment comment);
  void SeedLabel(const std::string& repo, FakeLabel label);        // replaces
  void SetIssuesDisabled(const std::string& repo, bool disabled);  // 410
  // What GET /repos/{repo}/collaborators/{login}/permission answers:
  // `role` is admin, maintain, write, triage or read (the legacy
  // `permission` is derived as GitHub does: maintain -> write, triage ->
  // read); "" makes the login unknown (404). Logins never set answer
  // permission "none", as for a user who is no collaborator.
  void SetRole(const std::string& repo, const std::string& login, const std::string& role);
  // Makes the current state of every issue searchable now.
  void CatchUpSearchIndex();

  // Tracker state for assertions, ordered by number / id.
  std::vector<FakeIssue> Issues(const std::string& repo) const;
  std::optional<FakeIssue> Issue(const std::string& repo, int number) const;
  std::vector<FakeLabel> Labels(const std::string& repo) const;
  int CountIssues(const std::string& repo, const std::function<bool(const FakeIssue&)>& pred) const;
  // Keys (from `key`, "" = skip the issue) carried by more than one issue,
  // with their counts; empty when there are no duplicates.
  std::map<std::string, int> Duplicates(
      const std::string& repo, const std::function<std::string(const FakeIssue&)>& key) const;

  // Every request received, in arrival order, and counts by kind.
  std::vector<RecordedRequest> Requests() const;
  int Count(EndpointKind kind) const;
  void ClearRequests();  // sequence numbers keep counting

  // Rate limits. The exhausted resource answers options.primary_limit_status
  // (or `status`) with remaining 0 until the clock reaches `reset_at`.
  void ExhaustPrimary(RateResource resource, int status, int64_t reset_at);
  void StartSecondaryLimit(SecondaryLimit limit);

  // Faults, checked in this order: kill, FailNth, FailNext, random.
  // The n-th request from now (1 = the next one) gets `fault`.
  void FailNth(int n, Fault fault);
  // The next `times` requests whose method (or "" for any) and raw path
  // match get `fault`; in `path_glob`, '*' matches within one segment.
  void FailNext(const std::string& method, const std::string& path_glob, Fault fault,
                int times = 1);
  // Each request fails with probability `rate`, drawing uniformly from
  // `kinds`; the draws come from a 64-bit Mersenne Twister seeded with `seed`,
  // so a serial client sees the same faults on every run. rate 0 = off.
  void SetRandomFaults(double rate, uint64_t seed, std::vector<Fault> kinds);
  // After `k` more requests, drop every request until Revive().
  void KillAfter(int k);
  void Revive();
  void ReleaseHung();
  void ClearFaults();  // scripted, random and kill; not rate limits

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace testing
}  // namespace triage

#endif  // TRIAGE_TESTS_SUPPORT_FAKE_GITHUB_H_
