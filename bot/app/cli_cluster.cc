#include "bot/app/cli_commands.h"

#include <fstream>

#include "bot/app/cli_common.h"
#include "bot/app/cluster_output.h"
#include "bot/app/exit_status.h"
#include "bot/base/version.h"
#include "bot/base/severity.h"
#include "bot/ingest/collect.h"

namespace triage {

CLI::App* AddClusterCommand(CLI::App& app, ClusterArgs* a) {
  CLI::App* sub = app.add_subcommand(
      "cluster", "Read log entries and print the problems they hold, with fingerprints");
  AddVersionFlag(sub);
  sub->add_option("-i,--input", a->input,
                      "Log entries: a JSON array or NDJSON of LogEntry objects "
                      "(gcloud logging read --format=json), or text lines; - for stdin")
      ->required();
  sub->add_option("--format", a->format, "auto (default), gcp-json, ndjson or lines");
  sub->add_option("--min-severity", a->min_severity,
                      "Drop entries below this severity (default WARNING; text lines, which "
                      "have none, pass unless it is given)");
  sub->add_option("--since", a->since, "Start of the window: RFC 3339 or a duration ago (24h)");
  sub->add_option("--until", a->until, "End of the window: RFC 3339 or a duration ago");
  sub->add_option("--service", a->services, "Keep only this Cloud Run service (repeatable)");
  sub->add_option("--now", a->now, "The clock for durations, RFC 3339 (for replays and tests)");
  sub->add_flag("--json", a->json, "Print JSON instead of a table");
  sub->add_option("--assignments", a->assignments,
                      "Write a CSV id,key with the cluster of every clustered entry");
  sub->add_option("-o,--output", a->output, "Write the output here instead of stdout");
  return sub;
}

int RunCluster(const ClusterArgs& args, std::ostream& out, std::ostream& err, int64_t now_us) {
  CollectOptions options;
  options.input = args.input;
  Result<InputFormat> format = ReadFormat(args.format);
  if (!format) return Usage(err, format.error().message);
  options.format = format.value();
  if (!args.min_severity.empty()) {
    auto sev = ParseSeverity(args.min_severity);
    if (!sev) return Usage(err, "--min-severity: unknown severity '" + args.min_severity + "'");
    options.filter.min_severity = *sev;
    options.filter.severity_explicit = true;
  }
  Result<Window> window = ReadWindow(args.now, args.since, args.until, now_us);
  if (!window) return Usage(err, window.error().message);
  now_us = window.value().now_us;
  options.filter.since_us = window.value().since_us;
  options.filter.until_us = window.value().until_us;
  options.filter.services = args.services;
  options.keep_assignments = !args.assignments.empty();

  Result<CollectResult> result = CollectAndCluster(options);
  if (!result) return Usage(err, result.error().message);
  const CollectResult& r = result.value();
  if (r.assignments) {
    Result<Ok> written = WriteAssignments(r, args.assignments);
    if (!written) return Usage(err, written.error().message);
  }
  if (r.read.malformed > 0) {
    err << kProgramName << ": " << (args.input == "-" ? "stdin" : args.input) << ": skipped "
        << r.read.malformed << " malformed entr" << (r.read.malformed == 1 ? "y" : "ies")
        << " (first at byte " << r.read.first_malformed_offset << ": "
        << r.read.first_malformed_reason << ")\n";
  }
  std::string text = args.json ? RenderClustersJson(r) : RenderClustersTable(r);
  if (args.output.empty() || args.output == "-") {
    out << text;
  } else {
    std::ofstream file(args.output, std::ios::binary);
    file << text;
    if (!file.flush()) return Usage(err, args.output + ": cannot write");
  }
  return kExitOk;
}

}  // namespace triage
