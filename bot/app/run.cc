#include "bot/app/run.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <sstream>

#include "bot/app/cluster_output.h"
#include "bot/ingest/collect.h"
#include "bot/github/dashboard_sync.h"
#include "bot/triage/decide.h"
#include "bot/app/embedded_files.h"
#include "bot/app/exit_status.h"
#include "bot/triage/known_issues.h"
#include "bot/triage/plan.h"
#include "bot/github/sync.h"
#include "bot/base/text.h"
#include "bot/base/time_util.h"
#include "bot/github/tracker.h"
#include "bot/base/version.h"
#include "clients/curl_transport.h"
#include "clients/github_client.h"

namespace triage {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kStepSummaryLimit = 1024 * 1024;
constexpr const char* kTemplateNames[] = {"issue_body", "comment", "worklog"};

int Fail(std::ostream& err, const Error& e, int code = kExitUsage) {
  err << e.message << "\n";
  return code;
}

Result<TemplateSet> LoadTemplates(const Config& config, const std::string& config_path) {
  std::map<std::string, TemplateSource> sources;
  for (const char* name : kTemplateNames) {
    std::string file = std::string("templates/") + name + ".md.mustache";
    sources[name] = TemplateSource{std::string(EmbeddedFile(file)), file};
  }
  fs::path base = fs::path(config_path).parent_path();
  for (const auto& [name, path] : config.templates) {
    fs::path p = fs::path(path).is_absolute() ? fs::path(path) : base / path;
    Result<std::string> text = ReadFile(p.string(), ErrorKind::kConfig);
    if (!text) return Error{ErrorKind::kConfig, config_path + ": templates " + name + ": " + text.error().message};
    sources[name] = TemplateSource{text.value(), p.string()};
  }
  Result<TemplateSet> set = CompileTemplates(sources);
  if (set) set.value().redact_emails = config.redaction.emails;
  return set;
}

// The problem key of every cluster key, after rules merged some.
std::map<std::string, std::string> ProblemKeys(const std::vector<Problem>& problems) {
  std::map<std::string, std::string> keys;
  for (const Problem& p : problems) {
    for (const std::string& k : p.member_keys) keys[k] = p.cluster.key;
  }
  return keys;
}

Result<Ok> WriteText(const std::string& path, const std::string& text, bool append) {
  std::ofstream f(path, std::ios::binary | (append ? std::ios::app : std::ios::trunc));
  f << text;
  if (!f.flush()) return Error{ErrorKind::kInput, path + ": cannot write"};
  return Ok{};
}

RunReport MakeReport(const RunArgs& args, const Config& config, const CollectResult& r) {
  RunReport report;
  report.services = args.services.empty() ? config.source.services : args.services;
  report.project = config.source.project;
  report.repository = config.github.repository;
  report.generated_us = args.now_us;
  report.dry_run = args.dry_run;
  report.window_start_us = args.since_us.value_or(0);
  report.window_end_us = args.until_us.value_or(0);
  report.entries_read = r.read.entries;
  report.malformed = r.read.malformed;
  report.filtered_out = r.filtered_out;
  report.clustered = r.clustered;
  for (const Cluster& c : r.clusters) {
    for (const auto& [sev, n] : c.severity_counts) report.severity_counts[sev] += n;
    if (!args.since_us && c.first_seen_us != 0 &&
        (report.window_start_us == 0 || c.first_seen_us < report.window_start_us)) {
      report.window_start_us = c.first_seen_us;
    }
    if (!args.until_us) report.window_end_us = std::max(report.window_end_us, c.last_seen_us);
  }
  return report;
}

}  // namespace

Result<Setup> LoadSetup(const std::string& config_path, bool explicit_path) {
  Setup setup;
  std::optional<ConfigText> user;
  std::error_code ec;
  if (explicit_path || fs::exists(config_path, ec)) {
    Result<std::string> text = ReadFile(config_path, ErrorKind::kConfig);
    if (!text) return text.error();
    user = ConfigText{text.value(), config_path};
    setup.config_source = config_path;
  }
  Result<Config> config = LoadConfig(
      ConfigText{std::string(EmbeddedFile("rules/default.yml")), "rules/default.yml"}, user);
  if (!config) return config.error();
  setup.config = std::move(config.value());
  Result<TemplateSet> templates = LoadTemplates(setup.config, config_path);
  if (!templates) return templates.error();
  setup.templates = templates.value();
  return setup;
}

