// A summary is made from the cluster's template by plain steps, in order, so
// that a surprising title can be traced to the step that made it:
//  1. One line of valid UTF-8; control characters become spaces.
//  2. Leading decoration goes: emoji and their mojibake ("ðŸš¨"), bracketed
//     tags without letters ("[?]"), severity words ("ERROR:", "[WARN]").
//     Tags with words ("[LEGACY MODE]") stay: they say something.
//  3. Only the first sentence stays. "<*> This may ..." ends one too: the
//     period went into the variable.
//  4. " (...)" and " [...]" groups holding variables or key=value lists go,
//     and so does the detail of "head: detail" when a quarter of it is <*>
//     ("Thread ID mismatch: run_id <*> extracted to <*> ...").
//  5. Variables (<*>, numbers, key=value) go with the words that only
//     introduce them: "from <*>", "for user <*>", "user_id: <*>,".
//  6. A known exception not named in the text goes first, short
//     ("NullPointerException"); qualified names in the text are shortened.
//  7. " in <place>" follows: the last module component and the function
//     ("handlers.route_message"), never the logging plumbing or "http".
// When that is too long, these are tried in order: the function alone as
// place; the text without any group; the text before " - "; the text alone;
// at last a cut at a word boundary that keeps the place.
// Request logs read "HTTP 503 on POST /api/v1/orders".
#include "bot/cluster/title.h"

#include <algorithm>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "bot/base/text.h"

namespace triage {
namespace {

using Words = std::vector<std::string>;

constexpr size_t kNpos = std::string_view::npos;
constexpr size_t kMaxInputBytes = 16 * 1024;  // titles never need more

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsAlnum(char c) { return IsDigit(c) || IsLower(c) || IsUpper(c); }
bool IsIdentChar(char c) { return IsAlnum(c) || c == '_' || c == '.' || c == '-'; }
bool IsListMark(char c) { return c == ':' || c == ',' || c == ';'; }
bool EndsWith(std::string_view s, std::string_view end) {
  return s.size() >= end.size() && s.substr(s.size() - end.size()) == end;
}
std::string Lower(std::string s) {
  for (char& c : s) c = IsUpper(c) ? static_cast<char>(c - 'A' + 'a') : c;
  return s;
}
bool InList(std::string_view w, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), Lower(std::string(w))) != list.end();
}

// No ASCII letter or digit, and beyond ASCII only symbols: U+0080..U+02FF
// (the Windows-1252 mojibake of emoji: "ðŸ”‘"), U+2000..U+2BFF (arrows,
// dingbats), U+F000..U+FFFF (variation selectors, U+FFFD), U+1Fxxx (emoji).
// Valid UTF-8 in, so lead bytes tell the range.
bool IsDecoration(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char b = s[i];
    unsigned char next = i + 1 < s.size() ? s[i + 1] : 0;
    bool symbol =
        b <= 0xCB || (b == 0xE2 && next < 0xB0) || b == 0xEF || (b == 0xF0 && next == 0x9F);
    if (b < 0x80 ? IsAlnum(b) : b >= 0xC0 && !symbol) return false;
  }
  return true;
}
// Punctuation standing alone between words: "-", "|", "=>".
bool IsSeparator(std::string_view w) {
  return IsDecoration(w) && std::none_of(w.begin(), w.end(), [](char c) { return c & 0x80; });
}
bool IsSeverityWord(std::string_view w) {
  return InList(w, {"debug", "info", "notice", "warn", "warning", "error", "err", "critical",
                    "crit", "alert", "emerg", "emergency", "fatal", "severe"});
}
// Words that only introduce the value after them ("from <*>").
bool IsConnector(std::string_view w) {
  return IsSeparator(w) ||
         InList(w, {"a", "an", "the", "from", "for", "to", "of", "at", "in", "on", "with", "by",
                    "within", "as", "is", "was", "are", "were", "into", "via", "after",
                    "before", "between", "due"});
}
// Nothing may end on these either.
bool IsDangling(std::string_view w) {
  return IsConnector(w) || InList(w, {"and", "or", "but", "than", "because", "so", "then"});
}
// A unit after a value goes with it: "after <*> retries".
bool IsUnit(std::string_view w) {
  return InList(w, {"ms", "s", "sec", "secs", "second", "seconds", "min", "mins", "minute",
                    "minutes", "h", "hour", "hours", "day", "days", "b", "byte", "bytes", "kb",
                    "mb", "gb", "tb", "kib", "mib", "gib", "tib", "%", "percent", "time", "times",
                    "retries", "attempts", "tries", "items", "entries", "rows", "records"});
}
// "23.52ms", "404", "#12", "a1b2c3d4e5f6": values, not words.
bool IsNumberish(std::string_view t) {
  while (!t.empty() && !IsAlnum(t.front())) t.remove_prefix(1);
  while (!t.empty() && !IsAlnum(t.back())) t.remove_suffix(1);
  size_t digits = std::count_if(t.begin(), t.end(), IsDigit);
  return !t.empty() && (IsDigit(t[0]) || (digits >= 4 && digits * 2 >= t.size()));
}
bool IsVariable(std::string_view t) { return t.find("<*>") != kNpos || IsNumberish(t); }
// "uid=<*>", "AUTH=REDACTED", "logname=".
bool IsKeyValue(std::string_view t) {
  size_t eq = t.find('=');
  return eq != kNpos && eq > 0 && !IsDigit(t[0]) &&
         std::all_of(t.begin(), t.begin() + eq, IsIdentChar);
}
// "user_id:" before a value; a plain word ("database:") only in a
// "key: value," list.
bool IsKeyLabel(std::string_view t, bool in_list) {
  if (t.size() < 2 || t.back() != ':') return false;
  t.remove_suffix(1);
  return std::all_of(t.begin(), t.end(), IsIdentChar) && (in_list || t.find('_') != kNpos);
}
// A lowercase word naming the value after it: "user" in "for user <*>".
bool IsLabelWord(std::string_view w) {
  return w.size() >= 2 && !IsConnector(w) &&
         std::all_of(w.begin(), w.end(), [](char c) { return IsLower(c) || c == '_'; });
}

