#include "bot/triage/decide.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "bot/base/time_util.h"

namespace triage {
namespace {

constexpr int64_t kHour = kMicrosPerHour;
constexpr int64_t kT0 = 1757718000LL * 1000000;  // 2025-09-12T23:00:00Z

Cluster MakeCluster(const std::string& key, const std::string& text, Severity sev, int64_t count,
                    int64_t span_us = 0) {
  Cluster c;
  c.key = key;
  c.fingerprints = {key};
  c.template_text = text;
  c.count = count;
  c.severity_counts[sev] = count;
  c.max_severity = sev;
  c.first_seen_us = kT0;
  c.last_seen_us = kT0 + span_us;
  c.hourly[kT0] = count;
  c.samples.push_back(Sample{key + "-1", kT0, sev, text});
  c.locations.push_back(Location{"app.module", "handler", 10});
  c.call_sites.push_back("app.module.handler:10");
  return c;
}

Rule MakeRule(const std::string& name, const std::string& message) {
  Rule r;
  r.name = name;
  r.when.message = Pattern::Compile(message).value();
  return r;
}

TEST_CASE("decide: rate per hour is the count over the active span, or the busiest hour") {
  Cluster burst = MakeCluster("a", "x", Severity::kWarning, 15, 60 * kMicrosPerSecond);
  CHECK(RatePerHour(burst) == doctest::Approx(15));
  Cluster spread = MakeCluster("b", "x", Severity::kWarning, 48, 24 * kHour);
  spread.hourly.clear();
  for (int h = 0; h < 24; ++h) spread.hourly[kT0 + h * kHour] = 2;
  CHECK(RatePerHour(spread) == doctest::Approx(2));
  spread.hourly[kT0] = 20;  // one busy hour shows
  CHECK(RatePerHour(spread) == doctest::Approx(20));
}

TEST_CASE("decide: defaults without any rule") {
  RuleSet rules;
  struct Case {
    Severity severity;
    int64_t count;
    int priority;
    const char* category;
    const char* reason;
  } cases[] = {
      {Severity::kEmergency, 1, 1, "GCP-regression", "P1: EMERGENCY by default"},
      {Severity::kCritical, 1, 1, "GCP-regression", "P1: CRITICAL by default"},
      {Severity::kCritical, 12, 0, "GCP-regression", "P0: CRITICAL at 12/hour"},
      {Severity::kError, 3, 2, "GCP-regression", "P2: ERROR by default"},
      {Severity::kWarning, 3, 3, "GCP-active-dev", "P3: WARNING by default"},
      {Severity::kNotice, 3, 5, "GCP-active-dev", "P5: NOTICE by default"},
      {Severity::kDefault, 3, 5, "GCP-active-dev", "P5: DEFAULT by default"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.reason);
    auto problems = Decide(rules, {MakeCluster("k", "Disk full on volume <*>", c.severity, c.count)}, {});
    REQUIRE(problems.size() == 1);
    const Triage& t = problems[0].triage;
    CHECK(t.priority == c.priority);
    CHECK(t.category == c.category);
    CHECK(t.reason == c.reason);
    CHECK(t.rule == "");
    CHECK(t.title.rfind(std::string(c.category) + " | P" + std::to_string(c.priority) + " | ", 0) == 0);
  }
}

TEST_CASE("decide: a rule's priority, then escalation for frequency, never above P0") {
  RuleSet rules;
  Rule auth = MakeRule("auth-permissive", "permissive");
  auth.set.priority = 1;
  auth.set.category = "GCP-auth";
  auth.set.title = "Auth in permissive mode";
  rules.rules.push_back(auth);
  Escalation frequent;
  frequent.name = "very-high-frequency";
  frequent.when.min_rate_per_hour = 15;
  rules.escalations.push_back(frequent);

  auto quiet = Decide(rules, {MakeCluster("k", "permissive auth", Severity::kWarning, 3)}, {});
  CHECK(quiet[0].triage.priority == 1);
  CHECK(quiet[0].triage.reason == "P1: rule `auth-permissive`");
  CHECK(quiet[0].triage.title == "GCP-auth | P1 | Auth in permissive mode");

  auto busy = Decide(rules, {MakeCluster("k", "permissive auth", Severity::kWarning, 42)}, {});
  CHECK(busy[0].triage.priority == 0);
  CHECK(busy[0].triage.reason == "P0: rule `auth-permissive`; +1 for 42/hour (`very-high-frequency`)");

  rules.rules[0].set.priority = 0;
  auto top = Decide(rules, {MakeCluster("k", "permissive auth", Severity::kWarning, 42)}, {});
  CHECK(top[0].triage.priority == 0);
  CHECK(top[0].triage.reason ==
        "P0: rule `auth-permissive`; +1 for 42/hour (`very-high-frequency`), already P0");

  rules.rules[0].set.escalate = false;
  auto off = Decide(rules, {MakeCluster("k", "permissive auth", Severity::kWarning, 42)}, {});
  CHECK(off[0].triage.reason == "P0: rule `auth-permissive`");
}

TEST_CASE("decide: a fingerprint name merges the clusters it matches into one problem") {
  RuleSet rules;
  Rule ssot = MakeRule("ssot", "^SSOT");
  ssot.set.fingerprint = "ssot-duplication";
  rules.rules.push_back(ssot);
  Cluster a = MakeCluster("aaaa", "SSOT VALIDATION: Multiple manager instances", Severity::kWarning, 4);
  Cluster b = MakeCluster("bbbb", "SSOT validation issues (non-blocking)", Severity::kError, 3);
  b.first_seen_us = kT0 - kHour;
  b.call_sites = {"app.module.handler:137"};
  Cluster other = MakeCluster("cccc", "Disk full", Severity::kWarning, 9);
  auto problems = Decide(rules, {other, a, b}, {});
  REQUIRE(problems.size() == 2);
  const Problem& merged = problems[0];  // ERROR sorts before WARNING
  CHECK(merged.fingerprint_name == "ssot-duplication");
  CHECK(merged.cluster.key == NamedFingerprint("ssot-duplication"));
  CHECK(merged.member_keys == std::vector<std::string>{"aaaa", "bbbb"});
  CHECK(merged.cluster.count == 7);
  CHECK(merged.cluster.max_severity == Severity::kError);
  CHECK(merged.cluster.first_seen_us == kT0 - kHour);
  CHECK(merged.cluster.template_text == a.template_text);  // the first member's text
  CHECK(merged.cluster.samples.size() == 2);                // one of each member
  CHECK(merged.cluster.call_sites ==
        std::vector<std::string>{"app.module.handler:10", "app.module.handler:137"});
  for (const char* fp : {"aaaa", "bbbb"}) {
    CHECK(std::find(merged.cluster.fingerprints.begin(), merged.cluster.fingerprints.end(), fp) !=
          merged.cluster.fingerprints.end());
  }
  CHECK(merged.triage.priority == 2);  // ERROR by default, on the merged problem
  CHECK(problems[1].member_keys == std::vector<std::string>{"cccc"});
  // The name alone decides the key: the same in every run.
  CHECK(NamedFingerprint("ssot-duplication") == Decide(rules, {b}, {})[0].cluster.key);
}

TEST_CASE("decide: ignored problems come last, and 'known' follows the issues' fingerprints") {
  RuleSet rules;
  Rule noise = MakeRule("otel", "OpenTelemetry");
  noise.set.ignore = true;
  Rule known = MakeRule("known-only", ".");
  known.when.known = true;
  known.set.priority = 6;
  rules.rules = {noise, known};
  KnownIssue issue;
  issue.number = 7;
  issue.fingerprints = {"kkkk"};
  auto problems = Decide(rules,
                         {MakeCluster("oooo", "OpenTelemetry not available", Severity::kWarning, 50),
                          MakeCluster("kkkk", "Known thing", Severity::kWarning, 1),
                          MakeCluster("nnnn", "New thing", Severity::kWarning, 1)},
                         {issue});
  REQUIRE(problems.size() == 3);
  CHECK(problems[0].cluster.key == "nnnn");
  CHECK(problems[0].triage.priority == 3);
  CHECK(problems[1].cluster.key == "kkkk");
  CHECK(problems[1].triage.priority == 6);
  CHECK(problems[2].triage.ignored);
  CHECK(problems[2].triage.reason == "ignored by rule `otel`");
}

}  // namespace
}  // namespace triage
