// The YAML reader the config schema is written with, on its own: typed
// values, keys checked against a list, and every error kept with its
// file, line and column.
#include "rules/yaml_reader.h"

#include <doctest/doctest.h>

#include <yaml-cpp/yaml.h>

#include <functional>
#include <string>
#include <vector>

namespace triage {
namespace {

using yaml_reader::Reader;

// Reads `text` as a mapping; `on_key` sees each allowed key.
std::vector<std::string> Read(
    const std::string& text, const yaml_reader::Keys& keys,
    const std::function<void(Reader&, const std::string&, const YAML::Node&)>& on_key) {
  std::vector<std::string> errors;
  Reader reader("t.yml", &errors);
  reader.Read(text, [&](const YAML::Node& root) {
    reader.ForEachKey(root, "the file", keys, [&](const std::string& key, const YAML::Node& v) {
      on_key(reader, key, v);
    });
  });
  return errors;
}

// Reads no value: only the keys are checked.
const auto kIgnore = [](Reader&, const std::string&, const YAML::Node&) {};

TEST_CASE("yaml reader: unknown, repeated and misplaced keys, each with its position") {
  const std::vector<std::string> errors = Read("a: 1\nlables: x\na: 2\n", {"a", "b"}, kIgnore);
  CHECK(errors == std::vector<std::string>{
                      "t.yml:2:1: unknown key 'lables' in the file (expected one of: a, b)",
                      "t.yml:3:1: key 'a' given twice in the file"});
  CHECK(Read("- a\n- b\n", {"a"}, kIgnore) ==
        std::vector<std::string>{"t.yml:1:1: the file: expected a mapping with keys a"});
  // An empty document is an empty mapping.
  CHECK(Read("", {"a"}, kIgnore).empty());
}

TEST_CASE("yaml reader: typed values, and what each says when the value is not its type") {
  struct Row {
    const char* yaml;
    const char* error;  // "" when the value is read
  };
  const Row rows[] = {
      {"text: hello", ""},
      {"text: [1]", "t.yml:1:7: text: expected a text"},
      {"texts: [a, b]", ""},
      {"texts: {a: b}", "t.yml:1:8: texts: expected a text or a list of texts"},
      {"number: 2.5", ""},
      {"number: 11", "t.yml:1:9: number: expected a number from 0 to 10.5"},
      {"integer: 7", ""},
      {"integer: 7.5", "t.yml:1:10: integer: expected a whole number from 1 to 9"},
      {"bool: yes", ""},
      {"bool: maybe", "t.yml:1:7: bool: expected true or false"},
      {"priority: p2", ""},
      {"priority: P9", "t.yml:1:11: priority: expected a priority P0 to P6, got 'P9'"},
      {"severity: warn", ""},
      {"severity: loud",
       "t.yml:1:11: severity: expected a severity (DEFAULT, DEBUG, INFO, NOTICE, WARNING, ERROR, "
       "CRITICAL, ALERT, EMERGENCY), got 'loud'"},
      {"duration: 90m", ""},
      {"duration: 0h",
       "t.yml:1:11: duration: expected a duration such as 90m, 24h or 7d, got '0h'"},
      {"label: needs-triage", ""},
      {"label: 'a,b'", "t.yml:1:8: label: 'a,b' cannot be a GitHub label: it holds a comma"},
      {"regex: '^a+$'", ""},
      {"regex: '(a'", "t.yml:1:8: regex: bad regular expression '(a': missing ): (a"},
  };
  const yaml_reader::Keys keys{"text", "texts", "number", "integer", "bool", "priority",
                               "severity", "duration", "label", "regex"};
  for (const Row& row : rows) {
    INFO("yaml: " << std::string(row.yaml));
    bool read = false;
    const std::vector<std::string> errors =
        Read(row.yaml, keys, [&](Reader& r, const std::string& key, const YAML::Node& v) {
          if (key == "text") read = r.String(v, key).has_value();
          if (key == "texts") read = r.Strings(v, key).has_value();
          if (key == "number") read = r.Number(v, key, 0, 10.5).has_value();
          if (key == "integer") read = r.Integer(v, key, 1, 9).has_value();
          if (key == "bool") read = r.Bool(v, key).has_value();
          if (key == "priority") read = r.Priority(v, key).has_value();
          if (key == "severity") read = r.Sev(v, key).has_value();
          if (key == "duration") read = r.Duration(v, key).has_value();
          if (key == "label") read = r.Label(v, key).has_value();
          if (key == "regex") read = r.Regex(v, key).has_value();
        });
    if (*row.error == '\0') {
      CHECK(errors.empty());
      CHECK(read);
    } else {
      CHECK(errors == std::vector<std::string>{row.error});
      CHECK_FALSE(read);
    }
  }
}

TEST_CASE("yaml reader: an empty value is placed at its key, not on the next line") {
  const std::vector<std::string> errors =
      Read("window:\n\nother: 1\n", {"window", "other"},
           [](Reader& r, const std::string& key, const YAML::Node& v) {
             if (key == "window") (void)r.Duration(v, "window");
           });
  CHECK(errors == std::vector<std::string>{
                      "t.yml:1:1: window: expected a duration such as 90m, 24h or 7d, got "
                      "nothing"});
}

TEST_CASE("yaml reader: a syntax error is one error, after what was noted before") {
  std::vector<std::string> errors;
  Reader reader("t.yml", &errors);
  reader.Read("a: [1, 2\n", [](const YAML::Node&) { FAIL("a document that does not parse"); });
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].rfind("t.yml:2:1: ", 0) == 0);
  // An exception yaml-cpp throws while the document is read is one too.
  reader.Read("a: 1\n", [](const YAML::Node& root) { (void)root["a"].as<std::vector<int>>(); });
  REQUIRE(errors.size() == 2);
  CHECK(errors[1].rfind("t.yml:1:4: ", 0) == 0);
}

TEST_CASE("yaml reader: errors join into one message, control characters shown") {
  CHECK(yaml_reader::JoinErrors({"f:1:1: a", "f:2:1: key 'x\ny\x7f'"}) ==
        "f:1:1: a\nf:2:1: key 'x\\x0ay\\x7f'");
  CHECK(yaml_reader::JoinErrors({}).empty());
  CHECK(yaml_reader::Quote(std::string(70, 'q')) == "'" + std::string(60, 'q') + "...'");
}

}  // namespace
}  // namespace triage
