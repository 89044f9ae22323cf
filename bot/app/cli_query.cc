#include "bot/app/cli_commands.h"

#include "bot/app/cli_common.h"
#include "bot/app/exit_status.h"
#include "bot/base/version.h"
#include "bot/app/setup.h"
#include "bot/ingest/collect.h"
#include "bot/ingest/log_analytics_sql.h"
#include "clients/bigquery_client.h"

namespace triage {

CLI::App* AddQueryCommand(CLI::App& app, QueryArgs* a) {
  CLI::App* sub = app.add_subcommand(
      "query", "Print the Log Analytics SQL statement and its parameters that run would send");
  AddVersionFlag(sub);
  sub->add_option("-c,--config", a->config, "The configuration (source.kind: log_analytics)")->required();
  sub->add_option("--since", a->since, "Start of the window: RFC 3339 or a duration ago (default: "
                                            "the config's window before --until)");
  sub->add_option("--until", a->until, "End of the window: RFC 3339 or a duration ago (default: now)");
  sub->add_option("--now", a->now, "The clock, RFC 3339 (for replays and tests)");
  sub->add_flag("--json", a->json, "Print the jobs.query request body instead");
  return sub;
}

// `query`: the Log Analytics statement and its parameters, as `run` would
// send them, to read or to paste into the BigQuery console; --json prints
// the jobs.query request body instead.
int RunQuery(const QueryArgs& a, std::ostream& out, std::ostream& err, int64_t now_us) {
  Result<Setup> setup = LoadSetup(a.config, true);
  if (!setup) return Usage(err, setup.error().message);
  const Config& config = setup.value().config;
  std::optional<int64_t> since_us, until_us;
  Result<Window> window = ReadWindow(a.now, a.since, a.until, now_us);
  if (!window) return Usage(err, window.error().message);
  now_us = window.value().now_us;
  since_us = window.value().since_us;
  until_us = window.value().until_us;
  const int64_t until = until_us.value_or(now_us);
  const int64_t since = since_us.value_or(until - config.source.window_us);
  EntryFilter filter;
  filter.min_severity = config.source.min_severity;
  filter.services = config.source.services;
  SourceConfig source = config.source;
  if (source.kind != "log_analytics") {
    return Usage(err, a.config + ": source.kind is " + source.kind + "; `query` shows the Log Analytics "
                      "statement (source.kind: log_analytics)");
  }
  Result<AnalyticsQuery> query = BuildAnalyticsQuery(source, filter, since, until);
  if (!query) return Usage(err, query.error().message);
  if (!a.json) {
    out << DescribeAnalyticsQuery(query.value());
    return kExitOk;
  }
  BigQueryJob job;
  job.sql = query.value().sql;
  job.parameters = query.value().parameters;
  job.location = source.location;
  job.maximum_bytes_billed = source.max_bytes_billed;
  out << QueryRequestBody(job, false) << "\n";
  return kExitOk;
}

}  // namespace triage