Words Split(std::string_view s, char sep = ' ') {
  Words words;
  for (size_t i = 0, end; i < s.size(); i = end + 1) {
    end = std::min(s.find(sep, i), s.size());
    if (end > i) words.emplace_back(s.substr(i, end - i));
  }
  return words;
}
std::string Join(const Words& words, size_t begin = 0) {
  std::string out;
  for (size_t i = begin; i < words.size(); ++i) (out.empty() ? out : out += ' ') += words[i];
  return out;
}
// Valid UTF-8 on one line, single spaces, no spaces at the ends.
std::string OneLine(std::string_view text) {
  std::string spaced(text.substr(0, kMaxInputBytes));
  for (char& c : spaced) c = static_cast<unsigned char>(c) < 0x20 || c == 0x7F ? ' ' : c;
  return Join(Split(SanitizeText(spaced)));
}
// A cut must not end in "for" or ":".
void TrimTail(Words* words) {
  while (!words->empty()) {
    std::string& last = words->back();
    while (!last.empty() && std::string_view(".,:;-=|").find(last.back()) != kNpos) {
      last.pop_back();
    }
    if (!last.empty() && !IsDangling(last)) return;
    words->pop_back();
  }
}

std::string_view StripLeadingNoise(std::string_view s) {
  while (!s.empty()) {
    std::string_view first = s.substr(0, s.find(' '));
    size_t close = s[0] == '[' ? s.find(']') : kNpos;
    std::string_view tag = close == kNpos ? "" : s.substr(1, close - 1);
    bool level = first.back() == ':' && IsSeverityWord(first.substr(0, first.size() - 1));
    if (close != kNpos && (IsDecoration(tag) || IsSeverityWord(tag))) {
      s.remove_prefix(close + 1);
    } else if (IsDecoration(first) || level) {
      s.remove_prefix(first.size());
    } else {
      break;
    }
    while (!s.empty() && s[0] == ' ') s.remove_prefix(1);
  }
  return s;
}

// Up to the end of the first sentence ("format. Consider ..."), or to a
// variable that swallowed its period ("is <*> This may ...").
std::string_view FirstSentence(std::string_view s) {
  for (size_t i = 3; i + 1 < s.size(); ++i) {
    if (s[i] != ' ' || !IsUpper(s[i + 1])) continue;
    if (s[i - 1] == '.' && s[i - 2] != '.') return s.substr(0, i - 1);
    std::string_view next = s.substr(i + 2, s.find(' ', i + 1) - i - 2);
    if (i >= 5 && s.substr(i - 4, 4) == " <*>" && IsLower(s[s.rfind(' ', i - 5) + 1]) &&
        !next.empty() && std::all_of(next.begin(), next.end(), IsLower)) {
      return s.substr(0, i);
    }
  }
  return s;
}

