// Priorities as GitHub shows them: the "P2" label, the "| P2 |" part of a
// title, and the label sets and titles an escalation or a reopening gives
// an issue. Pure.
#ifndef TRIAGE_BOT_TRIAGE_LABELS_H_
#define TRIAGE_BOT_TRIAGE_LABELS_H_

#include <optional>
#include <string>
#include <vector>

#include "bot/base/types.h"

namespace triage {

// The category and label of an issue whose problem came back after it was
// closed.
constexpr const char* kRegressionCategory = "GCP-regression";

// "P2".
std::string PriorityLabel(int priority);

// The priority a title or label list states: a label "P2", or a title
// "<category> | P2 | <summary>". nullopt when neither does.
std::optional<int> PriorityFromLabels(const std::vector<std::string>& labels);
std::optional<int> PriorityFromTitle(const std::string& title);
bool IsPriorityLabel(const std::string& label);

// `title` with its priority part ("| P3 |") replaced; unchanged when it has
// none (a title a person wrote).
std::string RetitlePriority(const std::string& title, int priority);

// A title of the bot's form with its category made kRegressionCategory;
// unchanged when it is not of that form.
std::string RegressionTitle(const std::string& title);

// `labels` with `priority` as the only P label, plus `extra`; sorted, unique.
std::vector<std::string> Relabel(const std::vector<std::string>& labels, int priority,
                                 const std::vector<std::string>& extra);

// The labels of a new issue for `problem`: `bot_label`, the priority's,
// the category's, `always` (the config's) and the rules'; sorted, unique.
std::vector<std::string> IssueLabels(const Problem& problem, const std::string& bot_label,
                                     const std::vector<std::string>& always);

}  // namespace triage

#endif  // TRIAGE_BOT_TRIAGE_LABELS_H_
