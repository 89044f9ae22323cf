// What a failed answer says for the retry policy (retry_policy.cc): the
// message and Google's status and retryDelay of its error body, and the
// times of its Retry-After and rate-limit headers. Internal to clients/.
#ifndef TRIAGE_CLIENTS_RETRY_ANSWER_H_
#define TRIAGE_CLIENTS_RETRY_ANSWER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace triage {
namespace retry_answer {

// What an error body says: GitHub's {"message", "errors"}, Google's
// {"error": {"message", "status", "details"}} or OAuth's {"error",
// "error_description"}.
struct BodyFacts {
  std::string message;        // one line (OneLine), GitHub's errors[] after it
  std::string google_status;  // "UNAVAILABLE", ...; "" when not Google's
  std::optional<int64_t> retry_delay_us;  // Google's RetryInfo
};

// The facts of `body`; all empty for a body that is not a JSON object.
BodyFacts ReadBody(const std::string& body);

// One line of at most 300 bytes, cut between UTF-8 characters: a message
// goes into a log line.
std::string OneLine(std::string text);

// `s` without blanks and tabs at either end.
std::string_view Trim(std::string_view s);

// Whole seconds ("120", blanks around allowed), in microseconds.
std::optional<int64_t> ParseSeconds(std::string_view text);

// Retry-After as delay-seconds or an IMF-fixdate ("Sun, 06 Nov 1994
// 08:49:37 GMT"), as a wait from `now_us` (0 for a date past).
std::optional<int64_t> RetryAfterUs(std::string_view text, int64_t now_us);

}  // namespace retry_answer
}  // namespace triage

#endif  // TRIAGE_CLIENTS_RETRY_ANSWER_H_
