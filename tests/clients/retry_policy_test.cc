#include "clients/retry_policy.h"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "bot/base/time_util.h"

namespace triage {
namespace {

constexpr int64_t kSecond = kMicrosPerSecond;
// 2025-09-15T02:39:39Z.
constexpr int64_t kNowSeconds = 1757903979;
constexpr int64_t kNow = kNowSeconds * kSecond;

const char kSecondaryBody[] =
    R"({"message":"You have exceeded a secondary rate limit. Please wait a few minutes )"
    R"(before you try again.","documentation_url":"https://docs.github.com/rest"})";
const char kSecondaryMessage[] =
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.";
const char kPrimaryBody[] =
    R"({"message":"API rate limit exceeded for installation ID 123.","status":"403"})";
const char kGoogleQuotaBody[] = R"({"error":{"code":429,"message":"Quota exceeded for )"
                                R"(quota metric 'Read requests'.","status":"RESOURCE_EXHAUSTED"}})";

HttpResponse Answer(int status, std::string body = "",
                    std::vector<std::pair<std::string, std::string>> headers = {}) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  return response;
}

HttpResponse NoAnswer(std::string error) {
  HttpResponse response;
  response.transport_error = std::move(error);
  return response;
}

RetryRequest Request(const char* method, int attempt, bool post_is_idempotent = false) {
  RetryRequest request;
  request.method = method;
  request.attempt = attempt;
  request.post_is_idempotent = post_is_idempotent;
  return request;
}

std::string ResetAt(int64_t seconds_from_now) {
  return std::to_string(kNowSeconds + seconds_from_now);
}

// A table row: what came back, and the whole decision expected.
struct Case {
  const char* name;
  RetryRequest request;
  HttpResponse response;
  double jitter;
  RetryKind kind;
  int64_t wait_us;
  std::string text;  // the reason, or for kStop the error message
};

void CheckCases(const std::vector<Case>& cases, const RetryOptions& options = {}) {
  for (const Case& c : cases) {
    INFO("case: " << std::string(c.name));
    const RetryDecision d = DecideRetry(c.request, c.response, kNow, c.jitter, options);
    CHECK(static_cast<int>(d.kind) == static_cast<int>(c.kind));
    CHECK(d.wait_us == c.wait_us);
    CHECK((d.kind == RetryKind::kStop ? d.error.message : d.reason) == c.text);
    if (d.kind == RetryKind::kStop) {
      CHECK(d.reason == "");
      CHECK(d.error.http_status == c.response.status);
    }
  }
}

TEST_CASE("DecideRetry: 2xx and 3xx are done") {
  for (int status : {200, 201, 204, 301, 302, 304, 307}) {
    INFO("status: " << status);
    const RetryDecision d = DecideRetry(Request("POST", 1), Answer(status), kNow, 0.5);
    CHECK(d.kind == RetryKind::kDone);
    CHECK(d.wait_us == 0);
    CHECK(d.reason == "");
    CHECK(!d.rate_limited);
  }
}

