#include "bot/commands/retriage.h"

#include <algorithm>
#include <set>

#include "bot/triage/known_issues.h"
#include "bot/triage/plan.h"
#include "bot/github/sync.h"
#include "bot/triage/labels.h"

namespace triage {

std::vector<std::string> RelabelIssue(const std::vector<std::string>& labels, int priority,
                                      const std::string& old_category,
                                      const std::string& new_category, const std::string& bot_label) {
  std::set<std::string> out;
  for (const std::string& l : labels) {
    if (PriorityFromLabels({l}) || (!old_category.empty() && l == old_category)) continue;
    out.insert(l);
  }
  out.insert("P" + std::to_string(priority));
  out.insert(bot_label);
  if (!new_category.empty()) out.insert(new_category);
  return {out.begin(), out.end()};
}

RetriagePlan PlanRetriage(const std::vector<Problem>& problems, const TrackedIssue& t,
                          const std::string& bot_label) {
  RetriagePlan plan;
  const KnownIssue& known = t.known;
  const Problem* best = nullptr;
  for (const Problem& p : problems) {
    if (FindIssue(p, {known}) == nullptr) continue;
    if (best == nullptr || p.triage.priority < best->triage.priority ||
        (p.triage.priority == best->triage.priority && p.cluster.count > best->cluster.count)) {
      best = &p;
    }
  }
  if (best == nullptr) return plan;
  plan.found = true;
  plan.problem = *best;
  plan.old_priority = known.priority;
  plan.priority = t.pinned && known.priority >= 0 ? known.priority : best->triage.priority;
  plan.problem.triage.priority = plan.priority;
  // The bot's title starts with its category; a person's title says nothing.
  const std::string& old_title = t.issue.title;
  const size_t bar = old_title.find(" | ");
  const std::string old_category =
      t.body_is_bots && bar != std::string::npos ? old_title.substr(0, bar) : "";
  plan.labels = RelabelIssue(t.issue.labels, plan.priority, old_category, best->triage.category, bot_label);
  if (t.body_is_bots) {
    std::string title = RetitlePriority(best->triage.title, plan.priority);
    if (title != old_title) plan.title = title;
  }
  plan.watermark_us = std::max(known.watermark_us, best->cluster.last_seen_us);
  std::set<std::string> fps(known.fingerprints.begin(), known.fingerprints.end());
  fps.insert(best->cluster.fingerprints.begin(), best->cluster.fingerprints.end());
  plan.fingerprints.assign(fps.begin(), fps.end());
  return plan;
}

}  // namespace triage
