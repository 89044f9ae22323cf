// GitHub's REST API, the part the bot uses: issues, comments, labels and
// search of one repository. Requests go one at a time through an
// HttpTransport, paced and retried as GitHub documents
// (../shared/docs/github-rest-notes.md §4, §8), and are counted.
#ifndef TRIAGE_CLIENTS_GITHUB_CLIENT_H_
#define TRIAGE_CLIENTS_GITHUB_CLIENT_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bot/base/result.h"
#include "clients/http.h"
#include "clients/retry_policy.h"

namespace triage {

struct GitHubOptions {
  std::string api_url = "https://api.github.com";  // $GITHUB_API_URL; no trailing slash
  std::string token;                                // never printed, logged or reported
  std::string repository;                           // "owner/name"
  std::string user_agent = "gcp-log-gardener";      // with the version
  RetryOptions retry;
  int64_t write_spacing_us = 1000000;    // between mutating requests (§4.3 item 5)
  int64_t create_spacing_us = 3000000;   // between creates that notify people (§8)
  int64_t search_spacing_us = 2200000;   // below 30 searches a minute (§4.1)
  int max_writes = 30;                   // per run, like actions/stale's operations-per-run
};

struct GitHubLabel {
  std::string name;
  std::string color;        // six hex digits
  std::string description;
};

struct GitHubComment {
  int64_t id = 0;
  std::string body;
  std::string user_login;
  std::string user_type;    // "User" or "Bot"
  std::string html_url;
  int64_t created_at_us = 0;
  int64_t updated_at_us = 0;
};

struct GitHubIssue {
  int number = 0;
  std::string title;
  std::string body;
  std::string state;        // "open" or "closed"
  std::string state_reason; // "completed", "not_planned", "reopened" or ""
  std::vector<std::string> labels;
  std::string user_login;
  std::string user_type;
  std::string html_url;
  int64_t created_at_us = 0;
  int64_t updated_at_us = 0;
  int64_t closed_at_us = 0;
  int comments = 0;
};

// A user's access to the repository: the highest of their repository,
// team, organisation and enterprise grants.
struct GitHubPermission {
  std::string permission;   // legacy: admin, write, read or none
  std::string role_name;    // admin, maintain, write, triage, read, a custom role, or ""
  bool push = false;        // write access or above
};

// The fields of an issue to change; unset ones are left alone.
struct IssuePatch {
  std::optional<std::string> title;
  std::optional<std::string> body;
  std::optional<std::string> state;         // "open" or "closed"
  std::optional<std::string> state_reason;
  std::optional<std::vector<std::string>> labels;  // replaces all labels
};

// What a run cost, for the worklog and the tests.
struct GitHubStats {
  int requests = 0;      // sends, retries included
  int list_calls = 0;    // pages of issues, comments or labels
  int search_calls = 0;
  int writes = 0;        // mutating requests that GitHub accepted
  int retries = 0;
  int64_t waited_us = 0; // sleeping for pace, backoff and rate limits
};

class GitHubClient {
 public:
  using Sleep = std::function<void(int64_t micros)>;
  using Clock = std::function<int64_t()>;   // microseconds since the epoch
  using Random = std::function<double()>;   // uniform in [0, 1)
  // Reads back whether a create that may have been stored was stored: it
  // should list (ListIssues, ListComments, which it may call on this
  // client), not search (search lags).
  template <typename T>
  using FindExisting = std::function<Result<std::optional<T>>()>;

  // `transport` must outlive the client. Tests pass a no-op `sleep`, a fake
  // clock and a seeded random source.
  GitHubClient(HttpTransport& transport, GitHubOptions options, Sleep sleep, Clock clock,
               Random random);
  GitHubClient(const GitHubClient&) = delete;
  GitHubClient& operator=(const GitHubClient&) = delete;

  // Every issue (pull requests left out) that carries `label` ("" for any),
  // in `state` ("open", "closed" or "all"), oldest first, 100 a page,
  // following `Link` rel="next". All pages or an error, never a part.
  Result<std::vector<GitHubIssue>> ListIssues(const std::string& label, const std::string& state);
  Result<GitHubIssue> GetIssue(int number);
  // GET /search/issues with "repo:<repository> is:issue " + `query`; at
  // most `limit` (<= 1,000) results, in pages of min(limit, 100). The index
  // lags writes: never proof of absence.
  Result<std::vector<GitHubIssue>> SearchIssues(const std::string& query, int limit);

  // The most code points GitHub takes in an issue body or a comment.
  static constexpr size_t kMaxBodyCodePoints = 65536;

