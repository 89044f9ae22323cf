// What the subcommands of the command line share: how a usage error is
// said, the window and format flags as they are read, and where GitHub and
// Google are, from the environment.
#ifndef TRIAGE_BOT_APP_CLI_COMMON_H_
#define TRIAGE_BOT_APP_CLI_COMMON_H_

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "bot/actions/actions_output.h"
#include "bot/app/cli.h"
#include "bot/app/github_session.h"
#include "bot/base/result.h"
#include "bot/ingest/cloud_source.h"
#include "bot/ingest/entry_reader.h"

namespace triage {

// A usage error: one line that says what and where; returns exit 2.
int Usage(std::ostream& err, const std::string& what);

// --now, --since and --until, read as every subcommand takes them: the
// clock (`now_us` unless --now), and the window's ends.
struct Window {
  int64_t now_us = 0;
  std::optional<int64_t> since_us, until_us;
};
Result<Window> ReadWindow(const std::string& now, const std::string& since, const std::string& until,
                          int64_t now_us);

// --format: auto, gcp-json, ndjson or lines.
Result<InputFormat> ReadFormat(const std::string& text);

// Where GitHub is, from the variables GitHub Actions sets.
GitHubAccess ReadGitHubAccess(const Environment& env, int64_t now_us);

// How Google is reached: the environment, a token file, progress lines,
// and Actions' masking of every token obtained.
CloudAccess ReadCloudAccess(const Environment& env, const std::string& token_file, bool quiet,
                            WorkflowCommands* commands);

// --version on `app`.
void AddVersionFlag(CLI::App* app);

}  // namespace triage

#endif  // TRIAGE_BOT_APP_CLI_COMMON_H_
