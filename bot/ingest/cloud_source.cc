#include "bot/ingest/cloud_source.h"

#include <algorithm>
#include <memory>
#include <random>

#include "bot/ingest/entry_parse.h"
#include "bot/ingest/log_analytics_source.h"
#include "bot/base/version.h"
#include "clients/gcp_auth.h"
#include "clients/gcp_logging_client.h"

namespace triage {

Result<CollectResult> CollectFromCloudLogging(const CollectOptions& options,
                                              const SourceConfig& source, int64_t since_us,
                                              int64_t until_us, const CloudAccess& access,
                                              std::ostream& err) {
  if (source.kind == "log_analytics") {
    return CollectFromLogAnalytics(options, source, since_us, until_us, access, err);
  }
  if (access.transport == nullptr) return Error{ErrorKind::kUsage, "no HTTP transport"};
  HttpTransport* transport = access.transport;
  GcpAuthOptions auth;
  auth.access_token_file = access.access_token_file;
  auth.getenv = access.getenv;
  Result<std::unique_ptr<GcpTokenSource>> credential =
      FindGcpCredentials(*transport, auth, access.clock);
  if (!credential) return credential.error();
  GcpTokenSource& token = *credential.value();
  err << kProgramName << ": reading Cloud Logging as " << token.Description() << "\n";

  LoggingQuery query;
  if (!source.project.empty()) query.projects.push_back(source.project);
  query.projects.insert(query.projects.end(), source.projects.begin(), source.projects.end());
  if (query.projects.empty() && !token.ProjectId().empty()) query.projects.push_back(token.ProjectId());
  if (query.projects.empty()) {
    return Error{ErrorKind::kConfig, "no project to read: set source.project in the config"};
  }
  query.services = options.filter.services;
  query.resource_type = source.resource_type;
  query.min_severity = options.filter.min_severity;
  query.since_us = since_us;
  query.until_us = until_us;
  query.extra_filter = source.filter;
  query.max_entries = source.max_entries;

  GcpLoggingOptions logging;
  std::string endpoint = access.getenv("GCP_LOGGING_ENDPOINT");
  logging.endpoint = !endpoint.empty() ? endpoint : !source.endpoint.empty() ? source.endpoint : logging.endpoint;
  logging.user_agent = std::string(kProgramName) + "/" + kVersion;
  auto random = std::make_shared<std::mt19937_64>(static_cast<uint64_t>(access.clock()));
  GcpLoggingClient client(
      *transport, logging,
      [&](bool force) {
        auto t = token.AccessToken(force);
        if (t && access.mask) access.mask(t.value());
        return t;
      },
      access.sleep,
      access.clock, [random] { return std::uniform_real_distribution<double>(0, 1)(*random); });
  if (!access.quiet) client.set_progress([&](const std::string& line) { err << kProgramName << ": " << line << "\n"; });

  Collector collector(options);
  Result<Ok> started = collector.Start();
  if (!started) return started.error();
  EntryParser parser;
  ReadStats read;
  LogEntry entry;
  std::string why;
  int64_t newest_us = 0;
  Result<ListStats> listed = client.ListEntries(query, [&](std::string_view json) {
    read.bytes += static_cast<int64_t>(json.size());
    if (!parser.Parse(json, &entry, &why)) {
      if (read.malformed++ == 0) read.first_malformed_reason = why;
      return;
    }
    ++read.entries;
    newest_us = std::max(newest_us, entry.timestamp_us);
    collector.Add(entry);
  });
  if (!listed) return listed.error();
  if (listed.value().capped) {
    err << kProgramName << ": stopped at source.max_entries (" << source.max_entries
        << " entries); the window holds more\n";
  }
  Result<CollectResult> result = collector.Finish(read);
  if (result) {
    result.value().capped = listed.value().capped;
    result.value().newest_read_us = newest_us;
  }
  return result;
}

}  // namespace triage
