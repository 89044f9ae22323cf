#include "bot/normalize.h"

#include <cstring>

namespace triage {
namespace {

constexpr std::string_view kVar = "<*>";

inline bool IsSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}
inline bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
inline bool IsAlpha(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool HasDigit(std::string_view s) {
  for (unsigned char c : s) {
    if (IsDigit(c)) return true;
  }
  return false;
}

// "gmail.com", "api.example.org": host names are data.
bool IsHostName(std::string_view s) {
  size_t dot = s.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 >= s.size()) return false;
  for (unsigned char c : s) {
    if (!((c >= 'a' && c <= 'z') || c == '.' || c == '-')) return false;
  }
  std::string_view tld = s.substr(dot + 1);
  for (std::string_view known : {"com", "net", "org", "io", "ai", "dev", "app", "co", "uk",
                                 "de", "fr", "jp", "edu", "gov", "info", "biz", "cloud",
                                 "internal", "local", "example", "us", "eu", "me"}) {
    if (tld == known) return true;
  }
  return false;
}

// Variable on its own: anything with a digit (numbers, ids, hex, UUIDs,
// IPs, times, sizes, ids glued into words), emails and URLs.
bool IsVariableWord(std::string_view core) {
  if (HasDigit(core)) return true;
  size_t at = core.find('@');
  if (at != std::string_view::npos && at + 1 < core.size() &&
      core.find('.', at) != std::string_view::npos) {
    return true;
  }
  return core.find("://") != std::string_view::npos || IsHostName(core);
}

// "v1", "v2beta": API versions in paths are part of the route.
bool IsVersionSegment(std::string_view seg) {
  if (seg.size() < 2 || seg.size() > 8 || (seg[0] != 'v' && seg[0] != 'V')) {
    return false;
  }
  return IsDigit(static_cast<unsigned char>(seg[1]));
}

// A path: each segment with an id becomes <*>, the rest stays.
void MaskPath(std::string_view path, std::string* out) {
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view seg = path.substr(start, slash - start);
    if (!seg.empty() && IsVariableWord(seg) && !IsVersionSegment(seg)) {
      out->append(kVar);
    } else {
      out->append(seg);
    }
    if (slash == path.size()) break;
    out->push_back('/');
    start = slash + 1;
  }
}

bool IsKeyChar(unsigned char c) {
  return IsAlpha(c) || c == '_' || c == '-' || c == '.';
}

void MaskValue(std::string_view value, std::string* out) {
  if (value.empty()) return;
  if (IsVariableWord(value)) {
    out->append(kVar);
  } else {
    out->append(value);
  }
}

void MaskCore(std::string_view core, std::string* out) {
  if (core.find("://") != std::string_view::npos) {
    out->append(kVar);  // URLs are data; routes come from httpRequest
    return;
  }
  if (core[0] == '/' && core.size() > 1 && core.find('@') == std::string_view::npos) {
    MaskPath(core, out);
    return;
  }
  // key=value and key:value keep the key.
  for (char sep : {'=', ':'}) {
    size_t pos = core.find(sep);
    if (pos == std::string_view::npos || pos == 0 || pos + 1 >= core.size()) {
      continue;
    }
    bool key_ok = true;
    for (size_t i = 0; i < pos; ++i) {
      if (!IsKeyChar(static_cast<unsigned char>(core[i]))) {
        key_ok = false;
        break;
      }
    }
    if (!key_ok) continue;
    out->append(core.substr(0, pos + 1));
    std::string_view value = core.substr(pos + 1);
    if (!value.empty() && value[0] == '/') {
      MaskPath(value, out);
    } else if (sep == '=') {
      out->append(kVar);  // key=value pairs carry data
    } else {
      MaskValue(value, out);
    }
    return;
  }
  MaskValue(core, out);
}

// "user_id:" as a token of its own: a key whose value follows.
bool IsKeyToken(std::string_view token) {
  if (token.size() < 2 || token.back() != ':') return false;
  if (token[0] == '(' || token[0] == '{' || token[0] == '[') token.remove_prefix(1);
  token.remove_suffix(1);
  if (token.empty()) return false;
  for (unsigned char c : token) {
    if (!((c >= 'a' && c <= 'z') || c == '_' || IsDigit(c))) return false;
  }
  return true;
}

// The value in "key: value," inside a list of pairs is data.
bool IsListedValue(std::string_view previous, std::string_view token) {
  if (!IsKeyToken(previous) || token.empty()) return false;
  char last = token.back();
  return last == ',' || last == ')' || last == '}' || last == ';';
}

void MaskToken(std::string_view token, std::string* out) {
  if (token.size() > kMaxTokenBytes) {
    out->append(kVar);
    return;
  }
  size_t begin = 0;
  size_t end = token.size();
  while (begin < end && std::strchr("([{<'\"`", token[begin]) != nullptr) ++begin;
  while (end > begin && std::strchr(")]}>'\"`,;:.!?", token[end - 1]) != nullptr) {
    --end;
  }
  out->append(token.substr(0, begin));
  if (begin < end) MaskCore(token.substr(begin, end - begin), out);
  out->append(token.substr(end));
}

}  // namespace

size_t NormalizeMessage(std::string_view message, std::string* signature,
                        size_t literal_tokens) {
  signature->clear();
  size_t count = 0;
  size_t pos = 0;
  const size_t n = message.size();
  std::string_view previous;
  while (pos < n && count < kMaxTokens) {
    while (pos < n && IsSpace(static_cast<unsigned char>(message[pos]))) ++pos;
    if (pos == n) break;
    size_t start = pos;
    while (pos < n && !IsSpace(static_cast<unsigned char>(message[pos]))) ++pos;
    if (count > 0) signature->push_back(' ');
    std::string_view token = message.substr(start, pos - start);
    if (count < literal_tokens) {
      signature->append(token);
    } else if (IsListedValue(previous, token)) {
      size_t end = token.size();
      while (end > 0 && std::strchr(")]};,", token[end - 1]) != nullptr) --end;
      signature->append(kVar);
      signature->append(token.substr(end));
    } else {
      MaskToken(token, signature);
    }
    previous = token;
    ++count;
  }
  return count;
}

std::vector<std::string> SplitSignature(std::string_view signature) {
  std::vector<std::string> tokens;
  size_t start = 0;
  while (start < signature.size()) {
    size_t space = signature.find(' ', start);
    if (space == std::string_view::npos) space = signature.size();
    tokens.emplace_back(signature.substr(start, space - start));
    start = space + 1;
  }
  return tokens;
}

}  // namespace triage