TEST_CASE("DecideRetry: other statuses stop with the server's own message") {
  const RetryRequest get = Request("GET", 1);
  CheckCases({
      {"github 400", get, Answer(400, R"({"message":"Problems parsing JSON"})"), 0,
       RetryKind::kStop, 0, "HTTP 400: Problems parsing JSON"},
      {"github 401", get,
       Answer(401, R"({"message":"Bad credentials","documentation_url":"https://x"})"), 0,
       RetryKind::kStop, 0, "HTTP 401: Bad credentials"},
      {"github 403 without rate-limit signal", get,
       Answer(403, R"({"message":"Resource not accessible by integration"})",
              {{"x-ratelimit-remaining", "4999"}, {"x-ratelimit-reset", ResetAt(60)}}),
       0, RetryKind::kStop, 0, "HTTP 403: Resource not accessible by integration"},
      {"github 404", get, Answer(404, R"({"message":"Not Found","status":"404"})"), 0,
       RetryKind::kStop, 0, "HTTP 404: Not Found"},
      {"github 410", get, Answer(410, R"({"message":"Issues are disabled for this repo"})"),
       0, RetryKind::kStop, 0, "HTTP 410: Issues are disabled for this repo"},
      {"github 422 errors with messages", Request("POST", 1),
       Answer(422, R"({"message":"Validation Failed","errors":[{"resource":"Issue",)"
                   R"("code":"custom","field":"title","message":"title is too long"}]})"),
       0, RetryKind::kStop, 0, "HTTP 422: Validation Failed; Issue.title: title is too long"},
      {"github 422 errors with codes", Request("POST", 1),
       Answer(422, R"({"message":"Validation Failed","errors":[{"resource":"Label",)"
                   R"("code":"already_exists","field":"name"},"plain"]})"),
       0, RetryKind::kStop, 0, "HTTP 422: Validation Failed; Label.name: already_exists; plain"},
      {"non-JSON body", get, Answer(404, "<html>Not Found</html>"), 0, RetryKind::kStop, 0,
       "HTTP 404"},
      {"JSON that is not an object", get, Answer(400, R"(["x"])"), 0, RetryKind::kStop, 0,
       "HTTP 400"},
      {"multi-line message", get, Answer(400, R"({"message":"line one\nline two"})"), 0,
       RetryKind::kStop, 0, "HTTP 400: line one line two"},
      {"google 400", Request("POST", 1, true),
       Answer(400, R"({"error":{"code":400,"message":"Unparseable filter: syntax error",)"
                   R"("status":"INVALID_ARGUMENT"}})"),
       0, RetryKind::kStop, 0, "HTTP 400: Unparseable filter: syntax error"},
      {"oauth token 400", Request("POST", 1, true),
       Answer(400, R"({"error":"invalid_grant","error_description":"Invalid JWT Signature."})"),
       0, RetryKind::kStop, 0, "HTTP 400: invalid_grant: Invalid JWT Signature."},
      {"google 500 UNKNOWN", get,
       Answer(500, R"({"error":{"code":500,"message":"Unknown.","status":"UNKNOWN"}})"), 0,
       RetryKind::kStop, 0, "HTTP 500: Unknown."},
      {"google 500 DATA_LOSS", get,
       Answer(500, R"({"error":{"code":500,"message":"Lost.","status":"DATA_LOSS"}})"), 0,
       RetryKind::kStop, 0, "HTTP 500: Lost."},
      {"501", get, Answer(501), 0, RetryKind::kStop, 0, "HTTP 501"},
      {"499", get, Answer(499), 0, RetryKind::kStop, 0, "HTTP 499"},
      {"408", get, Answer(408), 0, RetryKind::kStop, 0, "HTTP 408"},
  });
}

TEST_CASE("DecideRetry: stop errors carry a kind and a one-line bounded message") {
  const auto kind_of = [](const HttpResponse& response) {
    return DecideRetry(Request("GET", 9), response, kNow, 0).error.kind;
  };
  CHECK(kind_of(Answer(401)) == ErrorKind::kAuth);
  CHECK(kind_of(Answer(403)) == ErrorKind::kAuth);
  CHECK(kind_of(Answer(404)) == ErrorKind::kHttp);
  CHECK(kind_of(Answer(502)) == ErrorKind::kHttp);
  CHECK(kind_of(NoAnswer("connection refused")) == ErrorKind::kTransport);
  CHECK(kind_of(Answer(429)) == ErrorKind::kHttp);  // rate limits are not auth
  CHECK(kind_of(Answer(403, kSecondaryBody)) == ErrorKind::kHttp);

  const std::string long_message(1000, 'm');
  const RetryDecision d =
      DecideRetry(Request("GET", 1), Answer(400, R"({"message":")" + long_message + "\"}"),
                  kNow, 0);
  CHECK(d.error.message == "HTTP 400: " + std::string(297, 'm') + "...");
  // The cut never splits a UTF-8 character: "é" is bytes 296 and 297.
  const std::string accented = std::string(296, 'm') + "\u00e9" + std::string(100, 'm');
  const RetryDecision cut = DecideRetry(
      Request("GET", 1), Answer(404, R"({"message":")" + accented + "\"}"), kNow, 0);
  CHECK(cut.error.message == "HTTP 404: " + std::string(296, 'm') + "...");
}

