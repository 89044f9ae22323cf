#include "bot/triage/labels.h"

#include <set>

namespace triage {
namespace {

std::optional<int> OnePriority(const std::string& text) {
  if (text.size() == 2 && (text[0] == 'P' || text[0] == 'p') && text[1] >= '0' && text[1] <= '6') {
    return text[1] - '0';
  }
  return std::nullopt;
}

}  // namespace

std::string PriorityLabel(int priority) { return "P" + std::to_string(priority); }

std::optional<int> PriorityFromLabels(const std::vector<std::string>& labels) {
  std::optional<int> best;
  for (const std::string& l : labels) {
    auto p = OnePriority(l);
    if (p && (!best || *p < *best)) best = p;
  }
  return best;
}

std::optional<int> PriorityFromTitle(const std::string& title) {
  size_t first = title.find(" | ");
  if (first == std::string::npos) return std::nullopt;
  size_t second = title.find(" | ", first + 3);
  if (second == std::string::npos) return std::nullopt;
  return OnePriority(title.substr(first + 3, second - first - 3));
}

bool IsPriorityLabel(const std::string& label) { return OnePriority(label).has_value(); }

std::string RetitlePriority(const std::string& title, int priority) {
  size_t first = title.find(" | ");
  if (first == std::string::npos || !PriorityFromTitle(title)) return title;
  size_t second = title.find(" | ", first + 3);
  return title.substr(0, first + 3) + PriorityLabel(priority) + title.substr(second);
}

std::string RegressionTitle(const std::string& title) {
  size_t bar = title.find(" | ");
  if (!PriorityFromTitle(title) || bar == std::string::npos) return title;
  return kRegressionCategory + title.substr(bar);
}

std::vector<std::string> Relabel(const std::vector<std::string>& labels, int priority,
                                 const std::vector<std::string>& extra) {
  std::set<std::string> out;
  for (const std::string& l : labels) {
    if (!IsPriorityLabel(l)) out.insert(l);
  }
  out.insert(PriorityLabel(priority));
  out.insert(extra.begin(), extra.end());
  return {out.begin(), out.end()};
}

std::vector<std::string> IssueLabels(const Problem& p, const std::string& bot_label,
                                     const std::vector<std::string>& always) {
  std::set<std::string> labels{bot_label, PriorityLabel(p.triage.priority), p.triage.category};
  labels.insert(always.begin(), always.end());
  labels.insert(p.triage.labels.begin(), p.triage.labels.end());
  return {labels.begin(), labels.end()};
}

}  // namespace triage
