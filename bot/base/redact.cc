#include "bot/base/redact.h"

#include <re2/re2.h>

#include <algorithm>
#include <functional>
#include <iterator>
#include <memory>
#include <string_view>
#include <vector>

namespace triage {
namespace {

// The groups of a match as std::string_view: re2::StringPiece is RE2's own
// class up to 2023-03 and absl::string_view since (Debian 13, Ubuntu after
// 24.04), and only data() and size() are common to both.
using Groups = const std::string_view*;

// Each match of `re` replaced by what `replace` makes of its groups (group
// 0 is the whole match). RE2 looks at the text before `pos` for \b, so a
// match in the middle behaves as in GlobalReplace.
std::string ReplaceEach(const std::string& text, const RE2& re,
                        const std::function<std::string(Groups)>& replace) {
  re2::StringPiece found[4];  // every pattern here has at most 3 groups
  std::string_view groups[4];
  const int n = std::min(re.NumberOfCapturingGroups() + 1, 4);
  std::string out;
  size_t pos = 0;
  while (pos <= text.size() && re.Match(text, pos, text.size(), RE2::UNANCHORED, found, n)) {
    for (int i = 0; i < n; ++i) groups[i] = std::string_view(found[i].data(), found[i].size());
    const size_t start = static_cast<size_t>(groups[0].data() - text.data());
    const size_t end = start + groups[0].size();
    out.append(text, pos, start - pos);
    out += replace(groups);
    if (end == start) {  // never stall on an empty match
      if (end < text.size()) out.push_back(text[end]);
      pos = end + 1;
    } else {
      pos = end;
    }
  }
  if (pos < text.size()) out.append(text, pos, std::string::npos);
  return out;
}

std::string Placeholder(const char* kind) { return std::string("[redacted: ") + kind + "]"; }

bool IsPlaceholder(std::string_view s) { return s.substr(0, 9) == "[redacted"; }

// Group 1 kept, group 2 (the value) replaced when `secret` says so. A value
// that runs into a placeholder ("session_id=" before "[redacted]") is the
// name of a pair already redacted, and stays.
std::string ReplaceValues(const std::string& text, const RE2& re,
                          bool (*secret)(std::string_view)) {
  return ReplaceEach(text, re, [&](Groups g) {
    const size_t end = static_cast<size_t>(g[2].data() - text.data()) + g[2].size();
    const bool named = IsPlaceholder(std::string_view(text).substr(end));
    return std::string(g[1]) + (!named && secret(g[2]) ? "[redacted]" : std::string(g[2]));
  });
}

// A value that hides nothing: already masked by the service ("***",
// "REDACTED") or empty-like ("null", "false"). Kept so that lines read as
// the service wrote them.
bool IsMasked(std::string_view value) {
  static constexpr std::string_view kWords[] = {"redacted", "masked", "hidden", "none", "null",
                                                "nil", "undefined", "true", "false", "empty"};
  std::string lower;
  for (char c : value) lower.push_back(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (lower.find_first_not_of("*x.") == std::string::npos) return true;
  for (std::string_view w : kWords) {
    if (lower == w) return true;
  }
  return false;
}

// In quotes or after '=' any value is a secret, unless already replaced.
bool Always(std::string_view value) { return !IsPlaceholder(value) && !IsMasked(value); }

// After a bare ':' or "Bearer" a value may be English ("secret: token
// bucket full"): only one with a digit or symbol, or a long one, counts.
bool LooksLikeCredential(std::string_view value) {
  if (IsMasked(value)) return false;
  if (value.size() >= 10) return true;
  for (char c : value) {
    const bool symbol = std::string_view("+/=._~-!#$%*").find(c) != std::string_view::npos;
    if ((c >= '0' && c <= '9') || symbol) return true;
  }
  return false;
}

// Tokens recognisable by their shape alone, with the kind each is shown as.
// A cut-off JWT (payload without signature) still counts: samples are cut.
struct Kind {
  const char* name;
  const char* pattern;
};
constexpr Kind kKinds[] = {
    {"private-key",
     R"(-----BEGIN[A-Z0-9 ]* PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[A-Z0-9 ]* PRIVATE KEY(?: BLOCK)?-----|$))"},
    {"github-token", R"(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})"},
    {"jwt", R"(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)?)"},
    {"google-api-key", R"(AIza[0-9A-Za-z_-]{30,})"},
    {"google-oauth-token", R"(ya29\.[0-9A-Za-z_.-]{10,}|\b1//0[0-9A-Za-z_-]{20,})"},
    {"aws-access-key", R"(\b(?:AKIA|ASIA)[0-9A-Z]{16}\b)"},
    {"slack-webhook", R"(https://hooks\.slack\.com/(?:services|workflows)/[A-Za-z0-9/_-]+)"},
    {"slack-token", R"(xox[abposre]-[A-Za-z0-9-]{10,})"},
    {"stripe-key", R"((?:sk|rk)_(?:live|test)_[0-9A-Za-z]{10,})"},
    {"gitlab-token", R"(glpat-[0-9A-Za-z_-]{16,})"},
    {"npm-token", R"(npm_[A-Za-z0-9]{36,})"},
};

std::string RedactKinds(std::string text) {
  static const std::vector<std::unique_ptr<RE2>>* const kCompiled = [] {
    auto* all = new std::vector<std::unique_ptr<RE2>>;
    for (const Kind& k : kKinds) all->push_back(std::make_unique<RE2>(k.pattern));
    return all;
  }();
  for (size_t i = 0; i < std::size(kKinds); ++i) {
    const std::string placeholder = Placeholder(kKinds[i].name);
    if (RE2::PartialMatch(text, *(*kCompiled)[i])) {
      text = ReplaceEach(text, *(*kCompiled)[i], [&](Groups) { return placeholder; });
    }
  }
  return text;
}

// "scheme://user:password@host": the password, up to the last '@' of the
// authority (an unescaped '@' in a user name or password happens).
const RE2& UrlPassword() {
  static const RE2 re(R"(\b([A-Za-z][A-Za-z0-9+.-]*://[^\s/?#:\[\]]*:)([^\s/?#\[\]]+)@)");
  return re;
}

const RE2& Email() {
  static const RE2 re(
      R"([A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)"
      R"((?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}\b)");
  return re;
}

// A value that runs to the next space, quote, separator or bracket; never
// a placeholder ("[redacted]") nor a template's "<*>".
#define VALUE R"(([^\s"'\\,;&})\]<>\[][^\s"'\\,;&})\]<>]*))"

// "Bearer x", "Basic x", "Digest x": whatever follows is a credential.
const RE2& Scheme() {
  static const RE2 re(R"((?i)(\b(?:bearer|basic|digest)\s+))" VALUE);
  return re;
}

// A key that names a secret, also as the end of a longer name
// ("DB_PASSWORD", "smtpPassword", "x-goog-signature"), with the quote that
// may close it.
#define KEY                                                                          \
  R"((?i)([A-Za-z0-9_.-]*(?:pass(?:word|wd|phrase)|pwd|secret|token|api[_-]?key|)"  \
  R"(apikey|access[_-]?key|secret[_-]?key|private[_-]?key|signing[_-]?key|)"        \
  R"(credentials?|authorization|auth|sess(?:ion)?[_-]?id|session|sid|signature|sig))" \
  R"((?:\\?["'])?)"
#define SCHEME R"((?:(?:bearer|basic|digest|token)\s+)?)"

const RE2& DoubleQuoted() {  // "password": "a b c"
  static const RE2 re(KEY R"(\s*[:=]\s*")((?:[^"\\\n]|\\[^\n])+))");
  return re;
}
const RE2& EscapedQuoted() {  // \"password\":\"x\" (JSON inside a JSON string)
  static const RE2 re(KEY R"(\s*[:=]\s*\\")((?:[^"\\\n]|\\\\)+))");
  return re;
}
const RE2& SingleQuoted() {  // 'password': 'x'
  static const RE2 re(KEY R"(\s*[:=]\s*')((?:[^'\\\n]|\\[^\n])+))");
  return re;
}
const RE2& Assigned() {  // password=x, DB_PASSWORD = x, ?token=x&
  static const RE2 re(KEY R"(\s*=\s*)" SCHEME ")" VALUE);
  return re;
}
const RE2& Colon() {  // password: x
  static const RE2 re(KEY R"(\s*:\s*)" SCHEME ")" VALUE);
  return re;
}

#undef VALUE
#undef KEY
#undef SCHEME

}  // namespace

std::string RedactSecrets(std::string_view text, const RedactOptions& options) {
  std::string out = RedactKinds(std::string(text));
  out = ReplaceEach(out, UrlPassword(), [](Groups g) {
    return std::string(g[1]) + (IsPlaceholder(g[2]) ? std::string(g[2]) : "[redacted]") + "@";
  });
  if (options.emails) {
    out = ReplaceEach(out, Email(), [](Groups) { return Placeholder("email"); });
  }
  out = ReplaceValues(out, Scheme(), LooksLikeCredential);
  for (const RE2* re : {&DoubleQuoted(), &EscapedQuoted(), &SingleQuoted(), &Assigned()}) {
    out = ReplaceValues(out, *re, Always);
  }
  return ReplaceValues(out, Colon(), LooksLikeCredential);
}

}  // namespace triage
