// What is checked of a template when it is loaded, before any run: every
// tag's name against the names its data can hold, raw output for built
// Markdown only, no partials. And the standalone lines: a line that holds
// only a section or comment tag leaves no line behind, as Mustache says,
// whether the section is rendered or skipped. Internal to templates/.
#ifndef TRIAGE_TEMPLATES_TEMPLATE_CHECK_H_
#define TRIAGE_TEMPLATES_TEMPLATE_CHECK_H_

#include <set>
#include <string>

#include "bot/base/result.h"
#include "templates/render.h"

namespace triage {
namespace template_check {

// Checks every tag of `source`, in sections a run never opens too, against
// `names` (view_data::DataNames of data that holds every name). Error
// (kConfig) at the first bad tag: "<source_name>: line <n>: <what>", what
// being "unknown variable 'x'", "partials are not supported: 'x'" or "'x'
// is text: write it in double braces so that it is escaped".
Result<Ok> CheckNames(const TemplateSource& source, const std::set<std::string>& names);

// `text` with a mark after every section and comment tag that stands alone
// on its line; kainjow then keeps every line, and DropMarkedLines, after
// rendering, drops the marked ones.
std::string MarkStandalone(const std::string& text);

// Drops every line that holds a mark and blanks only; removes other marks
// (values never hold one: text is sanitised).
std::string DropMarkedLines(const std::string& text);

}  // namespace template_check
}  // namespace triage

#endif  // TRIAGE_TEMPLATES_TEMPLATE_CHECK_H_
