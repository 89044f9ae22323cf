// Issue bodies, evidence comments and the worklog, rendered from Mustache
// templates that a user may override. Values are escaped for Markdown.
#ifndef TRIAGE_TEMPLATES_RENDER_H_
#define TRIAGE_TEMPLATES_RENDER_H_

#include <map>
#include <memory>
#include <string>

#include "bot/base/result.h"
#include "bot/base/types.h"

namespace triage {

// The three templates, compiled, and how log text is shown in them.
// Copyable.
struct TemplateSet {
  struct Compiled;
  std::shared_ptr<const Compiled> issue_body;
  std::shared_ptr<const Compiled> comment;
  std::shared_ptr<const Compiled> worklog;
  // Email addresses in log text become "[redacted: email]" (the config's
  // `redaction: emails`). Secrets always are redacted.
  bool redact_emails = true;
};

// One template's text and where it came from (for error messages).
struct TemplateSource {
  std::string text;
  std::string source_name;   // "templates/worklog.md.mustache" or a user's path
};

// Compiles the templates named "issue_body", "comment" and "worklog".
// Errors (kConfig): a missing or unknown name, or a template that does not
// parse: "<source_name>: <what is wrong>". Also rejected, with the line: a name
// the data never holds ("t.md: line 12: unknown variable 'samplez'"), a
// partial, and triple braces around a value other than `marker` or a
// name ending in `_md` (built Markdown), so that log text is always
// escaped. The names each template may use are listed at its top.
Result<TemplateSet> CompileTemplates(const std::map<std::string, TemplateSource>& sources);

// The worklog of a run, Markdown, under GitHub's 1 MiB step summary limit:
// past 200 problems only the table, fewer when still too long, and a note
// saying what was left out.
std::string RenderWorklog(const TemplateSet& templates, const RunReport& report);

// The body of a new issue for `action`'s problem. `marker` is put in
// verbatim (the bot's hidden fingerprint marker; the caller builds it).
// Log text in it is redacted (bot/redact.h) and inert (templates/markdown.h).
// At most 63,488 code points, under GitHub's 65,536 with room for the marker
// to change: when longer, fewer and shorter samples (the text says so), and
// as a last resort a cut with a note, the marker moved after it.
std::string RenderIssueBody(const TemplateSet& templates, const PlannedAction& action,
                            const RunReport& report, const std::string& marker);

// An evidence comment for `action`'s problem, as RenderIssueBody.
std::string RenderComment(const TemplateSet& templates, const PlannedAction& action,
                          const RunReport& report, const std::string& marker);

}  // namespace triage

#endif  // TRIAGE_TEMPLATES_RENDER_H_