TEST_CASE("DecideRetry: 5xx and no answer back off with full jitter, bounded") {
  const char* kRefused = "connection refused: Failed to connect to 127.0.0.1 port 9";
  CheckCases({
      {"500 first", Request("GET", 1), Answer(500, R"({"message":"Server Error"})"), 0.5,
       RetryKind::kRetryAfterWait, 500000,
       "HTTP 500: Server Error; retrying in 0.500 s; attempt 1 of 4"},
      {"502 second", Request("GET", 2), Answer(502, "<html>bad gateway</html>"), 0.25,
       RetryKind::kRetryAfterWait, 500000, "HTTP 502; retrying in 0.500 s; attempt 2 of 4"},
      {"503 google third", Request("POST", 3, true),
       Answer(503, R"({"error":{"code":503,"message":"Unavailable.","status":"UNAVAILABLE"}})"),
       0.75, RetryKind::kRetryAfterWait, 3 * kSecond,
       "HTTP 503: Unavailable.; retrying in 3 s; attempt 3 of 4"},
      {"504 zero jitter", Request("PATCH", 1), Answer(504), 0, RetryKind::kRetryAfterWait, 0,
       "HTTP 504; retrying in 0 s; attempt 1 of 4"},
      {"google 500 INTERNAL", Request("GET", 1),
       Answer(500, R"({"error":{"code":500,"message":"Internal.","status":"INTERNAL"}})"), 0.5,
       RetryKind::kRetryAfterWait, 500000,
       "HTTP 500: Internal.; retrying in 0.500 s; attempt 1 of 4"},
      {"503 retry-after is a floor", Request("GET", 1), Answer(503, "", {{"retry-after", "5"}}),
       0.5, RetryKind::kRetryAfterWait, 5 * kSecond, "HTTP 503; retrying in 5 s; attempt 1 of 4"},
      {"503 retry-after beyond the bound", Request("GET", 1),
       Answer(503, "", {{"retry-after", "3600"}}), 0.5, RetryKind::kStop, 0,
       "HTTP 503: must wait 3600 s (retry-after), more than the 900 s allowed; rerun after "
       "2025-09-15T03:39:39.000000Z"},
      {"no answer", Request("PUT", 1), NoAnswer(kRefused), 0.999, RetryKind::kRetryAfterWait,
       999000, std::string(kRefused) + "; retrying in 0.999 s; attempt 1 of 4"},
      {"no answer, no words", Request("DELETE", 2), NoAnswer(""), 0.5,
       RetryKind::kRetryAfterWait, kSecond, "no answer; retrying in 1 s; attempt 2 of 4"},
      {"502 spent", Request("GET", 4), Answer(502, R"({"message":"Server Error"})"), 0.5,
       RetryKind::kStop, 0, "HTTP 502: Server Error; gave up after 4 attempts"},
      {"no answer spent", Request("GET", 4), NoAnswer(kRefused), 0.5, RetryKind::kStop, 0,
       std::string(kRefused) + "; gave up after 4 attempts"},
  });
}

TEST_CASE("BackoffUs: full jitter below a doubling, capped ceiling") {
  struct Row {
    int attempt;
    double jitter;
    int64_t want;
  };
  const Row rows[] = {
      {1, 0.0, 0},           {1, 0.5, 500000},       {2, 0.5, kSecond},
      {3, 0.5, 2 * kSecond}, {6, 0.5, 16 * kSecond}, {7, 0.5, 30 * kSecond},  // 64 s > cap
      {100, 0.5, 30 * kSecond},                        // no overflow
      {3, 1.0, 4 * kSecond - 1},                       // clamped below the ceiling
      {3, 7.0, 4 * kSecond - 1},  {3, -1.0, 0},        {3, std::nan(""), 0},
  };
  for (const Row& r : rows) {
    INFO("attempt " << r.attempt << " jitter " << r.jitter);
    CHECK(BackoffUs(r.attempt, r.jitter) == r.want);
  }
  std::mt19937_64 random(20250915);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (int attempt = 1; attempt <= 10; ++attempt) {
    const int64_t ceiling = std::min<int64_t>(kSecond << (attempt - 1), 60 * kSecond);
    for (int i = 0; i < 200; ++i) {
      const int64_t wait = BackoffUs(attempt, uniform(random));
      CHECK(wait >= 0);
      CHECK(wait < ceiling);
    }
  }
}

