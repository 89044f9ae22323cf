#include "bot/triage/decide.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "bot/base/hash.h"
#include "bot/base/redact.h"
#include "bot/base/severity.h"
#include "bot/base/time_util.h"
#include "bot/cluster/title.h"

namespace triage {
namespace {

constexpr size_t kMaxMergedSamples = 6;
constexpr size_t kMaxMergedSites = 8;

bool IsKnown(const Cluster& c, const std::vector<KnownIssue>& known) {
  for (const KnownIssue& issue : known) {
    for (const std::string& fp : c.fingerprints) {
      if (std::find(issue.fingerprints.begin(), issue.fingerprints.end(), fp) !=
          issue.fingerprints.end()) {
        return true;
      }
    }
  }
  return false;
}

ProblemFacts FactsOf(const Cluster& c, const std::vector<KnownIssue>& known) {
  return ProblemFacts{&c, RatePerHour(c), IsKnown(c, known)};
}

// Joins the clusters of one fingerprint name; the largest gives the text.
Cluster Merge(const std::vector<const Cluster*>& members, const std::string& name) {
  Cluster m = *members[0];
  m.key = NamedFingerprint(name);
  std::set<std::string> fps{m.key};
  std::set<std::string> revisions;
  std::vector<Sample> firsts, rest;
  m.count = 0;
  m.severity_counts.clear();
  m.hourly.clear();
  m.call_sites.clear();
  m.locations.clear();
  for (const Cluster* c : members) {
    m.count += c->count;
    for (const auto& [sev, n] : c->severity_counts) m.severity_counts[sev] += n;
    for (const auto& [hour, n] : c->hourly) m.hourly[hour] += n;
    m.max_severity = std::max(m.max_severity, c->max_severity);
    if (c->first_seen_us != 0 && (m.first_seen_us == 0 || c->first_seen_us < m.first_seen_us)) {
      m.first_seen_us = c->first_seen_us;
    }
    m.last_seen_us = std::max(m.last_seen_us, c->last_seen_us);
    fps.insert(c->fingerprints.begin(), c->fingerprints.end());
    revisions.insert(c->revisions.begin(), c->revisions.end());
    for (size_t i = 0; i < c->call_sites.size() && m.call_sites.size() < kMaxMergedSites; ++i) {
      if (std::find(m.call_sites.begin(), m.call_sites.end(), c->call_sites[i]) != m.call_sites.end()) continue;
      m.call_sites.push_back(c->call_sites[i]);
      if (i < c->locations.size()) m.locations.push_back(c->locations[i]);
    }
    for (size_t i = 0; i < c->samples.size(); ++i) (i == 0 ? firsts : rest).push_back(c->samples[i]);
  }
  m.fingerprints.assign(fps.begin(), fps.end());
  m.revisions.assign(revisions.begin(), revisions.end());
  // One sample of every member first, so that each message is shown.
  m.samples = firsts;
  for (const Sample& s : rest) {
    if (m.samples.size() >= std::max(kMaxMergedSamples, firsts.size())) break;
    m.samples.push_back(s);
  }
  std::sort(m.samples.begin(), m.samples.end(), [](const Sample& a, const Sample& b) {
    return a.timestamp_us != b.timestamp_us ? a.timestamp_us < b.timestamp_us : a.id < b.id;
  });
  return m;
}

std::string Rate(double rate) {
  char buf[32];
  std::snprintf(buf, sizeof buf, rate < 10 ? "%.1f" : "%.0f", rate);
  return buf;
}

int DefaultPriority(const TriageDefaults& d, Severity s) {
  if (s >= Severity::kCritical) return d.critical_priority;
  if (s >= Severity::kError) return d.error_priority;
  if (s >= Severity::kWarning) return d.warning_priority;
  return d.other_priority;
}

Triage Judge(const RuleSet& rules, const Problem& p, const ProblemFacts& facts) {
  Verdict v = Evaluate(rules, facts);
  const TriageDefaults& d = rules.defaults;
  const Cluster& c = p.cluster;
  Triage t;
  t.rate_per_hour = facts.rate_per_hour;
  t.ignored = v.effects.ignore.value_or(false);
  t.rule = v.matched.empty() ? "" : v.matched.front();
  std::string why;
  if (v.effects.priority) {
    t.priority = *v.effects.priority;
    why = "rule `" + v.priority_rule + "`";
  } else if (c.max_severity >= Severity::kCritical && d.critical_p0_rate_per_hour > 0 &&
             facts.rate_per_hour >= d.critical_p0_rate_per_hour) {
    t.priority = 0;
    why = std::string(SeverityName(c.max_severity)) + " at " + Rate(facts.rate_per_hour) + "/hour";
  } else {
    t.priority = DefaultPriority(d, c.max_severity);
    why = std::string(SeverityName(c.max_severity)) + " by default";
  }
  for (const Escalation* e : v.escalations) {
    if (e->raise == 0) continue;
    int raised = std::max(kHighestPriority, t.priority - e->raise);
    why += "; +" + std::to_string(e->raise) + " for " + Rate(facts.rate_per_hour) + "/hour (`" +
           e->name + "`)";
    if (raised == t.priority) why += ", already P0";
    t.priority = raised;
  }
  t.reason = "P" + std::to_string(t.priority) + ": " + why;
  if (t.ignored) t.reason = "ignored by rule `" + t.rule + "`";
  t.category = v.effects.category.value_or(c.max_severity >= Severity::kError ? d.error_category
                                                                              : d.other_category);
  t.summary = v.effects.title ? *v.effects.title : RedactSecrets(SummarizeCluster(c));
  t.title = FormatTitle(t.category, t.priority, t.summary);
  t.labels = v.effects.labels;
  return t;
}

}  // namespace

double RatePerHour(const Cluster& c) {
  double span_hours = 1.0;
  if (c.first_seen_us != 0 && c.last_seen_us > c.first_seen_us) {
    span_hours = std::max(1.0, double(c.last_seen_us - c.first_seen_us) / double(kMicrosPerHour));
  }
  double rate = double(c.count) / span_hours;
  for (const auto& [hour, n] : c.hourly) rate = std::max(rate, double(n));
  return rate;
}

std::string NamedFingerprint(const std::string& name) {
  return Fingerprint(std::string("named\x1e") + name);
}

std::vector<Problem> Decide(const RuleSet& rules, const std::vector<Cluster>& clusters,
                            const std::vector<KnownIssue>& known) {
  std::vector<Problem> problems;
  std::map<std::string, std::vector<const Cluster*>> named;
  for (const Cluster& c : clusters) {
    Verdict v = Evaluate(rules, FactsOf(c, known));
    if (v.effects.fingerprint) {
      named[*v.effects.fingerprint].push_back(&c);
      continue;
    }
    Problem p;
    p.cluster = c;
    p.member_keys = {c.key};
    problems.push_back(std::move(p));
  }
  for (const auto& [name, members] : named) {
    Problem p;
    p.cluster = Merge(members, name);
    p.fingerprint_name = name;
    for (const Cluster* c : members) p.member_keys.push_back(c->key);
    std::sort(p.member_keys.begin(), p.member_keys.end());
    problems.push_back(std::move(p));
  }
  for (Problem& p : problems) p.triage = Judge(rules, p, FactsOf(p.cluster, known));
  std::sort(problems.begin(), problems.end(), [](const Problem& a, const Problem& b) {
    if (a.triage.ignored != b.triage.ignored) return b.triage.ignored;
    if (a.triage.priority != b.triage.priority) return a.triage.priority < b.triage.priority;
    if (a.cluster.count != b.cluster.count) return a.cluster.count > b.cluster.count;
    return a.cluster.key < b.cluster.key;
  });
  return problems;
}

}  // namespace triage
