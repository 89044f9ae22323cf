// What the retry policy reads from a failed answer, without a server: the
// error bodies of GitHub, Google's REST APIs and OAuth, and the times of
// Retry-After and x-ratelimit-reset.
#include "clients/retry_answer.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>

namespace triage {
namespace {

using retry_answer::BodyFacts;
using retry_answer::OneLine;
using retry_answer::ParseSeconds;
using retry_answer::ReadBody;
using retry_answer::RetryAfterUs;

constexpr int64_t kSecond = 1000000;
constexpr int64_t kNow = 784111777LL * kSecond;  // Sun, 06 Nov 1994 08:49:37 GMT

TEST_CASE("retry answer: GitHub's message with its errors[], in order") {
  const BodyFacts facts = ReadBody(R"({"message":"Validation Failed","errors":[
      {"resource":"Issue","field":"title","code":"custom","message":"title is too long"},
      {"resource":"Label","code":"already_exists"},
      "a plain string", 7, {"resource":"Issue"}],
      "documentation_url":"https://docs.github.com/rest"})");
  CHECK(facts.message ==
        "Validation Failed; Issue.title: title is too long; Label: already_exists; a plain string");
  CHECK(facts.google_status.empty());
  CHECK_FALSE(facts.retry_delay_us.has_value());
}

TEST_CASE("retry answer: Google's error, status and RetryInfo delay") {
  const BodyFacts facts = ReadBody(R"({"error":{"code":429,"message":"Quota exceeded",
      "status":"RESOURCE_EXHAUSTED","details":[
        {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"RATE_LIMIT_EXCEEDED"},
        {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"1.5s"}]}})");
  CHECK(facts.message == "Quota exceeded");
  CHECK(facts.google_status == "RESOURCE_EXHAUSTED");
  REQUIRE(facts.retry_delay_us.has_value());
  CHECK(*facts.retry_delay_us == 1500000);
  // A retryDelay that is no protobuf duration is none.
  for (const char* delay : {"15", "1.5 s", "-1s", "1e9s", "s", ""}) {
    INFO("delay: " << std::string(delay));
    const BodyFacts odd = ReadBody(
        std::string(R"({"error":{"details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo",)"
                    R"("retryDelay":")") + delay + R"("}]}})");
    CHECK_FALSE(odd.retry_delay_us.has_value());
  }
}

TEST_CASE("retry answer: OAuth's error and description; anything else says nothing") {
  CHECK(ReadBody(R"({"error":"invalid_grant","error_description":"Bad Request"})").message ==
        "invalid_grant: Bad Request");
  CHECK(ReadBody(R"({"error":"invalid_grant"})").message == "invalid_grant");
  for (const char* body : {"", "<html>Bad Gateway</html>", "[1]", "\"text\"", "{\"message\":5}"}) {
    INFO("body: " << std::string(body));
    const BodyFacts facts = ReadBody(body);
    CHECK(facts.message.empty());
    CHECK(facts.google_status.empty());
    CHECK_FALSE(facts.retry_delay_us.has_value());
  }
}

TEST_CASE("retry answer: a message is one line of at most 300 bytes, cut between characters") {
  CHECK(OneLine("a\nb\r\nc") == "a b  c");
  CHECK(OneLine(std::string(300, 'x')) == std::string(300, 'x'));
  CHECK(OneLine(std::string(301, 'x')) == std::string(297, 'x') + "...");
  // "é" is two bytes; the cut does not split it.
  const std::string accents = std::string(296, 'x') + "\xC3\xA9" + std::string(10, 'y');
  CHECK(OneLine(accents) == std::string(296, 'x') + "...");
  const BodyFacts facts = ReadBody(R"({"message":")" + std::string(400, 'm') + R"("})");
  CHECK(facts.message.size() == 300);
}

TEST_CASE("retry answer: Retry-After in seconds or as an HTTP date") {
  CHECK(RetryAfterUs("120", kNow) == 120 * kSecond);
  CHECK(RetryAfterUs(" 0 ", kNow) == 0);
  CHECK(RetryAfterUs("Sun, 06 Nov 1994 08:50:07 GMT", kNow) == 30 * kSecond);
  CHECK(RetryAfterUs("Sun, 06 Nov 1994 08:49:37 GMT", kNow) == 0);
  CHECK(RetryAfterUs("Sat, 05 Nov 1994 08:49:37 GMT", kNow) == 0);  // past: now
  for (const char* text : {"", "-5", "1.5", "soon", "Sun, 06 Nov 1994 08:50:07 UTC",
                           "Sun, 06 Xyz 1994 08:50:07 GMT", "Sun, 6 Nov 1994 08:50:07 GMT",
                           "1234567890123"}) {
    INFO("text: " << std::string(text));
    CHECK_FALSE(RetryAfterUs(text, kNow).has_value());
  }
}

TEST_CASE("retry answer: x-ratelimit-reset is whole epoch seconds") {
  CHECK(ParseSeconds("1700000000") == 1700000000 * kSecond);
  CHECK(ParseSeconds("\t42 ") == 42 * kSecond);
  for (const char* text : {"", " ", "42s", "4 2", "+42", "0x10", "1234567890123"}) {
    INFO("text: " << std::string(text));
    CHECK_FALSE(ParseSeconds(text).has_value());
  }
}

}  // namespace
}  // namespace triage