TEST_CASE("DecideRetry: a POST that may have been stored is verified before a resend") {
  CheckCases({
      {"POST 502", Request("POST", 1), Answer(502, R"({"message":"Server Error"})"), 0.5,
       RetryKind::kVerifyThenRetry, 500000,
       "HTTP 502: Server Error; the POST may have been carried out: verify, then resend in "
       "0.500 s; attempt 1 of 4"},
      {"POST timed out", Request("POST", 2), NoAnswer("timed out after 30 s"), 0.5,
       RetryKind::kVerifyThenRetry, kSecond,
       "timed out after 30 s; the POST may have been carried out: verify, then resend in 1 s; "
       "attempt 2 of 4"},
      {"POST spent", Request("POST", 4), Answer(500), 0.5, RetryKind::kStop, 0,
       "HTTP 500; gave up after 4 attempts"},
      {"idempotent POST", Request("POST", 1, true), Answer(502), 0.5,
       RetryKind::kRetryAfterWait, 500000, "HTTP 502; retrying in 0.500 s; attempt 1 of 4"},
      {"POST rate limited was refused, not stored", Request("POST", 1),
       Answer(403, kSecondaryBody), 0.5, RetryKind::kRetryAfterWait, 60 * kSecond,
       "secondary rate limit: waiting 60 s (no retry-after); attempt 1 of 4"},
      {"POST 422", Request("POST", 1), Answer(422, R"({"message":"Validation Failed"})"), 0.5,
       RetryKind::kStop, 0, "HTTP 422: Validation Failed"},
  });
  struct Row {
    RetryRequest request;
    HttpResponse response;
    bool want;
  };
  const Row rows[] = {
      {Request("POST", 1), NoAnswer("timed out"), true},
      {Request("POST", 1), Answer(500), true},
      {Request("POST", 1), Answer(502), true},
      {Request("POST", 1), Answer(201), false},
      {Request("POST", 1), Answer(403, kSecondaryBody), false},
      {Request("POST", 1), Answer(422), false},
      {Request("POST", 1, true), Answer(502), false},
      {Request("GET", 1), NoAnswer("timed out"), false},
      {Request("PATCH", 1), Answer(502), false},
  };
  for (const Row& r : rows) {
    INFO(r.request.method << " " << r.response.status);
    CHECK(MayHaveTakenEffect(r.request, r.response) == r.want);
  }
}

