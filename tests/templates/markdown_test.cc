#include "templates/markdown.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>

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
      {"[link](http://x) ![img](y)", "\\[link\\](http://x) !\\[img\\](y)"},
      {"$x^2$ ~~gone~~", "\\$x^2\\$ \\~\\~gone\\~\\~"},
      {"back\\slash", "back\\\\slash"},
      {"line1\nline2\r\n\tline3", "line1 line2 line3"},
      {"  padded   out  ", "padded out"},
      {"bell\x07 del\x7f", "bell" U_FFFD " del" U_FFFD},
      {"bad \xff byte", "bad " U_FFFD " byte"},
      {"\xE2\x80\xAE" "evil", U_FFFD "evil"},
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

}  // namespace
}  // namespace triage
