#include "bot/triage/plan.h"

#include <algorithm>
#include <map>
#include <set>

#include "bot/base/redact.h"
#include "bot/base/text.h"
#include "bot/base/time_util.h"
#include "bot/cluster/title.h"
#include "bot/triage/labels.h"

namespace triage {
namespace {

constexpr size_t kMaxSuffixBytes = 60;  // what tells two titles apart
constexpr const char* kActionNames[] = {"none", "create", "update", "reopen", "escalate", "ignore"};

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// The problem's own keys: its key and those of the clusters it holds.
bool IsKey(const Problem& p, const std::string& fp) { return fp == p.cluster.key || Has(p.member_keys, fp); }

// `issue` goes before `best` (nullptr: anything does): an open issue before
// a closed one, then the lowest open number or the most recently closed.
bool Better(const KnownIssue& issue, const KnownIssue* best) {
  if (best == nullptr) return true;
  if (issue.open != best->open) return issue.open;
  return issue.open ? issue.number < best->number : issue.closed_at_us > best->closed_at_us;
}

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

// The title's last part: "GCP-regression | P2 | X" -> "X".
std::string SummaryOf(const std::string& title) {
  size_t bar = title.rfind(" | ");
  return bar == std::string::npos ? title : title.substr(bar + 3);
}

std::vector<std::string> Tokens(const std::string& text) {
  std::vector<std::string> out;
  std::string t;
  for (char c : text + " ") {
    if (c != ' ') {
      t += c;
    } else if (!t.empty()) {
      out.push_back(t);
      t.clear();
    }
  }
  return out;
}

// What `p` has that none of `others` has: the words of its template that
// theirs lack (a route's segments joined as a path), else its service or
// a call site they do not share; "" when nothing tells them apart.
std::string Difference(const Problem& p, const std::vector<const Problem*>& others) {
  std::set<std::string> theirs;
  std::set<std::string> sites, services;
  for (const Problem* q : others) {
    for (const std::string& t : Tokens(q->cluster.template_text)) theirs.insert(t);
    sites.insert(q->cluster.call_sites.begin(), q->cluster.call_sites.end());
    services.insert(q->cluster.service);
  }
  std::string words;
  int n = 0;
  for (const std::string& t : Tokens(p.cluster.template_text)) {
    if (theirs.count(t) || t.find("<*>") != std::string::npos || n == 4) continue;
    // Without the punctuation around it: "(warehouse=north," -> warehouse=north.
    size_t b = t.find_first_not_of("()[]{},;:\"'");
    size_t e = t.find_last_not_of("()[]{},;:\"'");
    if (b == std::string::npos) continue;
    std::string word = t.substr(b, e - b + 1);
    words += (words.empty() || word[0] == '/' ? "" : " ") + word;
    ++n;
  }
  if (!words.empty()) return words;
  if (!services.count(p.cluster.service) && !p.cluster.service.empty()) return "in " + p.cluster.service;
  // A request's call site is its URL, which may hold ids: never in a title.
  for (size_t i = 0; i < p.cluster.call_sites.size() && i < p.cluster.locations.size(); ++i) {
    const std::string& site = p.cluster.call_sites[i];
    if (p.cluster.locations[i].module != "http" && !sites.count(site)) return "at " + site;
  }
  return "";
}

// Retitles `a` with " (<what differs>)" after its summary.
void Distinguish(PlannedAction* a, const std::string& what) {
  Triage& t = a->problem.triage;
  std::string differs = RedactSecrets(std::string(CutUtf8(what, kMaxSuffixBytes)));
  t.summary += " (" + differs + ")";
  t.title = FormatTitle(t.category, t.priority, t.summary);
}

// No two issues alike in title: a problem to be filed whose summary is
// that of another one filed in this run, or of an open issue, gets what
// tells it apart from the problems it would be confused with; failing
// that, its key.
void DistinctTitles(const std::vector<KnownIssue>& issues, const std::vector<const KnownIssue*>& assigned,
                    std::vector<PlannedAction>* actions) {
  std::map<std::string, std::vector<size_t>> creates;  // summary -> actions
  for (size_t i = 0; i < actions->size(); ++i) {
    if ((*actions)[i].kind == ActionKind::kCreate) creates[(*actions)[i].problem.triage.summary].push_back(i);
  }
  std::set<std::string> taken;  // the summaries of open issues
  for (const KnownIssue& k : issues) {
    if (k.open) taken.insert(SummaryOf(k.title));
  }
  for (auto& [summary, group] : creates) {
    const bool on_tracker = taken.count(summary) > 0;
    if (group.size() < 2 && !on_tracker) continue;
    // Those it is confused with: the others of the group, and the problems
    // of this run on an open issue of that summary.
    std::vector<const Problem*> alike;
    for (size_t i : group) alike.push_back(&(*actions)[i].problem);
    for (size_t i = 0; i < actions->size(); ++i) {
      if (assigned[i] != nullptr && assigned[i]->open && SummaryOf(assigned[i]->title) == summary) {
        alike.push_back(&(*actions)[i].problem);
      }
    }
    std::vector<std::string> differs;
    for (size_t i : group) {
      std::vector<const Problem*> others;
      for (const Problem* q : alike) {
        if (q != &(*actions)[i].problem) others.push_back(q);
      }
      differs.push_back(Difference((*actions)[i].problem, others));
    }
    for (size_t g = 0; g < group.size(); ++g) {
      const std::string& d = differs[g];
      const bool unique = !d.empty() && std::count(differs.begin(), differs.end(), d) == 1;
      PlannedAction& a = (*actions)[group[g]];
      Distinguish(&a, unique ? d : "fingerprint " + a.problem.cluster.key);
    }
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
    if (Holds(issue, problem) && Better(issue, best)) best = &issue;
  }
  return best;
}

std::vector<const KnownIssue*> AssignIssues(const std::vector<Problem>& problems,
                                            const std::vector<KnownIssue>& issues) {
  std::map<std::string, std::vector<size_t>> holders;  // fingerprint -> issues
  for (size_t k = 0; k < issues.size(); ++k) {
    for (const std::string& fp : issues[k].fingerprints) holders[fp].push_back(k);
  }
  // Per issue, the problems that reach it by any fingerprint and those
  // whose key it holds; per problem, the issues it reaches.
  std::vector<std::set<size_t>> reached_by(issues.size()), keyed_by(issues.size());
  std::vector<std::set<size_t>> reaches(problems.size());
  for (size_t i = 0; i < problems.size(); ++i) {
    const Problem& p = problems[i];
    std::set<std::string> fps(p.cluster.fingerprints.begin(), p.cluster.fingerprints.end());
    fps.insert(p.cluster.key);
    fps.insert(p.member_keys.begin(), p.member_keys.end());
    for (const std::string& fp : fps) {
      auto it = holders.find(fp);
      if (it == holders.end()) continue;
      for (size_t k : it->second) {
        reached_by[k].insert(i);
        reaches[i].insert(k);
        if (IsKey(p, fp)) keyed_by[k].insert(i);
      }
    }
  }
  std::vector<const KnownIssue*> out(problems.size(), nullptr);
  for (size_t i = 0; i < problems.size(); ++i) {
    // By a key: an issue holding no other problem's key first (a marker an
    // older version let gain them), then as FindIssue orders.
    const KnownIssue* best = nullptr;
    bool best_shared = false;
    for (size_t k : reaches[i]) {
      if (!keyed_by[k].count(i)) continue;
      bool shared = keyed_by[k].size() > 1;
      if (best == nullptr || (best_shared && !shared) ||
          (best_shared == shared && Better(issues[k], best))) {
        best = &issues[k];
        best_shared = shared;
      }
    }
    // Else by a secondary fingerprint: only an issue no other problem
    // reaches by any of its fingerprints.
    const bool by_key = best != nullptr;
    for (size_t k : reaches[i]) {
      if (!by_key && reached_by[k].size() == 1 && Better(issues[k], best)) best = &issues[k];
    }
    out[i] = best;
  }
  return out;
}

std::vector<std::string> OwnFingerprints(const Problem& problem, const std::vector<Problem>& problems) {
  std::set<std::string> others;
  for (const Problem& q : problems) {
    if (&q == &problem) continue;
    others.insert(q.cluster.fingerprints.begin(), q.cluster.fingerprints.end());
  }
  std::vector<std::string> out;
  for (const std::string& fp : problem.cluster.fingerprints) {
    if (!others.count(fp) || IsKey(problem, fp)) out.push_back(fp);
  }
  return out;
}

std::vector<PlannedAction> PlanActions(const std::vector<Problem>& problems,
                                       const std::vector<KnownIssue>& issues,
                                       const PlanOptions& options) {
  std::vector<PlannedAction> actions;
  std::vector<const KnownIssue*> assigned = AssignIssues(problems, issues);
  for (size_t i = 0; i < problems.size(); ++i) {
    const Problem& p = problems[i];
    PlannedAction a;
    a.problem = p;
    // The writer merges these into the issue's marker: never another
    // current problem's, so that the next run routes each to its own issue.
    a.problem.cluster.fingerprints = OwnFingerprints(p, problems);
    const KnownIssue* issue = assigned[i];
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
  DistinctTitles(issues, assigned, &actions);
  return actions;
}

}  // namespace triage
