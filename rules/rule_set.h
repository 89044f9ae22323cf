// Triage rules, compiled: what a rule matches on, what it sets, and the
// evaluation of a rule list over one problem. Pure: no files, no clock.
#ifndef TRIAGE_RULES_RULE_SET_H_
#define TRIAGE_RULES_RULE_SET_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bot/base/result.h"
#include "bot/base/types.h"

namespace re2 {
class RE2;
}

namespace triage {

// A regular expression in RE2 syntax. RE2 runs in time linear in the text
// whatever the pattern, so a rule can be run over hostile log text.
// Copies share the compiled form.
class Pattern {
 public:
  // The error is RE2's own message ("missing ): (abc").
  static Result<Pattern> Compile(const std::string& text);
  // True when the pattern matches anywhere in `text`.
  bool Search(std::string_view text) const;
  const std::string& text() const { return text_; }

 private:
  std::shared_ptr<const re2::RE2> re_;
  std::string text_;
};

// Conditions on a problem; every one that is set must hold.
struct Match {
  std::optional<Severity> severity_at_least;   // the problem's highest
  std::optional<Severity> severity;            // exactly, the highest
  std::optional<Pattern> message;              // template or any sample
  std::optional<Pattern> template_text;        // the template, <*> for values
  std::optional<Pattern> module;               // any call site's module
  std::optional<Pattern> function;             // any call site's function
  std::optional<Pattern> service;
  std::optional<Pattern> exception;
  std::vector<std::pair<int, int>> http_status;  // inclusive ranges, any
  std::vector<std::string> http_method;          // upper case, any
  std::optional<int64_t> min_count, max_count;   // in the window
  std::optional<double> min_rate_per_hour, max_rate_per_hour;
  std::optional<bool> known;                     // an issue already has it
};

// What a rule sets. Unset fields leave the decision to later rules (with
// `continue`) or to the defaults.
struct RuleEffects {
  std::optional<std::string> category;
  std::optional<int> priority;
  std::optional<std::string> title;        // the summary part of the title
  std::optional<std::string> fingerprint;  // merges every match into one
  std::vector<std::string> labels;
  std::optional<bool> ignore;
  std::optional<bool> escalate;            // false: no frequency escalation
};

struct Rule {
  std::string name;
  Match when;
  RuleEffects set;
  bool continue_matching = false;          // `continue: true`
};

// Raises the priority of every problem that matches, by `raise` steps.
struct Escalation {
  std::string name;
  Match when;
  int raise = 1;
};

// The decision when no rule sets priority or category.
struct TriageDefaults {
  int critical_priority = 1;               // CRITICAL and above
  int error_priority = 2;
  int warning_priority = 3;
  int other_priority = 5;                  // below WARNING
  // A CRITICAL problem at least this frequent is P0; 0 turns it off.
  double critical_p0_rate_per_hour = 10;
  std::string error_category = "GCP-regression";   // ERROR and above
  std::string other_category = "GCP-active-dev";
};

struct RuleSet {
  std::vector<Rule> rules;                 // tried in order
  std::vector<Escalation> escalations;     // all that match apply
  TriageDefaults defaults;
};

// What is known of a problem when rules run.
struct ProblemFacts {
  const Cluster* cluster = nullptr;
  double rate_per_hour = 0;
  bool known = false;
};

bool Matches(const Match& match, const ProblemFacts& facts);

// The rules' combined answer: the first matching rule decides each field it
// sets; a rule with `continue` lets later matching rules set the rest.
// Labels add up.
struct Verdict {
  RuleEffects effects;
  std::vector<std::string> matched;        // rule names, in order
  std::string priority_rule;               // the rule that set the priority
  std::vector<const Escalation*> escalations;  // the ones that apply
};

Verdict Evaluate(const RuleSet& rules, const ProblemFacts& facts);

}  // namespace triage

#endif  // TRIAGE_RULES_RULE_SET_H_