std::string FitStepSummary(const std::string& text, uint64_t already) {
  const std::string note = "\n\n_The worklog was cut here: GitHub shows at most 1 MiB per step. "
                           "The whole worklog is in the file given to --report._\n";
  if (already + text.size() <= kStepSummaryLimit) return text;
  if (already + note.size() >= kStepSummaryLimit) return "";
  size_t room = kStepSummaryLimit - already - note.size();
  size_t cut = text.rfind('\n', room);
  return text.substr(0, cut == std::string::npos ? 0 : cut) + note;
}

int ExitStatusFor(const Error& e) {
  if (e.kind == ErrorKind::kAuth) return kExitAuth;
  return e.kind == ErrorKind::kConfig || e.kind == ErrorKind::kUsage ? kExitUsage : kExitFailure;
}

std::optional<GitHubConnection> ConnectGitHub(const GitHubAccess& g, const Config& config,
                                              const std::string& command, std::ostream& err, int* code) {
  if (g.token.empty()) {
    err << kProgramName << " " << command
        << ": no GitHub token: set GITHUB_TOKEN or GH_TOKEN" << (command == "run" ? ", or use --dry-run" : "")
        << "\n";
    *code = kExitAuth;
    return std::nullopt;
  }
  GitHubOptions options;
  options.api_url = g.api_url;
  options.token = g.token;
  options.repository = config.github.repository.empty() ? g.repository : config.github.repository;
  options.user_agent = std::string(kProgramName) + "/" + kVersion;
  options.max_writes = g.max_writes >= 0 ? g.max_writes : config.github.max_writes;
  if (options.repository.empty()) {
    err << kProgramName << " " << command
        << ": no repository: set github.repository in the config or GITHUB_REPOSITORY\n";
    *code = kExitUsage;
    return std::nullopt;
  }
  GitHubConnection c;
  c.transport = NewCurlTransport();
  auto random = std::make_shared<std::mt19937_64>(static_cast<uint64_t>(g.clock()));
  c.client = std::make_unique<GitHubClient>(
      *c.transport, options, g.sleep, g.clock,
      [random] { return std::uniform_real_distribution<double>(0, 1)(*random); });
  return c;
}

