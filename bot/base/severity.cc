#include "bot/base/severity.h"

#include <cctype>
#include <string>

namespace triage {

std::optional<Severity> ParseSeverity(std::string_view text) {
  std::string up;
  for (char c : text) up += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  struct Name { const char* name; Severity severity; };
  static constexpr Name kNames[] = {
      {"DEFAULT", Severity::kDefault},   {"DEBUG", Severity::kDebug},
      {"TRACE", Severity::kDebug},       {"INFO", Severity::kInfo},
      {"NOTICE", Severity::kNotice},     {"WARNING", Severity::kWarning},
      {"WARN", Severity::kWarning},      {"ERROR", Severity::kError},
      {"ERR", Severity::kError},         {"CRITICAL", Severity::kCritical},
      {"FATAL", Severity::kCritical},    {"ALERT", Severity::kAlert},
      {"EMERGENCY", Severity::kEmergency},
  };
  for (const Name& n : kNames) {
    if (up == n.name) return n.severity;
  }
  if (!up.empty() && up.size() <= 3 &&
      up.find_first_not_of("0123456789") == std::string::npos) {
    int value = std::stoi(up);
    if (value % 100 == 0 && value <= 800) return static_cast<Severity>(value);
  }
  return std::nullopt;
}

const char* SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kDefault: return "DEFAULT";
    case Severity::kDebug: return "DEBUG";
    case Severity::kInfo: return "INFO";
    case Severity::kNotice: return "NOTICE";
    case Severity::kWarning: return "WARNING";
    case Severity::kError: return "ERROR";
    case Severity::kCritical: return "CRITICAL";
    case Severity::kAlert: return "ALERT";
    case Severity::kEmergency: return "EMERGENCY";
  }
  return "DEFAULT";
}

}  // namespace triage
