#include "bot/cli.h"

#include <CLI/CLI.hpp>

#include <fstream>
#include <string>
#include <vector>

#include "bot/cluster_output.h"
#include "bot/collect.h"
#include "bot/exit_status.h"
#include "bot/severity.h"
#include "bot/time_util.h"
#include "bot/version.h"

namespace triage {
namespace {

struct ClusterArgs {
  std::string input;
  std::string format = "auto";
  std::string min_severity;
  std::string since, until, now;
  std::vector<std::string> services;
  bool json = false;
  std::string assignments;
  std::string output;
};

// A usage error: one line that says what and where, exit 2.
int Usage(std::ostream& err, const std::string& what) {
  err << kProgramName << ": " << what << "\n";
  return kExitUsage;
}

int RunCluster(const ClusterArgs& args, std::ostream& out, std::ostream& err, int64_t now_us) {
  CollectOptions options;
  options.input = args.input;
  auto format = ParseInputFormat(args.format);
  if (!format) return Usage(err, "--format: expected auto, gcp-json, ndjson or lines, got '" + args.format + "'");
  options.format = *format;
  if (!args.now.empty()) {
    auto now = ParseRfc3339(args.now);
    if (!now) return Usage(err, "--now: expected an RFC 3339 time, got '" + args.now + "'");
    now_us = *now;
  }
  if (!args.min_severity.empty()) {
    auto sev = ParseSeverity(args.min_severity);
    if (!sev) return Usage(err, "--min-severity: unknown severity '" + args.min_severity + "'");
    options.filter.min_severity = *sev;
    options.filter.severity_explicit = true;
  }
  for (auto [text, slot] : {std::pair{&args.since, &options.filter.since_us},
                            std::pair{&args.until, &options.filter.until_us}}) {
    if (text->empty()) continue;
    auto t = ParseTimeOrAgo(*text, now_us);
    if (!t) {
      return Usage(err, std::string(text == &args.since ? "--since" : "--until") +
                            ": expected an RFC 3339 time or a duration like 24h, got '" + *text + "'");
    }
    *slot = *t;
  }
  options.filter.services = args.services;
  options.assignments_path = args.assignments;

  Result<CollectResult> result = CollectAndCluster(options);
  if (!result) return Usage(err, result.error().message);
  const CollectResult& r = result.value();
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

void AddVersionFlag(CLI::App* app) {
  app->add_flag_callback("--version", [] { throw CLI::CallForVersion(); },
                         "Print the version and exit");
}

}  // namespace

int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
           int64_t now_us) {
  CLI::App app{"Clusters Cloud Logging entries into problems and keeps one GitHub issue per "
               "problem.",
               kProgramName};
  app.require_subcommand(1);
  AddVersionFlag(&app);

  ClusterArgs cargs;
  CLI::App* cluster = app.add_subcommand(
      "cluster", "Read log entries and print the problems they hold, with fingerprints");
  AddVersionFlag(cluster);
  cluster->add_option("-i,--input", cargs.input,
                      "Log entries: a JSON array or NDJSON of LogEntry objects "
                      "(gcloud logging read --format=json), or text lines; - for stdin")
      ->required();
  cluster->add_option("--format", cargs.format, "auto (default), gcp-json, ndjson or lines");
  cluster->add_option("--min-severity", cargs.min_severity,
                      "Drop entries below this severity (default WARNING; text lines, which "
                      "have none, pass unless it is given)");
  cluster->add_option("--since", cargs.since, "Start of the window: RFC 3339 or a duration ago (24h)");
  cluster->add_option("--until", cargs.until, "End of the window: RFC 3339 or a duration ago");
  cluster->add_option("--service", cargs.services, "Keep only this Cloud Run service (repeatable)");
  cluster->add_option("--now", cargs.now, "The clock for durations, RFC 3339 (for replays and tests)");
  cluster->add_flag("--json", cargs.json, "Print JSON instead of a table");
  cluster->add_option("--assignments", cargs.assignments,
                      "Write a CSV id,key with the cluster of every clustered entry");
  cluster->add_option("-o,--output", cargs.output, "Write the output here instead of stdout");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::vector<CLI::App*> subs = app.get_subcommands();
    out << (subs.empty() ? app.help() : subs.back()->help(kProgramName));
    return kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    out << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::CallForVersion&) {
    out << kProgramName << " " << kVersion << "\n";
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    std::string sub;
    for (CLI::App* s : app.get_subcommands()) sub = " " + s->get_name();
    err << kProgramName << sub << ": " << e.what() << " (see " << kProgramName << sub
        << " --help)\n";
    return kExitUsage;
  }
  if (cluster->parsed()) return RunCluster(cargs, out, err, now_us);
  return Usage(err, "no command given (see --help)");
}

}  // namespace triage
