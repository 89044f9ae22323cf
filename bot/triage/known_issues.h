// The issues already on the tracker, read from a JSON snapshot: how a dry
// run plans against a known tracker without credentials, and how tests pin
// plans.
#ifndef TRIAGE_BOT_TRIAGE_KNOWN_ISSUES_H_
#define TRIAGE_BOT_TRIAGE_KNOWN_ISSUES_H_

#include <string>
#include <vector>

#include "bot/base/result.h"
#include "bot/base/types.h"

namespace triage {

// A JSON array of objects: number (required), title, url, state ("open" or
// "closed"), state_reason, closed_at (RFC 3339), labels (texts, or objects
// with a name), fingerprints, watermark (RFC 3339), priority_set_by_person, muted.
// The priority comes from the labels, else the title. Error (kInput):
// "<source_name>: issue 3: 'number' must be a positive whole number".
Result<std::vector<KnownIssue>> ParseKnownIssues(const std::string& text,
                                                 const std::string& source_name);

}  // namespace triage

#endif  // TRIAGE_BOT_TRIAGE_KNOWN_ISSUES_H_
