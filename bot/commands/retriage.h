// What `/gardener retriage` and `/gardener priority` change on an issue:
// pure decisions over the problems of a window and the issue as tracked,
// given as the sync's plan gives them (a PlannedAction), and the words of
// the reply. verbs.cc reads and writes; nothing here talks to anyone.
#ifndef TRIAGE_BOT_COMMANDS_RETRIAGE_H_
#define TRIAGE_BOT_COMMANDS_RETRIAGE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "bot/base/types.h"
#include "bot/github/marker.h"
#include "bot/github/sync_options.h"
#include "bot/github/tracker.h"

namespace triage {

// The issue's labels with every P label and `old_category` dropped, and
// P<priority>, `bot_label` and `new_category` ("" = none) added; sorted.
std::vector<std::string> RelabelIssue(const std::vector<std::string>& labels, int priority,
                                      const std::string& old_category,
                                      const std::string& new_category, const std::string& bot_label);

struct RetriagePlan {
  bool found = false;            // a problem of the window holds the issue's fingerprints
  // The update, as the sync's plan states one: that problem (its priority
  // the one to set), target_priority (the rules', or the pinned one),
  // previous_priority, new_labels, new_title ("" = unchanged), the issue's
  // number, URL and title after the change, and evidence posted.
  PlannedAction action;
  std::vector<std::string> fingerprints;  // the issue's and the problem's
  int64_t watermark_us = 0;               // never moved back
};

// Of `problems` (Decide's, for the window), the one holding the issue's
// fingerprints (the highest priority, then the most frequent, when several
// do), and what the issue becomes: labels, the title of the bot's own
// issues (a person's title is left alone), the priority unless pinned.
RetriagePlan PlanRetriage(const std::vector<Problem>& problems, const TrackedIssue& issue,
                          const std::string& bot_label);

// The run an evidence comment of a retriage reports: the window read, from
// `since_us` to `until_us` (now), on `repository`.
RunReport RetriageReport(const std::string& repository, int64_t since_us, int64_t until_us);

// The evidence comment's marker: the sync's (MakeMarker), carrying the
// issue's fingerprints and watermark as the retriage leaves them.
Marker RetriageMarker(const RetriagePlan& plan, const SyncOptions& options);

// A window's length as a reply says it: "30m", "2h", "7d".
std::string WindowName(int64_t window_us);

// The reply to a retriage that found the problem ("Retriaged from 12
// occurrences in the last 2h: priority **P3 -> P1** ..."), linking the
// evidence comment at `evidence_url`.
std::string RetriageReply(const RetriagePlan& plan, bool pinned, int64_t window_us,
                          const std::string& evidence_url);

// The reply to a retriage whose window holds no occurrence.
std::string NotFoundReply(int64_t window_us, int64_t since_us, int64_t until_us);

}  // namespace triage

#endif  // TRIAGE_BOT_COMMANDS_RETRIAGE_H_
