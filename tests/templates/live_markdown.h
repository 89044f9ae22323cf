// Test support: finds what GitHub would act on in Markdown that log text
// went into (mentions, issue references, HTML, images, links, autolinks,
// entities) outside code, and code blocks that never close. Written apart
// from templates/markdown.cc, from CommonMark's rules, so that it checks
// that code rather than repeating it.
#ifndef TRIAGE_TESTS_TEMPLATES_LIVE_MARKDOWN_H_
#define TRIAGE_TESTS_TEMPLATES_LIVE_MARKDOWN_H_

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace triage {
namespace testing {

struct MarkdownScan {
  std::vector<std::string> problems;  // "line 12: a mention: ..."
  std::string prose;                  // text outside code, escapes resolved
};

namespace live_markdown {

inline bool IsAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline bool IsAsciiPunct(char c) { return c > 0x20 && c < 0x7F && !IsAlnum(c); }
inline char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
inline bool StartsWordAt(std::string_view s, size_t i, std::string_view word) {
  if (i + word.size() > s.size() || (i > 0 && IsAlnum(s[i - 1]))) return false;
  for (size_t k = 0; k < word.size(); ++k) {
    if (Lower(s[i + k]) != word[k]) return false;
  }
  return true;
}

// A fence line: indent <= 3, then 3+ of '`' or '~'. For '`' the rest may
// not hold a backtick. Sets char and length.
inline bool FenceLine(std::string_view line, char* c, size_t* n, std::string_view* rest) {
  size_t i = 0;
  while (i < line.size() && i < 4 && line[i] == ' ') ++i;
  if (i > 3 || i >= line.size() || (line[i] != '`' && line[i] != '~')) return false;
  *c = line[i];
  size_t j = i;
  while (j < line.size() && line[j] == *c) ++j;
  *n = j - i;
  *rest = line.substr(j);
  return *n >= 3 && !(*c == '`' && rest->find('`') != std::string_view::npos);
}

// `line` outside code spans, escaped characters as '\x01' (inert), and the
// same with escapes resolved for reading.
inline void Active(std::string_view line, std::string* active, std::string* prose) {
  for (size_t i = 0; i < line.size();) {
    const char c = line[i];
    if (c == '\\' && i + 1 < line.size() && IsAsciiPunct(line[i + 1])) {
      active->push_back('\x01');
      prose->push_back(line[i + 1]);
      i += 2;
    } else if (c == '`') {
      size_t n = 0;
      while (i + n < line.size() && line[i + n] == '`') ++n;
      // The span ends at the next run of exactly n backticks.
      size_t close = std::string_view::npos;
      for (size_t k = i + n; k < line.size();) {
        if (line[k] != '`') { ++k; continue; }
        size_t m = 0;
        while (k + m < line.size() && line[k + m] == '`') ++m;
        if (m == n) { close = k; break; }
        k += m;
      }
      if (close == std::string_view::npos) {
        active->append(n, '\x01');  // literal backticks
        prose->append(n, '`');
        i += n;
      } else {
        active->push_back(' ');
        prose->push_back(' ');
        i = close + n;
      }
    } else {
      active->push_back(c);
      prose->push_back(c);
      ++i;
    }
  }
}

// What GitHub would act on in `a` (a line outside code, escapes inert).
inline std::vector<std::string> LiveParts(const std::string& a) {
  std::vector<std::string> out;
  const auto at = [&](size_t i) { return a.substr(i, 40); };
  for (size_t i = 0; i < a.size(); ++i) {
    const char c = a[i];
    const char next = i + 1 < a.size() ? a[i + 1] : '\0';
    if (c == '@' && (IsAlnum(next) || next == '_' || next == '-')) out.push_back("a mention: " + at(i));
    if (c == '#' && next >= '0' && next <= '9') out.push_back("an issue reference: " + at(i));
    if (StartsWordAt(a, i, "gh-") && i + 3 < a.size() && a[i + 3] >= '0' && a[i + 3] <= '9') {
      out.push_back("a GH- reference: " + at(i));
    }
    // An autolink needs its scheme's letters right before "://".
    if (c == ':' && a.compare(i + 1, 2, "//") == 0 && i > 0 && IsAlnum(a[i - 1])) {
      out.push_back("an autolinked URL: " + at(i));
    }
    if (StartsWordAt(a, i, "www.")) out.push_back("an autolinked www.: " + at(i));
    if (c == '<') out.push_back("raw HTML: " + at(i));
    if (c == '!' && next == '[') out.push_back("an image: " + at(i));
    if (c == ']' && (next == '(' || next == '[')) out.push_back("a link: " + at(i));
    if (c == '$') out.push_back("math: " + at(i));
    if (c == '&') {
      const std::string rest = a.substr(i + 1, 6);
      const bool safe = rest.rfind("amp;", 0) == 0 || rest.rfind("lt;", 0) == 0 ||
                        rest.rfind("gt;", 0) == 0 || rest.rfind("quot;", 0) == 0;
      size_t k = i + 1;
      while (k < a.size() && (IsAlnum(a[k]) || a[k] == '#')) ++k;
      if (!safe && k > i + 1 && k < a.size() && a[k] == ';') out.push_back("an entity: " + at(i));
    }
  }
  return out;
}

// Control characters, invalid UTF-8 and characters that reorder a line.
inline std::string BadCharacter(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) return "a control character";
      ++i;
      continue;
    }
    const size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (n == 0 || c > 0xF4 || i + n > s.size()) return "invalid UTF-8";
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return "invalid UTF-8";
    }
    const std::string_view ch = s.substr(i, n);
    if (c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0) return "a C1 control character";
    for (const char* bidi : {"\xD8\x9C", "\xE2\x80\x8E", "\xE2\x80\x8F", "\xE2\x80\xAA", "\xE2\x80\xAB",
                             "\xE2\x80\xAC", "\xE2\x80\xAD", "\xE2\x80\xAE", "\xE2\x81\xA6",
                             "\xE2\x81\xA7", "\xE2\x81\xA8", "\xE2\x81\xA9"}) {
      if (ch == bidi) return "a bidirectional control";
    }
    i += n;
  }
  return "";
}

}  // namespace live_markdown

