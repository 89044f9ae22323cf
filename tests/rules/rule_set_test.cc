#include "rules/rule_set.h"

#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

namespace triage {
namespace {

Pattern P(const std::string& text) {
  Result<Pattern> p = Pattern::Compile(text);
  REQUIRE_MESSAGE(p.has_value(), text << ": " << p.error().message);
  return p.value();
}

// An application error with two call sites and one sample.
Cluster AppCluster() {
  Cluster c;
  c.key = "k1";
  c.template_text = "user <*> not found";
  c.service = "api";
  c.exception = "KeyError";
  c.count = 12;
  c.max_severity = Severity::kError;
  c.locations = {{"app.auth", "check_token", 10}, {"app.db", "query", 20}};
  c.samples = {{"s1", 0, Severity::kError, "user 42 not found in db"}};
  return c;
}

// A request log: GET answered 404.
Cluster RequestCluster() {
  Cluster c;
  c.key = "k2";
  c.template_text = "GET /health <*>";
  c.service = "api";
  c.count = 3;
  c.max_severity = Severity::kWarning;
  c.http_method = "GET";
  c.http_status = 404;
  return c;
}

Match With(const std::function<void(Match&)>& set) {
  Match m;
  set(m);
  return m;
}

struct MatchCase {
  std::string name;
  Match when;
  bool want;
};

void CheckMatches(const std::vector<MatchCase>& cases, const ProblemFacts& facts) {
  for (const MatchCase& c : cases) {
    INFO("case: " << c.name);
    CHECK(Matches(c.when, facts) == c.want);
  }
}

TEST_CASE("Pattern::Compile keeps the text and searches anywhere in a line") {
  const Pattern p = P("not f(ou)nd");
  CHECK(p.text() == "not f(ou)nd");
  CHECK(p.Search("user 42 not found in db"));
  CHECK_FALSE(p.Search("user 42 was found"));
  CHECK_FALSE(p.Search(""));
  CHECK(P("^user").Search("user 42"));
  CHECK_FALSE(P("^user").Search("a user"));
  CHECK(P("(?i)RACE").Search("a race condition"));
  CHECK(P("caf\xC3\xA9$").Search("au caf\xC3\xA9"));  // UTF-8 in both
  CHECK(P("a\\x00b").Search(std::string_view("a\0b", 3)));
  CHECK(P("").Search("anything"));

  // Copies share the compiled form and outlive the original.
  std::optional<Pattern> copy;
  {
    const Pattern original = P("denied");
    copy = original;
  }
  CHECK(copy->Search("access denied"));
}

TEST_CASE("Pattern::Compile rejects a bad pattern with RE2's message") {
  struct Case {
    std::string pattern;
    std::string want;
  };
  const Case cases[] = {
      {"(abc", "missing ): (abc"},
      {"abc)", "unexpected ): abc)"},
      {"a**", "bad repetition operator: **"},
      {"[z-a]", "invalid character class range: z-a"},
      {"[abc", "missing ]: [abc"},
      {"x\\", "trailing \\"},
      // Perl features that need backtracking are not RE2 syntax.
      {"(?=a)", "invalid perl operator: (?="},
      {"(a)\\1", "invalid escape sequence: \\1"},
      {"a{1001}", "invalid repetition size: {1001}"},
      {"((a{100}){100}){100}", "invalid repetition size: {100}"},  // counts multiply
      // Bounded memory: every letter of Unicode, a thousand times over.
      {"\\pL{1000}", "pattern too large - compile failed"},
  };
  for (const Case& c : cases) {
    INFO("pattern: " << c.pattern);
    Result<Pattern> p = Pattern::Compile(c.pattern);
    REQUIRE_FALSE(p.has_value());
    CHECK(p.error().kind == ErrorKind::kConfig);
    CHECK(p.error().message == c.want);
  }
}

TEST_CASE("Pattern::Search on hostile input returns, as RE2 is linear") {
  // Each would take exponential time in a backtracking engine.
  const std::string as = std::string(1 << 20, 'a') + "!";
  const std::string xs(1 << 20, 'x');
  CHECK_FALSE(P("(a+)+$").Search(as));
  CHECK_FALSE(P("^(a|aa)+$").Search(as));
  CHECK_FALSE(P("(x*)*y").Search(xs));
  CHECK_FALSE(P("(x+x+)+y").Search(xs));
  CHECK(P("(a+)+!$").Search(as));
  CHECK(P("(x*)*$").Search(xs));
}

TEST_CASE("Pattern::Search on invalid UTF-8 matches the valid parts only") {
  const std::string text = "\xFF\xFE" "user 42 not found\xC0\xAF";
  CHECK(P("not found").Search(text));
  CHECK(P("user \\d+").Search(text));
  CHECK_FALSE(P("^user").Search(text));
  // A bad byte is not a character: '.' does not match it.
  CHECK_FALSE(P("^a.b$").Search("a\xFF" "b"));
  CHECK(P("^a.b$").Search("a\xC3\xA9" "b"));
  // A lone lead byte at the very end does not confuse the search.
  CHECK(P("x").Search("x\xE2"));
  CHECK_FALSE(P("y").Search("x\xE2"));
}

TEST_CASE("Rules: Matches checks each condition of an application error") {
  const Cluster cluster = AppCluster();
  const ProblemFacts facts{&cluster, 5.0, false};
  const std::vector<MatchCase> cases = {
      {"nothing set matches all", Match{}, true},
      {"at least lower", With([](Match& m) { m.severity_at_least = Severity::kWarning; }), true},
      {"at least equal", With([](Match& m) { m.severity_at_least = Severity::kError; }), true},
      {"at least higher", With([](Match& m) { m.severity_at_least = Severity::kCritical; }), false},
      {"severity exactly", With([](Match& m) { m.severity = Severity::kError; }), true},
      {"severity other", With([](Match& m) { m.severity = Severity::kWarning; }), false},
      {"message in template", With([](Match& m) { m.message = P("<\\*> not found$"); }), true},
      {"message in a sample", With([](Match& m) { m.message = P("found in db"); }), true},
      {"message nowhere", With([](Match& m) { m.message = P("timeout"); }), false},
      {"template", With([](Match& m) { m.template_text = P("^user <\\*>"); }), true},
      {"template ignores samples", With([](Match& m) { m.template_text = P("in db"); }), false},
      {"module first site", With([](Match& m) { m.module = P("^app\\.auth$"); }), true},
      {"module second site", With([](Match& m) { m.module = P("^app\\.db$"); }), true},
      {"module none", With([](Match& m) { m.module = P("^app$"); }), false},
      {"module is not function", With([](Match& m) { m.module = P("query"); }), false},
      {"function second site", With([](Match& m) { m.function = P("^query$"); }), true},
      {"function none", With([](Match& m) { m.function = P("^check$"); }), false},
      {"service", With([](Match& m) { m.service = P("^api$"); }), true},
      {"service other", With([](Match& m) { m.service = P("worker"); }), false},
      {"exception", With([](Match& m) { m.exception = P("^Key"); }), true},
      {"exception other", With([](Match& m) { m.exception = P("ValueError"); }), false},
      {"http_status, no status", With([](Match& m) { m.http_status = {{100, 599}}; }), false},
      {"http_method, no method", With([](Match& m) { m.http_method = {"GET"}; }), false},
      {"min_count equal", With([](Match& m) { m.min_count = 12; }), true},
      {"min_count above", With([](Match& m) { m.min_count = 13; }), false},
      {"max_count equal", With([](Match& m) { m.max_count = 12; }), true},
      {"max_count below", With([](Match& m) { m.max_count = 11; }), false},
      {"min_rate equal", With([](Match& m) { m.min_rate_per_hour = 5.0; }), true},
      {"min_rate above", With([](Match& m) { m.min_rate_per_hour = 5.5; }), false},
      {"max_rate equal", With([](Match& m) { m.max_rate_per_hour = 5.0; }), true},
      {"max_rate below", With([](Match& m) { m.max_rate_per_hour = 4.9; }), false},
      {"known false", With([](Match& m) { m.known = false; }), true},
      {"known true", With([](Match& m) { m.known = true; }), false},
      {"all hold",
       With([](Match& m) {
         m.severity_at_least = Severity::kWarning;
         m.message = P("not found");
         m.function = P("check_token");
         m.min_count = 10;
         m.known = false;
       }),
       true},
      {"all but one hold",
       With([](Match& m) {
         m.severity_at_least = Severity::kWarning;
         m.message = P("not found");
         m.min_count = 100;
       }),
       false},
  };
  CheckMatches(cases, facts);

  const ProblemFacts known{&cluster, 5.0, true};
  CHECK(Matches(With([](Match& m) { m.known = true; }), known));
  CHECK_FALSE(Matches(With([](Match& m) { m.known = false; }), known));
}

TEST_CASE("Rules: Matches checks status ranges and methods of a request") {
  const Cluster cluster = RequestCluster();
  const ProblemFacts facts{&cluster, 0, false};
  const std::vector<MatchCase> cases = {
      {"status exactly", With([](Match& m) { m.http_status = {{404, 404}}; }), true},
      {"status class", With([](Match& m) { m.http_status = {{400, 499}}; }), true},
      {"status other class", With([](Match& m) { m.http_status = {{500, 599}}; }), false},
      {"status range edges",
       With([](Match& m) { m.http_status = {{300, 403}, {405, 499}}; }), false},
      {"status any of", With([](Match& m) { m.http_status = {{500, 599}, {404, 404}}; }), true},
      {"method", With([](Match& m) { m.http_method = {"GET"}; }), true},
      {"method other", With([](Match& m) { m.http_method = {"POST"}; }), false},
      {"method any of", With([](Match& m) { m.http_method = {"POST", "GET"}; }), true},
      {"no exception", With([](Match& m) { m.exception = P("."); }), false},
      {"empty exception", With([](Match& m) { m.exception = P("^$"); }), true},
      {"no call site", With([](Match& m) { m.module = P(""); }), false},
  };
  CheckMatches(cases, facts);
}

Rule MakeRule(const std::string& name, const Match& when,
              const std::function<void(RuleEffects&)>& set,
              bool continue_matching = false) {
  Rule r;
  r.name = name;
  r.when = when;
  set(r.set);
  r.continue_matching = continue_matching;
  return r;
}

const Match kAlways{};
const Match kNever = With([](Match& m) { m.min_count = 1000000; });

TEST_CASE("Rules: Evaluate lets the first matching rule decide") {
  const Cluster cluster = AppCluster();
  const ProblemFacts facts{&cluster, 5.0, false};
  RuleSet rules;
  rules.rules = {
      MakeRule("never", kNever, [](RuleEffects& e) { e.priority = 0; }),
      MakeRule("first", kAlways, [](RuleEffects& e) { e.priority = 1; e.category = "GCP-a"; }),
      MakeRule("second", kAlways, [](RuleEffects& e) { e.priority = 2; e.title = "Later"; }),
  };
  const Verdict v = Evaluate(rules, facts);
  CHECK(v.matched == std::vector<std::string>{"first"});
  CHECK(v.effects.priority == 1);
  CHECK(v.effects.category == "GCP-a");
  CHECK_FALSE(v.effects.title.has_value());  // "second" was never reached
  CHECK(v.priority_rule == "first");

  rules.rules.erase(rules.rules.begin() + 1, rules.rules.end());
  const Verdict none = Evaluate(rules, facts);
  CHECK(none.matched.empty());
  CHECK(none.priority_rule == "");
  CHECK_FALSE(none.effects.priority.has_value());
  CHECK_FALSE(none.effects.category.has_value());
  CHECK(none.effects.labels.empty());
}

TEST_CASE("Rules: with continue, later rules fill only unset fields and labels add up") {
  const Cluster cluster = AppCluster();
  const ProblemFacts facts{&cluster, 5.0, false};
  RuleSet rules;
  rules.rules = {
      MakeRule("tag", kAlways, [](RuleEffects& e) {
        e.category = "GCP-race-condition";
        e.labels = {"z-label", "backend"};
      }, true),
      MakeRule("skipped", kNever, [](RuleEffects& e) { e.labels = {"never"}; }, true),
      MakeRule("ranked", kAlways, [](RuleEffects& e) {
        e.category = "GCP-regression";
        e.priority = 2;
        e.title = "Ranked";
        e.fingerprint = "ranked";
        e.ignore = false;
        e.labels = {"backend", "a-label"};
      }, true),
      MakeRule("last", kAlways, [](RuleEffects& e) {
        e.priority = 4;
        e.title = "Last";
        e.escalate = false;
        e.labels = {"m-label"};
      }),
      MakeRule("after-stop", kAlways, [](RuleEffects& e) { e.labels = {"after"}; }),
  };
  const Verdict v = Evaluate(rules, facts);
  CHECK(v.matched == std::vector<std::string>{"tag", "ranked", "last"});
  CHECK(v.effects.category == "GCP-race-condition");
  CHECK(v.effects.priority == 2);
  CHECK(v.priority_rule == "ranked");
  CHECK(v.effects.title == "Ranked");
  CHECK(v.effects.fingerprint == "ranked");
  CHECK(v.effects.ignore == false);
  CHECK(v.effects.escalate == false);  // no earlier rule said
  CHECK(v.effects.labels == std::vector<std::string>{"a-label", "backend", "m-label", "z-label"});
}

TEST_CASE("Rules: Evaluate applies every matching escalation unless told not to") {
  const Cluster cluster = AppCluster();
  const ProblemFacts facts{&cluster, 20.0, false};
  RuleSet rules;
  Escalation hot{"hot", With([](Match& m) { m.min_rate_per_hour = 15; }), 1};
  Escalation cold{"cold", With([](Match& m) { m.max_rate_per_hour = 1; }), 1};
  Escalation many{"many", With([](Match& m) { m.min_count = 10; }), 2};
  rules.escalations = {hot, cold, many};

  struct Case {
    std::string name;
    std::function<void(RuleEffects&)> set;
    std::vector<std::string> want;
  };
  const Case cases[] = {
      {"no rule field", [](RuleEffects&) {}, {"hot", "many"}},
      {"escalate: true", [](RuleEffects& e) { e.escalate = true; }, {"hot", "many"}},
      {"escalate: false", [](RuleEffects& e) { e.escalate = false; }, {}},
      {"ignore: true", [](RuleEffects& e) { e.ignore = true; }, {}},
      {"ignore: false", [](RuleEffects& e) { e.ignore = false; }, {"hot", "many"}},
      {"ignore wins over escalate",
       [](RuleEffects& e) {
         e.ignore = true;
         e.escalate = true;
       },
       {}},
  };
  for (const Case& c : cases) {
    INFO("case: " << c.name);
    rules.rules = {MakeRule("rule", kAlways, c.set)};
    const Verdict v = Evaluate(rules, facts);
    std::vector<std::string> got;
    for (const Escalation* e : v.escalations) {
      REQUIRE(e >= &rules.escalations.front());  // points into the rule set
      REQUIRE(e <= &rules.escalations.back());
      got.push_back(e->name);
    }
    CHECK(got == c.want);
  }

  // A later rule reached through `continue` can turn escalation off.
  rules.rules = {MakeRule("first", kAlways, [](RuleEffects& e) { e.priority = 3; }, true),
                 MakeRule("quiet", kAlways, [](RuleEffects& e) { e.escalate = false; })};
  CHECK(Evaluate(rules, facts).escalations.empty());
  // With no rules at all, escalations still apply.
  rules.rules.clear();
  CHECK(Evaluate(rules, facts).escalations.size() == 2);
}

}  // namespace
}  // namespace triage
