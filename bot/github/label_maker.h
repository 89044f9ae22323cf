// Creates the labels an issue is about to get that the repository lacks,
// with the colours of their kind (priority, category, the bot's own).
#ifndef TRIAGE_BOT_GITHUB_LABEL_MAKER_H_
#define TRIAGE_BOT_GITHUB_LABEL_MAKER_H_

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "bot/base/result.h"
#include "clients/github_client.h"

namespace triage {

class LabelMaker {
 public:
  LabelMaker(GitHubClient& client, std::string bot_label)
      : client_(client), bot_label_(std::move(bot_label)) {}

  // Creates those of `wanted` the repository lacks. The repository's labels
  // are listed once, on the first call that needs them.
  Result<Ok> Ensure(const std::vector<std::string>& wanted);

 private:
  std::string ColorOf(const std::string& name) const;

  GitHubClient& client_;
  std::string bot_label_;
  std::optional<std::set<std::string>> known_;  // lower case
};

}  // namespace triage

#endif  // TRIAGE_BOT_GITHUB_LABEL_MAKER_H_