namespace {

// A run that writes: the client, the tracker as it is, and the options.
struct GitHubSession {
  std::unique_ptr<HttpTransport> transport;
  std::unique_ptr<GitHubClient> client;
  std::map<int, TrackedIssue> tracker;
  std::vector<GitHubIssue> dashboards;   // the dashboard issue, oldest first
  SyncOptions sync;
};

int ExitFor(const Error& e) { return ExitStatusFor(e); }

// Connects and reads the bot's issues. On failure says why and returns the
// exit status through `code`.
std::optional<GitHubSession> OpenGitHub(const RunArgs& args, const Config& config, std::ostream& err,
                                        int* code) {
  std::optional<GitHubConnection> connection = ConnectGitHub(args.github, config, "run", err, code);
  if (!connection) return std::nullopt;
  const GitHubAccess& g = args.github;
  GitHubSession s;
  s.transport = std::move(connection->transport);
  s.client = std::move(connection->client);
  s.sync.bot_label = config.github.bot_label;
  s.sync.labels = config.github.labels;
  s.sync.bot_login = config.github.bot_login;
  s.sync.run_id = g.run_id;
  Result<std::map<int, TrackedIssue>> tracker = LoadTracker(*s.client, s.sync.bot_label, &s.sync.bot_login, &s.dashboards);
  if (!tracker) {
    err << kProgramName << " run: reading the issues of " << s.client->repository() << ": "
        << tracker.error().message << "\n";
    *code = ExitFor(tracker.error());
    return std::nullopt;
  }
  s.tracker = std::move(tracker.value());
  Result<Ok> read = ReadComments(*s.client, s.sync.bot_login, &s.tracker);
  if (!read) {
    err << kProgramName << " run: reading the comments of adopted issues: " << read.error().message << "\n";
    *code = ExitFor(read.error());
    return std::nullopt;
  }
  return s;
}

Result<std::vector<KnownIssue>> ReadSnapshot(const std::string& path) {
  if (path.empty()) return std::vector<KnownIssue>();
  Result<std::string> text = ReadFile(path, ErrorKind::kConfig);
  if (!text) return text.error();
  return ParseKnownIssues(text.value(), path);
}

int WriteOutputs(const RunArgs& args, const Setup& setup, const RunReport& report,
                 std::ostream& out, std::ostream& err) {
  std::string worklog = RenderWorklog(setup.templates, report);
  if (args.json) {
    out << RenderReportJson(report);
  } else if (args.report_path != "-") {
    out << RenderPlanText(report);
  }
  if (args.report_path == "-") {
    out << worklog;
  } else if (!args.report_path.empty()) {
    Result<Ok> w = WriteText(args.report_path, worklog, false);
    if (!w) return Fail(err, w.error(), kExitFailure);
  }
  if (!args.step_summary_path.empty()) {
    std::error_code ec;
    uint64_t already = fs::exists(args.step_summary_path, ec) ? fs::file_size(args.step_summary_path, ec) : 0;
    Result<Ok> w = WriteText(args.step_summary_path, FitStepSummary(worklog, ec ? 0 : already), true);
    if (!w) return Fail(err, w.error(), kExitFailure);
  }
  return kExitOk;
}

// The dashboard after a run where every action succeeded. Reading Cloud
// Logging, the window end moves to where this run read up to; a run on a
// file keeps the recorded one.
Result<std::string> UpdateDashboard(const RunArgs& args, const RunArgs& window, const Config& config,
                                    const CollectResult& r, GitHubSession& github) {
  DashboardView view;
  view.repository = github.client->repository();
  view.bot_label = config.github.bot_label;
  view.updated_us = args.now_us;
  view.overlap_us = config.source.overlap_us;
  view.run_url = args.github.run_url;
  view.issues = KnownIssues(github.tracker);
  std::optional<int64_t> last_end = LastWindowEnd(github.dashboards);
  if (args.input.empty() && window.until_us) {
    view.window_end_us = r.capped && r.newest_read_us > 0 ? r.newest_read_us : *window.until_us;
    if (last_end && *last_end > view.window_end_us && !args.since_us) view.window_end_us = *last_end;
  } else {
    view.window_end_us = last_end.value_or(0);
  }
  return WriteDashboard(*github.client, config.github.dashboard_title, config.github.bot_label,
                        github.sync.bot_login, github.dashboards, view);
}

// For Actions: step outputs and one annotation that sums the run up.
void Summarize(const RunArgs& args, const RunReport& report, const CollectResult& r, int failed,
               const std::string& dashboard, std::ostream& err) {
  std::map<ActionKind, int> counts;
  for (const PlannedAction& a : report.actions) {
    if (!a.failed) ++counts[a.kind];
  }
  const int created = counts[ActionKind::kCreate];
  const int updated = counts[ActionKind::kUpdate] + counts[ActionKind::kEscalate] + counts[ActionKind::kReopen];
  std::string summary = std::to_string(report.actions.size()) + " problems; " +
                        (args.dry_run ? "planned " : "") + std::to_string(created) + " new issues, " +
                        std::to_string(updated) + " updated" +
                        (failed > 0 ? ", " + std::to_string(failed) + " failed (a rerun retries them)" : "");
  if (args.commands != nullptr) {
    if (r.read.malformed > 0) {
      args.commands->Annotate("warning", "gcp-log-gardener",
                              std::to_string(r.read.malformed) + " malformed log entries skipped");
    }
    if (r.capped) {
      args.commands->Annotate("warning", "gcp-log-gardener",
                              "the read stopped at source.max_entries; the next run reads on from there");
    }
    args.commands->Annotate(failed > 0 ? "error" : "notice", "gcp-log-gardener", summary);
  }
  if (args.step_outputs_path.empty()) return;
  Result<Ok> w = WriteStepOutputs(args.step_outputs_path,
                                  {{"problems", std::to_string(report.actions.size())},
                                   {"issues_created", std::to_string(created)},
                                   {"issues_updated", std::to_string(updated)},
                                   {"failed", std::to_string(failed)},
                                   {"dry_run", args.dry_run ? "true" : "false"},
                                   {"dashboard", dashboard},
                                   {"report", args.report_path == "-" ? "" : args.report_path}});
  if (!w) err << kProgramName << ": " << w.error().message << "\n";
}

}  // namespace