  // Every write below is paced (GitHubOptions), refused with kBudget when
  // no writes are left and with kRateLimited after a rate-limit stop, and
  // refused with kUsage, unsent, for a title over 256 characters or a body
  // over 65,536 code points (github-rest-notes §6): the caller cuts.
  //
  // A POST that fails with a 5xx or no answer may have been stored: then
  // `find_existing` is asked before any resend, and what it finds is the
  // result (no resend); if it finds nothing the POST is resent; if it fails,
  // or is empty, that is the error and nothing is resent.
  Result<GitHubIssue> CreateIssue(const std::string& title, const std::string& body,
                                  const std::vector<std::string>& labels,
                                  const FindExisting<GitHubIssue>& find_existing);
  // Sends only the set fields (state_reason "" is sent as null); an empty
  // patch is kUsage. When GitHub answers with another body than the one
  // sent (it keeps the old one, with 200, when the new one is too large),
  // that is an error.
  Result<GitHubIssue> UpdateIssue(int number, const IssuePatch& patch);
  Result<std::vector<GitHubComment>> ListComments(int number);
  Result<GitHubComment> CreateComment(int number, const std::string& body,
                                      const FindExisting<GitHubComment>& find_existing);
  Result<GitHubComment> UpdateComment(int64_t comment_id, const std::string& body);
  // The permission of `login` on the repository. A user GitHub does not
  // know (404) has permission "none".
  Result<GitHubPermission> GetPermission(const std::string& login);
  // Adds a reaction (+1, -1, laugh, confused, heart, hooray, rocket, eyes)
  // to an issue comment; one that is already there is success (GitHub
  // answers 200), so a resend after a lost answer is harmless. A write.
  Result<Ok> AddReaction(int64_t comment_id, const std::string& content);
  // The login the token writes as: GET /user. A GitHub App installation
  // token (Actions' GITHUB_TOKEN is one) may not ask and gets 403 "Resource
  // not accessible by integration": then nullopt, and the caller goes by
  // what it was told. Any other failure is an error.
  Result<std::optional<std::string>> GetTokenLogin();
  Result<std::vector<GitHubLabel>> ListLabels();
  // A label that already exists (422 already_exists) is success.
  Result<Ok> CreateLabel(const GitHubLabel& label);

  const GitHubStats& stats() const { return stats_; }
  const std::string& repository() const { return options_.repository; }
  int writes_left() const;

 private:
  struct Call;  // one request: what to send, how to pace, count and verify it

  // Sends `call` until there is an answer to return: a 2xx, call.also_answer,
  // or, when call.verify found a possibly stored create, an empty answer
  // (status 0). Follows same-origin redirects of a GET; retries, waits and
  // stops as DecideRetry says. Errors name the request and never the token.
  Result<HttpResponse> Send(const Call& call);
  // The bodies of the pages from `call` on, following Link rel="next": at
  // most `max_pages`, or, for 0, every page (an error past kMaxPages rather
  // than a partial list).
  Result<std::vector<std::string>> GetPages(Call call, int max_pages);
  // After a create failed with `response` (5xx, no answer): true when
  // call.verify found it stored, false when not; an error when it cannot
  // tell (no verify, or verify failed), which ends the request unresent.
  Result<bool> CheckStored(const Call& call, const std::string& name,
                           const HttpResponse& response);
  // Where a redirect of `method` may go (`hop` counts from 1), or why not.
  Result<std::string> RedirectTarget(const std::string& method, const std::string& name,
                                     const HttpResponse& response, int hop) const;
  // Why a write must not be sent now (rate-limit stop, budget), or nullopt.
  std::optional<Error> RefuseWrite(const std::string& name) const;
  // The error of a kStop; a rate-limit stop also stops this run's writes.
  Error Stopped(const std::string& name, const RetryDecision& decision);
  Error Fail(ErrorKind kind, int http_status, const std::string& message) const;
  // "POST /repos/o/r/issues": the method and the URL without api_url.
  std::string Name(const std::string& method, const std::string& url) const;
  std::string RepoUrl() const;   // api_url + "/repos/<owner>/<name>", encoded
  void Pace(const Call& call);   // sleeps until `call` may be sent
  void Stamp(const Call& call);  // notes when it was sent, for Pace
  void Wait(int64_t micros);

  HttpTransport& transport_;
  GitHubOptions options_;
  Sleep sleep_;
  Clock clock_;
  Random random_;
  GitHubStats stats_;
  // When the last request of each paced kind was answered; none yet: nullopt.
  std::optional<int64_t> last_write_us_;
  std::optional<int64_t> last_create_us_;
  std::optional<int64_t> last_search_us_;
  // Set by any request stopped by a rate limit, a read's too (the cautious
  // choice); from then on writes are refused without sending. Reads go on.
  bool writes_stopped_ = false;
  std::string stop_reason_;  // the error that stopped them
};

}  // namespace triage

#endif  // TRIAGE_CLIENTS_GITHUB_CLIENT_H_
