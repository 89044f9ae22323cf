#include "clients/retry_policy.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "bot/base/time_util.h"
#include "clients/retry_answer.h"

// The rules, in the order DecideRetry applies them. "GH" is
// ../shared/docs/github-rest-notes.md, "GCP" gcp-logging-notes.md.
// 1. 2xx and 3xx are done: the client follows redirects itself and a 304 is
//    an answer (GH §1.1 "Redirects", "If-None-Match").
// 2. 403/429 with retry-after (seconds or an HTTP date), or Google's
//    RetryInfo.retryDelay: wait that long (GH §4.3 rule 1; GCP §1.6).
// 3. Else 403/429 with x-ratelimit-remaining "0": wait until
//    x-ratelimit-reset + 1 s (GH §4.1, §4.3 rule 2; the +1 s is octokit's,
//    GH §8).
// 4. Else 403/429 whose message names a secondary rate limit ("secondary
//    rate", octokit's test, GH §4.2) or a rate limit, and any other 429:
//    wait 60 s, doubling on each attempt (GH §4.3 rule 3; GH §8 table "429
//    without either signal"; GCP §1.6 item 3 waits >= 60 s for quota).
// 5. A rate-limit wait beyond max_rate_limit_wait_us stops with the time to
//    rerun; max_rate_limited_attempts bounds the retries (GH §4.3 rule 3
//    "give up after a fixed number of retries", rule 6; GH §8 table).
// 6. 500, 502, 503, 504 and no answer: full-jitter exponential backoff,
//    bounded attempts (GH §8 table; GCP §1.5 "treat network-level failures
//    like UNAVAILABLE", §1.6 item 2). A retry-after on them is honoured as a
//    floor (GCP §1.6 "honour Retry-After anyway").
// 7. Same, for a POST not marked idempotent: kVerifyThenRetry, since GitHub
//    may have stored it (GH §5.4 item 5, §8 table).
// 8. Google's 500 UNKNOWN and DATA_LOSS, and every other status (400, 401,
//    403 without a rate-limit signal, 404, 410, 422, 501, ...): stop with
//    the server's message and GitHub's errors[] (GH §1.2, §2.13, §8 table;
//    GCP §1.5 table).