// Scans `text` as GitHub reads it. `marker`, when not empty, is the one
// HTML comment allowed, as a line of its own (the bot's marker).
inline MarkdownScan ScanMarkdown(std::string_view text, std::string_view marker = "") {
  using namespace live_markdown;
  MarkdownScan scan;
  const auto problem = [&](size_t line, const std::string& what) {
    scan.problems.push_back("line " + std::to_string(line) + ": " + what);
  };
  if (std::string bad = BadCharacter(text); !bad.empty()) problem(0, bad);
  char fence_c = 0;
  size_t fence_n = 0, fence_line = 0, markers = 0, number = 0;
  for (size_t at = 0; at <= text.size(); ++number) {
    const size_t nl = std::min(text.find('\n', at), text.size());
    const std::string_view line = text.substr(at, nl - at);
    at = nl + 1;
    char c;
    size_t n;
    std::string_view rest;
    const bool is_fence = FenceLine(line, &c, &n, &rest);
    if (fence_n > 0) {  // inside a code block: only its closing fence counts
      const bool blank_after = rest.find_first_not_of(" \t") == std::string_view::npos;
      if (is_fence && c == fence_c && n >= fence_n && blank_after) {
        fence_n = 0;
      }
      continue;
    }
    if (is_fence) {
      fence_c = c;
      fence_n = n;
      fence_line = number + 1;
      continue;
    }
    if (!marker.empty() && line == marker) {
      if (++markers > 1) problem(number + 1, "the marker twice");
      continue;
    }
    const size_t lead = line.find_first_not_of(' ');
    if (lead != std::string_view::npos && lead < 4 && line[lead] == '[' &&
        line.find("]:", lead) != std::string_view::npos) {
      problem(number + 1, "a link reference definition");
    }
    std::string active, prose;
    Active(line, &active, &prose);
    for (const std::string& live : LiveParts(active)) problem(number + 1, live);
    scan.prose += prose + "\n";
  }
  if (fence_n > 0) problem(fence_line, "a code block that never closes");
  return scan;
}

}  // namespace testing
}  // namespace triage

#endif  // TRIAGE_TESTS_TEMPLATES_LIVE_MARKDOWN_H_
