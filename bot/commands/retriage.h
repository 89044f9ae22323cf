// What `/gardener retriage` and `/gardener priority` change on an issue:
// pure decisions over the problems of a window and the issue as tracked.
// command_run.cc reads and writes; nothing here talks to anyone.
#ifndef TRIAGE_BOT_COMMANDS_RETRIAGE_H_
#define TRIAGE_BOT_COMMANDS_RETRIAGE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bot/github/tracker.h"
#include "bot/base/types.h"

namespace triage {

// The issue's labels with every P label and `old_category` dropped, and
// P<priority>, `bot_label` and `new_category` ("" = none) added; sorted.
std::vector<std::string> RelabelIssue(const std::vector<std::string>& labels, int priority,
                                      const std::string& old_category,
                                      const std::string& new_category, const std::string& bot_label);

struct RetriagePlan {
  bool found = false;            // a problem of the window holds the issue's fingerprints
  Problem problem;               // that problem, its priority the one to set
  int old_priority = -1;
  int priority = -1;             // the rules', or the pinned one
  std::vector<std::string> labels;
  std::optional<std::string> title;       // set when the title changes
  std::vector<std::string> fingerprints;  // the issue's and the problem's
  int64_t watermark_us = 0;
};

// Of `problems` (Decide's, for the window), the one holding the issue's
// fingerprints (the highest priority, then the most frequent, when several
// do), and what the issue becomes: labels, the title of the bot's own
// issues (a person's title is left alone), the priority unless pinned.
RetriagePlan PlanRetriage(const std::vector<Problem>& problems, const TrackedIssue& issue,
                          const std::string& bot_label);

}  // namespace triage

#endif  // TRIAGE_BOT_COMMANDS_RETRIAGE_H_
