#include "templates/markdown.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "bot/base/text.h"
#include "tests/templates/live_markdown.h"

namespace triage {
namespace {

#define ZWSP "\xE2\x80\x8B"
#define U_FFFD "\xEF\xBF\xBD"

struct Case {
  const char* in;
  const char* want;
};

TEST_CASE("Markdown: EscapeInline neutralises markup, HTML, mentions and references") {
  const Case cases[] = {
      {"plain text, 100% ok", "plain text, 100% ok"},
      {"a*b*c", "a\\*b\\*c"},
      {"_emph_ and snake_case_name", "\\_emph\\_ and snake_case_name"},
      {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
      {"<!-- gardener:fingerprint=x -->", "&lt;!-- gardener:fingerprint=x --&gt;"},
      {"&#64;admin &amp;", "&amp;#" ZWSP "64;admin &amp;amp;"},
      {"ping @admin and @org/team", "ping @" ZWSP "admin and @" ZWSP "org/team"},
      {"fixes #123, not #tag", "fixes #" ZWSP "123, not #tag"},
      {"a | b", "a \\| b"},
      {"`rm -rf` ``x``", "\\`rm -rf\\` \\`\\`x\\`\\`"},
      {"[link](http://x) ![img](y)", "\\[link\\](http" ZWSP "://x) !\\[img\\](y)"},
      {"see https://github.com/o/r/issues/1", "see https" ZWSP "://github.com/o/r/issues/1"},
      {"www.evil.example and awww.x", "www" ZWSP ".evil.example and awww.x"},
      {"fixes GH-123 and gh-7, not GH-x or aGH-1",
       "fixes GH-" ZWSP "123 and gh-" ZWSP "7, not GH-x or aGH-1"},
      {"octo/repo#12", "octo/repo#" ZWSP "12"},
      {"mail a@b.example", "mail a@" ZWSP "b.example"},
      {"$x^2$ ~~gone~~", "\\$x^2\\$ \\~\\~gone\\~\\~"},
      {"back\\slash", "back\\\\slash"},
      {"line1\nline2\r\n\tline3", "line1 line2 line3"},
      {"  padded   out  ", "padded out"},
      {"bell\x07 del\x7f", "bell" U_FFFD " del" U_FFFD},
      {"bad \xff byte", "bad " U_FFFD " byte"},
      {"\xE2\x80\xAE" "evil", U_FFFD "evil"},
      {"c1\xC2\x85next \xC2\x9B" "31m", "c1" U_FFFD "next " U_FFFD "31m"},
      {"keeps \xC2\xA0nbsp", "keeps \xC2\xA0nbsp"},
      {"", ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.in);
    CHECK(EscapeInline(c.in) == c.want);
  }
}

TEST_CASE("Markdown: EscapeInline escapes what would start a block") {
  const Case cases[] = {
      {"# heading", "\\# heading"},
      {"#", "\\#"},
      {"#hashtag", "#hashtag"},
      {"#1 fan", "#" ZWSP "1 fan"},
      {"- item", "\\- item"},
      {"---", "\\---"},
      {"-1 is negative", "-1 is negative"},
      {"+ plus", "\\+ plus"},
      {"==", "\\=="},
      {"1. first", "1\\. first"},
      {"12) twelfth", "12\\) twelfth"},
      {"3.3/h", "3.3/h"},
      {"> quote", "&gt; quote"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.in);
    CHECK(EscapeInline(c.in) == c.want);
  }
}

TEST_CASE("Markdown: InlineCode fences past every backtick run") {
  const Case cases[] = {
      {"abc", "`abc`"},
      {"a`b", "``a`b``"},
      {"a``b`c", "```a``b`c```"},
      {"`x`", "`` `x` ``"},
      {" lead", "`  lead `"},
      {"a\nb\r\nc", "`a b c`"},
      {"<!-- marker -->", "`<" ZWSP "!-- marker -->`"},
      {"a|b", "`a|b`"},
      {"", ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.in);
    CHECK(InlineCode(c.in) == c.want);
  }
  CHECK(InlineCode("a|b|c", /*in_table=*/true) == "`a\\|b\\|c`");
}

TEST_CASE("Markdown: CodeBlock keeps text as it is and cannot be closed from inside") {
  struct BlockCase {
    const char* text;
    const char* lang;
    const char* want;
  };
  const BlockCase cases[] = {
      {"hello", "", "```\nhello\n```"},
      {"x ``` y", "text", "````text\nx ``` y\n````"},
      {"```\n````````\n```", "", "`````````\n```\n````````\n```\n`````````"},
      {"a\r\nb\rc\n\n", "", "```\na\nb\nc\n```"},
      {"", "json", "```json\n```"},
      {"x", "py`\n{evil}", "```pyevil\nx\n```"},
      {"@admin <b>#1</b>\ttab", "", "```\n@admin <b>#1</b>\ttab\n```"},
      {"<!-- gardener -->", "", "```\n<" ZWSP "!-- gardener -->\n```"},
      {"nul\x01", "", "```\nnul" U_FFFD "\n```"},
  };
  for (const BlockCase& c : cases) {
    CAPTURE(c.text);
    CHECK(CodeBlock(c.text, c.lang) == c.want);
  }
}

// Deterministic pseudo-random text made of the characters that matter.
std::string HostileText(uint64_t& state, size_t length) {
  static constexpr std::string_view kAlphabet = "``~|<>@#*_[]\\$&!-+=1. \n\ta\xE2\x80\xAE";
  std::string out;
  for (size_t i = 0; i < length; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    out.push_back(kAlphabet[(state >> 33) % kAlphabet.size()]);
  }
  return out;
}

TEST_CASE("Markdown: escaped hostile text keeps its invariants") {
  uint64_t state = 42;
  for (int round = 0; round < 500; ++round) {
    const std::string text = HostileText(state, 1 + round % 60);
    CAPTURE(text);
    const std::string inline_text = EscapeInline(text);
    CHECK(inline_text.find_first_of("\n\r<>") == std::string::npos);
    for (size_t i = 0; i < inline_text.size(); ++i) {
      const char c = inline_text[i];
      if (c == '|' || c == '`' || c == '*' || c == '[') {
        REQUIRE(i > 0);
        CHECK(inline_text[i - 1] == '\\');
      }
      if (c == '@') CHECK(inline_text.compare(i + 1, 3, ZWSP) == 0);
    }
    // No line inside a block is as long a backtick run as the fence.
    const std::string block = CodeBlock(text, "text");
    const size_t fence = block.find_first_not_of('`');
    const std::string body = block.substr(block.find('\n') + 1);
    CHECK(body.substr(0, body.size() - fence).find(std::string(fence, '`')) == std::string::npos);
    CHECK(block.compare(block.size() - fence, fence, std::string(fence, '`')) == 0);
  }
}

TEST_CASE("Markdown: escaped and fenced hostile text is inert to an independent reader") {
  uint64_t state = 7;
  for (int round = 0; round < 300; ++round) {
    const std::string text = HostileText(state, 1 + round % 80) + " @admin #12 GH-3 https://x.example";
    CAPTURE(text);
    const std::string doc = "## " + EscapeInline(text) + "\n\n" + InlineCode(text) + "\n\n" +
                            CodeBlock("CANARY\n" + text, "text") + "\n";
    const testing::MarkdownScan scan = testing::ScanMarkdown(doc);
    CHECK(scan.problems.empty());
    for (const std::string& p : scan.problems) MESSAGE(p);
    CHECK(scan.prose.find("CANARY") == std::string::npos);
  }
}

TEST_CASE("Markdown: CutMarkdown cuts at a line end and closes a block it cuts") {
  const std::string note = "NOTE\n";
  struct CutCase {
    const char* text;
    size_t max;
    const char* want;
  };
  const CutCase cases[] = {
      {"short\n", 100, "short\n"},
      {"line one\nline two\nline three\n", 25, "line one\nline two\n\nNOTE\n"},
      // The block is closed with its own fence, then the note.
      {"intro\n````text\nA\nB\nC\nD\n````\nafter\n", 31, "intro\n````text\nA\nB\n````\n\nNOTE\n"},
      // A shorter fence inside does not close the block, nor does the cut.
      {"````\n```\nx\n```\ny\nz\n````\n", 22, "````\n```\nx\n````\n\nNOTE\n"},
      // One long line: cut inside it.
      {"0123456789012345678901234567890123456789", 20, "0123456789012\n\nNOTE\n"},
  };
  for (const CutCase& c : cases) {
    CAPTURE(c.text);
    const std::string got = CutMarkdown(c.text, c.max, TextMeasure::kBytes, note);
    CHECK(got == c.want);
    CHECK(got.size() <= c.max);
  }
  // GitHub counts characters: 30 emoji are 120 bytes but 30 code points.
  std::string emoji;
  for (int i = 0; i < 30; ++i) emoji += "\xF0\x9F\x94\x91";
  CHECK(CutMarkdown(emoji, 30, TextMeasure::kCodePoints, note) == emoji);
  const std::string cut = CutMarkdown(emoji, 20, TextMeasure::kCodePoints, note);
  CHECK(CountCodePoints(cut) <= 20);
  CHECK(cut.size() > 20);
}

TEST_CASE("Markdown: a cut never leaves a block open or a fence broken") {
  uint64_t state = 99;
  std::string doc;
  for (int i = 0; i < 12; ++i) {
    doc += "**" + EscapeInline(HostileText(state, 30)) + "**\n\n" +
           CodeBlock("CANARY " + HostileText(state, 200), "text") + "\n\n";
  }
  for (size_t max = 40; max < doc.size() + 10; max += 7) {
    CAPTURE(max);
    const std::string cut = CutMarkdown(doc, max, TextMeasure::kCodePoints, "*cut*\n");
    CHECK(CountCodePoints(cut) <= max);
    const testing::MarkdownScan scan = testing::ScanMarkdown(cut);
    CHECK(scan.problems.empty());
    for (const std::string& p : scan.problems) MESSAGE(p);
    CHECK(scan.prose.find("CANARY") == std::string::npos);
  }
}

}  // namespace
}  // namespace triage
