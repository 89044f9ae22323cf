// The load-time checks of a template's tags against a set of names, and
// the marking of standalone lines, on their own (render_test.cc checks
// them through CompileTemplates and the default templates).
#include "templates/template_check.h"

#include <doctest/doctest.h>

#include <set>
#include <string>

namespace triage {
namespace {

using template_check::CheckNames;
using template_check::DropMarkedLines;
using template_check::MarkStandalone;

const std::set<std::string> kNames{"title", "marker", "chart_md", "rows", "rows.count",
                                   "rows.samples", "rows.samples.text", "count"};

std::string Check(const std::string& text) {
  Result<Ok> checked = CheckNames(TemplateSource{text, "t.md"}, kNames);
  return checked ? "" : checked.error().message;
}

TEST_CASE("template check: names resolve from the innermost open section outwards") {
  CHECK(Check("{{title}} {{#rows}}{{count}}{{#samples}}{{text}} {{title}}{{/samples}}{{/rows}}")
            .empty());
  // Outside its section a list item's name is unknown, as kainjow would leave it blank.
  CHECK(Check("{{#rows}}{{/rows}}\n\n{{text}}") == "t.md: line 3: unknown variable 'text'");
  CHECK(Check("{{samples}}") == "t.md: line 1: unknown variable 'samples'");
  // An inverted section opens a scope too, and "." names the section's value.
  CHECK(Check("{{^rows}}none{{/rows}}{{#rows}}{{.}}{{/rows}}").empty());
  // Comments and set-delimiter tags are no names; the new delimiters are read.
  CHECK(Check("{{! anything at all }}{{=<% %>=}}<% title %><%! x %>").empty());
  CHECK(Check("{{=<% %>=}}\n{{nope}}\n<% nope %>") == "t.md: line 3: unknown variable 'nope'");
}

TEST_CASE("template check: raw output is for built Markdown and the marker only") {
  CHECK(Check("{{{marker}}} {{{chart_md}}} {{&chart_md}}").empty());
  CHECK(Check("{{{title}}}") ==
        "t.md: line 1: 'title' is text: write it in double braces so that it is escaped");
  CHECK(Check("x\n{{& title}}") ==
        "t.md: line 2: 'title' is text: write it in double braces so that it is escaped");
  CHECK(Check("{{> header}}") == "t.md: line 1: partials are not supported: 'header'");
}

TEST_CASE("template check: the first bad tag is the one reported") {
  CHECK(Check("{{a}}\n{{b}}") == "t.md: line 1: unknown variable 'a'");
}

TEST_CASE("template check: section and comment tags alone on their line are marked") {
  const std::string text = "{{#rows}}\n| {{count}} |\n  {{/rows}}  \n{{! note }}\nend {{#rows}}\n";
  CHECK(MarkStandalone(text) ==
        "{{#rows}}\x01\n| {{count}} |\n  {{/rows}}\x01\n{{! note }}\x01\nend {{#rows}}\n");
  // Variables are never marked, and a tag sharing its line with text is not.
  CHECK(MarkStandalone("{{title}}\n") == "{{title}}\n");
  CHECK(MarkStandalone("a {{#rows}}\n") == "a {{#rows}}\n");
  CHECK(MarkStandalone("") == "");
}

TEST_CASE("template check: marked lines are dropped after rendering, other marks removed") {
  CHECK(DropMarkedLines("| a |\n\x01\n  \x01\t\n| b |\n") == "| a |\n| b |\n");
  CHECK(DropMarkedLines("text\x01 stays\n") == "text stays\n");
  CHECK(DropMarkedLines("no marks\nat all") == "no marks\nat all");
  CHECK(DropMarkedLines("\x01") == "");
  // What kainjow makes of a marked template: the skipped section's lines go.
  CHECK(DropMarkedLines("| h |\n\x01\n\x01\n| f |\n") == "| h |\n| f |\n");
}

}  // namespace
}  // namespace triage
