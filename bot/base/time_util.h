// Timestamps as microseconds since the Unix epoch, read from and written as
// RFC 3339, and durations such as "24h" or "90m".
#ifndef TRIAGE_BOT_BASE_TIME_UTIL_H_
#define TRIAGE_BOT_BASE_TIME_UTIL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace triage {

// "2025-09-15T02:39:39.115247Z", any fraction length (nanoseconds are cut to
// microseconds), "Z" or a "+hh:mm" offset, 'T' or ' ' between date and time.
std::optional<int64_t> ParseRfc3339(std::string_view text);

// Always UTC with microseconds: "2025-09-15T02:39:39.115247Z".
std::string FormatRfc3339(int64_t micros);

// "30s", "15m", "24h", "7d", "1h30m"; returns microseconds.
std::optional<int64_t> ParseDuration(std::string_view text);

// An RFC 3339 time, or a duration counted back from `now`.
std::optional<int64_t> ParseTimeOrAgo(std::string_view text, int64_t now_us);

constexpr int64_t kMicrosPerSecond = 1000000;
constexpr int64_t kMicrosPerHour = 3600 * kMicrosPerSecond;

}  // namespace triage

#endif  // TRIAGE_BOT_BASE_TIME_UTIL_H_
