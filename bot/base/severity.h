// LogSeverity names as Cloud Logging spells them, both ways.
#ifndef TRIAGE_BOT_BASE_SEVERITY_H_
#define TRIAGE_BOT_BASE_SEVERITY_H_

#include <optional>
#include <string_view>

#include "bot/base/types.h"

namespace triage {

// Accepts the API's names in any case, common aliases (WARN, FATAL, ERR)
// and the numeric form ("400"). Returns nullopt for anything else.
std::optional<Severity> ParseSeverity(std::string_view text);

// "WARNING" etc.; kDefault is "DEFAULT".
const char* SeverityName(Severity severity);

}  // namespace triage

#endif  // TRIAGE_BOT_BASE_SEVERITY_H_
