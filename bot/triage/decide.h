// Triage: clusters in, problems with a verdict out. Rules may merge several
// clusters into one problem (a fingerprint name), then decide its category,
// priority, title and labels. Pure: the same inputs give the same problems.
#ifndef TRIAGE_BOT_TRIAGE_DECIDE_H_
#define TRIAGE_BOT_TRIAGE_DECIDE_H_

#include <string>
#include <vector>

#include "bot/base/types.h"
#include "rules/rule_set.h"

namespace triage {

// Occurrences per hour while the problem was active: the count over its
// span (at least one hour), or its busiest clock hour if that is more.
double RatePerHour(const Cluster& cluster);

// The key of a problem named by a rule's `fingerprint`: stable whatever the
// clusters it holds.
std::string NamedFingerprint(const std::string& name);

// One problem per cluster, or per fingerprint name for clusters a rule
// merges; each with its Triage. Ordered by priority, then count (largest
// first), then key. `known` tells which problems already have an issue.
std::vector<Problem> Decide(const RuleSet& rules, const std::vector<Cluster>& clusters,
                            const std::vector<KnownIssue>& known);

}  // namespace triage

#endif  // TRIAGE_BOT_TRIAGE_DECIDE_H_
