#include "clients/gcp_logging_filter.h"

#include <doctest/doctest.h>

#include <functional>
#include <string>

#include "bot/base/time_util.h"

namespace triage {
namespace {

constexpr int64_t kStart = 1757980800LL * kMicrosPerSecond;  // 2025-09-16T00:00:00Z

TEST_CASE("gcp logging filter: BuildFilter") {
  struct Row {
    const char* name;
    std::function<void(LoggingQuery&)> change;
    std::string expected;
  };
  const std::string head = "resource.type = \"cloud_run_revision\"\nAND ";
  const Row rows[] = {
      {"defaults: type and severity floor", [](LoggingQuery&) {}, head + "severity >= WARNING"},
      {"services as a parenthesised OR list",
       [](LoggingQuery& q) {
         q.services = {"api", "", "worker"};
       },
       head + "resource.labels.service_name = (\"api\" OR \"worker\")\nAND severity >= WARNING"},
      {"quotes, backslashes, newlines and tabs escaped",
       [](LoggingQuery& q) { q.services = {"a\"b\\c\nd\te"}; },
       head + "resource.labels.service_name = (\"a\\\"b\\\\c\\nd\\te\")\nAND severity >= WARNING"},
      {"severity floor ERROR, window in RFC 3339 UTC",
       [](LoggingQuery& q) {
         q.min_severity = Severity::kError;
         q.since_us = kStart;
         q.until_us = kStart + kMicrosPerHour + 250000;
       },
       head + "severity >= ERROR\nAND timestamp >= \"2025-09-16T00:00:00Z\"\n"
              "AND timestamp < \"2025-09-16T01:00:00.250000Z\""},
      {"no floor, no type: no clause",
       [](LoggingQuery& q) {
         q.min_severity = Severity::kDefault;
         q.resource_type = "";
       },
       ""},
      {"extra filter parenthesised", [](LoggingQuery& q) { q.extra_filter = "a OR b"; },
       head + "severity >= WARNING\nAND (a OR b)"},
      {"a comment in the extra filter leaves ')' on its own line",
       [](LoggingQuery& q) { q.extra_filter = "NOT textPayload:\"x\" -- noisy"; },
       head + "severity >= WARNING\nAND (NOT textPayload:\"x\" -- noisy\n)"},
      {"a blank extra filter adds nothing", [](LoggingQuery& q) { q.extra_filter = " \n"; },
       head + "severity >= WARNING"},
  };
  for (const Row& row : rows) {
    INFO(row.name);
    LoggingQuery query;
    row.change(query);
    CHECK(BuildFilter(query) == row.expected);
  }
}

}  // namespace
}  // namespace triage
