#include "bot/app/cli_common.h"

#include <tuple>

#include "bot/app/exit_status.h"
#include "bot/base/time_util.h"
#include "bot/base/version.h"

namespace triage {

int Usage(std::ostream& err, const std::string& what) {
  err << kProgramName << ": " << what << "\n";
  return kExitUsage;
}

Result<Window> ReadWindow(const std::string& now, const std::string& since, const std::string& until,
                          int64_t now_us) {
  Window w;
  w.now_us = now_us;
  if (!now.empty()) {
    auto t = ParseRfc3339(now);
    if (!t) return Error{ErrorKind::kUsage, "--now: expected an RFC 3339 time, got '" + now + "'"};
    w.now_us = *t;
  }
  for (auto [text, slot, name] : {std::tuple{&since, &w.since_us, "--since"},
                                  std::tuple{&until, &w.until_us, "--until"}}) {
    if (text->empty()) continue;
    auto t = ParseTimeOrAgo(*text, w.now_us);
    if (!t) {
      return Error{ErrorKind::kUsage, std::string(name) +
                                          ": expected an RFC 3339 time or a duration like 24h, got '" +
                                          *text + "'"};
    }
    *slot = *t;
  }
  return w;
}

Result<InputFormat> ReadFormat(const std::string& text) {
  auto format = ParseInputFormat(text);
  if (!format) {
    return Error{ErrorKind::kUsage, "--format: expected auto, gcp-json, ndjson or lines, got '" + text + "'"};
  }
  return *format;
}

GitHubAccess ReadGitHubAccess(const Environment& env, int64_t now_us) {
  GitHubAccess g;
  std::string api = env.getenv("GITHUB_API_URL");
  while (!api.empty() && api.back() == '/') api.pop_back();
  if (!api.empty()) g.api_url = api;
  // GH_TOKEN first, as gh reads them.
  g.token = env.getenv("GH_TOKEN");
  if (g.token.empty()) g.token = env.getenv("GITHUB_TOKEN");
  g.repository = env.getenv("GITHUB_REPOSITORY");
  std::string run = env.getenv("GITHUB_RUN_ID");
  std::string attempt = env.getenv("GITHUB_RUN_ATTEMPT");
  g.run_id = run.empty() ? "local-" + std::to_string(now_us) : run + "-" + (attempt.empty() ? "1" : attempt);
  g.sleep = env.sleep;
  g.clock = env.clock;
  g.transport = env.transport;
  std::string server = env.getenv("GITHUB_SERVER_URL");
  if (!server.empty() && !run.empty() && !g.repository.empty()) {
    g.run_url = server + "/" + g.repository + "/actions/runs/" + run;
  }
  return g;
}

CloudAccess ReadCloudAccess(const Environment& env, const std::string& token_file, bool quiet,
                            WorkflowCommands* commands) {
  CloudAccess cloud;
  cloud.getenv = env.getenv;
  cloud.sleep = env.sleep;
  cloud.clock = env.clock;
  cloud.access_token_file = token_file;
  cloud.quiet = quiet;
  cloud.transport = env.transport;
  if (commands != nullptr) cloud.mask = [commands](const std::string& t) { commands->Mask(t); };
  return cloud;
}

void AddVersionFlag(CLI::App* app) {
  app->add_flag_callback("--version", [] { throw CLI::CallForVersion(); },
                         "Print the version and exit");
}

}  // namespace triage