int RunJob(const RunArgs& args, std::ostream& out, std::ostream& err) {
  Result<Setup> setup = LoadSetup(args.config_path, args.config_explicit);
  if (!setup) return Fail(err, setup.error());
  const Config& config = setup.value().config;
  Result<std::vector<KnownIssue>> snapshot = ReadSnapshot(args.issues_path);
  if (!snapshot) return Fail(err, snapshot.error());
  std::vector<KnownIssue> issues = std::move(snapshot.value());
  std::optional<GitHubSession> github;
  if (!args.dry_run) {
    int code = kExitOk;
    github = OpenGitHub(args, config, err, &code);
    if (!github) return code;
    issues = KnownIssues(github->tracker);
  }

  CollectOptions options;
  options.input = args.input;
  options.format = args.format;
  options.filter.min_severity = args.min_severity.value_or(config.source.min_severity);
  options.filter.severity_explicit = args.min_severity.has_value();
  options.filter.since_us = args.since_us;
  options.filter.until_us = args.until_us;
  options.filter.services = args.services.empty() ? config.source.services : args.services;
  options.assignments_path = args.assignments_path;
  options.assignment_keys = [&](const std::vector<Cluster>& clusters) {
    return ProblemKeys(Decide(config.rules, clusters, issues));
  };
  RunArgs window = args;  // a read of Cloud Logging always has a window
  Result<CollectResult> collected = Error{};
  if (args.input.empty()) {
    if (!args.since_us) {
      std::optional<int64_t> last_end;
      if (github && config.github.dashboard) last_end = LastWindowEnd(github->dashboards);
      WindowStart start = ChooseWindowStart(config.source, last_end, args.now_us);
      window.since_us = start.since_us;
      err << kProgramName << ": window from " << FormatRfc3339(start.since_us) << ": " << start.reason << "\n";
    }
    window.until_us = args.until_us.value_or(args.now_us);
    collected = CollectFromCloudLogging(options, config.source, *window.since_us, *window.until_us,
                                        args.cloud, err);
    if (!collected) {
      err << kProgramName << " run: reading Cloud Logging: " << collected.error().message << "\n";
      return ExitFor(collected.error());
    }
  } else {
    collected = CollectAndCluster(options);
    if (!collected) return Fail(err, collected.error());
  }
  const CollectResult& r = collected.value();
  if (r.read.malformed > 0) {
    err << kProgramName << ": " << (args.input == "-" ? "stdin" : args.input) << ": skipped "
        << r.read.malformed << " malformed entr" << (r.read.malformed == 1 ? "y" : "ies")
        << " (first at byte " << r.read.first_malformed_offset << ")\n";
  }

  std::vector<Problem> problems = Decide(config.rules, r.clusters, issues);
  if (github) {
    Result<Ok> adopted = AdoptIssues(*github->client, problems, config.github.file_at_or_above,
                                     github->sync.bot_label, github->sync.bot_login, &github->tracker);
    if (!adopted) {
      err << kProgramName << " run: searching for issues people filed: " << adopted.error().message << "\n";
      return ExitFor(adopted.error());
    }
    issues = KnownIssues(github->tracker);
  }
  PlanOptions plan_options{config.github.file_at_or_above, config.github.reopen_window_us, args.now_us,
                           config.github.quiet_period_us};
  RunReport report = MakeReport(window, config, r);
  if (github) report.repository = github->client->repository();
  report.actions = PlanActions(problems, issues, plan_options);
  int failed = 0;
  if (github) {
    failed = ApplyPlan(*github->client, setup.value().templates, github->sync, &github->tracker, &report);
    const GitHubStats& st = github->client->stats();
    err << kProgramName << ": GitHub: " << st.requests << " requests (" << st.list_calls << " list, "
        << st.search_calls << " search, " << st.writes << " writes, " << st.retries << " retries)\n";
  }
  std::string dashboard;
  if (github && config.github.dashboard && failed == 0) {
    Result<std::string> written = UpdateDashboard(args, window, config, r, *github);
    if (!written) {
      err << kProgramName << " run: the dashboard issue: " << written.error().message
          << " (the next run reads from where the last recorded one ended)\n";
      ++failed;
    } else {
      dashboard = written.value();
    }
  }
  int code = WriteOutputs(args, setup.value(), report, out, err);
  if (code != kExitOk) return code;
  Summarize(args, report, r, failed, dashboard, err);
  if (failed > 0) {
    err << kProgramName << " run: " << failed << " action" << (failed == 1 ? "" : "s")
        << " failed; the worklog says which. A rerun finishes the job.\n";
    return kExitFailure;
  }
  return kExitOk;
}

int RunValidate(const std::string& config_path, bool explicit_path, std::ostream& out,
                std::ostream& err) {
  Result<Setup> setup = LoadSetup(config_path, explicit_path);
  if (!setup) return Fail(err, setup.error());
  const Setup& s = setup.value();
  out << (s.config_source.empty() ? "rules/default.yml (no " + config_path + ")" : s.config_source)
      << ": OK, " << s.config.rules.rules.size() << " rules, "
      << s.config.rules.escalations.size() << " escalations\n";
  return kExitOk;
}

}  // namespace triage
