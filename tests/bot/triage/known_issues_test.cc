#include "bot/triage/known_issues.h"

#include <doctest/doctest.h>

namespace triage {
namespace {

TEST_CASE("known issues: a snapshot is read whole") {
  auto r = ParseKnownIssues(R"([
    {"number": 640, "title": "GCP-regression | P1 | WebSocket routing", "state": "open",
     "labels": [{"name": "gcp-log-gardener"}, "P2"], "fingerprints": ["aaa", "bbb"],
     "watermark": "2025-09-12T23:26:25Z", "url": "https://example.test/640"},
    {"number": 169, "title": "Session Middleware Missing", "state": "closed",
     "state_reason": "completed", "closed_at": "2025-09-11T00:00:00Z", "priority_set_by_person": true}
  ])", "issues.json");
  REQUIRE(r);
  const auto& issues = r.value();
  REQUIRE(issues.size() == 2);
  CHECK(issues[0].number == 640);
  CHECK(issues[0].open);
  CHECK(issues[0].priority == 2);  // the label wins over the title
  CHECK(issues[0].labels == std::vector<std::string>{"gcp-log-gardener", "P2"});
  CHECK(issues[0].fingerprints == std::vector<std::string>{"aaa", "bbb"});
  CHECK(issues[0].watermark_us == 1757719585000000LL);
  CHECK_FALSE(issues[1].open);
  CHECK(issues[1].state_reason == "completed");
  CHECK(issues[1].priority == -1);
  CHECK(issues[1].priority_set_by_person);
  CHECK(issues[1].closed_at_us == 1757548800000000LL);
}

TEST_CASE("known issues: a bad snapshot names the issue and the field") {
  struct Case {
    const char* text;
    const char* error;
  } cases[] = {
      {"{}", "issues.json: expected a JSON array of issues"},
      {"[1,", "issues.json: expected a JSON array of issues"},
      {"[{\"number\": 0}]", "issues.json: issue 1: 'number' must be a positive whole number"},
      {"[{\"number\": 1}, {\"number\": \"2\"}]",
       "issues.json: issue 2: 'number' must be a positive whole number"},
      {"[{\"number\": 1, \"state\": \"merged\"}]", "issues.json: issue 1: 'state' must be open or closed"},
      {"[{\"number\": 1, \"closed_at\": \"yesterday\"}]",
       "issues.json: issue 1: 'closed_at' must be an RFC 3339 time"},
      {"[{\"number\": 1, \"labels\": \"P1\"}]", "issues.json: issue 1: 'labels' must be a list"},
      {"[{\"number\": 1, \"fingerprints\": [3]}]", "issues.json: issue 1: 'fingerprints' must hold texts"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    auto r = ParseKnownIssues(c.text, "issues.json");
    REQUIRE_FALSE(r);
    CHECK(r.error().message == c.error);
  }
}

}  // namespace
}  // namespace triage
