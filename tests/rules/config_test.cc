#include "rules/config.h"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace triage {
namespace {

constexpr int64_t kHourUs = 3600 * int64_t{1000000};

// A file of the source tree, as text.
std::string ReadSourceFile(const std::string& path) {
  std::ifstream in(std::string(GARDENER_SOURCE_DIR) + "/" + path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

ConfigText Defaults() { return {ReadSourceFile("rules/default.yml"), "rules/default.yml"}; }

// The defaults with `user` over them; the test fails if they do not load.
Config Load(const std::string& user) {
  Result<Config> config = LoadConfig(Defaults(), ConfigText{user, "gardener.yml"});
  REQUIRE_MESSAGE(config.has_value(), config.error().message);
  return config.value();
}

// The error message, "" when `user` loads.
std::string LoadError(const ConfigText& user) {
  Result<Config> config = LoadConfig(Defaults(), user);
  if (config) return "";
  CHECK(config.error().kind == ErrorKind::kConfig);
  return config.error().message;
}

template <typename T>
std::vector<std::string> Names(const std::vector<T>& items) {
  std::vector<std::string> names;
  for (const T& item : items) names.push_back(item.name);
  return names;
}

TEST_CASE("LoadConfig: the defaults load with the values the structs start from") {
  Result<Config> loaded = LoadConfig(Defaults(), std::nullopt);
  REQUIRE_MESSAGE(loaded.has_value(), loaded.error().message);
  const Config& c = loaded.value();
  const Config zero;  // default.yml must agree with the struct defaults
  CHECK(c.source.project == "");
  CHECK(c.source.services.empty());
  CHECK(c.source.min_severity == Severity::kWarning);
  CHECK(c.source.window_us == 24 * kHourUs);
  CHECK(c.source.window_us == zero.source.window_us);
  CHECK(c.github.repository == "");
  CHECK(c.github.bot_label == "gcp-log-gardener");
  CHECK(c.github.labels.empty());
  CHECK(c.github.file_at_or_above == 4);
  CHECK(c.github.reopen_window_us == 30 * 24 * kHourUs);
  CHECK(c.github.quiet_period_us == 24 * kHourUs);
  CHECK(c.github.max_writes == 100);
  CHECK(c.github.reopen_window_us == zero.github.reopen_window_us);
  CHECK(c.github.quiet_period_us == zero.github.quiet_period_us);
  const TriageDefaults& d = c.rules.defaults;
  CHECK(d.critical_priority == 1);
  CHECK(d.error_priority == 2);
  CHECK(d.warning_priority == 3);
  CHECK(d.other_priority == 5);
  CHECK(d.critical_p0_rate_per_hour == 10);
  CHECK(d.error_category == "GCP-regression");
  CHECK(d.other_category == "GCP-active-dev");
  CHECK(c.templates.empty());

  REQUIRE(Names(c.rules.escalations) == std::vector<std::string>{"very-high-frequency"});
  const Escalation& e = c.rules.escalations[0];
  CHECK(e.raise == 1);
  CHECK(e.when.min_rate_per_hour == 15.0);
  CHECK_FALSE(e.when.message.has_value());

  REQUIRE(Names(c.rules.rules) == std::vector<std::string>{"race-condition"});
  const Rule& r = c.rules.rules[0];
  REQUIRE(r.when.message.has_value());
  CHECK(r.when.message->text() == "(?i)\\brace condition");
  CHECK(r.set.category == "GCP-race-condition");
  CHECK_FALSE(r.set.priority.has_value());
  CHECK(r.continue_matching);

  // An empty user file changes nothing.
  CHECK(Names(Load("").rules.rules) == std::vector<std::string>{"race-condition"});
  CHECK(Load("# only a comment\n").github.max_writes == 100);
}

TEST_CASE("LoadConfig: a user file replaces scalars and keeps the rest") {
  const Config c = Load(R"(
source:
  project: netra-staging
  services: api
  window: 90m
github:
  repository: netra-systems/netra-apex
  labels: [backend, 'needs triage']
  file_at_or_above: p2
  quiet_period: 1h30m
defaults:
  priority:
    error: "1"
  category:
    other: GCP-other
  critical_p0_rate_per_hour: 0
templates:
  issue_body: my/issue.md.mustache
)");
  CHECK(c.source.project == "netra-staging");
  CHECK(c.source.services == std::vector<std::string>{"api"});
  CHECK(c.source.min_severity == Severity::kWarning);       // kept
  CHECK(c.source.window_us == 90 * 60 * int64_t{1000000});
  CHECK(c.github.repository == "netra-systems/netra-apex");
  CHECK(c.github.labels == std::vector<std::string>{"backend", "needs triage"});
  CHECK(c.github.bot_label == "gcp-log-gardener");          // kept
  CHECK(c.github.file_at_or_above == 2);
  CHECK(c.github.quiet_period_us == 3 * kHourUs / 2);
  CHECK(c.github.reopen_window_us == 30 * 24 * kHourUs);    // kept
  CHECK(c.github.max_writes == 100);                         // kept
  CHECK(c.rules.defaults.error_priority == 1);
  CHECK(c.rules.defaults.critical_priority == 1);           // kept
  CHECK(c.rules.defaults.other_priority == 5);              // kept
  CHECK(c.rules.defaults.other_category == "GCP-other");
  CHECK(c.rules.defaults.error_category == "GCP-regression");  // kept
  CHECK(c.rules.defaults.critical_p0_rate_per_hour == 0);
  CHECK(c.templates == std::map<std::string, std::string>{{"issue_body", "my/issue.md.mustache"}});
}

TEST_CASE("LoadConfig: user rules and escalations come first and replace same-named ones") {
  const Config c = Load(R"(
escalation:
  - name: burst
    when: {min_count: 1000}
    raise: 2
  - name: very-high-frequency
    when: {min_rate_per_hour: 100}
rules:
  - name: auth
    when: {message: denied}
    priority: P1
  - name: race-condition
    when: {message: 'data race'}
    priority: P0
)");
  CHECK(Names(c.rules.rules) == std::vector<std::string>{"auth", "race-condition"});
  const Rule& race = c.rules.rules[1];
  CHECK(race.when.message->text() == "data race");
  CHECK(race.set.priority == 0);
  CHECK_FALSE(race.set.category.has_value());  // replaced whole, not merged
  CHECK_FALSE(race.continue_matching);

  CHECK(Names(c.rules.escalations) == std::vector<std::string>{"burst", "very-high-frequency"});
  CHECK(c.rules.escalations[0].raise == 2);
  CHECK(c.rules.escalations[1].when.min_rate_per_hour == 100.0);
  CHECK(c.rules.escalations[1].raise == 1);

  // A new name goes before every default one.
  CHECK(Names(Load("rules:\n  - name: mine\n").rules.rules) ==
        std::vector<std::string>{"mine", "race-condition"});
}

TEST_CASE("LoadConfig: a rule reads every condition and effect") {
  const Config c = Load(R"(
rules:
  - name: everything
    when:
      severity_at_least: warn
      severity: ERROR
      message: 'denied'
      template: 'user <\*>'
      logger: '^app\.auth$'
      function: check
      service: api
      exception: KeyError
      http_status: [404, 5xx, "418"]
      http_method: [get, Post]
      min_count: 2
      max_count: 9000
      min_rate_per_hour: 0.5
      max_rate_per_hour: 1e3
      known: false
    category: GCP-auth
    priority: P1
    title: Token checks fail
    fingerprint: auth-denied
    labels: [auth, backend]
    ignore: no
    escalate: false
    continue: true
)");
  const Rule& r = c.rules.rules.at(0);
  REQUIRE(r.name == "everything");
  const Match& m = r.when;
  CHECK(m.severity_at_least == Severity::kWarning);
  CHECK(m.severity == Severity::kError);
  CHECK(m.message->text() == "denied");
  CHECK(m.template_text->text() == "user <\\*>");
  CHECK(m.module->text() == "^app\\.auth$");  // `logger` is `module`
  CHECK(m.function->text() == "check");
  CHECK(m.service->text() == "api");
  CHECK(m.exception->text() == "KeyError");
  CHECK(m.http_status == std::vector<std::pair<int, int>>{{404, 404}, {500, 599}, {418, 418}});
  CHECK(m.http_method == std::vector<std::string>{"GET", "POST"});
  CHECK(m.min_count == 2);
  CHECK(m.max_count == 9000);
  CHECK(m.min_rate_per_hour == 0.5);
  CHECK(m.max_rate_per_hour == 1000.0);
  CHECK(m.known == false);
  const RuleEffects& e = r.set;
  CHECK(e.category == "GCP-auth");
  CHECK(e.priority == 1);
  CHECK(e.title == "Token checks fail");
  CHECK(e.fingerprint == "auth-denied");
  CHECK(e.labels == std::vector<std::string>{"auth", "backend"});
  CHECK(e.ignore == false);
  CHECK(e.escalate == false);
  CHECK(r.continue_matching);
}

TEST_CASE("LoadConfig: the example configuration loads") {
  const Config c = Load(ReadSourceFile("examples/netra-staging.yml"));
  CHECK(c.source.project == "netra-staging");
  CHECK(c.source.window_us == kHourUs);
  CHECK(c.rules.rules.size() == 14);  // 13 of its own, then race-condition
  CHECK(c.rules.rules.back().name == "race-condition");
  CHECK(c.rules.rules.at(12).set.escalate == false);
}

// The key lists the messages name.
const std::string kTopKeys = "version, source, github, redaction, templates, defaults, escalation, rules";
const std::string kRuleKeys =
    "name, when, category, priority, title, fingerprint, labels, ignore, escalate, continue";
const std::string kMatchKeys =
    "severity_at_least, severity, message, template, logger, module, function, service, "
    "exception, http_status, http_method, min_count, max_count, min_rate_per_hour, "
    "max_rate_per_hour, known";
const std::string kSeverity =
    "expected a severity (DEFAULT, DEBUG, INFO, NOTICE, WARNING, ERROR, CRITICAL, ALERT, "
    "EMERGENCY), got ";
const std::string kDuration = "expected a duration such as 90m, 24h or 7d, got ";
const std::string kStatus = "expected a status from 100 to 599 or a class 1xx to 5xx, got ";

TEST_CASE("LoadConfig: each broken config in tests/rules/configs gives line:column messages") {
  struct Case {
    std::string file;
    std::vector<std::string> want;  // without the "tests/rules/configs/" prefix
  };
  const Case cases[] = {
      {"unknown_key.yml",
       {"2:1: unknown key 'sorce' in the configuration (expected one of: " + kTopKeys + ")",
        "7:7: unknown key 'mesage' in rule 'auth' when (expected one of: " + kMatchKeys + ")",
        "8:5: unknown key 'lables' in rule 'auth' (expected one of: " + kRuleKeys + ")"}},
      {"wrong_type.yml",
       {"2:9: source: expected a mapping with keys project, projects, services, resource_type, min_severity, window, overlap, max_lookback, filter, endpoint, max_entries, kind, dataset, billing_project, location, max_bytes_billed, max_groups",
        "4:15: github max_writes: expected a whole number from 0 to 100000",
        "5:11: github labels: expected a label or a list of labels",
        "8:11: rule 'big' when: expected a mapping with keys " + kMatchKeys,
        "9:13: rule 'big' ignore: expected true or false",
        "12:18: rule 'counted' when min_count: expected a whole number from 0 to "
        "9223372036854775807",
        "13:26: rule 'counted' when min_rate_per_hour: expected a number from 0 to 1000000000000",
        "14:12: rule 'counted' title: expected a text"}},
      {"bad_regex.yml",
       {"4:16: rule 'auth-denied' when message: bad regular expression '(unclosed': "
        "missing ): (unclosed",
        "7:15: rule 'bad-module' when module: bad regular expression 'a**': "
        "bad repetition operator: **",
        "8:17: rule 'bad-module' when function: bad regular expression '[z-a]': "
        "invalid character class range: z-a"}},
      {"bad_priority.yml",
       {"2:21: github file_at_or_above: expected a priority P0 to P6, got 'P7'",
        "5:12: defaults priority error: expected a priority P0 to P6, got 'high'",
        "10:15: rule 'too-low' priority: expected a priority P0 to P6, got 'P9'"}},
      {"bad_category_label.yml",
       {"3:12: defaults category error: 'GCP regression, again' cannot be a GitHub label: "
        "it holds a comma",
        "8:15: rule 'piped' category: 'GCP|auth' cannot be a GitHub label: "
        "it holds '|', the title's separator",
        "12:15: rule 'long' category: 'GCP-a-category-name-that-is-far-too-long-for-github' "
        "cannot be a GitHub label: it is longer than 50 characters",
        "14:15: rule 'empty' category: '' cannot be a GitHub label: it is empty",
        "16:15: rule 'spaced' category: ' GCP-auth' cannot be a GitHub label: "
        "it starts or ends with a space"}},
      {"bad_severity.yml",
       {"2:17: source min_severity: " + kSeverity + "'LOUD'",
        "6:26: rule 'loud' when severity_at_least: " + kSeverity + "'WARNINGS'",
        "7:17: rule 'loud' when severity: " + kSeverity + "a list"}},
      {"bad_duration.yml",
       {"2:11: source window: " + kDuration + "'24'",
        "4:18: github reopen_window: " + kDuration + "'0d'",
        "5:17: github quiet_period: " + kDuration + "'1y'"}},
      {"duplicate_rule_name.yml",
       {"4:11: escalation name 'hot' is used twice", "11:11: rule name 'auth' is used twice"}},
      {"duplicate_key.yml",
       {"7:5: key 'priority' given twice in rule 'auth'",
        "8:1: key 'github' given twice in the configuration"}},
      {"yaml_syntax_error.yml", {"4:13: end of map flow not found"}},
      {"not_a_mapping.yml", {"1:1: the configuration: expected a mapping with keys " + kTopKeys}},
      {"bad_http_status.yml",
       {"4:26: rule 'statuses' when http_status: " + kStatus + "'600'",
        "4:31: rule 'statuses' when http_status: " + kStatus + "'6xx'",
        "4:36: rule 'statuses' when http_status: " + kStatus + "'teapot'",
        "7:20: rule 'one' when http_status: " + kStatus + "'99'"}},
      {"bad_repository.yml", {"2:15: github repository: expected owner/name, got 'netra-apex'"}},
      {"label_with_comma.yml",
       {"2:14: github bot_label: 'gardener,bot' cannot be a GitHub label: it holds a comma",
        "3:16: github labels: 'needs,triage' cannot be a GitHub label: it holds a comma",
        "6:18: rule 'labelled' labels: 'a,b' cannot be a GitHub label: it holds a comma"}},
      {"missing_name.yml",
       {"2:5: rule 1: expected a mapping with a 'name'",
        "4:5: rule 2: expected a mapping with a 'name'",
        "5:11: rule 3 name: expected a text that is not empty",
        "7:5: escalation 1: expected a mapping with a 'name'"}},
      {"bad_version.yml", {"1:10: version: expected 1, got '2'"}},
      // An empty value is reported at its key, not where the next line starts.
      {"empty_values.yml",
       {"2:3: source window: " + kDuration + "nothing",
        "4:3: github repository: expected a text",
        "8:5: rule 'nothing' category: expected a text"}},
      {"several_errors.yml",
       {"4:17: source min_severity: " + kSeverity + "'LOUD'",
        "6:21: github file_at_or_above: expected a priority P0 to P6, got 'P9'",
        "10:16: rule 'a' when message: bad regular expression '(a': missing ): (a",
        "11:15: rule 'a' category: 'x,y' cannot be a GitHub label: it holds a comma",
        "12:5: unknown key 'colour' in rule 'a' (expected one of: " + kRuleKeys + ")"}},
  };
  for (const Case& c : cases) {
    const std::string name = "tests/rules/configs/" + c.file;
    INFO("file: " << name);
    std::string want;
    for (const std::string& line : c.want) want += (want.empty() ? "" : "\n") + name + ":" + line;
    CHECK(LoadError(ConfigText{ReadSourceFile(name), name}) == want);
  }
}

TEST_CASE("LoadConfig: errors in both files are all reported, each under its own name") {
  ConfigText defaults{"source:\n  window: soon\n", "default.yml"};
  ConfigText user{"github:\n  max_writes: -1\n", "user.yml"};
  Result<Config> config = LoadConfig(defaults, user);
  REQUIRE_FALSE(config.has_value());
  CHECK(config.error().message ==
        "default.yml:2:11: source window: " + kDuration + "'soon'\n"
        "user.yml:2:15: github max_writes: expected a whole number from 0 to 100000");
}

TEST_CASE("Config: ParsePriority reads P0 to P6") {
  struct Case {
    std::string text;
    std::optional<int> want;
  };
  const Case cases[] = {
      {"P0", 0}, {"P6", 6}, {"p1", 1}, {"3", 3}, {"0", 0},
      {"P7", std::nullopt}, {"P-1", std::nullopt}, {"-1", std::nullopt},
      {"", std::nullopt},   {"P", std::nullopt},   {"P10", std::nullopt},
      {"PP1", std::nullopt}, {" P1", std::nullopt}, {"Q1", std::nullopt},
      {"high", std::nullopt},
  };
  for (const Case& c : cases) {
    INFO("text: '" << c.text << "'");
    CHECK(ParsePriority(c.text) == c.want);
  }
}

TEST_CASE("Config: LabelProblem says what GitHub would refuse as a label") {
  struct Case {
    std::string label;
    std::string want;
  };
  const Case cases[] = {
      {"GCP-regression", ""},
      {"needs triage", ""},
      {std::string(50, 'x'), ""},
      {std::string(51, 'x'), "it is longer than 50 characters"},
      // 50 characters of two bytes each: characters count, not bytes.
      {[] { std::string s; for (int i = 0; i < 50; ++i) s += "\xC3\xA9"; return s; }(), ""},
      {"", "it is empty"},
      {"a,b", "it holds a comma"},
      {"GCP | auth", "it holds '|', the title's separator"},
      {"tab\there", "it holds a control character"},
      {"line\n", "it holds a control character"},
      {"del\x7f", "it holds a control character"},
      {" leading", "it starts or ends with a space"},
      {"trailing ", "it starts or ends with a space"},
  };
  for (const Case& c : cases) {
    INFO("label: '" << c.label << "'");
    CHECK(LabelProblem(c.label) == c.want);
  }
}

TEST_CASE("LoadConfig: window continuity, dashboard and redaction keys") {
  Config base = Load("");
  CHECK(base.source.overlap_us == 10 * 60 * int64_t{1000000});
  CHECK(base.source.max_lookback_us == 72 * 3600 * int64_t{1000000});
  CHECK(base.github.dashboard);
  CHECK(base.redaction.emails);
  Config c = Load("source:\n  overlap: 5m\n  max_lookback: 7d\ngithub:\n  dashboard: false\n"
                  "  dashboard_title: Log problems\nredaction:\n  emails: false\n");
  CHECK(c.source.overlap_us == 5 * 60 * int64_t{1000000});
  CHECK(c.source.max_lookback_us == 7 * 24 * 3600 * int64_t{1000000});
  CHECK_FALSE(c.github.dashboard);
  CHECK(c.github.dashboard_title == "Log problems");
  CHECK_FALSE(c.redaction.emails);
  ConfigText bad{"github:\n  dashboard_title: 'a | b'\nredaction:\n  email: true\n", "bad.yml"};
  CHECK(LoadError(bad) ==
        "bad.yml:2:20: github dashboard_title: expected 1 to 200 characters without '|', got 'a | b'\n"
        "bad.yml:4:3: unknown key 'email' in redaction (expected one of: emails)");
}

TEST_CASE("LoadConfig: one error, one line, whatever the file holds") {
  const std::string error = LoadError(ConfigText{"\"a\\nb\": 1\n", "odd.yml"});
  CHECK(error.find('\n') == std::string::npos);
  CHECK(error.rfind("odd.yml:1:1: unknown key 'a\\x0ab'", 0) == 0);
}

}  // namespace
}  // namespace triage
