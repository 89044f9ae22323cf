#include "bot/cluster/normalize.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace triage {
namespace {

constexpr std::string_view kVar = "<*>";

// What each byte is, for the one pass over a token.
enum : uint8_t {
  kSpaceBit = 1,    // white space: separates tokens
  kWordBit = 2,     // a letter, '_' or '-': what plain words are made of
  kHexBit = 4,      // a hex digit
  kWordEndBit = 8,  // ".,;!?": may end a plain word
  kOpenBit = 16,    // "([{<'\"`": may open a value
  kCloseBit = 32,   // ")]}>'\"`,;:.!?": may close one
  kDigitBit = 64,
  kKeySepBit = 128,  // '=' or ':': a key may precede a value
};

constexpr std::array<uint8_t, 256> MakeClassTable() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    uint8_t bits = 0;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') bits |= kSpaceBit;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-') bits |= kWordBit;
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) bits |= kHexBit;
    if (c == '.' || c == ',' || c == ';' || c == '!' || c == '?') bits |= kWordEndBit;
    // NUL counts as both, as it did when these were strchr() calls.
    for (char o : std::string_view("([{<'\"`\0", 8)) bits |= c == o ? kOpenBit : 0;
    for (char o : std::string_view(")]}>'\"`,;:.!?\0", 14)) bits |= c == o ? kCloseBit : 0;
    if (c >= '0' && c <= '9') bits |= kDigitBit;
    if (c == '=' || c == ':') bits |= kKeySepBit;
    t[static_cast<size_t>(c)] = bits;
  }
  return t;
}
constexpr std::array<uint8_t, 256> kClass = MakeClassTable();

