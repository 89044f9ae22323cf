#include "bot/base/time_util.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>

namespace triage {
namespace {

// 2025-09-15T02:39:39Z, in microseconds since the epoch.
constexpr int64_t kSep15 = 1757903979LL * kMicrosPerSecond;
// 2025-01-01T00:00:00Z.
constexpr int64_t kNewYear2025 = 1735689600LL * kMicrosPerSecond;

TEST_CASE("ParseRfc3339 reads valid times") {
  struct Case {
    const char* text;
    int64_t want;
  };
  const Case cases[] = {
      {"2025-09-15T02:39:39Z", kSep15},
      {"2025-09-15t02:39:39z", kSep15},
      {"2025-09-15 02:39:39Z", kSep15},
      // Fractions of 3, 6 and 9 digits; nanoseconds are cut, not rounded.
      {"2025-09-15T02:39:39.115Z", kSep15 + 115000},
      {"2025-09-15T02:39:39.115247Z", kSep15 + 115247},
      {"2025-09-15T02:39:39.115247999Z", kSep15 + 115247},
      {"2025-09-15T02:39:39.1Z", kSep15 + 100000},
      {"2025-09-15T02:39:39.000001Z", kSep15 + 1},
      // Offsets: local time minus the offset is UTC.
      {"2025-09-15T04:39:39+02:00", kSep15},
      {"2025-09-15T08:09:39.115247+05:30", kSep15 + 115247},
      {"2025-09-14T21:39:39-05:00", kSep15},
      {"2025-09-15T02:39:39+00:00", kSep15},
      {"2025-09-15T02:39:39-00:00", kSep15},
      // Epoch, before the epoch, leap day, a day after a century leap day.
      {"1970-01-01T00:00:00Z", 0},
      {"1969-12-31T23:59:59Z", -kMicrosPerSecond},
      {"1969-12-31T23:59:59.999999Z", -1},
      {"1900-01-01T00:00:00Z", -2208988800LL * kMicrosPerSecond},
      {"2024-02-29T23:59:59Z", 1709251199LL * kMicrosPerSecond},
      {"2000-03-01T00:00:00Z", 951868800LL * kMicrosPerSecond},
      {"2025-01-01T00:00:00Z", kNewYear2025},
  };
  for (const Case& c : cases) {
    INFO("c.text: " << std::string(c.text));
    std::optional<int64_t> got = ParseRfc3339(c.text);
    REQUIRE(got.has_value());
    CHECK(*got == c.want);
  }
}

TEST_CASE("ParseRfc3339 rejects malformed times") {
  const char* const cases[] = {
      "",
      "2025",
      "2025-09-15",                     // date only
      "2025-09-15T02:39:39",            // no zone
      "2025-09-15T02:39:39.115247",     // fraction, no zone
      "2025-13-01T00:00:00Z",           // month 13
      "2025-00-01T00:00:00Z",           // month 0
      "2025-09-00T00:00:00Z",           // day 0
      "2025-09-32T00:00:00Z",           // day 32
      "2025-09-15T24:00:00Z",           // hour 24
      "2025-09-15T02:60:00Z",           // minute 60
      "2025-09-15T02:39:61Z",           // second 61
      "2025-09-15X02:39:39Z",           // bad separator
      "2025/09/15T02:39:39Z",
      "2025-09-15T02:39:39ZZ",          // trailing junk
      "2025-09-15T02:39:39Z ",
      "2025-09-15T02:39:39+02:00x",
      "2025-09-15T02:39:39.Z",          // dot without digits
      "2025-09-15T02:39:39+0200",       // offset without colon
      "2025-09-15T02:39:39+02",
      "2025-09-15T02:39:39+02:0",
      " 2025-09-15T02:39:39Z",          // leading space
      "2O25-09-15T02:39:39Z",           // letter O
      "yesterday",
  };
  for (const char* text : cases) {
    INFO("text: " << std::string(text));
    CHECK_FALSE(ParseRfc3339(text).has_value());
  }
}

// RFC 3339 ties the day to the month; 31 is not a day of every month.
TEST_CASE("ParseRfc3339 rejects days past the end of the month") {
  const char* const cases[] = {
      "2025-02-29T00:00:00Z",  // 2025 is not a leap year
      "2025-02-30T00:00:00Z",
      "2025-04-31T00:00:00Z",
  };
  for (const char* text : cases) {
    INFO("text: " << std::string(text));
    CHECK_FALSE(ParseRfc3339(text).has_value());
  }
}

TEST_CASE("FormatRfc3339 writes UTC with microseconds") {
  struct Case {
    int64_t micros;
    const char* want;
  };
  const Case cases[] = {
      {0, "1970-01-01T00:00:00.000000Z"},
      {kSep15 + 115247, "2025-09-15T02:39:39.115247Z"},
      {-1, "1969-12-31T23:59:59.999999Z"},
      {-kMicrosPerSecond, "1969-12-31T23:59:59.000000Z"},
      {-2208988800LL * kMicrosPerSecond, "1900-01-01T00:00:00.000000Z"},
      {1709251199LL * kMicrosPerSecond + 500000, "2024-02-29T23:59:59.500000Z"},
      {1709251200LL * kMicrosPerSecond, "2024-03-01T00:00:00.000000Z"},
      {951782400LL * kMicrosPerSecond, "2000-02-29T00:00:00.000000Z"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.micros);
    CHECK(FormatRfc3339(c.micros) == c.want);
  }
}

TEST_CASE("FormatRfc3339 and ParseRfc3339 round trip") {
  const int64_t cases[] = {
      0,
      1,
      -1,
      kSep15 + 115247,
      1709251199LL * kMicrosPerSecond + 999999,  // 2024-02-29T23:59:59.999999
      1709164800LL * kMicrosPerSecond,           // 2024-02-29T00:00:00
      -86400LL * kMicrosPerSecond + 123,         // 1969-12-31
      -2208988800LL * kMicrosPerSecond - 1,      // 1899-12-31T23:59:59.999999
      253402300799LL * kMicrosPerSecond,         // 9999-12-31T23:59:59
  };
  for (int64_t micros : cases) {
    CAPTURE(micros);
    std::string text = FormatRfc3339(micros);
    INFO("text: " << std::string(text));
    std::optional<int64_t> back = ParseRfc3339(text);
    REQUIRE(back.has_value());
    CHECK(*back == micros);
  }
}

TEST_CASE("ParseDuration reads unit sums") {
  struct Case {
    const char* text;
    int64_t want;
  };
  const Case cases[] = {
      {"30s", 30 * kMicrosPerSecond},
      {"15m", 15 * 60 * kMicrosPerSecond},
      {"24h", 24 * kMicrosPerHour},
      {"7d", 7 * 24 * kMicrosPerHour},
      {"2w", 14 * 24 * kMicrosPerHour},
      {"1h30m", 90 * 60 * kMicrosPerSecond},
      {"1d2h3m4s", ((26 * 60 + 3) * 60 + 4) * kMicrosPerSecond},
      {"0s", 0},
      {"90m", 90 * 60 * kMicrosPerSecond},
  };
  for (const Case& c : cases) {
    INFO("c.text: " << std::string(c.text));
    std::optional<int64_t> got = ParseDuration(c.text);
    REQUIRE(got.has_value());
    CHECK(*got == c.want);
  }
}

TEST_CASE("ParseDuration rejects malformed durations") {
  const char* const cases[] = {
      "", "h", "10", "5x", "-1h", "+1h", "1h30", "1.5h", " 1h", "1h ", "1H", "1 h",
      "h1", "1hh", "999999999s",  // more than 10^8 of a unit
  };
  for (const char* text : cases) {
    INFO("text: " << std::string(text));
    CHECK_FALSE(ParseDuration(text).has_value());
  }
}

// 10^8 weeks is about 6.0e19 us, past INT64_MAX (9.2e18): the sum overflows
// a signed integer, which is undefined, instead of being rejected.
TEST_CASE("ParseDuration rejects durations that overflow") {
  const char* const cases[] = {"100000000w", "99999999d99999999d"};
  for (const char* text : cases) {
    INFO("text: " << std::string(text));
    CHECK_FALSE(ParseDuration(text).has_value());
  }
}

TEST_CASE("ParseTimeOrAgo takes a time or a duration back from now") {
  const int64_t now = kNewYear2025 + kMicrosPerHour;  // 2025-01-01T01:00:00Z
  SUBCASE("an RFC 3339 time ignores now") {
    CHECK(ParseTimeOrAgo("2025-09-15T02:39:39Z", now) == std::optional<int64_t>(kSep15));
    CHECK(ParseTimeOrAgo("2025-09-15T02:39:39Z", 0) == std::optional<int64_t>(kSep15));
  }
  SUBCASE("a duration counts back") {
    CHECK(ParseTimeOrAgo("1h", now) == std::optional<int64_t>(kNewYear2025));
    CHECK(ParseTimeOrAgo("30s", now) ==
          std::optional<int64_t>(now - 30 * kMicrosPerSecond));
    CHECK(ParseTimeOrAgo("0s", now) == std::optional<int64_t>(now));
    CHECK(ParseTimeOrAgo("2h", 0) == std::optional<int64_t>(-2 * kMicrosPerHour));
  }
  SUBCASE("anything else is rejected") {
    for (const char* text : {"", "yesterday", "-1h", "2025-01-01", "10"}) {
      INFO("text: " << std::string(text));
      CHECK_FALSE(ParseTimeOrAgo(text, now).has_value());
    }
  }
}

TEST_CASE("time: only what FormatRfc3339 can write back is read") {
  for (const char* bad : {"9999-12-31T23:59:59-01:00", "0000-01-01T00:00:00+00:01",
                          "2025-01-01T00:00:00+24:00", "2025-01-01T00:00:00+01:60"}) {
    INFO(bad);
    CHECK_FALSE(ParseRfc3339(bad));
  }
  for (const char* good : {"9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "2025-01-01T00:00:00+23:59"}) {
    INFO(good);
    auto t = ParseRfc3339(good);
    REQUIRE(t);
    CHECK(ParseRfc3339(FormatRfc3339(*t)) == t);
  }
}

}  // namespace
}  // namespace triage
