#include "bot/cluster/normalize.h"

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
  // Country codes, when the name has a host part and a domain part.
  if (tld.size() == 2 && s.find('.') < dot) return true;
  for (std::string_view known : {"com", "net", "org", "io", "ai", "dev", "app", "co", "uk",
                                 "de", "fr", "jp", "edu", "gov", "info", "biz", "cloud",
                                 "internal", "local", "example", "us", "eu", "me"}) {
    if (tld == known) return true;
  }
  return false;
}

// Variable on its own: anything with a digit (numbers, ids, hex, UUIDs,
// IPs, times, sizes, ids glued into words), emails and URLs.
bool IsHexWord(std::string_view s) {
  if (s.size() < 8) return false;
  for (unsigned char c : s) {
    if (!IsDigit(c) && !((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  }
  return true;
}

bool IsVariableWord(std::string_view core) {
  if (HasDigit(core) || IsHexWord(core)) return true;
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
  if (core[0] == '/' && core.find('/', 1) != std::string_view::npos) {
    out->append(kVar);  // a file or URL path in text is data
    return;
  }
  // key=value and key:value keep the key.
  if (core.back() == '=' && core.size() > 1) {
    out->append(core);
    out->append(kVar);  // "ruser=": a value, empty this time
    return;
  }
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
      out->append(kVar);
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

// "db-1.internal:5432", "wpad:80".
bool IsHostPort(std::string_view core) {
  size_t colon = core.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == core.size()) return false;
  for (size_t i = colon + 1; i < core.size(); ++i) {
    if (!IsDigit(static_cast<unsigned char>(core[i]))) return false;
  }
  for (size_t i = 0; i < colon; ++i) {
    unsigned char c = static_cast<unsigned char>(core[i]);
    if (!(c >= 'a' && c <= 'z') && !IsDigit(c) && c != '.' && c != '-' && c != '_') return false;
  }
  return true;
}

// "uid=0", "src:/10.0.0.1": a key names the value that follows.
bool HasKeyPrefix(std::string_view core) {
  size_t sep = core.find_first_of("=:");
  if (sep == std::string_view::npos || sep == 0) return false;
  for (size_t i = 0; i < sep; ++i) {
    if (!IsKeyChar(static_cast<unsigned char>(core[i]))) return false;
  }
  return true;
}

bool IsEmptyPair(char open, char close) {
  return (open == '(' && close == ')') || (open == '[' && close == ']') ||
         (open == '{' && close == '}') || (open == '<' && close == '>') ||
         (open == '\'' && close == '\'') || (open == '"' && close == '"');
}

// Day and month names next to a number are part of a date.
bool IsDateWord(std::string_view word) {
  static constexpr std::string_view kNames[] = {
      "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Jan", "Feb", "Mar", "Apr", "May",
      "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Monday", "Tuesday", "Wednesday",
      "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April",
      "June", "July", "August", "September", "October", "November", "December"};
  if (word.size() < 3 || word.size() > 10 || word[0] < 'A' || word[0] > 'Z') return false;
  while (!word.empty() && (word.back() == ',' || word.back() == '.')) word.remove_suffix(1);
  for (std::string_view name : kNames) {
    if (word == name) return true;
  }
  return false;
}

void MaskPiece(std::string_view token, std::string* out) {
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
  if (begin == end) {
    if (begin > 0 && end < token.size() && IsEmptyPair(token[begin - 1], token[end])) {
      out->append(kVar);  // "()", "''": a value, empty this time
      char last = token.back();
      if (last == ',' || last == ';' || last == ':') out->push_back(last);
      return;
    }
    out->append(token);
    return;
  }
  std::string_view core = token.substr(begin, end - begin);
  if (IsHostPort(core) || (IsVariableWord(core) && !HasKeyPrefix(core))) {
    // The brackets around a value vary with it ("LOCAL(0)", "10.0.0.1"):
    // only a separator after it is kept.
    out->append(kVar);
    char last = token.back();
    if (last == ',' || last == ';' || last == ':') out->push_back(last);
    return;
  }
  out->append(token.substr(0, begin));
  MaskCore(core, out);
  out->append(token.substr(end));
}

// Pieces between commas are masked one by one ("num=4,flags=0x1").
// Letters only, at most one of ".,;!?" at the end, and short enough: such a
// token is never masked, so the slower checks are skipped.
bool IsPlainLetters(std::string_view token) {
  if (token.size() > kMaxTokenBytes) return false;
  size_t n = token.size();
  char last = token[n - 1];
  if (last == '.' || last == ',' || last == ';' || last == '!' || last == '?') --n;
  if (n == 0 || IsHexWord(token.substr(0, n))) return false;
  for (size_t i = 0; i < n; ++i) {
    if (!IsAlpha(static_cast<unsigned char>(token[i])) && token[i] != '_' && token[i] != '-') {
      return false;
    }
  }
  return true;
}

// "key=" or "key:" at the start of a token, and an opening quote after it:
// the length of that prefix.
size_t KeyPrefixLength(std::string_view token) {
  size_t i = 0;
  while (i < token.size() && (IsAlpha(static_cast<unsigned char>(token[i])) || token[i] == '_')) ++i;
  if (i > 0 && i < token.size() && (token[i] == '=' || token[i] == ':')) return i + 1;
  return 0;
}

// An HTML, XML or JSON document starts here ("<!DOCTYPE", "body=<html>",
// "{\"error\":"): whatever follows is the document, data however long.
bool IsBodyStart(std::string_view token, std::string_view next) {
  std::string_view r = token.substr(KeyPrefixLength(token));
  while (!r.empty() && (r[0] == '\'' || r[0] == '"')) r.remove_prefix(1);
  if (r.size() < 1) return false;
  if (r == "{") return !next.empty() && next[0] == '"';  // pretty-printed
  if (r[0] == '{') return r[1] == '"' || r[1] == '\'';
  if (r[0] == '[') return r.size() >= 2 && r[1] == '{';
  if (r[0] != '<' || r.size() < 2) return false;
  if (r[1] == '!' || r[1] == '?') return true;
  size_t k = 1;
  while (k < r.size() && (IsAlpha(static_cast<unsigned char>(r[k])) || IsDigit(static_cast<unsigned char>(r[k])))) ++k;
  return k > 1 && (k == r.size() || r[k] == '>' || r[k] == '/');
}

std::string_view TrimTrailing(std::string_view token, const char* chars) {
  while (!token.empty() && std::strchr(chars, token.back()) != nullptr) token.remove_suffix(1);
  return token;
}

// A quoted text of several words ("upstream said \"no healthy upstream\"")
// or a bracketed list ("[a, b, c]"), opened by tokens[i]: the index of the
// token that closes it, or 0 when there is none.
size_t SpanEnd(const std::string_view* tokens, size_t i, size_t count) {
  std::string_view t = tokens[i].substr(KeyPrefixLength(tokens[i]));
  if (t.empty()) return 0;
  char open = t[0];
  char close = open == '[' ? ']' : open;
  if (open != '"' && open != '\'' && open != '[') return 0;
  if (open == '[' && t.back() != ',') return 0;  // a list of one: a word
  std::string_view first = TrimTrailing(t, ",;:.)");
  if (first.size() > 1 && first.back() == close) return 0;  // one token: masked as such
  for (size_t j = i + 1; j < count; ++j) {
    std::string_view end = TrimTrailing(tokens[j], ",;:.)");
    if (!end.empty() && end.back() == close) return j;
  }
  return 0;
}

// "a, b, c": three or more items of a list, each a short word.
size_t ListEnd(const std::string_view* tokens, size_t i, size_t count) {
  size_t j = i;
  while (j < count && tokens[j].size() > 1 && tokens[j].size() <= 40 &&
         tokens[j].back() == ',' && tokens[j].find_first_of("=:()") == std::string_view::npos) {
    ++j;
  }
  return j - i >= 2 && j < count ? j : 0;
}

// "1190 bytes (1.16 KB)": the same quantity in other units says nothing new.
size_t RestatementEnd(const std::string_view* tokens, size_t i, size_t count) {
  std::string_view t = tokens[i];
  if (i < 2 || t.size() < 2 || t[0] != '(' || !IsDigit(static_cast<unsigned char>(t[1]))) return 0;
  if (!HasDigit(tokens[i - 2]) || !IsPlainLetters(tokens[i - 1])) return 0;
  if (t.back() == ')') return i + 1;
  if (i + 1 < count && tokens[i + 1].size() <= 6 && tokens[i + 1].back() == ')') return i + 2;
  return 0;
}

bool IsDatePart(std::string_view token) {
  return !token.empty() && (IsDigit(static_cast<unsigned char>(token[0])) || IsDateWord(token));
}

void MaskToken(std::string_view token, std::string* out) {
  if (token.find('=') == std::string_view::npos) {
    MaskPiece(token, out);
    return;
  }
  size_t start = 0;
  for (;;) {
    size_t comma = token.find(',', start);
    if (comma == std::string_view::npos || comma + 1 == token.size()) {
      MaskPiece(token.substr(start), out);
      return;
    }
    MaskPiece(token.substr(start, comma - start), out);
    out->push_back(',');
    start = comma + 1;
  }
}

}  // namespace

std::string NormalizeRoute(std::string_view path) {
  std::string out;
  MaskPath(path, &out);
  return out;
}

size_t NormalizeMessage(std::string_view message, std::string* signature,
                        size_t literal_tokens, bool* used_spans, bool spans) {
  signature->clear();
  if (used_spans != nullptr) *used_spans = false;
  // Tokens first, so that a token can look at its neighbours.
  std::string_view tokens[kMaxTokens + 1];
  size_t count = 0;
  size_t pos = 0;
  const size_t n = message.size();
  while (pos < n && count <= kMaxTokens) {
    while (pos < n && IsSpace(static_cast<unsigned char>(message[pos]))) ++pos;
    if (pos == n) break;
    size_t start = pos;
    while (pos < n && !IsSpace(static_cast<unsigned char>(message[pos]))) ++pos;
    tokens[count++] = message.substr(start, pos - start);
  }
  const size_t kept = count > kMaxTokens ? kMaxTokens : count;
  size_t emitted = 0;
  bool last_was_var = false;
  for (size_t i = 0; i < kept; ++i) {
    std::string_view token = tokens[i];
    const bool span_rules = spans && i >= literal_tokens;
    if (span_rules) {
      if (size_t skip_to = RestatementEnd(tokens, i, count)) {
        if (used_spans != nullptr) *used_spans = true;
        i = skip_to - 1;
        continue;
      }
    }
    if (emitted > 0) signature->push_back(' ');
    const size_t start = signature->size();
    size_t span_end = 0;
    if (i < literal_tokens) {
      signature->append(token);
    } else if (span_rules && i >= 2 &&
               IsBodyStart(token, i + 1 < count ? tokens[i + 1] : std::string_view())) {
      if (used_spans != nullptr) *used_spans = true;
      signature->append(token.substr(0, KeyPrefixLength(token)));
      signature->append(kVar);
      ++emitted;
      break;
    } else if (span_rules && ((span_end = SpanEnd(tokens, i, count)) != 0 ||
                              (span_end = ListEnd(tokens, i, count)) != 0)) {
      if (used_spans != nullptr) *used_spans = true;
      if (token[KeyPrefixLength(token)] == '[' || token.back() == ',') {
        size_t open = KeyPrefixLength(token);
        if (token[open] == '[') ++open;
        signature->append(token.substr(0, open));
      } else {
        // A quoted text keeps its first word ("GET", "connection"): the
        // rest, of any length, is one value.
        MaskToken(token, signature);
        if (signature->compare(start, std::string::npos, kVar) == 0) {
          signature->insert(start, token.substr(0, 1));  // the quote stays
        }
        signature->push_back(' ');
        ++emitted;
      }
      signature->append(kVar);
      // The closing quote or bracket and a separator after it.
      std::string_view last = tokens[span_end];
      size_t end = last.size();
      while (end > 0 && std::strchr(",;:.", last[end - 1]) != nullptr) --end;
      if (end > 0 && std::strchr("]'\"", last[end - 1]) != nullptr) --end;
      signature->append(last.substr(end));
      if (span_end >= kept) {
        ++emitted;
        break;
      }
      i = span_end;
    } else if ((IsPlainLetters(token) && !IsDateWord(token) &&
                               !(i > 0 && IsListedValue(tokens[i - 1], token)))) {
      signature->append(token);  // the common case: a word, nothing to mask
    } else if (i > 0 && IsListedValue(tokens[i - 1], token)) {
      size_t end = token.size();
      while (end > 0 && std::strchr(")]};,", token[end - 1]) != nullptr) --end;
      signature->append(kVar);
      signature->append(token.substr(end));
    } else if (IsDateWord(token) && ((i + 1 < count && IsDatePart(tokens[i + 1])) ||
                                     (i > 0 && IsDatePart(tokens[i - 1])))) {
      signature->append(kVar);
    } else {
      MaskToken(token, signature);
    }
    // A run of values is one value: lists of ids or numbers vary in length.
    if (signature->size() - start == kVar.size() &&
        signature->compare(start, kVar.size(), kVar) == 0 && last_was_var) {
      signature->resize(start > 0 ? start - 1 : 0);
      --emitted;
    } else {
      last_was_var = signature->size() - start == kVar.size() &&
                     signature->compare(start, kVar.size(), kVar) == 0;
    }
    ++emitted;
  }
  return emitted;
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