// Drops " (...)" and " [...]" groups: those holding variables or key: value
// lists, or with `all` any but a leading one. An unclosed group runs to the
// end, as in a template cut at a length.
std::string RemoveGroups(std::string_view s, bool all) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((s[i] == '(' || s[i] == '[') && (i == 0 || s[i - 1] == ' ')) {
      size_t end = std::min(s.find(s[i] == '(' ? ')' : ']', i), s.size());
      std::string_view inner = s.substr(i + 1, end - i - 1);
      Words words = Split(inner);
      if ((all && i > 0) || inner.find('=') != kNpos || inner.find(": ") != kNpos ||
          std::any_of(words.begin(), words.end(), IsVariable)) {
        while (!out.empty() && out.back() == ' ') out.pop_back();
        i = end;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

std::string_view HeadIfDetailIsVariable(std::string_view s) {
  size_t colon = s.find(": ");
  if (colon == kNpos || colon == 0) return s;
  Words head = Split(s.substr(0, colon + 1));
  Words detail = Split(s.substr(colon + 2));
  // "... - user_id: <*>, ...": a list, not a head; DropVariables takes it.
  if (detail.empty() || (head.size() > 1 && IsKeyLabel(head.back(), detail[0].back() == ','))) {
    return s;
  }
  // Only <*> counts: a number left in a template is a constant ("base 10").
  size_t vars = std::count_if(detail.begin(), detail.end(),
                              [](const std::string& w) { return w.find("<*>") != kNpos; });
  bool variable = vars * 4 >= detail.size() && (vars >= 2 || detail.size() <= 2);
  return variable ? s.substr(0, colon) : s;
}

Words DropVariables(const Words& in) {
  Words out;
  bool in_list = false;
  for (size_t i = 0; i < in.size(); ++i) {
    const std::string& t = in[i];
    if (IsDecoration(t) && !IsSeparator(t)) continue;  // emoji
    if (i + 1 < in.size() && IsVariable(in[i + 1]) &&
        IsKeyLabel(t, in_list || in[i + 1].back() == ',')) {
      in_list = in[++i].back() == ',';
      continue;
    }
    in_list = false;
    if (!IsVariable(t) && !IsKeyValue(t)) {
      out.push_back(t);
      continue;
    }
    // The label of this value: "for user <*>", or "<*> port <*>".
    bool label = !out.empty() && out.back() == in[i - 1] && IsLabelWord(out.back());
    bool introduced = out.size() >= 2 && IsConnector(out[out.size() - 2]);
    if (label && (introduced || (i >= 2 && IsVariable(in[i - 2])))) out.pop_back();
    while (!out.empty() && IsConnector(out.back())) out.pop_back();
    if (IsListMark(t.back()) && !out.empty() && !IsListMark(out.back().back())) {
      out.back() += t.back();
    }
    if (i + 1 < in.size() && IsUnit(in[i + 1])) ++i;
  }
  return out;
}

// "java.io.IOException:" -> "IOException:": the package adds length only.
std::string ShortenQualified(const std::string& w) {
  size_t end = w.find_last_not_of(":,;") + 1;
  size_t dot = w.rfind('.', end);
  std::string_view tail = std::string_view(w).substr(0, end).substr(std::min(dot + 1, end));
  bool exception = EndsWith(tail, "Exception") || EndsWith(tail, "Error");
  if (dot == kNpos || !exception || !IsLower(w[0]) || !IsUpper(tail[0])) return w;
  return std::string(tail) + w.substr(end);
}

Words Tidy(const Words& in) {
  Words out;
  for (const std::string& raw : in) {
    std::string w = ShortenQualified(raw);
    // "OPTIONAL Optional authentication": one word said twice.
    if (!out.empty() && Lower(out.back()) == Lower(w) && std::all_of(w.begin(), w.end(), IsAlnum)) {
      out.pop_back();
    }
    bool after_mark = !out.empty() && (IsListMark(out.back().back()) || IsSeparator(out.back()));
    if (!IsSeparator(w) || (!out.empty() && !after_mark)) out.push_back(w);
  }
  TrimTail(&out);
  return out;
}

// Brackets whose partner went with a variable ("no answer (<*> tries);")
// go too: a title never shows half a pair.
std::string DropUnmatchedBrackets(const std::string& s) {
  std::vector<bool> drop(s.size(), false);
  std::vector<size_t> open;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '(' || c == '[' || c == '{') open.push_back(i);
    if (c != ')' && c != ']' && c != '}') continue;
    char want = c == ')' ? '(' : c == ']' ? '[' : '{';
    if (!open.empty() && s[open.back()] == want) {
      open.pop_back();
    } else {
      drop[i] = true;
    }
  }
  for (size_t i : open) drop[i] = true;
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (!drop[i]) out += s[i];
  }
  return Join(Split(out));
}

