// The run's entries read from Cloud Logging instead of a file: credentials
// found as Google's libraries find them, entries:list paged through, and
// every entry parsed and clustered as it arrives.
#ifndef TRIAGE_BOT_INGEST_CLOUD_SOURCE_H_
#define TRIAGE_BOT_INGEST_CLOUD_SOURCE_H_

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>

#include "bot/ingest/collect.h"
#include "bot/base/result.h"
#include "clients/http.h"
#include "rules/config.h"

namespace triage {

struct CloudAccess {
  std::function<std::string(const std::string&)> getenv;  // "" when unset
  std::function<void(int64_t micros)> sleep;
  std::function<int64_t()> clock;
  std::string access_token_file;  // --access-token-file
  bool quiet = false;             // no progress lines
  // Called with every access token obtained, so that Actions masks it.
  std::function<void(const std::string&)> mask;
  HttpTransport* transport = nullptr;  // the program's one transport; not owned
};

// Reads the entries of `source` (its project and projects, services,
// resource type, extra filter, cap) from `since_us` to `until_us`, filters
// and clusters them per `options` (input and format are not used). Says on
// `err` which credential is used (never a secret), progress unless quiet,
// and when the cap cut the read. Errors: kAuth when no credential works or
// Google refuses it; others as GcpLoggingClient gives them.
Result<CollectResult> CollectFromCloudLogging(const CollectOptions& options,
                                              const SourceConfig& source, int64_t since_us,
                                              int64_t until_us, const CloudAccess& access,
                                              std::ostream& err);

}  // namespace triage

#endif  // TRIAGE_BOT_INGEST_CLOUD_SOURCE_H_