namespace triage {
namespace {

using retry_answer::BodyFacts;
using retry_answer::OneLine;
using retry_answer::ParseSeconds;
using retry_answer::ReadBody;
using retry_answer::RetryAfterUs;
using retry_answer::Trim;

constexpr int64_t kSecondUs = 1000000;

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// "60 s", "0.512 s".
std::string FormatWait(int64_t us) {
  if (us % kSecondUs == 0) return std::to_string(us / kSecondUs) + " s";
  char text[32];
  std::snprintf(text, sizeof text, "%.3f s", static_cast<double>(us) / kSecondUs);
  return text;
}

std::string Attempt(const RetryRequest& request, int max) {
  return "attempt " + std::to_string(request.attempt) + " of " + std::to_string(max);
}

// "HTTP 404: Not Found", or the transport's own words for status 0.
std::string Describe(const HttpResponse& response, const BodyFacts& body) {
  if (response.status == 0) {
    return response.transport_error.empty() ? "no answer" : OneLine(response.transport_error);
  }
  return "HTTP " + std::to_string(response.status) +
         (body.message.empty() ? "" : ": " + body.message);
}

RetryDecision Stop(const HttpResponse& response, std::string message) {
  const int status = response.status;
  RetryDecision decision;
  decision.kind = RetryKind::kStop;
  decision.error.kind = status == 0                     ? ErrorKind::kTransport
                        : status == 401 || status == 403 ? ErrorKind::kAuth
                                                         : ErrorKind::kHttp;
  decision.error.http_status = status;
  decision.error.message = std::move(message);
  return decision;
}

RetryDecision Wait(RetryKind kind, int64_t wait_us, std::string reason) {
  RetryDecision decision;
  decision.kind = kind;
  decision.wait_us = wait_us;
  decision.reason = std::move(reason);
  return decision;
}

int64_t Doubled(int64_t base, int attempt, int64_t cap) {
  int64_t value = base;
  for (int i = 1; i < attempt && value < cap; ++i) value *= 2;
  return std::min(value, cap);
}

// A wait a server imposes, or the one chosen for it.
struct LimitWait {
  std::string label;    // "secondary rate limit"
  int64_t wait_us = 0;
  int64_t ends_us = 0;  // when it ends: the time to rerun after
  std::string why;      // "(retry-after)"
};

// The wait a server names (rule 2): retry-after, else Google's retryDelay.
std::optional<LimitWait> NamedWait(const HttpResponse& response, const BodyFacts& body,
                                   int64_t now_us) {
  if (std::optional<int64_t> wait = RetryAfterUs(response.Header("retry-after"), now_us)) {
    return LimitWait{"", *wait, now_us + *wait, "(retry-after)"};
  }
  if (body.retry_delay_us) {
    return LimitWait{"", *body.retry_delay_us, now_us + *body.retry_delay_us, "(retryDelay)"};
  }
  return std::nullopt;
}

// Rules 2 to 4; nothing for a 403 with no rate-limit signal.
std::optional<LimitWait> ReadRateLimit(const RetryRequest& request, const HttpResponse& response,
                                       const BodyFacts& body, int64_t now_us,
                                       const RetryOptions& options) {
  const std::string message = Lower(body.message);
  const bool secondary = message.find("secondary rate") != std::string::npos;
  const bool exhausted = Trim(response.Header("x-ratelimit-remaining")) == "0";
  std::optional<LimitWait> limit = NamedWait(response, body, now_us);
  if (response.status == 403 && !secondary && !exhausted && !limit &&
      message.find("rate limit") == std::string::npos) {
    return std::nullopt;
  }
  const int64_t reset_us = ParseSeconds(response.Header("x-ratelimit-reset")).value_or(-1);
  if (!limit && exhausted && reset_us >= 0) {
    limit = LimitWait{"", std::max(reset_us + kSecondUs - now_us, kSecondUs), reset_us,
                      "(until x-ratelimit-reset " + FormatRfc3339(reset_us) + ")"};
  }
  if (!limit) {
    const int64_t wait = Doubled(options.secondary_min_wait_us, request.attempt,
                                 options.max_rate_limit_wait_us);
    limit = LimitWait{"", wait, now_us + wait, "(no retry-after)"};
  }
  limit->label = secondary   ? "secondary rate limit"
                 : exhausted ? "primary rate limit"
                             : "rate limited (HTTP " + std::to_string(response.status) + ")";
  return limit;
}

RetryDecision StopRateLimited(const HttpResponse& response, const BodyFacts& body,
                              const std::string& what, std::optional<int64_t> rerun_after_us) {
  RetryDecision decision =
      Stop(response, what + (body.message.empty() ? "" : " (" + body.message + ")"));
  decision.error.kind = ErrorKind::kHttp;
  decision.rate_limited = true;
  decision.rerun_after_us = rerun_after_us;
  return decision;
}

// Rule 5 for a wait beyond the bound: stop, and say when to rerun.
RetryDecision StopBeyondBound(const HttpResponse& response, const BodyFacts& body,
                              const LimitWait& limit, const RetryOptions& options) {
  return StopRateLimited(response, body,
                         limit.label + ": must wait " + FormatWait(limit.wait_us) + " " +
                             limit.why + ", more than the " +
                             FormatWait(options.max_rate_limit_wait_us) +
                             " allowed; rerun after " + FormatRfc3339(limit.ends_us),
                         limit.ends_us);
}

// Rule 5, then the wait of rules 2 to 4.
RetryDecision DecideRateLimit(const RetryRequest& request, const HttpResponse& response,
                              const BodyFacts& body, const LimitWait& limit,
                              const RetryOptions& options) {
  if (limit.wait_us > options.max_rate_limit_wait_us) {
    return StopBeyondBound(response, body, limit, options);
  }
  if (request.attempt >= options.max_rate_limited_attempts) {
    return StopRateLimited(response, body,
                           limit.label + " persists after " + std::to_string(request.attempt) +
                               " attempts",
                           std::nullopt);
  }
  return Wait(RetryKind::kRetryAfterWait, limit.wait_us,
              limit.label + ": waiting " + FormatWait(limit.wait_us) + " " + limit.why + "; " +
                  Attempt(request, options.max_rate_limited_attempts));
}

bool IsRetryableServerError(const HttpResponse& response, const BodyFacts& body) {
  switch (response.status) {
    case 500: return body.google_status != "UNKNOWN" && body.google_status != "DATA_LOSS";
    case 502: case 503: case 504: return true;
    default: return false;
  }
}

bool IsIdempotent(const RetryRequest& request) {
  return request.method != "POST" || request.post_is_idempotent;
}

// Rules 6 and 7.
RetryDecision DecideFailure(const RetryRequest& request, const HttpResponse& response,
                            const BodyFacts& body, int64_t now_us, double jitter,
                            const RetryOptions& options) {
  const std::string what = Describe(response, body);
  if (request.attempt >= options.max_attempts) {
    return Stop(response,
                what + "; gave up after " + std::to_string(request.attempt) + " attempts");
  }
  int64_t wait_us = BackoffUs(request.attempt, jitter, options);
  if (std::optional<LimitWait> named = NamedWait(response, body, now_us)) {
    if (named->wait_us > options.max_rate_limit_wait_us) {
      named->label = "HTTP " + std::to_string(response.status);
      return StopBeyondBound(response, body, *named, options);
    }
    wait_us = std::max(wait_us, named->wait_us);
  }
  const std::string attempt = Attempt(request, options.max_attempts);
  if (!IsIdempotent(request)) {
    return Wait(RetryKind::kVerifyThenRetry, wait_us,
                what + "; the " + request.method + " may have been carried out: verify, " +
                    "then resend in " + FormatWait(wait_us) + "; " + attempt);
  }
  return Wait(RetryKind::kRetryAfterWait, wait_us,
              what + "; retrying in " + FormatWait(wait_us) + "; " + attempt);
}

}  // namespace

int64_t BackoffUs(int attempt, double jitter, const RetryOptions& options) {
  if (std::isnan(jitter) || jitter < 0) jitter = 0;
  const int64_t ceiling = Doubled(options.base_backoff_us, attempt, options.max_backoff_us);
  const auto wait = static_cast<int64_t>(std::min(jitter, 1.0) * static_cast<double>(ceiling));
  return std::clamp<int64_t>(wait, 0, std::max<int64_t>(ceiling - 1, 0));
}

bool MayHaveTakenEffect(const RetryRequest& request, const HttpResponse& response) {
  return !IsIdempotent(request) && (response.status == 0 || response.status >= 500);
}

RetryDecision DecideRetry(const RetryRequest& request, const HttpResponse& response,
                          int64_t now_us, double jitter, const RetryOptions& options) {
  if (response.status >= 200 && response.status < 400) return RetryDecision{};
  const BodyFacts body = ReadBody(response.body);
  if (response.status == 403 || response.status == 429) {
    if (std::optional<LimitWait> limit = ReadRateLimit(request, response, body, now_us, options)) {
      return DecideRateLimit(request, response, body, *limit, options);
    }
  }
  if (response.status == 0 || IsRetryableServerError(response, body)) {
    return DecideFailure(request, response, body, now_us, jitter, options);
  }
  return Stop(response, Describe(response, body));
}

}  // namespace triage