inline bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
inline bool IsAlpha(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool HasDigit(std::string_view s) {
  for (unsigned char c : s) {
    if (kClass[c] & kDigitBit) return true;
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

// One pass: a digit, a hex word, "x@y.z", "://" or a host name.
bool IsVariableWord(std::string_view core) {
  uint8_t all = kHexBit;
  bool at = false, dot_after_at = false, colon = false, dot = false;
  for (unsigned char c : core) {
    uint8_t bits = kClass[c];
    if (bits & kDigitBit) return true;
    all &= bits;
    if (c == '@') {
      at = true;
    } else if (c == '.') {
      dot = true;
      dot_after_at |= at;
    } else if (c == ':') {
      colon = true;
    }
  }
  if ((core.size() >= 8 && (all & kHexBit)) || dot_after_at) return true;
  if (colon && core.find("://") != std::string_view::npos) return true;
  return dot && IsHostName(core);
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
  size_t sep = 0;
  while (sep < core.size() && core[sep] != '=' && core[sep] != ':') ++sep;
  if (sep == core.size() || sep == 0) return false;
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
  if (word.size() < 3 || std::strchr("MTWFSJAOND", word[0]) == nullptr) return false;
  for (std::string_view name : kNames) {
    if (name.size() == word.size() && word == name) return true;
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
  while (begin < end && (kClass[static_cast<unsigned char>(token[begin])] & kOpenBit)) ++begin;
  while (end > begin && (kClass[static_cast<unsigned char>(token[end - 1])] & kCloseBit)) --end;
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

// The length of a "key=" or "key:" (letters and '_') at the start of a
// token, 0 when there is none.
size_t KeyPrefixLength(std::string_view token) {
  size_t i = 0;
  while (i < token.size() && (kClass[static_cast<unsigned char>(token[i])] & kWordBit) &&
         token[i] != '-') {
    ++i;
  }
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

// A token of the message, and the class bits that all its bytes share
// (all but the last when that one may end a word). No initializers: an array
// of them costs nothing to set up.
struct Token {
  const char* data;
  uint32_t size;
  uint8_t word_bits;
  uint8_t any_bits;  // the class bits of any of its bytes
  std::string_view text() const { return std::string_view(data, size); }
};

// A quoted text of several words ("upstream said \"no healthy upstream\"")
// or a bracketed list ("[a, b, c]"), opened by tokens[i]: the index of the
// token that closes it, or 0 when there is none.
size_t SpanEnd(const Token* tokens, size_t i, size_t count) {
  std::string_view t = tokens[i].text().substr(KeyPrefixLength(tokens[i].text()));
  if (t.empty()) return 0;
  char open = t[0];
  char close = open == '[' ? ']' : open;
  if (open != '"' && open != '\'' && open != '[') return 0;
  if (open == '[' && t.back() != ',') return 0;  // a list of one: a word
  std::string_view first = TrimTrailing(t, ",;:.)");
  if (first.size() > 1 && first.back() == close) return 0;  // one token: masked as such
  for (size_t j = i + 1; j < count; ++j) {
    std::string_view end = TrimTrailing(tokens[j].text(), ",;:.)");
    if (!end.empty() && end.back() == close) return j;
  }
  return 0;
}

// "a, b, c": three or more items of a list, each a short word.
size_t ListEnd(const Token* tokens, size_t i, size_t count) {
  size_t j = i;
  auto is_item = [](std::string_view t) {
    if (t.size() < 2 || t.size() > 40 || t.back() != ',') return false;
    for (char c : t) {
      if (c == '=' || c == ':' || c == '(' || c == ')') return false;
    }
    return true;
  };
  while (j < count && is_item(tokens[j].text())) ++j;
  return j - i >= 2 && j < count ? j : 0;
}

// "1190 bytes (1.16 KB)": the same quantity in other units says nothing new.
size_t RestatementEnd(const Token* tokens, size_t i, size_t count) {
  std::string_view t = tokens[i].text();
  if (i < 2 || t.size() < 2 || t[0] != '(' || !IsDigit(static_cast<unsigned char>(t[1]))) return 0;
  if (!HasDigit(tokens[i - 2].text()) || !IsPlainLetters(tokens[i - 1].text())) return 0;
  if (t.back() == ')') return i + 1;
  if (i + 1 < count && tokens[i + 1].text().size() <= 6 && tokens[i + 1].text().back() == ')') return i + 2;
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

namespace {

// One message's signature, token by token. A token that is a plain word
// (the common case) is classified in one pass over its bytes and copied;
// only the others go through the checks above.
class Normalizer {
 public:
  Normalizer(std::string_view message, std::string* out, size_t literal, bool* used_spans,
             bool spans)
      : message_(message), out_(out), literal_(literal), used_spans_(used_spans), spans_(spans) {}

  size_t Run() {
    out_->clear();
    if (used_spans_ != nullptr) *used_spans_ = false;
    Tokenize();
    kept_ = count_ > kMaxTokens ? kMaxTokens : count_;
    for (size_t i = 0; i < kept_; ++i) {
      if (i >= literal_ && IsPlainWord(tokens_[i])) {
        Begin();
        out_->append(tokens_[i].data, tokens_[i].size);  // a word, nothing to mask
        last_was_var_ = false;
        ++emitted_;
        continue;
      }
      if (i >= literal_ && IsPlainValue(i)) {
        // What MaskToken() makes of it: <*>, and a ';' after it.
        bool semicolon = tokens_[i].data[tokens_[i].size - 1] == ';';
        if (last_was_var_ && !semicolon) continue;  // a run of values is one
        Begin();
        out_->append(kVar);
        if (semicolon) out_->push_back(';');
        last_was_var_ = !semicolon;
        ++emitted_;
        continue;
      }
      if (!Step(&i)) break;
    }
    return emitted_;
  }

 private:
  // Splits on white space and classifies each token's bytes in the same
  // pass: the one pass over the message that every token gets.
  void Tokenize() {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(message_.data());
    const unsigned char* end = p + message_.size();
    while (p < end && count_ <= kMaxTokens) {
      while (p < end && (kClass[*p] & kSpaceBit)) ++p;
      if (p == end) break;
      const unsigned char* start = p;
      uint8_t before_last = 0xff, all = 0xff, any = 0;
      for (uint8_t bits; p < end && !((bits = kClass[*p]) & kSpaceBit); ++p) {
        before_last = all;
        all &= bits;
        any |= bits;
      }
      Token& t = tokens_[count_++];
      t.data = reinterpret_cast<const char*>(start);
      t.size = static_cast<uint32_t>(p - start);
      t.word_bits = ((kClass[p[-1]] & kWordEndBit) || p[-1] == ':') ? before_last : all;
      t.any_bits = any;
    }
  }

  // Letters, '_' and '-', at most one of ".!?:" at the end (not ',' or ';',
  // which may end a list item), not a hex word or a day or month name. Such
  // a token comes out as it is ("Error:" too: masking keeps a key's name).
  static bool IsPlainWord(const Token& t) {
    if (t.size == 0) return false;
    char last = t.data[t.size - 1];
    return last != ',' && last != ';' && IsPlainLetters(t) && !IsDateLike(t);
  }

  // IsPlainLetters() from the bits the tokenizer found, and "word:".
  static bool IsPlainLetters(const Token& t) {
    size_t n = t.size;
    if (n == 0 || n > kMaxTokenBytes) return false;
    char last = t.data[n - 1];
    if ((kClass[static_cast<unsigned char>(last)] & kWordEndBit) || last == ':') --n;
    return n > 0 && (t.word_bits & kWordBit) && !((t.word_bits & kHexBit) && n >= 8);
  }

  // A number or an id with nothing around it that the other checks look
  // at: a digit, no key, no opening bracket or quote, no list or key before.
  bool IsPlainValue(size_t i) const {
    const Token& t = tokens_[i];
    if (!(t.any_bits & kDigitBit) || (t.any_bits & kKeySepBit) || t.size > kMaxTokenBytes) {
      return false;
    }
    if ((kClass[static_cast<unsigned char>(t.data[0])] & kOpenBit) || t.data[t.size - 1] == ',') {
      return false;
    }
    return i == 0 || tokens_[i - 1].data[tokens_[i - 1].size - 1] != ':';
  }

  static bool IsDateLike(const Token& t) {
    return t.data[0] >= 'A' && t.data[0] <= 'Z' && t.size >= 3 && t.size <= 10 &&
           IsDateWord(t.text());
  }

  void Begin() {
    if (emitted_ > 0) out_->push_back(' ');
    start_ = out_->size();
  }

  void SawSpan() {
    if (used_spans_ != nullptr) *used_spans_ = true;
  }

  // Emits token *i (and the tokens its value spans); false when the rest of
  // the message is one value.
  bool Step(size_t* i) {
    std::string_view token = tokens_[*i].text();
    const bool span_rules = spans_ && *i >= literal_;
    if (span_rules) {
      if (size_t skip_to = RestatementEnd(tokens_, *i, count_)) {
        SawSpan();
        *i = skip_to - 1;
        return true;
      }
    }
    Begin();
    size_t span_end = 0;
    if (*i < literal_) {
      out_->append(token);
    } else if (span_rules && *i >= 2 &&
               IsBodyStart(token, *i + 1 < count_ ? tokens_[*i + 1].text() : std::string_view())) {
      SawSpan();
      out_->append(token.substr(0, KeyPrefixLength(token)));
      out_->append(kVar);
      ++emitted_;
      return false;
    } else if (span_rules && ((span_end = SpanEnd(tokens_, *i, count_)) != 0 ||
                              (span_end = ListEnd(tokens_, *i, count_)) != 0)) {
      SawSpan();
      EmitSpan(token, tokens_[span_end].text());
      if (span_end >= kept_) {
        ++emitted_;
        return false;
      }
      *i = span_end;
    } else {
      EmitToken(*i);
    }
    // A run of values is one value: lists of ids or numbers vary in length.
    bool is_var = out_->size() - start_ == kVar.size() &&
                  out_->compare(start_, kVar.size(), kVar) == 0;
    if (is_var && last_was_var_) {
      out_->resize(start_ > 0 ? start_ - 1 : 0);
      --emitted_;
    } else {
      last_was_var_ = is_var;
    }
    ++emitted_;
    return true;
  }

  // A quoted text, a bracketed or bare list, from `first` to `last`.
  void EmitSpan(std::string_view first, std::string_view last) {
    size_t open = KeyPrefixLength(first);
    if (first[open] == '[' || first.back() == ',') {
      if (first[open] == '[') ++open;
      out_->append(first.substr(0, open));
    } else {
      // A quoted text keeps its first word ("GET", "connection"): the
      // rest, of any length, is one value.
      MaskToken(first, out_);
      if (out_->compare(start_, std::string::npos, kVar) == 0) {
        out_->insert(start_, first.substr(0, 1));  // the quote stays
      }
      out_->push_back(' ');
      ++emitted_;
    }
    out_->append(kVar);
    // The closing quote or bracket and a separator after it.
    size_t end = last.size();
    while (end > 0 && std::strchr(",;:.", last[end - 1]) != nullptr) --end;
    if (end > 0 && std::strchr("]'\"", last[end - 1]) != nullptr) --end;
    out_->append(last.substr(end));
  }

  void EmitToken(size_t i) {
    std::string_view token = tokens_[i].text();
    const bool listed = i > 0 && IsListedValue(tokens_[i - 1].text(), token);
    const bool date = IsDateLike(tokens_[i]);
    if (IsPlainLetters(tokens_[i]) && !date && !listed) {
      out_->append(token);
    } else if (listed) {
      size_t end = token.size();
      while (end > 0 && std::strchr(")]};,", token[end - 1]) != nullptr) --end;
      out_->append(kVar);
      out_->append(token.substr(end));
    } else if (date && ((i + 1 < count_ && IsDatePart(tokens_[i + 1].text())) ||
                        (i > 0 && IsDatePart(tokens_[i - 1].text())))) {
      out_->append(kVar);
    } else {
      MaskToken(token, out_);
    }
  }

  std::string_view message_;
  std::string* out_;
  size_t literal_;
  bool* used_spans_;
  bool spans_;
  // Tokens first, so that a token can look at its neighbours.
  Token tokens_[kMaxTokens + 1];
  size_t count_ = 0;
  size_t kept_ = 0;
  size_t emitted_ = 0;
  size_t start_ = 0;  // where the current token's output starts
  bool last_was_var_ = false;
};

}  // namespace

size_t NormalizeMessage(std::string_view message, std::string* signature,
                        size_t literal_tokens, bool* used_spans, bool spans) {
  return Normalizer(message, signature, literal_tokens, used_spans, spans).Run();
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
