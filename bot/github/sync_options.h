// How the writer signs and labels what it writes to the tracker.
#ifndef TRIAGE_BOT_GITHUB_SYNC_OPTIONS_H_
#define TRIAGE_BOT_GITHUB_SYNC_OPTIONS_H_

#include <string>
#include <vector>

namespace triage {

struct SyncOptions {
  std::string bot_label = "gcp-log-gardener";
  std::vector<std::string> labels;     // on every issue the bot files
  std::string bot_login = "github-actions[bot]";
  std::string run_id;                  // [0-9A-Za-z._-], unique per run
};

}  // namespace triage

#endif  // TRIAGE_BOT_GITHUB_SYNC_OPTIONS_H_
