#include "bot/app/run.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bot/app/exit_status.h"
#include "bot/app/outputs.h"
#include "bot/base/text.h"
#include "bot/base/time_util.h"
#include "bot/base/version.h"
#include "bot/github/dashboard.h"
#include "bot/github/dashboard_sync.h"
#include "bot/github/sync.h"
#include "bot/ingest/collect.h"
#include "bot/triage/decide.h"
#include "bot/triage/known_issues.h"
#include "bot/triage/plan.h"

namespace triage {
namespace {

const std::string kRun = std::string(kProgramName) + " run";

// One run's state, filled step by step.
struct Job {
  Job(const RunArgs& a, const Setup& s, std::ostream& e) : args(a), setup(s), err(e) {}

  const RunArgs& args;
  const Setup& setup;
  std::ostream& err;
  std::optional<GitHubSession> github;  // unset in a dry run
  std::vector<KnownIssue> issues;       // the tracker as planning sees it
  RunArgs window;                       // args with the window a read used
  CollectResult collected;
  std::vector<Problem> problems;
  RunReport report;
  int failed = 0;                       // actions (and the dashboard) that failed
  std::string dashboard;                // its URL, once written

  const Config& config() const { return setup.config; }
};

int Fail(Job& job, const Error& e, int code) {
  job.err << e.message << "\n";
  return code;
}

// The tracker: GitHub's issues (read in a dry run too, when there is a
// token, so that it plans what the real run then does), or a snapshot, or
// in a dry run without either nothing, which it says.
int ReadTracker(Job& job) {
  if (job.args.dry_run && job.args.issues_path.empty() && job.args.github.token.empty()) {
    job.err << kProgramName << ": no GitHub token: the dry run plans against an empty tracker "
            << "(set GITHUB_TOKEN or GH_TOKEN to plan against the real one, or give --issues)\n";
    return kExitOk;
  }
  if (job.args.dry_run && !job.args.issues_path.empty()) {
    Result<std::string> text = ReadFile(job.args.issues_path, ErrorKind::kConfig);
    if (!text) return Fail(job, text.error(), kExitUsage);
    Result<std::vector<KnownIssue>> issues = ParseKnownIssues(text.value(), job.args.issues_path);
    if (!issues) return Fail(job, issues.error(), kExitUsage);
    job.issues = std::move(issues.value());
    return kExitOk;
  }
  Result<GitHubSession> github = OpenGitHub(job.args.github, job.config());
  if (!github && job.args.dry_run && github.error().kind == ErrorKind::kConfig) {
    job.err << github.error().message << "; the dry run plans against an empty tracker\n";
    return kExitOk;
  }
  if (!github) return Fail(job, github.error(), ExitStatusFor(github.error()));
  job.github = std::move(github.value());
  job.issues = KnownIssues(job.github->tracker);
  return kExitOk;
}

CollectOptions CollectOptionsOf(const Job& job) {
  const RunArgs& args = job.args;
  CollectOptions options;
  options.input = args.input;
  options.format = args.format;
  options.filter.min_severity = args.min_severity.value_or(job.config().source.min_severity);
  options.filter.severity_explicit = args.min_severity.has_value();
  options.filter.since_us = args.since_us;
  options.filter.until_us = args.until_us;
  options.filter.services = args.services.empty() ? job.config().source.services : args.services;
  options.keep_assignments = !args.assignments_path.empty();
  for (const KnownIssue& issue : job.issues) {
    if (issue.watermark_us != 0) options.count_before.push_back(issue.watermark_us);
  }
  return options;
}

// Cloud Logging's window: from the flags, else from where the dashboard
// says the last run ended (less the overlap), else the config's.
int ChooseWindow(Job& job) {
  const RunArgs& args = job.args;
  job.window = args;
  if (!args.input.empty()) return kExitOk;
  if (!args.since_us) {
    std::optional<int64_t> last_end;
    if (job.github && job.config().github.dashboard) last_end = LastWindowEnd(job.github->dashboards);
    WindowStart start = ChooseWindowStart(job.config().source, last_end, args.now_us);
    const int64_t retry = job.github ? LastRetryFrom(job.github->dashboards) : 0;
    const int64_t floor_us = args.now_us - job.config().source.max_lookback_us;
    if (retry != 0 && retry < start.since_us && job.config().github.dashboard) {
      start.since_us = std::max(retry, floor_us);
      start.reason = "an action of the last run failed: from the first occurrence of its problem";
    }
    job.window.since_us = start.since_us;
    job.err << kProgramName << ": window from " << FormatRfc3339(start.since_us) << ": "
            << start.reason << "\n";
  }
  job.window.until_us = args.until_us.value_or(args.now_us);
  return kExitOk;
}

// The entries of the window, filtered and clustered as they are read.
int ReadEntries(Job& job) {
  const RunArgs& args = job.args;
  CollectOptions options = CollectOptionsOf(job);
  Result<CollectResult> collected = Error{};
  if (args.input.empty()) {
    collected = CollectFromCloudLogging(options, job.config().source, *job.window.since_us,
                                        *job.window.until_us, args.cloud, job.err);
    if (!collected) {
      job.err << kRun << ": reading Cloud Logging: " << collected.error().message << "\n";
      return ExitStatusFor(collected.error());
    }
  } else {
    collected = CollectAndCluster(options);
    if (!collected) return Fail(job, collected.error(), kExitUsage);
  }
  job.collected = std::move(collected.value());
  const ReadStats& read = job.collected.read;
  if (read.malformed > 0) {
    job.err << kProgramName << ": " << (args.input == "-" ? "stdin" : args.input) << ": skipped "
            << read.malformed << " malformed entr" << (read.malformed == 1 ? "y" : "ies")
            << " (first at byte " << read.first_malformed_offset << ")\n";
  }
  return kExitOk;
}

// The problem key of every cluster key, after rules merged some.
std::map<std::string, std::string> ProblemKeys(const std::vector<Problem>& problems) {
  std::map<std::string, std::string> keys;
  for (const Problem& p : problems) {
    for (const std::string& k : p.member_keys) keys[k] = p.cluster.key;
  }
  return keys;
}

// The rules' verdict on every cluster, once; then which problem each entry
// belongs to, when asked.
int DecideProblems(Job& job) {
  job.problems = Decide(job.config().rules, job.collected.clusters, job.issues);
  if (job.args.assignments_path.empty()) return kExitOk;
  Result<Ok> written =
      WriteAssignments(job.collected, job.args.assignments_path, ProblemKeys(job.problems));
  return written ? kExitOk : Fail(job, written.error(), kExitUsage);
}

// Issues people filed for problems about to be filed join the tracker.
int Adopt(Job& job) {
  if (!job.github) return kExitOk;
  GitHubSession& g = *job.github;
  Result<Ok> adopted = AdoptIssues(*g.client, job.problems, job.config().github.file_at_or_above,
                                   g.sync.bot_label, g.sync.bot_login, &g.tracker);
  if (!adopted) {
    job.err << kRun << ": searching for issues people filed: " << adopted.error().message << "\n";
    return ExitStatusFor(adopted.error());
  }
  for (const auto& [number, t] : g.tracker) {
    if (t.adopted_now) job.issues.push_back(t.known);
  }
  return kExitOk;
}

void Plan(Job& job) {
  const GitHubConfig& gh = job.config().github;
  PlanOptions options{gh.file_at_or_above, gh.reopen_window_us, job.args.now_us, gh.quiet_period_us};
  job.report = MakeReport(job.window, job.config(), job.collected);
  if (job.github) job.report.repository = job.github->client->repository();
  job.report.actions = PlanActions(job.problems, job.issues, options);
  // How many occurrences are new to each issue, counted while reading.
  std::map<int, int64_t> watermarks;
  for (const KnownIssue& issue : job.issues) watermarks[issue.number] = issue.watermark_us;
  for (PlannedAction& a : job.report.actions) {
    auto it = watermarks.find(a.issue_number);
    if (a.issue_number == 0 || it == watermarks.end() || it->second == 0) continue;
    a.new_count = CountAfter(job.collected.before, a.problem.member_keys, a.problem.cluster.count,
                             it->second);
  }
}

// The dashboard after a run where every action succeeded. Reading Cloud
// Logging, the window end moves to where this run read up to; a run on a
// file keeps the recorded one.
Result<std::string> UpdateDashboard(const Job& job) {
  const RunArgs& args = job.args;
  const GitHubSession& g = *job.github;
  DashboardView view;
  view.repository = g.client->repository();
  view.bot_label = job.config().github.bot_label;
  view.updated_us = args.now_us;
  view.overlap_us = job.config().source.overlap_us;
  view.run_url = args.github.run_url;
  view.issues = KnownIssues(g.tracker);  // as the writes left it
  for (const PlannedAction& a : job.report.actions) {
    const int64_t first = a.problem.cluster.first_seen_us;
    if (a.failed && first != 0 && (view.retry_from_us == 0 || first < view.retry_from_us)) {
      view.retry_from_us = first;
    }
  }
  std::optional<int64_t> last_end = LastWindowEnd(g.dashboards);
  const CollectResult& r = job.collected;
  if (args.input.empty() && job.window.until_us) {
    view.window_end_us = r.capped && r.newest_read_us > 0 ? r.newest_read_us : *job.window.until_us;
    if (last_end && *last_end > view.window_end_us && !args.since_us) view.window_end_us = *last_end;
  } else {
    view.window_end_us = last_end.value_or(0);
  }
  return WriteDashboard(*g.client, job.config().github.dashboard_title, job.config().github.bot_label,
                        g.sync.bot_login, g.dashboards, view);
}

// Carries the plan out, then the dashboard (not in a dry run); then says
// what it cost, every request counted.
void Apply(Job& job) {
  if (!job.github) return;
  GitHubSession& g = *job.github;
  if (!job.args.dry_run) {
    job.failed = ApplyPlan(*g.client, job.setup.templates, g.sync, &g.tracker, &job.report);
  }
  // One action's failure does not hold the window of all others: the
  // dashboard moves on and records where the next run must read from to
  // retry it.
  if (!job.args.dry_run && job.config().github.dashboard) {
    Result<std::string> written = UpdateDashboard(job);
    if (written) {
      job.dashboard = written.value();
    } else {
      job.err << kRun << ": the dashboard issue: " << written.error().message
              << " (the next run reads from where the last recorded one ended)\n";
      ++job.failed;
    }
  }
  const GitHubStats& st = g.client->stats();
  job.err << kProgramName << ": GitHub: " << st.requests << " requests (" << st.list_calls << " list, "
          << st.search_calls << " search, " << st.writes << " writes, " << st.retries << " retries)\n";
}

int Report(Job& job, std::ostream& out) {
  int code = WriteOutputs(job.args, job.setup, job.report, out, job.err);
  if (code != kExitOk) return code;
  Summarize(job.args, job.report, job.collected, job.failed, job.dashboard, job.err);
  if (job.failed > 0) {
    job.err << kRun << ": " << job.failed << " action" << (job.failed == 1 ? "" : "s")
            << " failed; the worklog says which. A rerun finishes the job.\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

int RunJob(const RunArgs& args, std::ostream& out, std::ostream& err) {
  Result<Setup> setup = LoadSetup(args.config_path, args.config_explicit);
  if (!setup) {
    err << setup.error().message << "\n";
    return kExitUsage;
  }
  Job job(args, setup.value(), err);
  for (int (*step)(Job&) : {ReadTracker, ChooseWindow, ReadEntries, DecideProblems, Adopt}) {
    int code = step(job);
    if (code != kExitOk) return code;
  }
  Plan(job);
  Apply(job);
  return Report(job, out);
}

}  // namespace triage
