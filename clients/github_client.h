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

#include "bot/result.h"
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
  int64_t search_spacing_us = 2000000;   // 30 searches a minute (§4.1)
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
  // Reads back whether a create that may have been stored was stored.
  template <typename T>
  using FindExisting = std::function<Result<std::optional<T>>()>;

  // `transport` must outlive the client. Tests pass a no-op `sleep`, a fake
  // clock and a seeded random source.
  GitHubClient(HttpTransport& transport, GitHubOptions options, Sleep sleep, Clock clock,
               Random random);
  GitHubClient(const GitHubClient&) = delete;
  GitHubClient& operator=(const GitHubClient&) = delete;

  // Every issue (pull requests left out) that carries `label`, in `state`
  // ("open", "closed" or "all"), 100 a page, following `Link` rel="next".
  Result<std::vector<GitHubIssue>> ListIssues(const std::string& label, const std::string& state);
  Result<GitHubIssue> GetIssue(int number);
  // GET /search/issues with "repo:<repository> is:issue " + `query`; at
  // most `limit` results. The index lags writes: never proof of absence.
  Result<std::vector<GitHubIssue>> SearchIssues(const std::string& query, int limit);

  // A POST that fails with a 5xx or no answer may have been stored: then
  // `find_existing` is asked before any resend, and what it finds is the
  // result. Error kBudget when no writes are left.
  Result<GitHubIssue> CreateIssue(const std::string& title, const std::string& body,
                                  const std::vector<std::string>& labels,
                                  const FindExisting<GitHubIssue>& find_existing);
  Result<GitHubIssue> UpdateIssue(int number, const IssuePatch& patch);
  Result<std::vector<GitHubComment>> ListComments(int number);
  Result<GitHubComment> CreateComment(int number, const std::string& body,
                                      const FindExisting<GitHubComment>& find_existing);
  Result<GitHubComment> UpdateComment(int64_t comment_id, const std::string& body);
  Result<std::vector<GitHubLabel>> ListLabels();
  // A label that already exists (422 already_exists) is success.
  Result<Ok> CreateLabel(const GitHubLabel& label);

  const GitHubStats& stats() const { return stats_; }
  int writes_left() const;

 private:
  HttpTransport& transport_;
  GitHubOptions options_;
  Sleep sleep_;
  Clock clock_;
  Random random_;
  GitHubStats stats_;
  int64_t last_write_us_ = 0;
  int64_t last_create_us_ = 0;
  int64_t last_search_us_ = 0;
  bool writes_stopped_ = false;  // after a rate limit that stopped a write
};

}  // namespace triage

#endif  // TRIAGE_CLIENTS_GITHUB_CLIENT_H_
