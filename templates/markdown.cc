#include "templates/markdown.h"

#include <algorithm>

#include "bot/text.h"

namespace triage {
namespace {

constexpr std::string_view kZeroWidthSpace = "\xE2\x80\x8B";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Runs of whitespace, line breaks included, become one space; ends trimmed.
std::string OneLine(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (!IsSpace(c)) {
      out.push_back(c);
    } else if (!out.empty() && out.back() != ' ') {
      out.push_back(' ');
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// "\r\n" and lone '\r' become '\n', or with `to_space` every break and tab
// becomes ' '. ASCII bytes never occur inside a UTF-8 sequence, so this is
// safe before the text is known to be valid.
std::string SplitLines(std::string_view text, bool to_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    if (c == '\r') c = '\n';
    if (to_space && (c == '\n' || c == '\t')) c = ' ';
    out.push_back(c);
  }
  return out;
}

// The length of the character at s[i] when it reorders the text around it
// (U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069), else 0. Such
// characters make a line read differently from what it holds.
size_t BidiControlLength(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  if (i + 1 < s.size() && b(0) == 0xD8 && b(1) == 0x9C) return 2;
  if (i + 2 >= s.size() || b(0) != 0xE2) return 0;
  if (b(1) == 0x80 && (b(2) == 0x8E || b(2) == 0x8F || (b(2) >= 0xAA && b(2) <= 0xAE))) {
    return 3;
  }
  if (b(1) == 0x81 && b(2) >= 0xA6 && b(2) <= 0xA9) return 3;
  return 0;
}

// Valid UTF-8 without control or bidirectional-override characters.
std::string Clean(std::string_view text) {
  std::string valid = SanitizeText(text);
  std::string out;
  out.reserve(valid.size());
  for (size_t i = 0; i < valid.size();) {
    if (size_t n = BidiControlLength(valid, i)) {
      out.append(kReplacement);
      i += n;
    } else {
      out.push_back(valid[i++]);
    }
  }
  return out;
}

std::string BreakHtmlComments(std::string text) {
  for (size_t at = text.find("<!--"); at != std::string::npos; at = text.find("<!--", at)) {
    text.insert(at + 1, kZeroWidthSpace);
  }
  return text;
}

size_t LongestBacktickRun(std::string_view text) {
  size_t longest = 0;
  size_t run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

bool IsAlnum(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Escapes what would make `text` start a block when it begins a line: an
// ATX heading, a list item, a thematic break or a setext underline ("# ",
// "- ", "---", "+ ", "==", "1. "). Returns how many bytes it consumed.
size_t EscapeLineStart(std::string_view text, std::string& out) {
  if (text.empty()) return 0;
  const char next = text.size() > 1 ? text[1] : ' ';
  const bool marker = (text[0] == '#' || text[0] == '-' || text[0] == '+' || text[0] == '=') &&
                      (next == ' ' || next == text[0]);
  if (marker) {
    out.push_back('\\');
    return 0;
  }
  size_t digits = 0;
  while (digits < text.size() && digits < 10 && IsDigit(text[digits])) ++digits;
  const bool ordered = digits > 0 && digits < text.size() &&
                       (text[digits] == '.' || text[digits] == ')') &&
                       (digits + 1 == text.size() || text[digits + 1] == ' ');
  if (ordered) {
    out.append(text.substr(0, digits)).push_back('\\');
    out.push_back(text[digits]);
    return digits + 1;
  }
  return 0;
}

}  // namespace

std::string EscapeInline(std::string_view text) {
  const std::string clean = Clean(OneLine(text));
  std::string out;
  out.reserve(clean.size() + clean.size() / 4);
  for (size_t i = EscapeLineStart(clean, out); i < clean.size(); ++i) {
    const char c = clean[i];
    switch (c) {
      case '&': out.append("&amp;"); break;
      case '<': out.append("&lt;"); break;
      case '>': out.append("&gt;"); break;
      case '@': out.push_back('@'); out.append(kZeroWidthSpace); break;
      case '#':
        out.push_back('#');
        if (i + 1 < clean.size() && IsDigit(clean[i + 1])) out.append(kZeroWidthSpace);
        break;
      case '_':
        // Within a word '_' never starts emphasis: keep identifiers legible.
        if (i == 0 || i + 1 == clean.size() || !IsAlnum(clean[i - 1]) || !IsAlnum(clean[i + 1])) {
          out.push_back('\\');
        }
        out.push_back('_');
        break;
      default:
        // '$' starts GitHub's inline math; '~' strikethrough.
        if (std::string_view("\\`*[]|~$").find(c) != std::string_view::npos) out.push_back('\\');
        out.push_back(c);
    }
  }
  return out;
}

std::string InlineCode(std::string_view text, bool in_table) {
  std::string body = BreakHtmlComments(Clean(SplitLines(text, /*to_space=*/true)));
  if (body.empty()) return "";
  if (in_table) {
    for (size_t at = body.find('|'); at != std::string::npos; at = body.find('|', at + 2)) {
      body.insert(at, 1, '\\');
    }
  }
  const std::string fence(LongestBacktickRun(body) + 1, '`');
  // A span strips one space from each end when both have one, and a
  // backtick at an end would join the fence: pad both ends then.
  const bool pad = body.front() == '`' || body.back() == '`' ||
                   body.front() == ' ' || body.back() == ' ';
  const char* space = pad ? " " : "";
  return fence + space + body + space + fence;
}

std::string CodeBlock(std::string_view text, std::string_view lang) {
  std::string body = BreakHtmlComments(Clean(SplitLines(text, /*to_space=*/false)));
  while (!body.empty() && body.back() == '\n') body.pop_back();
  const std::string fence(std::max<size_t>(3, LongestBacktickRun(body) + 1), '`');
  std::string info;
  for (char c : lang) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) ||
                    c == '_' || c == '.' || c == '+' || c == '-';
    if (ok) info.push_back(c);
  }
  std::string out = fence + info + "\n" + body;
  if (!body.empty()) out.push_back('\n');
  return out + fence;
}

}  // namespace triage
