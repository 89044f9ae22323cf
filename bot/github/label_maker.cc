#include "bot/github/label_maker.h"

#include "bot/base/text.h"
#include "bot/triage/labels.h"

namespace triage {
namespace {

constexpr const char* kPriorityColors[] = {"b60205", "d93f0b", "e99695", "fbca04",
                                           "fef2c0", "c2e0c6", "ededed"};
constexpr const char* kCategoryColor = "1d76db";
constexpr const char* kBotColor = "5319e7";

}  // namespace

Result<Ok> LabelMaker::Ensure(const std::vector<std::string>& wanted) {
  if (!known_) {
    Result<std::vector<GitHubLabel>> labels = client_.ListLabels();
    if (!labels) return labels.error();
    known_.emplace();
    for (const GitHubLabel& l : labels.value()) known_->insert(Lower(l.name));
  }
  for (const std::string& name : wanted) {
    if (known_->count(Lower(name))) continue;
    GitHubLabel label{name, ColorOf(name), "Filed by gcp-log-gardener"};
    Result<Ok> made = client_.CreateLabel(label);
    if (!made) return made.error();
    known_->insert(Lower(name));
  }
  return Ok{};
}

std::string LabelMaker::ColorOf(const std::string& name) const {
  if (auto p = PriorityFromLabels({name})) return kPriorityColors[*p];
  return name == bot_label_ ? kBotColor : kCategoryColor;
}

}  // namespace triage
