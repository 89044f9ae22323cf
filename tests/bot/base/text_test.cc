#include "bot/base/text.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <string_view>

namespace triage {
namespace {

// U+FFFD REPLACEMENT CHARACTER in UTF-8.
#define U_FFFD "\xEF\xBF\xBD"

// True when `s` is well-formed UTF-8 (no surrogates, no overlongs).
bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
             : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    unsigned cp = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
    for (size_t k = 1; k < n; ++k) {
      unsigned char b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    const unsigned min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n;
  }
  return true;
}

TEST_CASE("SanitizeText keeps valid UTF-8, tab and newline") {
  const char* const cases[] = {
      "",
      "plain ASCII: 100% ok ~!@#$^&*()",
      "tab\there\nnewline",
      "caf\xC3\xA9",                                  // é, 2 bytes
      "\xE4\xB8\xAD\xE6\x96\x87",                     // 中文, CJK
      "key \xF0\x9F\x94\x91 emoji",                   // 🔑, 4 bytes
      // "ðŸ”‘": the emoji's bytes read as Windows-1252, then UTF-8 encoded
      // again. Mojibake, but valid UTF-8: it must pass unchanged.
      "\xC3\xB0\xC5\xB8\xE2\x80\x9D\xE2\x80\x98",
      "\xEF\xBF\xBD",                                 // U+FFFD itself
      "\xF4\x8F\xBF\xBF",                             // U+10FFFF, the last
      "\xED\x9F\xBF",                                 // U+D7FF, below surrogates
      "\xEE\x80\x80",                                 // U+E000, above them
      "\xC2\xA0",                                     // U+00A0, after the C1 controls
      "\xE2\x80\x8B",                                 // U+200B ZERO WIDTH SPACE
      "\xE2\x80\x90",                                 // U+2010 HYPHEN, after U+200F
  };
  for (const char* text : cases) {
    INFO("text: " << std::string(text));
    CHECK(SanitizeText(text) == text);
  }
}

TEST_CASE("SanitizeText replaces invalid bytes, controls and reordering characters") {
  struct Case {
    std::string_view name;
    std::string_view in;
    std::string_view want;
  };
  // One U+FFFD per byte that does not start a valid sequence.
  const Case cases[] = {
      {"0xFF", "a\xFF" "b", "a" U_FFFD "b"},
      {"0xFE", "\xFE", U_FFFD},
      {"0xF5 never starts a sequence", "\xF5\x80\x80\x80", U_FFFD U_FFFD U_FFFD U_FFFD},
      {"lone continuation", "\x80", U_FFFD},
      {"truncated at the end", "a\xE2\x82", "a" U_FFFD U_FFFD},
      {"truncated 4-byte at the end", "\xF0\x9F\x94", U_FFFD U_FFFD U_FFFD},
      {"truncated in the middle", "a\xE2\x82" "b", "a" U_FFFD U_FFFD "b"},
      {"2-byte lead then ASCII", "\xC3(", U_FFFD "("},
      {"overlong slash C0 AF", "\xC0\xAF", U_FFFD U_FFFD},
      {"overlong C1 BF", "\xC1\xBF", U_FFFD U_FFFD},
      {"overlong 3-byte E0 80 80", "\xE0\x80\x80", U_FFFD U_FFFD U_FFFD},
      {"overlong 4-byte F0 80 80 80", "\xF0\x80\x80\x80", U_FFFD U_FFFD U_FFFD U_FFFD},
      {"surrogate D800 in UTF-8", "x\xED\xA0\x80y", "x" U_FFFD U_FFFD U_FFFD "y"},
      {"surrogate DFFF in UTF-8", "\xED\xBF\xBF", U_FFFD U_FFFD U_FFFD},
      {"above U+10FFFF", "\xF4\x90\x80\x80", U_FFFD U_FFFD U_FFFD U_FFFD},
      {"NUL", std::string_view("a\0b", 3), "a" U_FFFD "b"},
      {"bell", "\x07", U_FFFD},
      {"carriage return", "line\r\n", "line" U_FFFD "\n"},
      {"escape", "\x1B[31mred", U_FFFD "[31mred"},
      {"unit separator 0x1F", "\x1F", U_FFFD},
      {"DEL", "a\x7F", "a" U_FFFD},
      {"valid after invalid", "\xFF\xC3\xA9", U_FFFD "\xC3\xA9"},
      {"C1 control U+0080", "\xC2\x80", U_FFFD},
      {"NEXT LINE U+0085", "a\xC2\x85" "b", "a" U_FFFD "b"},
      {"C1 CSI U+009B", "\xC2\x9B" "31m", U_FFFD "31m"},
      {"RIGHT-TO-LEFT OVERRIDE", "\xE2\x80\xAE" "evil", U_FFFD "evil"},
      {"POP DIRECTIONAL FORMATTING", "\xE2\x80\xAC", U_FFFD},
      {"LEFT-TO-RIGHT MARK", "\xE2\x80\x8E", U_FFFD},
      {"ARABIC LETTER MARK", "\xD8\x9C", U_FFFD},
      {"RIGHT-TO-LEFT ISOLATE", "\xE2\x81\xA7", U_FFFD},
      {"LINE SEPARATOR", "a\xE2\x80\xA8" "b", "a" U_FFFD "b"},
      {"PARAGRAPH SEPARATOR", "\xE2\x80\xA9", U_FFFD},
  };
  for (const Case& c : cases) {
    INFO("c.name: " << std::string(c.name));
    std::string got = SanitizeText(c.in);
    CHECK(got == c.want);
    CHECK(IsValidUtf8(got));
  }
}

TEST_CASE("SanitizeText output is always valid UTF-8") {
  // Every byte value, alone and as a lead byte of a short run.
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  CHECK(IsValidUtf8(SanitizeText(all)));
  for (int b = 0x80; b < 256; ++b) {
    std::string s(1, static_cast<char>(b));
    s += "\x80\x80";
    CAPTURE(b);
    CHECK(IsValidUtf8(SanitizeText(s)));
  }
}

TEST_CASE("SanitizeAndCut cuts on a character boundary") {
  struct Case {
    std::string_view in;
    size_t max;
    std::string_view want;
  };
  const Case cases[] = {
      {"hello", 10, "hello"},
      {"hello", 5, "hello"},
      {"hello", 3, "hel"},
      {"hello", 0, ""},
      {"", 4, ""},
      {"a\xC3\xA9", 3, "a\xC3\xA9"},
      {"a\xC3\xA9", 2, "a"},                         // not inside é
      {"a\xC3\xA9" "b", 2, "a"},
      {"\xE4\xB8\xAD\xE6\x96\x87", 5, "\xE4\xB8\xAD"},  // 中 only
      {"\xE4\xB8\xAD\xE6\x96\x87", 4, "\xE4\xB8\xAD"},
      {"\xE4\xB8\xAD\xE6\x96\x87", 2, ""},
      {"ab\xF0\x9F\x94\x91", 5, "ab"},               // 🔑 is 4 bytes
      {"ab\xF0\x9F\x94\x91", 6, "ab\xF0\x9F\x94\x91"},
      // Sanitizing first: 0xFF becomes 3 bytes, which then count.
      {"a\xFF" "b", 4, "a" U_FFFD},
      {"a\xFF" "b", 3, "a"},
      {"a\xFF" "b", 5, "a" U_FFFD "b"},
      {"\x01\x02", 3, U_FFFD},
  };
  for (const Case& c : cases) {
    INFO("c.in: " << std::string(c.in));
    CAPTURE(c.max);
    std::string got = SanitizeAndCut(c.in, c.max);
    CHECK(got == c.want);
    CHECK(got.size() <= c.max);
  }
}

TEST_CASE("SanitizeAndCut never cuts inside a character at any length") {
  // Mixed 1-, 2-, 3- and 4-byte characters and an invalid byte.
  const std::string text =
      "a\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x94\x91" "b\xFF\xC3\xB0\xC5\xB8\xE2\x80\x9D" "c";
  const std::string whole = SanitizeText(text);
  for (size_t max = 0; max <= whole.size() + 2; ++max) {
    CAPTURE(max);
    std::string got = SanitizeAndCut(text, max);
    CHECK(got.size() <= max);
    CHECK(IsValidUtf8(got));
    CHECK(whole.compare(0, got.size(), got) == 0);  // a prefix of the whole
    // At most one character (up to 3 bytes lost here) short of the limit.
    CHECK(got.size() + 3 >= std::min(max, whole.size()));
  }
}

TEST_CASE("CountCodePoints and CutCodePoints count characters, not bytes") {
  struct Case {
    std::string_view in;
    size_t max;
    size_t count;
    std::string_view cut;
  };
  const Case cases[] = {
      {"", 3, 0, ""},
      {"hello", 3, 5, "hel"},
      {"hello", 5, 5, "hello"},
      {"hello", 0, 5, ""},
      {"a\xC3\xA9" "b", 2, 3, "a\xC3\xA9"},                      // é is one character
      {"\xE4\xB8\xAD\xE6\x96\x87", 1, 2, "\xE4\xB8\xAD"},          // 中文
      {"ab\xF0\x9F\x94\x91" "c", 3, 4, "ab\xF0\x9F\x94\x91"},      // 🔑 is 4 bytes, 1 point
      {"ab\xF0\x9F\x94\x91" "c", 2, 4, "ab"},
  };
  for (const Case& c : cases) {
    INFO("c.in: " << std::string(c.in));
    CAPTURE(c.max);
    CHECK(CountCodePoints(c.in) == c.count);
    CHECK(CutCodePoints(c.in, c.max) == c.cut);
  }
  // GitHub's limit holds 65,536 four-byte characters: 262,144 bytes.
  std::string emoji;
  for (int i = 0; i < 65536; ++i) emoji += "\xF0\x9F\x94\x91";
  CHECK(CountCodePoints(emoji) == 65536);
  CHECK(CutCodePoints(emoji, 100).size() == 400);
}

TEST_CASE("FirstLine") {
  struct Case {
    std::string_view in;
    std::string_view want;
  };
  const Case cases[] = {
      {"", ""},
      {"one line", "one line"},
      {"first\nsecond", "first"},
      {"first\r\nsecond", "first"},
      {"trailing cr\r", "trailing cr"},
      {"\nstarts with newline", ""},
      {"\r\n", ""},
      {"two cr\r\r\n", "two cr\r"},  // only one '\r' is stripped
      {"cr\rinside\nx", "cr\rinside"},
  };
  for (const Case& c : cases) {
    INFO("c.in: " << std::string(c.in));
    CHECK(FirstLine(c.in) == c.want);
  }
}

#undef U_FFFD

}  // namespace
}  // namespace triage
