// Cloud Logging's entries:list, the one read the bot makes of Google: a
// paced, retried, de-duplicating walk of the pages of the filter that
// gcp_logging_filter.h builds (../shared/docs/gcp-logging-notes.md §1, §2).
#ifndef TRIAGE_CLIENTS_GCP_LOGGING_CLIENT_H_
#define TRIAGE_CLIENTS_GCP_LOGGING_CLIENT_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "bot/base/result.h"
#include "bot/base/types.h"
#include "clients/gcp_logging_filter.h"
#include "clients/http.h"
#include "clients/retry_policy.h"

namespace triage {

struct GcpLoggingOptions {
  // No trailing slash needed; "/v2/entries:list" is appended.
  // GCP_LOGGING_ENDPOINT overrides it (the caller reads the environment).
  std::string endpoint = "https://logging.googleapis.com";
  int page_size = 1000;  // clamped to [1, 1000], the API's range
  // Requests are spaced 60 s / this apart, below the default 60 a minute a
  // project that people in the console share (notes §1.4). A 429 naming a
  // lower quota_limit_value lowers it for the rest of the client's life.
  int requests_per_minute = 50;
  std::string user_agent = "gcp-log-gardener";
  RetryOptions retry;
};

// What one ListEntries call did, for the worklog and the tests.
struct ListStats {
  int64_t entries = 0;     // delivered to on_entry
  int64_t duplicates = 0;  // seen again (same logName, timestamp, insertId), not delivered
  int pages = 0;           // answered pages, empty ones included
  int requests = 0;        // sends, retries included
  bool capped = false;     // max_entries reached with more left to read
  int64_t waited_us = 0;   // sleeping for pace, backoff and quota
};

class GcpLoggingClient {
 public:
  // Gives an access token; `force_refresh` is true once after a 401.
  using TokenSource = std::function<Result<std::string>(bool force_refresh)>;
  using Progress = std::function<void(const std::string& line)>;

  // `transport` must outlive the client. Tests pass a sleep that advances
  // a fake clock, and a seeded random source in [0, 1).
  GcpLoggingClient(HttpTransport& transport, GcpLoggingOptions options, TokenSource token,
                   std::function<void(int64_t micros)> sleep, std::function<int64_t()> clock,
                   std::function<double()> random);
  GcpLoggingClient(const GcpLoggingClient&) = delete;
  GcpLoggingClient& operator=(const GcpLoggingClient&) = delete;

  // Streams every matching entry of every project, oldest first within a
  // project, as the text of one JSON object, following nextPageToken
  // through empty pages. An entry seen before in this call is counted as a
  // duplicate and not delivered. Stops at max_entries (capped).
  // Errors name the project: 400 with Google's message and the filter; 401
  // after one forced token refresh and one resend; 403 with the permission
  // and role needed; 404; a 429 or 5xx that outlasts the retries
  // (kRateLimited for the quota: what was delivered stands, partial). After
  // an error, stats() says how far the read got.
  Result<ListStats> ListEntries(const LoggingQuery& query,
                                const std::function<void(std::string_view entry_json)>& on_entry);

  // One line per page and per wait ("projects/p: page 3, 2500 entries ...").
  void set_progress(Progress progress) { progress_ = std::move(progress); }
  // The last ListEntries call's counts, also after an error.
  const ListStats& stats() const { return stats_; }
  int requests_per_minute() const { return requests_per_minute_; }

 private:
  struct Page;  // one parsed answer

  Result<Page> FetchPage(const std::string& resource, const std::string& filter,
                         const std::string& page_token);
  // A 200 answer's entries and next page token; kHttp when it is not a
  // JSON object of entries. `name` names the request in messages.
  static Result<Page> ParsePage(const std::string& name, const HttpResponse& response);
  Error Explain(const std::string& resource, const std::string& filter,
                const HttpResponse& response, const RetryDecision& decision) const;
  // Hands the page's unseen entries to on_entry, counting; false when
  // max_entries (> 0) stopped it with entries left over.
  bool Deliver(Page& page, int64_t max_entries, std::unordered_set<std::string>& seen,
               const std::function<void(std::string_view)>& on_entry);
  void Pace();
  void AdaptToQuota(const HttpResponse& response);
  void Wait(int64_t micros);
  void Say(const std::string& line) const;

  HttpTransport& transport_;
  GcpLoggingOptions options_;
  TokenSource token_;
  std::function<void(int64_t)> sleep_;
  std::function<int64_t()> clock_;
  std::function<double()> random_;
  Progress progress_;
  ListStats stats_;
  int requests_per_minute_;
  // When the last request was sent; pacing counts from it. One schedule
  // for every project: the quota may be charged to the credential's
  // project rather than the one read, so the cautious reading.
  int64_t last_send_us_ = -1;
};

}  // namespace triage

#endif  // TRIAGE_CLIENTS_GCP_LOGGING_CLIENT_H_
