#include "bot/commands/retriage.h"

#include <algorithm>
#include <set>

#include "bot/base/time_util.h"
#include "bot/github/evidence.h"
#include "bot/triage/labels.h"
#include "bot/triage/plan.h"

namespace triage {
namespace {

// Of `problems`, the one holding the issue's fingerprints: the highest
// priority, then the most frequent; nullptr when none does.
const Problem* HoldingProblem(const std::vector<Problem>& problems, const KnownIssue& known) {
  const Problem* best = nullptr;
  for (const Problem& p : problems) {
    if (FindIssue(p, {known}) == nullptr) continue;
    if (best == nullptr || p.triage.priority < best->triage.priority ||
        (p.triage.priority == best->triage.priority && p.cluster.count > best->cluster.count)) {
      best = &p;
    }
  }
  return best;
}

}  // namespace

std::vector<std::string> RelabelIssue(const std::vector<std::string>& labels, int priority,
                                      const std::string& old_category,
                                      const std::string& new_category, const std::string& bot_label) {
  std::set<std::string> out;
  for (const std::string& l : labels) {
    if (PriorityFromLabels({l}) || (!old_category.empty() && l == old_category)) continue;
    out.insert(l);
  }
  out.insert(PriorityLabel(priority));
  out.insert(bot_label);
  if (!new_category.empty()) out.insert(new_category);
  return {out.begin(), out.end()};
}

RetriagePlan PlanRetriage(const std::vector<Problem>& problems, const TrackedIssue& t,
                          const std::string& bot_label) {
  RetriagePlan plan;
  const KnownIssue& known = t.known;
  const Problem* best = HoldingProblem(problems, known);
  if (best == nullptr) return plan;
  plan.found = true;
  PlannedAction& a = plan.action;
  a.kind = ActionKind::kUpdate;
  a.evidence = EvidenceMode::kPost;
  a.problem = *best;
  a.previous_priority = known.priority;
  a.target_priority = t.pinned && known.priority >= 0 ? known.priority : best->triage.priority;
  a.problem.triage.priority = a.target_priority;
  // The bot's title starts with its category; a person's title says nothing.
  const std::string& old_title = t.issue.title;
  const size_t bar = old_title.find(" | ");
  const std::string old_category =
      t.body_is_bots && bar != std::string::npos ? old_title.substr(0, bar) : "";
  a.new_labels = RelabelIssue(t.issue.labels, a.target_priority, old_category, best->triage.category,
                              bot_label);
  if (t.body_is_bots) {
    std::string title = RetitlePriority(best->triage.title, a.target_priority);
    if (title != old_title) a.new_title = title;
  }
  a.issue_number = t.issue.number;
  a.issue_url = t.issue.html_url;
  a.issue_title = a.new_title.empty() ? old_title : a.new_title;
  plan.watermark_us = std::max(known.watermark_us, best->cluster.last_seen_us);
  std::set<std::string> fps(known.fingerprints.begin(), known.fingerprints.end());
  fps.insert(best->cluster.fingerprints.begin(), best->cluster.fingerprints.end());
  plan.fingerprints.assign(fps.begin(), fps.end());
  return plan;
}

RunReport RetriageReport(const std::string& repository, int64_t since_us, int64_t until_us) {
  RunReport report;
  report.repository = repository;
  report.generated_us = until_us;
  report.dry_run = false;
  report.window_start_us = since_us;
  report.window_end_us = until_us;
  return report;
}

Marker RetriageMarker(const RetriagePlan& plan, const SyncOptions& options) {
  const PlannedAction& a = plan.action;
  Marker m = MakeMarker(MarkerKind::kEvidence, a.problem, a.target_priority, options);
  m.fingerprints = plan.fingerprints;
  m.watermark_us = plan.watermark_us;
  return m;
}

std::string WindowName(int64_t window_us) {
  const int64_t minutes = window_us / (60 * int64_t{1000000});
  if (minutes % (24 * 60) == 0) return std::to_string(minutes / (24 * 60)) + "d";
  if (minutes % 60 == 0) return std::to_string(minutes / 60) + "h";
  return std::to_string(minutes) + "m";
}

std::string RetriageReply(const RetriagePlan& plan, bool pinned, int64_t window_us,
                          const std::string& evidence_url) {
  const PlannedAction& a = plan.action;
  const Problem& p = a.problem;
  const int priority = a.target_priority, old_priority = a.previous_priority;
  std::string change = old_priority < 0 || old_priority == priority
                           ? "stays **" + PriorityLabel(priority) + "**"
                           : "**" + PriorityLabel(old_priority) + " -> " + PriorityLabel(priority) + "**";
  if (pinned) change += " (pinned)";
  return "Retriaged from " + std::to_string(p.cluster.count) + " occurrences in the last " +
         WindowName(window_us) + ": priority " + change + " (" + p.triage.reason + "), category `" +
         p.triage.category + "`. [Evidence](" + evidence_url + ").";
}

std::string NotFoundReply(int64_t window_us, int64_t since_us, int64_t until_us) {
  return "No occurrence of this issue's problem in the last " + WindowName(window_us) + " (" +
         FormatRfc3339(since_us) + " to " + FormatRfc3339(until_us) + "); nothing was changed.";
}

}  // namespace triage
