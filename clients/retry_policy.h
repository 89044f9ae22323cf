// When to send a request again after an answer, and how long to wait first:
// GitHub's and Google's rate-limit and retry rules as pure functions. The
// caller owns the sleeping, the clock and the random numbers.
#ifndef TRIAGE_CLIENTS_RETRY_POLICY_H_
#define TRIAGE_CLIENTS_RETRY_POLICY_H_

#include <cstdint>
#include <optional>
#include <string>

#include "bot/base/result.h"
#include "clients/http.h"

namespace triage {

struct RetryOptions {
  // Sends of one request, the first included, while the answer is a 5xx
  // or no answer at all.
  int max_attempts = 4;
  // The wait before resend n (n = 1 after the first send) is drawn
  // uniformly from [0, min(max_backoff_us, base_backoff_us * 2^(n-1))).
  int64_t base_backoff_us = 1000000;
  int64_t max_backoff_us = 60000000;
  // Sends of one request, the first included, while rate limited.
  int max_rate_limited_attempts = 4;
  // The wait for a rate limit that names no time; doubles on each repeat.
  int64_t secondary_min_wait_us = 60000000;
  // The longest wait for a rate limit this run accepts; a longer one stops
  // the request and says when to rerun.
  int64_t max_rate_limit_wait_us = 15 * 60000000LL;
};

enum class RetryKind {
  kDone,             // a usable answer (2xx, 3xx): no retry
  kRetryAfterWait,   // sleep `wait_us`, then send the same request again
  kVerifyThenRetry,  // a POST that may have been stored: read back first,
                     // then, only if absent, sleep `wait_us` and resend
  kStop,             // no retry will help, or the attempts are spent
};

struct RetryDecision {
  RetryKind kind = RetryKind::kDone;
  int64_t wait_us = 0;
  // One line for the log, for every kind but kDone: "secondary rate limit:
  // waiting 60 s (no retry-after); attempt 1 of 4".
  std::string reason;
  // For kStop: what happened, with the server's own message if it gave one.
  // kind is kTransport for status 0, kAuth for 401 and for a 403 that is
  // not a rate limit, else kHttp.
  Error error;
  // For kStop on a rate limit: the caller should send no more writes this
  // run (github-rest-notes §8).
  bool rate_limited = false;
  // For kStop on a rate limit longer than max_rate_limit_wait_us: when it
  // ends, in microseconds since the epoch (also in the message, RFC 3339).
  std::optional<int64_t> rerun_after_us;
};

struct RetryRequest {
  std::string method = "GET";
  // Marks a POST whose repeat is harmless (Cloud Logging's entries:list is
  // a read; adding labels and reactions are idempotent), so that it is
  // retried like a GET rather than answered with kVerifyThenRetry.
  bool post_is_idempotent = false;
  // 1 for the first send of this request; each resend adds one, whatever
  // the earlier answers were (so 5xx and rate limits share the count).
  int attempt = 1;
};

// What to do after `response` answered `request`. `now_us` is the time the
// answer arrived (microseconds since the epoch); `jitter` is a random
// number in [0, 1) (clamped into it) that spreads the backoff. Pure.
RetryDecision DecideRetry(const RetryRequest& request, const HttpResponse& response,
                          int64_t now_us, double jitter, const RetryOptions& options = {});

// True when a failed send may still have been carried out by the server:
// no answer (status 0) or a 5xx, to a request that is not idempotent (a
// POST not marked so). Such a request must be checked for before a resend.
bool MayHaveTakenEffect(const RetryRequest& request, const HttpResponse& response);

// The full-jitter backoff before resend `attempt` (see RetryOptions).
int64_t BackoffUs(int attempt, double jitter, const RetryOptions& options = {});

}  // namespace triage

#endif  // TRIAGE_CLIENTS_RETRY_POLICY_H_
