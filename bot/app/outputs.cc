#include "bot/app/outputs.h"

#include <filesystem>
#include <fstream>
#include <map>

#include "bot/app/cluster_output.h"
#include "bot/app/exit_status.h"
#include "bot/base/version.h"

namespace triage {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kStepSummaryLimit = 1024 * 1024;

int Fail(std::ostream& err, const Error& e, int code) {
  err << e.message << "\n";
  return code;
}

Result<Ok> WriteText(const std::string& path, const std::string& text, bool append) {
  std::ofstream f(path, std::ios::binary | (append ? std::ios::app : std::ios::trunc));
  f << text;
  if (!f.flush()) return Error{ErrorKind::kInput, path + ": cannot write"};
  return Ok{};
}

}  // namespace

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

std::string FitStepSummary(const std::string& text, uint64_t already) {
  const std::string note = "\n\n_The worklog was cut here: GitHub shows at most 1 MiB per step. "
                           "The whole worklog is in the file given to --report._\n";
  if (already + text.size() <= kStepSummaryLimit) return text;
  if (already + note.size() >= kStepSummaryLimit) return "";
  size_t room = kStepSummaryLimit - already - note.size();
  size_t cut = text.rfind('\n', room);
  return text.substr(0, cut == std::string::npos ? 0 : cut) + note;
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

}  // namespace triage
