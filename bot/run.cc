#include "bot/run.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include "bot/cluster_output.h"
#include "bot/collect.h"
#include "bot/decide.h"
#include "bot/embedded_files.h"
#include "bot/exit_status.h"
#include "bot/known_issues.h"
#include "bot/plan.h"
#include "bot/version.h"

namespace triage {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kStepSummaryLimit = 1024 * 1024;
constexpr const char* kTemplateNames[] = {"issue_body", "comment", "worklog"};

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorKind::kConfig, path + ": cannot open"};
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Error{ErrorKind::kConfig, path + ": read error"};
  return text;
}

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
    Result<std::string> text = ReadFile(p.string());
    if (!text) return Error{ErrorKind::kConfig, config_path + ": templates " + name + ": " + text.error().message};
    sources[name] = TemplateSource{text.value(), p.string()};
  }
  return CompileTemplates(sources);
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
    Result<std::string> text = ReadFile(config_path);
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

int RunJob(const RunArgs& args, std::ostream& out, std::ostream& err) {
  Result<Setup> setup = LoadSetup(args.config_path, args.config_explicit);
  if (!setup) return Fail(err, setup.error());
  const Config& config = setup.value().config;
  if (!args.dry_run) {
    err << kProgramName << " run: writing to GitHub is not available in this version; "
        << "use --dry-run to see the plan\n";
    return kExitUsage;
  }
  std::vector<KnownIssue> issues;
  if (!args.issues_path.empty()) {
    Result<std::string> text = ReadFile(args.issues_path);
    if (!text) return Fail(err, text.error());
    Result<std::vector<KnownIssue>> parsed = ParseKnownIssues(text.value(), args.issues_path);
    if (!parsed) return Fail(err, parsed.error());
    issues = std::move(parsed.value());
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
  Result<CollectResult> collected = CollectAndCluster(options);
  if (!collected) return Fail(err, collected.error());
  const CollectResult& r = collected.value();
  if (r.read.malformed > 0) {
    err << kProgramName << ": " << (args.input == "-" ? "stdin" : args.input) << ": skipped "
        << r.read.malformed << " malformed entr" << (r.read.malformed == 1 ? "y" : "ies")
        << " (first at byte " << r.read.first_malformed_offset << ")\n";
  }

  std::vector<Problem> problems = Decide(config.rules, r.clusters, issues);
  PlanOptions plan_options{config.github.file_at_or_above, config.github.reopen_window_us, args.now_us};
  RunReport report = MakeReport(args, config, r);
  report.actions = PlanActions(problems, issues, plan_options);

  std::string worklog = RenderWorklog(setup.value().templates, report);
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
