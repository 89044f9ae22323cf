#include "rules/rule_set.h"

#include <re2/re2.h>

#include <algorithm>
#include <set>

namespace triage {

Result<Pattern> Pattern::Compile(const std::string& text) {
  RE2::Options options;
  options.set_log_errors(false);
  // Log text is not always valid UTF-8; Latin-1 would misread it, so stay
  // with UTF-8 and let RE2 treat bad bytes as non-matching.
  options.set_max_mem(8 << 20);
  auto re = std::make_shared<const RE2>(text, options);
  if (!re->ok()) return Error{ErrorKind::kConfig, re->error()};
  Pattern p;
  p.re_ = std::move(re);
  p.text_ = text;
  return p;
}

bool Pattern::Search(std::string_view text) const {
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re_);
}

namespace {

bool AnyLocation(const Pattern& p, const Cluster& c, bool module) {
  for (const Location& loc : c.locations) {
    if (p.Search(module ? loc.module : loc.function)) return true;
  }
  return false;
}

bool MessageMatches(const Pattern& p, const Cluster& c) {
  if (p.Search(c.template_text)) return true;
  for (const Sample& s : c.samples) {
    if (p.Search(s.text)) return true;
  }
  return false;
}

bool StatusMatches(const std::vector<std::pair<int, int>>& ranges, int status) {
  if (ranges.empty()) return true;
  for (const auto& [lo, hi] : ranges) {
    if (status >= lo && status <= hi) return true;
  }
  return false;
}

bool MethodMatches(const std::vector<std::string>& methods, const std::string& method) {
  return methods.empty() || std::find(methods.begin(), methods.end(), method) != methods.end();
}

// Fills the fields of `into` that are still unset from `from`.
void FillUnset(const RuleEffects& from, RuleEffects* into) {
  if (!into->category) into->category = from.category;
  if (!into->priority) into->priority = from.priority;
  if (!into->title) into->title = from.title;
  if (!into->fingerprint) into->fingerprint = from.fingerprint;
  if (!into->ignore) into->ignore = from.ignore;
  if (!into->escalate) into->escalate = from.escalate;
  std::set<std::string> labels(into->labels.begin(), into->labels.end());
  labels.insert(from.labels.begin(), from.labels.end());
  into->labels.assign(labels.begin(), labels.end());
}

}  // namespace

bool Matches(const Match& m, const ProblemFacts& facts) {
  const Cluster& c = *facts.cluster;
  if (m.severity_at_least && c.max_severity < *m.severity_at_least) return false;
  if (m.severity && c.max_severity != *m.severity) return false;
  if (m.message && !MessageMatches(*m.message, c)) return false;
  if (m.template_text && !m.template_text->Search(c.template_text)) return false;
  if (m.module && !AnyLocation(*m.module, c, true)) return false;
  if (m.function && !AnyLocation(*m.function, c, false)) return false;
  if (m.service && !m.service->Search(c.service)) return false;
  if (m.exception && !m.exception->Search(c.exception)) return false;
  if (!m.http_status.empty() && (c.http_status == 0 || !StatusMatches(m.http_status, c.http_status))) {
    return false;
  }
  if (!MethodMatches(m.http_method, c.http_method)) return false;
  if (m.min_count && c.count < *m.min_count) return false;
  if (m.max_count && c.count > *m.max_count) return false;
  if (m.min_rate_per_hour && facts.rate_per_hour < *m.min_rate_per_hour) return false;
  if (m.max_rate_per_hour && facts.rate_per_hour > *m.max_rate_per_hour) return false;
  if (m.known && facts.known != *m.known) return false;
  return true;
}

Verdict Evaluate(const RuleSet& rules, const ProblemFacts& facts) {
  Verdict v;
  for (const Rule& rule : rules.rules) {
    if (!Matches(rule.when, facts)) continue;
    bool sets_priority = !v.effects.priority && rule.set.priority;
    FillUnset(rule.set, &v.effects);
    if (sets_priority) v.priority_rule = rule.name;
    v.matched.push_back(rule.name);
    if (!rule.continue_matching) break;
  }
  if (v.effects.escalate.value_or(true) && !v.effects.ignore.value_or(false)) {
    for (const Escalation& e : rules.escalations) {
      if (Matches(e.when, facts)) v.escalations.push_back(&e);
    }
  }
  return v;
}

}  // namespace triage
