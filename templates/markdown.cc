#include "templates/markdown.h"

#include <algorithm>

#include "bot/base/text.h"

namespace triage {
namespace {

constexpr std::string_view kZeroWidthSpace = "\xE2\x80\x8B";

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

// True when `s` holds `word` (lower case) at `at`, any case, at a word start.
bool WordAt(std::string_view s, size_t at, std::string_view word) {
  if (at + word.size() > s.size() || (at > 0 && IsAlnum(s[at - 1]))) return false;
  for (size_t k = 0; k < word.size(); ++k) {
    const char c = s[at + k];
    if ((c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c) != word[k]) return false;
  }
  return true;
}

// True when GitHub would link what s[i] continues: the "://" of a URL, the
// '.' of a leading "www." (autolinks; an issue URL also becomes a
// cross-reference), or the number of "GH-123" (an issue reference). A
// zero-width space before s[i] breaks each.
bool BreakBefore(std::string_view s, size_t i) {
  if (s[i] == ':') return s.compare(i + 1, 2, "//") == 0;
  if (s[i] == '.') return i >= 3 && WordAt(s, i - 3, "www");
  return IsDigit(s[i]) && i >= 3 && WordAt(s, i - 3, "gh-");
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
  const std::string clean = SanitizeText(OneLine(text));
  std::string out;
  out.reserve(clean.size() + clean.size() / 4);
  for (size_t i = EscapeLineStart(clean, out); i < clean.size(); ++i) {
    const char c = clean[i];
    if (BreakBefore(clean, i)) out.append(kZeroWidthSpace);
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
  std::string body = BreakHtmlComments(SanitizeText(SplitLines(text, /*to_space=*/true)));
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
  std::string body = BreakHtmlComments(SanitizeText(SplitLines(text, /*to_space=*/false)));
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

namespace {

size_t Measure(std::string_view text, TextMeasure measure) {
  return measure == TextMeasure::kBytes ? text.size() : CountCodePoints(text);
}

// A fenced code block left open: its fence character and length; n = 0
// when none is.
struct OpenFence {
  char c = 0;
  size_t n = 0;
};

// `open` after `line` (without its '\n'), as CommonMark reads fences: up to
// three spaces, then three or more '`' (no '`' after them) or '~'; closed by
// a run of the same character at least as long with nothing but blanks after.
OpenFence AfterLine(std::string_view line, OpenFence open) {
  const size_t indent = line.find_first_not_of(' ');
  if (indent == std::string_view::npos || indent > 3) return open;
  const char c = line[indent];
  if (c != '`' && c != '~') return open;
  const size_t n = std::min(line.find_first_not_of(c, indent), line.size()) - indent;
  const std::string_view rest = line.substr(indent + n);
  if (n < 3) return open;
  constexpr auto kNone = std::string_view::npos;
  if (open.n == 0) return c == '`' && rest.find('`') != kNone ? open : OpenFence{c, n};
  const bool closes = c == open.c && n >= open.n && rest.find_first_not_of(" \t") == kNone;
  return closes ? OpenFence{} : open;
}

std::string Closing(OpenFence open) {
  return open.n == 0 ? "" : std::string(open.n, open.c) + "\n";
}

}  // namespace

std::string CutMarkdown(std::string_view text, size_t max, TextMeasure measure,
                        std::string_view note) {
  if (Measure(text, measure) <= max) return std::string(text);
  const std::string tail = "\n" + std::string(note);
  const size_t tail_size = Measure(tail, measure);
  // The last line end where the prefix, a closing fence and the tail fit.
  size_t best = 0;
  size_t used = 0;
  OpenFence open;
  for (size_t at = 0; at < text.size();) {
    const size_t nl = std::min(text.find('\n', at), text.size());
    const std::string_view line = text.substr(at, nl - at);
    const size_t next_used = used + Measure(line, measure) + 1;
    const OpenFence next = AfterLine(line, open);
    if (next_used + Measure(Closing(next), measure) + tail_size > max) break;
    used = next_used;
    open = next;
    at = best = nl + 1;
  }
  std::string out(text.substr(0, std::min(best, text.size())));
  if (used < max / 2 && best < text.size()) {
    // One long line: keep part of it, unless it is a fence line.
    const std::string_view line = text.substr(best, text.find('\n', best) - best);
    const size_t room = max - std::min(max, used + Measure(Closing(open), measure) + tail_size + 1);
    const std::string_view part =
        measure == TextMeasure::kBytes ? CutUtf8(line, room) : CutCodePoints(line, room);
    if (!part.empty() && AfterLine(part, open).n == open.n) out.append(part).push_back('\n');
  }
  return out + Closing(open) + tail;
}

}  // namespace triage
