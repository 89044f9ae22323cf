// Markdown for text an attacker may control (log messages): escaped so that
// GitHub shows the same characters and never markup, HTML, links to issues
// or @-mentions that notify someone.
#ifndef TRIAGE_TEMPLATES_MARKDOWN_H_
#define TRIAGE_TEMPLATES_MARKDOWN_H_

#include <string>
#include <string_view>

namespace triage {

// Text for a paragraph, a heading, a list item or a table cell, on one line.
// Line breaks, tabs and runs of spaces become one space and the ends are
// trimmed; invalid UTF-8, control (C0 and C1) and bidirectional-override
// characters become U+FFFD. Markdown and HTML specials are escaped (`\*`,
// `&lt;`, `\|` ...; '_' only outside words), so is a leading block marker
// ("# ", "- ", "1. ", "---"). A U+200B ZERO WIDTH SPACE goes after every
// '@', after a '#' and "GH-" before a digit, before "://" and after a
// leading "www": no mention, issue reference or autolink comes of it.
std::string EscapeInline(std::string_view text);

// A code span showing `text` on one line (line breaks become spaces). Its
// backtick fence is longer than any backtick run inside. With `in_table`,
// '|' is escaped as GitHub tables require even inside code. "" for "".
// Code cannot be escaped, so here and in CodeBlock "<!--" gets a U+200B
// after '<': log text cannot forge the bot's hidden marker in the raw body.
std::string InlineCode(std::string_view text, bool in_table = false);

// A fenced code block showing `text` as it is (line endings become "\n";
// invalid UTF-8 and control characters other than tab become U+FFFD). The
// fence is at least three backticks and longer than any run inside, so the
// text cannot close it. `lang` keeps only [A-Za-z0-9_.+-]. No newline after
// the closing fence; the block must start at the beginning of a line.
std::string CodeBlock(std::string_view text, std::string_view lang = "");

// How a length is counted: bytes (a step summary) or Unicode code points
// (GitHub's issue bodies and comments).
enum class TextMeasure { kBytes, kCodePoints };

// `text` if it measures at most `max`. Else its longest prefix that, with
// a line closing a code block the cut leaves open, a blank line and `note`
// after it, measures at most `max`: cut at a line end when that keeps at
// least half of `max`, else inside a line on a character boundary (never
// inside a fence line). So a cut cannot leave a fence open for what
// follows it. `note` (Markdown) should say that and why the text was cut.
std::string CutMarkdown(std::string_view text, size_t max, TextMeasure measure,
                        std::string_view note);

}  // namespace triage

#endif  // TRIAGE_TEMPLATES_MARKDOWN_H_
