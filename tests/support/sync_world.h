// Test support for the writer's tests: a problem, a report, the default
// templates, and the tracker as LoadTracker reads it from a fake GitHub.
#ifndef TRIAGE_TESTS_SUPPORT_SYNC_WORLD_H_
#define TRIAGE_TESTS_SUPPORT_SYNC_WORLD_H_

#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "bot/app/setup.h"
#include "bot/github/marker.h"
#include "bot/github/tracker.h"
#include "tests/support/github_session.h"

namespace triage {
namespace testing {

constexpr int64_t kSyncHour = 3600LL * 1000000;
constexpr int64_t kSyncT0 = 1893456000LL * 1000000 - 10 * kSyncHour;

inline Problem MakeProblem(const std::string& key, int64_t last_seen_us, int priority = 2) {
  Problem p;
  p.cluster.key = key;
  p.cluster.fingerprints = {key};
  p.cluster.template_text = "database refused connection <*>";
  p.cluster.service = "svc";
  p.cluster.count = 3;
  p.cluster.severity_counts[Severity::kError] = 3;
  p.cluster.max_severity = Severity::kError;
  p.cluster.first_seen_us = last_seen_us - kSyncHour;
  p.cluster.last_seen_us = last_seen_us;
  Sample s;
  s.id = "s-" + key;
  s.timestamp_us = last_seen_us;
  s.severity = Severity::kError;
  s.text = "database refused connection 7";
  p.cluster.samples.push_back(s);
  p.member_keys = {key};
  p.triage.category = "GCP-regression";
  p.triage.priority = priority;
  p.triage.summary = "Database refused connection";
  p.triage.title = "GCP-regression | P" + std::to_string(priority) + " | Database refused connection";
  return p;
}

inline TemplateSet DefaultTemplates() {
  Result<Setup> setup = LoadSetup("/nonexistent/gardener-test.yml", false);
  REQUIRE(setup);
  return setup.value().templates;
}

inline RunReport MakeRunReport(int64_t start_us, int64_t end_us) {
  RunReport r;
  r.repository = "octo/repo";
  r.window_start_us = start_us;
  r.window_end_us = end_us;
  r.generated_us = end_us;
  r.dry_run = false;
  return r;
}

// Seeds an issue the bot filed for `key` (watermark `watermark_us`,
// priority label P`priority`), as a run long ago wrote it.
inline int SeedBotIssue(FakeGitHub& github, const std::string& key, int64_t watermark_us,
                        int priority, const std::string& state = "open",
                        int64_t evidence_id = 0) {
  Marker m;
  m.key = key;
  m.fingerprints = {key};
  m.watermark_us = watermark_us;
  m.priority = priority;
  m.run_id = "old-run";
  m.evidence_id = evidence_id;
  FakeIssue issue;
  issue.title = "GCP-regression | P" + std::to_string(priority) + " | Database refused connection";
  issue.body = "Seen before.\n\n" + FormatMarker(m);
  issue.labels = {"gcp-log-gardener", "GCP-regression", "P" + std::to_string(priority)};
  issue.user_login = "github-actions[bot]";
  issue.user_type = "Bot";
  issue.state = state;
  if (state == "closed") issue.state_reason = "completed";
  return github.SeedIssue("octo/repo", issue);
}

inline std::map<int, TrackedIssue> ReadTracker(GitHubSession& s) {
  std::string login = "github-actions[bot]";
  Result<std::map<int, TrackedIssue>> t = LoadTracker(*s.client, "gcp-log-gardener", &login);
  REQUIRE(t);
  REQUIRE(ReadComments(*s.client, login, &t.value()));
  return t.value();
}

}  // namespace testing
}  // namespace triage

#endif  // TRIAGE_TESTS_SUPPORT_SYNC_WORLD_H_