// The key phrase at shortening `level`: 0 is the fullest.
std::string KeyPhrase(std::string_view sentence, int level, const std::string& exception) {
  std::string s = RemoveGroups(sentence, level >= 1);
  size_t dash = s.find(" - ");
  if (level >= 2 && dash != kNpos && dash > 0) s.resize(dash);
  std::string phrase =
      DropUnmatchedBrackets(Join(Tidy(DropVariables(Split(HeadIfDetailIsVariable(s))))));
  if (exception.empty() || phrase.find(exception) != kNpos) return phrase;
  return phrase.empty() ? exception : exception + ": " + phrase;
}

// "java.lang.NullPointerException" -> "NullPointerException"; "*url.Error"
// stays "url.Error": "Error" alone says nothing.
std::string ShortException(std::string_view e) {
  while (!e.empty() && e.front() == '*') e.remove_prefix(1);
  std::string_view tail = e.substr(e.rfind('.') == kNpos ? 0 : e.rfind('.') + 1);
  return std::string(tail == "Error" || tail == "Exception" ? e : tail);
}

// Where it happens, from the first location that is not plumbing: Python's
// root logger reports its own frame ("logging.callHandlers") when the record
// carries none, and "http" is the request log's pseudo-module. The module is
// its last part: "netra_backend.app.handlers", "/app/cart.js"; not a chunk
// file's number ("2291.js"). "<module>", "<anonymous>" name no function.
std::string Place(const Cluster& c, bool function_only) {
  for (const Location& loc : c.locations) {
    if (loc.module == "http" || loc.module == "logging" || loc.module == "root") continue;
    std::string_view module = loc.module;
    for (std::string_view ext : {".py", ".js", ".mjs", ".cjs", ".ts", ".go", ".java", ".rb"}) {
      if (EndsWith(module, ext)) module.remove_suffix(ext.size());
    }
    std::string mod = OneLine(module.substr(module.find_last_of("/.") + 1));  // npos + 1 == 0
    // Not a name: a chunk file's number ("2291.js"), a route file ("[...path]").
    bool name = !mod.empty() && std::all_of(mod.begin(), mod.end(), [](char ch) {
      return IsAlnum(ch) || ch == '_' || ch == '-' || static_cast<unsigned char>(ch) >= 0x80;
    });
    if (!name || IsNumberish(mod) || IsDecoration(mod)) mod.clear();
    // Go names the function with its package path: "github.com/o/r/promo.(*Engine).Apply".
    std::string_view function = loc.function;
    function.remove_prefix(function.find_last_of('/') == kNpos ? 0 : function.find_last_of('/') + 1);
    std::string fn = function.empty() || function[0] == '<' ? "" : OneLine(function);
    if (function_only && !fn.empty()) return fn;
    if (!mod.empty() || !fn.empty()) return mod.empty() || fn.empty() ? mod + fn : mod + "." + fn;
  }
  return "";
}

// At most `max` bytes of `s`, ending at a word boundary (inside a word only
// when there is no other), without a dangling connector.
std::string CutAtWord(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  std::string_view cut = CutUtf8(s, max);
  size_t space = cut.rfind(' ');
  if (s[cut.size()] != ' ' && space != kNpos && space > 0) cut = cut.substr(0, space);
  Words words = Split(cut);
  TrimTail(&words);
  return words.empty() ? std::string(cut) : Join(words);
}

