#include "bot/base/text.h"

#include <fstream>
#include <iterator>

namespace triage {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// Length of the valid UTF-8 sequence at s[i], or 0 when it is not valid;
// sets *code_point.
size_t ValidSequence(std::string_view s, size_t i, unsigned* code_point) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  size_t n;
  unsigned min;
  unsigned cp;
  if (c >= 0xC2 && c <= 0xDF) { n = 2; cp = c & 0x1F; min = 0x80; }
  else if (c >= 0xE0 && c <= 0xEF) { n = 3; cp = c & 0x0F; min = 0x800; }
  else if (c >= 0xF0 && c <= 0xF4) { n = 4; cp = c & 0x07; min = 0x10000; }
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  *code_point = cp;
  return n;
}

// C1 controls (U+0085 NEXT LINE among them), the line and paragraph
// separators, and the characters that reorder the text around them
// (U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069): a line that holds
// them reads differently from what it is.
bool IsHiddenControl(unsigned cp) {
  return (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
         cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

std::string SanitizeText(std::string_view text) {
  bool clean = true;
  for (char ch : text) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c >= 0x80 || (c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) {
      clean = false;
      break;
    }
  }
  if (clean) return std::string(text);
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) {
        out.append(kReplacement);
      } else {
        out.push_back(static_cast<char>(c));
      }
      ++i;
      continue;
    }
    unsigned cp = 0;
    size_t n = ValidSequence(text, i, &cp);
    if (n == 0) {
      out.append(kReplacement);
      ++i;
    } else if (IsHiddenControl(cp)) {
      out.append(kReplacement);
      i += n;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string_view CutUtf8(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

std::string SanitizeAndCut(std::string_view text, size_t max_bytes) {
  std::string out = SanitizeText(text.substr(0, max_bytes + 4));
  return std::string(CutUtf8(out, max_bytes));
}

size_t CountCodePoints(std::string_view text) {
  size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string_view CutCodePoints(std::string_view text, size_t max) {
  size_t seen = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && seen++ == max) {
      return text.substr(0, i);
    }
  }
  return text;
}

std::string_view FirstLine(std::string_view text) {
  size_t nl = text.find('\n');
  std::string_view line = text.substr(0, nl);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Result<std::string> ReadFile(const std::string& path, ErrorKind kind) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{kind, path + ": cannot open"};
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Error{kind, path + ": read error"};
  return text;
}

}  // namespace triage
