#include "bot/triage/plan.h"

#include <algorithm>

#include "bot/base/time_util.h"
#include "bot/triage/labels.h"

namespace triage {
namespace {

constexpr const char* kActionNames[] = {"none", "create", "update", "reopen", "escalate", "ignore"};

bool Holds(const KnownIssue& issue, const Problem& p) {
  for (const std::string& fp : p.cluster.fingerprints) {
    if (std::find(issue.fingerprints.begin(), issue.fingerprints.end(), fp) != issue.fingerprints.end()) {
      return true;
    }
  }
  return false;
}

std::string P(int priority) { return PriorityLabel(priority); }

std::string Days(int64_t us) { return std::to_string(us / (24 * kMicrosPerHour)); }

// A closed issue whose problem came back.
void PlanClosed(const KnownIssue& issue, const Problem& p, const PlanOptions& o,
                PlannedAction* a) {
  std::string ref = "#" + std::to_string(issue.number);
  if (issue.muted) {
    a->kind = ActionKind::kNone;
    a->reason = ref + " is muted; left closed";
    return;
  }
  if (issue.state_reason == "not_planned") {
    a->kind = ActionKind::kNone;
    a->reason = ref + " was closed as not planned; left closed";
    return;
  }
  if (issue.closed_at_us != 0 && p.cluster.last_seen_us != 0 &&
      p.cluster.last_seen_us <= issue.closed_at_us) {
    a->kind = ActionKind::kNone;
    a->reason = "no occurrence since " + ref + " was closed";
    return;
  }
  if (issue.closed_at_us != 0 && o.now_us - issue.closed_at_us > o.reopen_window_us) {
    a->kind = ActionKind::kCreate;
    a->reason = "regression: " + ref + " was closed " + Days(o.now_us - issue.closed_at_us) +
                " days ago, beyond the " + Days(o.reopen_window_us) +
                "-day reopen window; a new issue links it";
    return;
  }
  a->kind = ActionKind::kReopen;
  a->reason = "regression: seen again after " + ref + " was closed as completed";
}

void PlanOpen(const KnownIssue& issue, const Problem& p, PlannedAction* a) {
  const Triage& t = p.triage;
  if (issue.muted) {
    a->kind = ActionKind::kNone;
    a->reason = "muted by a command; nothing posted";
    return;
  }
  if (issue.watermark_us != 0 && p.cluster.last_seen_us != 0 &&
      p.cluster.last_seen_us <= issue.watermark_us) {
    a->kind = ActionKind::kNone;
    a->reason = "nothing new since " + FormatRfc3339(issue.watermark_us);
    return;
  }
  if (issue.priority >= 0 && t.priority < issue.priority) {
    if (issue.priority_set_by_person) {
      a->kind = ActionKind::kUpdate;
      a->reason = "new occurrences; " + P(t.priority) + " suggested, but " + P(issue.priority) +
                  " was set by a person and is kept";
      return;
    }
    a->kind = ActionKind::kEscalate;
    a->reason = P(issue.priority) + " -> " + P(t.priority) + " (" + t.reason + ")";
    return;
  }
  a->kind = ActionKind::kUpdate;
  a->reason = "new occurrences up to " + FormatRfc3339(p.cluster.last_seen_us);
  if (issue.priority >= 0 && issue.priority < t.priority) {
    a->reason += "; " + P(issue.priority) + " kept (never lowered to " + P(t.priority) + ")";
  }
}

// A fingerprint the problem is known by that the issue does not hold yet:
// its primary key, so a new variant of the problem.
bool IsNewVariant(const KnownIssue& issue, const Problem& p) {
  return std::find(issue.fingerprints.begin(), issue.fingerprints.end(), p.cluster.key) ==
         issue.fingerprints.end();
}

// The priority a closed issue reopens at: the higher of the problem's and
// the issue's, or the issue's when a person pinned it.
int ReopenPriority(const KnownIssue& issue, const Problem& p) {
  if (issue.pinned && issue.priority >= 0) return issue.priority;
  return std::min(p.triage.priority, issue.priority >= 0 ? issue.priority : kLowestPriority);
}

// What the writer does for `a` on `issue`: the priority its markers record,
// the title and labels of an escalation or a reopening, and whether the
// evidence edits the kept comment or posts one.
void DecideWrites(const KnownIssue& issue, const PlanOptions& o, PlannedAction* a) {
  const Problem& p = a->problem;
  switch (a->kind) {
    case ActionKind::kUpdate: {
      a->target_priority = issue.bot_priority >= 0 ? issue.bot_priority : issue.priority;
      bool notable = !issue.adoption.empty() || IsNewVariant(issue, p);
      bool quiet = issue.evidence_at_us != 0 && o.now_us - issue.evidence_at_us < o.quiet_period_us;
      a->evidence = notable ? EvidenceMode::kNotice : quiet ? EvidenceMode::kEdit : EvidenceMode::kPost;
      break;
    }
    case ActionKind::kEscalate:
      a->target_priority = p.triage.priority;
      a->new_labels = Relabel(issue.labels, a->target_priority, {});
      a->new_title = RetitlePriority(issue.title, a->target_priority);
      a->evidence = EvidenceMode::kNotice;
      break;
    case ActionKind::kReopen:
      a->target_priority = ReopenPriority(issue, p);
      a->new_labels = Relabel(issue.labels, a->target_priority, {kRegressionCategory});
      a->new_title = RegressionTitle(RetitlePriority(issue.title, a->target_priority));
      a->evidence = EvidenceMode::kNotice;
      break;
    case ActionKind::kCreate:
      a->target_priority = p.triage.priority;
      break;
    case ActionKind::kNone:
    case ActionKind::kIgnore:
      break;
  }
}

}  // namespace

const char* ActionName(ActionKind kind) { return kActionNames[static_cast<int>(kind)]; }

std::optional<ActionKind> ParseActionName(const std::string& name) {
  for (int i = 0; i < 6; ++i) {
    if (name == kActionNames[i]) return static_cast<ActionKind>(i);
  }
  return std::nullopt;
}

const KnownIssue* FindIssue(const Problem& problem, const std::vector<KnownIssue>& issues) {
  const KnownIssue* best = nullptr;
  for (const KnownIssue& issue : issues) {
    if (!Holds(issue, problem)) continue;
    if (best == nullptr) {
      best = &issue;
    } else if (issue.open != best->open) {
      if (issue.open) best = &issue;
    } else if (issue.open ? issue.number < best->number : issue.closed_at_us > best->closed_at_us) {
      best = &issue;
    }
  }
  return best;
}

std::vector<PlannedAction> PlanActions(const std::vector<Problem>& problems,
                                       const std::vector<KnownIssue>& issues,
                                       const PlanOptions& options) {
  std::vector<PlannedAction> actions;
  for (const Problem& p : problems) {
    PlannedAction a;
    a.problem = p;
    const KnownIssue* issue = FindIssue(p, issues);
    if (issue != nullptr) {
      a.issue_number = issue->number;
      a.issue_url = issue->url;
      a.issue_title = issue->title;
      a.previous_priority = issue->priority;
    }
    if (p.triage.ignored) {
      a.kind = ActionKind::kIgnore;
      a.reason = p.triage.reason;
    } else if (issue == nullptr) {
      bool file = p.triage.priority <= options.file_at_or_above;
      a.kind = file ? ActionKind::kCreate : ActionKind::kNone;
      a.reason = file ? "new problem" : P(p.triage.priority) + " is below the filing floor " +
                                            P(options.file_at_or_above) + "; reported only";
    } else if (issue->open) {
      PlanOpen(*issue, p, &a);
    } else {
      PlanClosed(*issue, p, options, &a);
    }
    if (issue != nullptr) {
      DecideWrites(*issue, options, &a);
    } else if (a.kind == ActionKind::kCreate) {
      a.target_priority = p.triage.priority;
    }
    if (issue != nullptr && !issue->adoption.empty()) a.reason = issue->adoption + "; " + a.reason;
    actions.push_back(std::move(a));
  }
  return actions;
}

}  // namespace triage