std::string WithPlace(const std::string& phrase, const std::string& place) {
  return place.empty() ? phrase : phrase + " in " + place;
}

std::string Fit(const Words& phrases, const std::string& place, const std::string& short_place,
                size_t max) {
  for (const std::string& phrase : phrases) {
    for (const std::string* where : {&place, &short_place}) {
      if (WithPlace(phrase, *where).size() <= max) return WithPlace(phrase, *where);
    }
  }
  for (const std::string& phrase : phrases) {
    if (phrase.size() <= max) return phrase;
  }
  // A phrase cut anyway keeps its place, when that leaves room to read.
  std::string suffix = WithPlace("", short_place);
  std::string cut = suffix.size() * 2 <= max ? CutAtWord(phrases.back(), max - suffix.size()) : "";
  return cut.empty() ? CutAtWord(phrases.back(), max) : cut + suffix;
}

// "POST 503 /api /v1 /orders /<*>" -> "HTTP 503 on POST /api/v1/orders"; a
// variable inside a route reads "*" ("/users/*/avatar").
std::string HttpSummary(const Cluster& c, size_t max) {
  Words words = Split(OneLine(FirstLine(c.template_text)));
  size_t i = std::min<size_t>(2, words.size());  // method and status
  std::string path;
  for (; i < words.size() && words[i][0] == '/'; ++i) path += words[i];
  if (path.empty() && c.locations.size() == 1 && c.locations[0].module == "http") {
    const std::string& fn = c.locations[0].function;  // "GET /api/users/12345"
    path = fn.substr(std::min(fn.find(' '), fn.size()));
  }
  std::string route;
  for (const std::string& seg : Split(OneLine(path), '/')) {
    route += "/" + (IsVariable(seg) ? "*" : seg);
  }
  while (EndsWith(route, "/*")) route.resize(route.size() - 2);
  std::string method = OneLine(c.http_method);
  std::string target = OneLine(method + " " + route);
  std::string head = "HTTP " + std::to_string(c.http_status);
  head += target.empty() ? " responses" : " on " + target + (target == method ? " requests" : "");
  std::string detail = KeyPhrase(StripLeadingNoise(Join(words, i)), 0, "");
  return Fit({detail.empty() ? head : head + ": " + detail, head}, "", "", max);
}

}  // namespace

std::string SummarizeCluster(const Cluster& cluster, size_t max_bytes) {
  if (cluster.http_status != 0) return HttpSummary(cluster, max_bytes);
  std::string exception = ShortException(OneLine(cluster.exception));
  std::string line = OneLine(FirstLine(cluster.template_text));
  std::string_view sentence = FirstSentence(StripLeadingNoise(line));
  Words phrases;
  for (int level = 0; level < 3; ++level) {
    std::string phrase = KeyPhrase(sentence, level, exception);
    if (!phrase.empty()) phrases.push_back(phrase);
  }
  std::string place = Place(cluster, false);
  std::string service = OneLine(cluster.service);
  if (phrases.empty()) {
    if (line.empty() && exception.empty() && place.empty() && service.empty()) return "";
    Severity s = cluster.max_severity;
    phrases.push_back(s >= Severity::kCritical  ? "Critical errors"
                      : s >= Severity::kError   ? "Errors"
                      : s >= Severity::kWarning ? "Warnings"
                                                : "Log entries");
    if (place.empty() && !service.empty()) phrases.back() += " from " + service;
  }
  return Fit(phrases, place, Place(cluster, true), max_bytes);
}

std::string FormatTitle(const std::string& category, int priority, const std::string& summary) {
  // Out of range is a caller's bug; clamp rather than print "P-1".
  int p = std::clamp(priority, kHighestPriority, kLowestPriority);
  std::string head = OneLine(category);
  head += (head.empty() ? "P" : " | P") + std::to_string(p);
  std::string body = OneLine(summary);
  if (body.empty() || head.size() + 4 > kMaxTitleBytes) return CutAtWord(head, kMaxTitleBytes);
  // A zero-width space after '@' keeps log text from mentioning anyone.
  std::string safe;
  for (char c : body) safe += c == '@' ? std::string("@\u200b") : std::string(1, c);
  std::string cut = CutAtWord(safe, kMaxTitleBytes - head.size() - 3);
  return cut.empty() ? head : head + " | " + cut;
}

}  // namespace triage
