#include "bot/redact.h"

#include <re2/re2.h>

namespace triage {
namespace {

const RE2& PrivateKey() {
  static const RE2 re("-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)");
  return re;
}

// Tokens recognisable by their shape alone.
const RE2& Token() {
  static const RE2 re(
      "\\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|"
      "AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{30,}|ya29\\.[0-9A-Za-z_.-]{10,}|sk_(live|test)_[0-9A-Za-z]{10,}|"
      "glpat-[0-9A-Za-z_-]{16,}|eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*)");
  return re;
}

// "Bearer x", "Basic x": whatever follows is a credential.
const RE2& Scheme() {
  static const RE2 re("(?i)(\\b(?:bearer|basic)\\s+)([^\\s\"',;&}]{3,})");
  return re;
}

// "password=x", "api_key: x", "\"token\": \"x\"".
const RE2& Labelled() {
  static const RE2 re(
      "(?i)(\\b(?:password|passwd|pwd|secret|client_secret|token|"
      "access_token|refresh_token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|authorization|"
      "x-api-key)\"?\\s*[:=]\\s*\"?)"
      // A value: one with a digit, or a long one ("secret: token" is English).
      "([^\\s\"',;&}]*[0-9][^\\s\"',;&}]*|[^\\s\"',;&}]{12,})");
  return re;
}

}  // namespace

std::string RedactSecrets(std::string_view text) {
  std::string out(text);
  RE2::GlobalReplace(&out, PrivateKey(), "[redacted private key]");
  RE2::GlobalReplace(&out, Token(), "[redacted]");
  RE2::GlobalReplace(&out, Scheme(), "\\1[redacted]");
  RE2::GlobalReplace(&out, Labelled(), "\\1[redacted]");
  return out;
}

}  // namespace triage
