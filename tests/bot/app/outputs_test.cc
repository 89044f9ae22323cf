// What a run leaves besides the tracker: MakeReport's header and window,
// WriteOutputs' plan, worklog file and step summary, Summarize's step
// outputs and annotations, and FitStepSummary's cut at 1 MiB.
#include "bot/app/outputs.h"

#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "bot/actions/actions_output.h"
#include "bot/app/cluster_output.h"
#include "bot/app/exit_status.h"
#include "tests/support/cli_support.h"

namespace triage {
namespace {

using testing::TempDir;

constexpr int64_t kHour = 3600LL * 1000000;
constexpr int64_t kT0 = 1757900000LL * 1000000;

Cluster MakeCluster(const std::string& key, int64_t first, int64_t last, Severity sev, int64_t n) {
  Cluster c;
  c.key = key;
  c.fingerprints = {key};
  c.count = n;
  c.first_seen_us = first;
  c.last_seen_us = last;
  c.severity_counts[sev] = n;
  c.max_severity = sev;
  return c;
}

CollectResult TwoClusters() {
  CollectResult r;
  r.clusters.push_back(MakeCluster("aaaa", kT0 + 2 * kHour, kT0 + 3 * kHour, Severity::kError, 5));
  r.clusters.push_back(MakeCluster("bbbb", kT0 + kHour, kT0 + 5 * kHour, Severity::kWarning, 7));
  r.clusters.back().severity_counts[Severity::kError] = 2;
  r.read.entries = 20;
  r.read.malformed = 3;
  r.filtered_out = 4;
  r.clustered = 13;
  return r;
}

PlannedAction Action(ActionKind kind, bool failed = false) {
  PlannedAction a;
  a.kind = kind;
  a.failed = failed;
  return a;
}

TEST_CASE("outputs: MakeReport takes the window from the clusters unless the flags give it") {
  Config config;
  config.source.project = "proj";
  config.source.services = {"svc-a"};
  config.github.repository = "octo/repo";
  RunArgs args;
  args.now_us = kT0 + 9 * kHour;
  args.dry_run = true;
  CollectResult r = TwoClusters();

  RunReport report = MakeReport(args, config, r);
  CHECK(report.window_start_us == kT0 + kHour);      // the earliest first_seen
  CHECK(report.window_end_us == kT0 + 5 * kHour);    // the latest last_seen
  CHECK(report.services == std::vector<std::string>{"svc-a"});
  CHECK(report.project == "proj");
  CHECK(report.repository == "octo/repo");
  CHECK(report.generated_us == args.now_us);
  CHECK(report.dry_run);
  CHECK(report.entries_read == 20);
  CHECK(report.malformed == 3);
  CHECK(report.filtered_out == 4);
  CHECK(report.clustered == 13);
  CHECK(report.severity_counts.at(Severity::kError) == 7);
  CHECK(report.severity_counts.at(Severity::kWarning) == 7);

  args.since_us = kT0;
  args.until_us = kT0 + 4 * kHour;
  args.services = {"svc-b"};
  report = MakeReport(args, config, r);
  CHECK(report.window_start_us == kT0);
  CHECK(report.window_end_us == kT0 + 4 * kHour);
  CHECK(report.services == std::vector<std::string>{"svc-b"});

  SUBCASE("no clusters and no flags: an open window") {
    RunArgs plain;
    RunReport empty = MakeReport(plain, config, CollectResult{});
    CHECK(empty.window_start_us == 0);
    CHECK(empty.window_end_us == 0);
    CHECK(empty.severity_counts.empty());
  }
}

TEST_CASE("outputs: WriteOutputs writes the plan, the worklog file and appends the step summary") {
  TempDir dir;
  Result<Setup> setup = LoadSetup(dir.Path("absent.yml"), false);
  REQUIRE(setup);
  RunArgs args;
  args.report_path = dir.Path("worklog.md");
  args.step_summary_path = dir.Write("summary.md", "earlier step\n");
  RunReport report = MakeReport(args, setup.value().config, TwoClusters());
  report.actions.push_back(Action(ActionKind::kCreate));
  std::string worklog = RenderWorklog(setup.value().templates, report);
  REQUIRE_FALSE(worklog.empty());

  std::ostringstream out, err;
  CHECK(WriteOutputs(args, setup.value(), report, out, err) == kExitOk);
  CHECK(out.str() == RenderPlanText(report));
  CHECK(testing::ReadFile(args.report_path) == worklog);
  CHECK(testing::ReadFile(args.step_summary_path) == "earlier step\n" + worklog);
  CHECK(err.str().empty());

  SUBCASE("--json prints the JSON report instead of the plan") {
    args.json = true;
    std::ostringstream json;
    CHECK(WriteOutputs(args, setup.value(), report, json, err) == kExitOk);
    CHECK(json.str() == RenderReportJson(report));
  }
  SUBCASE("--report - sends the worklog to stdout alone") {
    args.report_path = "-";
    args.step_summary_path.clear();
    std::ostringstream o;
    CHECK(WriteOutputs(args, setup.value(), report, o, err) == kExitOk);
    CHECK(o.str() == worklog);
  }
  SUBCASE("a worklog that cannot be written fails the run with its path") {
    args.report_path = dir.Path("no/such/dir/worklog.md");
    std::ostringstream o, e;
    CHECK(WriteOutputs(args, setup.value(), report, o, e) == kExitFailure);
    CHECK(e.str() == args.report_path + ": cannot write\n");
  }
}

TEST_CASE("outputs: Summarize counts what was done and writes the step outputs and annotations") {
  TempDir dir;
  std::ostringstream log;
  WorkflowCommands commands(log, true, "stoptoken");
  RunArgs args;
  args.commands = &commands;
  args.report_path = dir.Path("worklog.md");
  args.step_outputs_path = dir.Path("outputs");
  RunReport report;
  report.actions = {Action(ActionKind::kCreate),   Action(ActionKind::kCreate, true),
                    Action(ActionKind::kUpdate),   Action(ActionKind::kEscalate),
                    Action(ActionKind::kReopen),   Action(ActionKind::kIgnore)};
  CollectResult r = TwoClusters();
  r.capped = true;
  std::ostringstream err;
  Summarize(args, report, r, /*failed=*/1, "https://example.test/issues/9", err);
  CHECK(err.str().empty());
  std::string outputs = testing::ReadFile(args.step_outputs_path);
  CHECK(outputs.find("problems=6\n") != std::string::npos);
  CHECK(outputs.find("issues_created=1\n") != std::string::npos);
  CHECK(outputs.find("issues_updated=3\n") != std::string::npos);
  CHECK(outputs.find("failed=1\n") != std::string::npos);
  CHECK(outputs.find("dry_run=false\n") != std::string::npos);
  CHECK(outputs.find("dashboard=https://example.test/issues/9\n") != std::string::npos);
  CHECK(outputs.find("report=" + args.report_path + "\n") != std::string::npos);
  std::string text = log.str();
  CHECK(text.find("::warning title=gcp-log-gardener::3 malformed log entries skipped\n") !=
        std::string::npos);
  CHECK(text.find("::warning title=gcp-log-gardener::the read stopped at source.max_entries") !=
        std::string::npos);
  CHECK(text.find("::error title=gcp-log-gardener::6 problems; 1 new issues, 3 updated, 1 failed "
                  "(a rerun retries them)\n") != std::string::npos);

  SUBCASE("a clean dry run is a notice of what was planned, and --report - leaves report empty") {
    std::ostringstream log2;
    WorkflowCommands quiet(log2, true, "stoptoken2");
    RunArgs dry;
    dry.dry_run = true;
    dry.commands = &quiet;
    dry.report_path = "-";
    dry.step_outputs_path = dir.Path("outputs2");
    CollectResult clean;
    RunReport two;
    two.actions = {Action(ActionKind::kCreate), Action(ActionKind::kUpdate)};
    Summarize(dry, two, clean, 0, "", err);
    CHECK(log2.str().find("::notice title=gcp-log-gardener::2 problems; planned 1 new issues, 1 updated\n") !=
          std::string::npos);
    CHECK(log2.str().find("::warning") == std::string::npos);
    std::string o = testing::ReadFile(dry.step_outputs_path);
    CHECK(o.find("dry_run=true\n") != std::string::npos);
    CHECK(o.find("report=\n") != std::string::npos);
  }
  SUBCASE("an outputs file that cannot be written is reported on stderr") {
    args.commands = nullptr;
    args.step_outputs_path = dir.Path("no/such/outputs");
    std::ostringstream e;
    Summarize(args, report, r, 0, "", e);
    CHECK(e.str().rfind("gcp-log-gardener: ", 0) == 0);
  }
}

TEST_CASE("outputs: FitStepSummary cuts at a line end within 1 MiB, with a note") {
  std::string big;
  while (big.size() < 2 * 1024 * 1024) big += "| row | of | a | table |\n";
  std::string fitted = FitStepSummary(big, 1000);
  CHECK(fitted.size() + 1000 <= 1024 * 1024);
  CHECK(fitted.size() + 1000 > 1024 * 1024 - 400);  // not cut more than a line and the note
  CHECK(fitted.find("The worklog was cut here") != std::string::npos);
  CHECK(fitted.find("| row | of | a | table |\n\n_The worklog") != std::string::npos);
  CHECK(FitStepSummary("small\n", 0) == "small\n");
  std::string exact(1024 * 1024 - 10, 'x');
  CHECK(FitStepSummary(exact, 10) == exact);
  CHECK(FitStepSummary("small\n", 1024 * 1024) == "");
}

}  // namespace
}  // namespace triage