TEST_CASE("DecideRetry: GitHub's secondary rate limit") {
  const auto secondary = [](std::vector<std::pair<std::string, std::string>> headers) {
    return Answer(403, kSecondaryBody, std::move(headers));
  };
  CheckCases({
      {"no retry-after", Request("GET", 1), secondary({}), 0.5, RetryKind::kRetryAfterWait,
       60 * kSecond, "secondary rate limit: waiting 60 s (no retry-after); attempt 1 of 4"},
      {"repeat doubles", Request("GET", 2), secondary({}), 0.5, RetryKind::kRetryAfterWait,
       120 * kSecond, "secondary rate limit: waiting 120 s (no retry-after); attempt 2 of 4"},
      {"repeat doubles again", Request("GET", 3), secondary({}), 0.5,
       RetryKind::kRetryAfterWait, 240 * kSecond,
       "secondary rate limit: waiting 240 s (no retry-after); attempt 3 of 4"},
      {"blank retry-after", Request("GET", 1), secondary({{"retry-after", " "}}), 0.5,
       RetryKind::kRetryAfterWait, 60 * kSecond,
       "secondary rate limit: waiting 60 s (no retry-after); attempt 1 of 4"},
      {"retry-after seconds", Request("GET", 1), secondary({{"retry-after", "30"}}), 0.5,
       RetryKind::kRetryAfterWait, 30 * kSecond,
       "secondary rate limit: waiting 30 s (retry-after); attempt 1 of 4"},
      {"retry-after date", Request("GET", 1),
       secondary({{"retry-after", "Mon, 15 Sep 2025 02:40:09 GMT"}}), 0.5,
       RetryKind::kRetryAfterWait, 30 * kSecond,
       "secondary rate limit: waiting 30 s (retry-after); attempt 1 of 4"},
      {"429 and retry-after", Request("POST", 1),
       Answer(429, kSecondaryBody, {{"retry-after", "90"}}), 0.5, RetryKind::kRetryAfterWait,
       90 * kSecond, "secondary rate limit: waiting 90 s (retry-after); attempt 1 of 4"},
      {"remaining 0 without retry-after", Request("GET", 1),
       secondary({{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", ResetAt(120)}}), 0.5,
       RetryKind::kRetryAfterWait, 121 * kSecond,
       "secondary rate limit: waiting 121 s (until x-ratelimit-reset "
       "2025-09-15T02:41:39.000000Z); attempt 1 of 4"},
      {"retry-after wins over reset", Request("GET", 1),
       secondary({{"retry-after", "10"}, {"x-ratelimit-remaining", "0"},
                  {"x-ratelimit-reset", ResetAt(600)}}),
       0.5, RetryKind::kRetryAfterWait, 10 * kSecond,
       "secondary rate limit: waiting 10 s (retry-after); attempt 1 of 4"},
      {"spent", Request("GET", 4), secondary({}), 0.5, RetryKind::kStop, 0,
       std::string("secondary rate limit persists after 4 attempts (") + kSecondaryMessage + ")"},
      {"retry-after beyond the bound", Request("GET", 1), secondary({{"retry-after", "3600"}}),
       0.5, RetryKind::kStop, 0,
       std::string("secondary rate limit: must wait 3600 s (retry-after), more than the 900 s "
                   "allowed; rerun after 2025-09-15T03:39:39.000000Z (") +
           kSecondaryMessage + ")"},
  });
  const RetryDecision spent = DecideRetry(Request("GET", 4), secondary({}), kNow, 0.5);
  CHECK(spent.rate_limited);
  CHECK(!spent.rerun_after_us.has_value());
}

TEST_CASE("DecideRetry: GitHub's primary rate limit waits for the reset, within a bound") {
  const auto exhausted = [](int status, int64_t reset_in_s) {
    return Answer(status, kPrimaryBody,
                  {{"x-ratelimit-limit", "1000"}, {"x-ratelimit-remaining", "0"},
                   {"x-ratelimit-reset", ResetAt(reset_in_s)}, {"x-ratelimit-resource", "core"}});
  };
  const std::string rerun = "2025-09-15T04:39:39.000000Z";
  CheckCases({
      {"403, reset in 5 min", Request("GET", 1), exhausted(403, 300), 0.5,
       RetryKind::kRetryAfterWait, 301 * kSecond,
       "primary rate limit: waiting 301 s (until x-ratelimit-reset "
       "2025-09-15T02:44:39.000000Z); attempt 1 of 4"},
      {"429, reset in 5 min", Request("POST", 1), exhausted(429, 300), 0.5,
       RetryKind::kRetryAfterWait, 301 * kSecond,
       "primary rate limit: waiting 301 s (until x-ratelimit-reset "
       "2025-09-15T02:44:39.000000Z); attempt 1 of 4"},
      {"reset already past", Request("GET", 1), exhausted(403, -10), 0.5,
       RetryKind::kRetryAfterWait, kSecond,
       "primary rate limit: waiting 1 s (until x-ratelimit-reset "
       "2025-09-15T02:39:29.000000Z); attempt 1 of 4"},
      {"reset in 2 h", Request("GET", 1), exhausted(403, 7200), 0.5, RetryKind::kStop, 0,
       "primary rate limit: must wait 7201 s (until x-ratelimit-reset " + rerun +
           "), more than the 900 s allowed; rerun after " + rerun +
           " (API rate limit exceeded for installation ID 123.)"},
      {"no reset header", Request("GET", 1),
       Answer(403, kPrimaryBody, {{"x-ratelimit-remaining", "0"}}), 0.5,
       RetryKind::kRetryAfterWait, 60 * kSecond,
       "primary rate limit: waiting 60 s (no retry-after); attempt 1 of 4"},
      {"message alone", Request("GET", 1), Answer(403, kPrimaryBody), 0.5,
       RetryKind::kRetryAfterWait, 60 * kSecond,
       "rate limited (HTTP 403): waiting 60 s (no retry-after); attempt 1 of 4"},
      {"spent", Request("GET", 4), exhausted(403, 300), 0.5, RetryKind::kStop, 0,
       "primary rate limit persists after 4 attempts (API rate limit exceeded for "
       "installation ID 123.)"},
  });
  const RetryDecision stop = DecideRetry(Request("GET", 1), exhausted(403, 7200), kNow, 0.5);
  CHECK(stop.rate_limited);
  CHECK(stop.error.kind == ErrorKind::kHttp);
  REQUIRE(stop.rerun_after_us.has_value());
  CHECK(*stop.rerun_after_us == kNow + 7200 * kSecond);
  CHECK(FormatRfc3339(*stop.rerun_after_us) == rerun);
}

TEST_CASE("DecideRetry: Google's 429 honours Retry-After, RetryInfo, else waits a minute") {
  const RetryRequest list = Request("POST", 1, /*post_is_idempotent=*/true);
  CheckCases({
      {"retry-after", list, Answer(429, kGoogleQuotaBody, {{"retry-after", "10"}}), 0.5,
       RetryKind::kRetryAfterWait, 10 * kSecond,
       "rate limited (HTTP 429): waiting 10 s (retry-after); attempt 1 of 4"},
      {"RetryInfo", list,
       Answer(429, R"({"error":{"code":429,"message":"Quota exceeded.","status":)"
                   R"("RESOURCE_EXHAUSTED","details":[{"@type":)"
                   R"("type.googleapis.com/google.rpc.RetryInfo","retryDelay":"7.5s"}]}})"),
       0.5, RetryKind::kRetryAfterWait, 7500000,
       "rate limited (HTTP 429): waiting 7.500 s (retryDelay); attempt 1 of 4"},
      {"nothing", list, Answer(429, kGoogleQuotaBody), 0.5, RetryKind::kRetryAfterWait,
       60 * kSecond, "rate limited (HTTP 429): waiting 60 s (no retry-after); attempt 1 of 4"},
      {"not JSON", list, Answer(429, "Too Many Requests"), 0.5, RetryKind::kRetryAfterWait,
       60 * kSecond, "rate limited (HTTP 429): waiting 60 s (no retry-after); attempt 1 of 4"},
      {"spent", Request("POST", 4, true), Answer(429, kGoogleQuotaBody), 0.5,
       RetryKind::kStop, 0,
       "rate limited (HTTP 429) persists after 4 attempts (Quota exceeded for quota metric "
       "'Read requests'.)"},
  });
}

TEST_CASE("DecideRetry follows its options") {
  RetryOptions options;
  options.max_attempts = 2;
  options.base_backoff_us = 100000;
  options.max_backoff_us = 150000;
  options.max_rate_limited_attempts = 2;
  options.secondary_min_wait_us = 5 * kSecond;
  options.max_rate_limit_wait_us = 60 * kSecond;
  CheckCases(
      {
          {"backoff base", Request("GET", 1), Answer(502), 0.5, RetryKind::kRetryAfterWait,
           50000, "HTTP 502; retrying in 0.050 s; attempt 1 of 2"},
          {"attempts", Request("GET", 2), Answer(502), 0.5, RetryKind::kStop, 0,
           "HTTP 502; gave up after 2 attempts"},
          {"secondary wait", Request("GET", 1), Answer(403, kSecondaryBody), 0.5,
           RetryKind::kRetryAfterWait, 5 * kSecond,
           "secondary rate limit: waiting 5 s (no retry-after); attempt 1 of 2"},
          {"rate-limit attempts", Request("GET", 2), Answer(429), 0.5, RetryKind::kStop, 0,
           "rate limited (HTTP 429) persists after 2 attempts"},
          {"reset beyond a 60 s bound", Request("GET", 1),
           Answer(429, "", {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", ResetAt(300)}}),
           0.5, RetryKind::kStop, 0,
           "primary rate limit: must wait 301 s (until x-ratelimit-reset "
           "2025-09-15T02:44:39.000000Z), more than the 60 s allowed; rerun after "
           "2025-09-15T02:44:39.000000Z"},
      },
      options);
  CHECK(BackoffUs(3, 0.5, options) == 75000);
}

}  // namespace
}  // namespace triage
