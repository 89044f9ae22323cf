#include "bot/base/severity.h"

#include <doctest/doctest.h>

#include <optional>
#include <string>

namespace triage {
namespace {

TEST_CASE("ParseSeverity reads Cloud Logging's names in any case, and the aliases") {
  struct Row {
    const char* text;
    Severity severity;
  };
  const Row rows[] = {
      {"DEFAULT", Severity::kDefault},    {"DEBUG", Severity::kDebug},
      {"INFO", Severity::kInfo},          {"NOTICE", Severity::kNotice},
      {"WARNING", Severity::kWarning},    {"ERROR", Severity::kError},
      {"CRITICAL", Severity::kCritical},  {"ALERT", Severity::kAlert},
      {"EMERGENCY", Severity::kEmergency},
      {"error", Severity::kError},        {"Warning", Severity::kWarning},
      {"eMeRgEnCy", Severity::kEmergency},
      {"TRACE", Severity::kDebug},        {"warn", Severity::kWarning},
      {"ERR", Severity::kError},          {"fatal", Severity::kCritical},
  };
  for (const Row& row : rows) {
    INFO("row.text: " << std::string(row.text));
    const std::optional<Severity> parsed = ParseSeverity(row.text);
    REQUIRE(parsed.has_value());
    CHECK(*parsed == row.severity);
  }
}

TEST_CASE("ParseSeverity reads the numeric form: hundreds from 0 to 800") {
  CHECK(ParseSeverity("0") == Severity::kDefault);
  CHECK(ParseSeverity("000") == Severity::kDefault);
  CHECK(ParseSeverity("100") == Severity::kDebug);
  CHECK(ParseSeverity("400") == Severity::kWarning);
  CHECK(ParseSeverity("500") == Severity::kError);
  CHECK(ParseSeverity("800") == Severity::kEmergency);
  for (const char* text : {"450", "900", "999", "1000", "0500", "-100", "+500", "5e2"}) {
    INFO("text: " << std::string(text));
    CHECK_FALSE(ParseSeverity(text).has_value());
  }
}

TEST_CASE("ParseSeverity refuses anything else, without trimming") {
  for (const char* text : {"", " ", "ERROR ", " ERROR", "ERRORS", "WARNINGS", "E", "SEVERE",
                           "error\n", "INFO|ERROR"}) {
    INFO("text: " << std::string(text));
    CHECK_FALSE(ParseSeverity(text).has_value());
  }
  CHECK_FALSE(ParseSeverity(std::string("ERROR\0", 6)).has_value());
}

TEST_CASE("SeverityName spells every severity as Cloud Logging does, and reads back") {
  const Severity all[] = {Severity::kDefault, Severity::kDebug,    Severity::kInfo,
                          Severity::kNotice,  Severity::kWarning,  Severity::kError,
                          Severity::kCritical, Severity::kAlert,   Severity::kEmergency};
  const char* const names[] = {"DEFAULT", "DEBUG",    "INFO",  "NOTICE",   "WARNING",
                               "ERROR",   "CRITICAL", "ALERT", "EMERGENCY"};
  for (size_t i = 0; i < std::size(all); ++i) {
    INFO("names[i]: " << std::string(names[i]));
    CHECK(std::string(SeverityName(all[i])) == names[i]);
    CHECK(ParseSeverity(SeverityName(all[i])) == all[i]);
    // The numeric form names the same severity.
    CHECK(ParseSeverity(std::to_string(static_cast<int>(all[i]))) == all[i]);
  }
}

TEST_CASE("SeverityName of a value between the named ones is DEFAULT") {
  CHECK(std::string(SeverityName(static_cast<Severity>(450))) == "DEFAULT");
}

}  // namespace
}  // namespace triage
