// Secrets and personal data that services write into their logs (tokens,
// keys, passwords, email addresses) never reach an issue: the bot replaces
// them before it writes text anywhere.
#ifndef TRIAGE_BOT_BASE_REDACT_H_
#define TRIAGE_BOT_BASE_REDACT_H_

#include <string>
#include <string_view>

namespace triage {

// What is replaced besides secrets, which always are. Mirrors the config's
// `redaction:` section.
struct RedactOptions {
  bool emails = true;  // "alice@example.com" -> "[redacted: email]"
};

// `text` with every secret it recognises replaced, and the rest kept so that
// the line still reads:
// - a value that stands alone is named by its kind: "[redacted: github-token]"
//   (ghp_/gho_/ghu_/ghs_/ghr_/github_pat_), "jwt", "google-api-key" (AIza),
//   "google-oauth-token" (ya29., 1//0), "aws-access-key", "slack-token",
//   "slack-webhook", "stripe-key", "gitlab-token", "npm-token",
//   "private-key" (a whole -----BEGIN ... PRIVATE KEY----- block, also one
//   cut off before its END line) and, with `options.emails`, "email";
// - a value whose context names it becomes "[redacted]": a URL's password
//   ("postgres://app:[redacted]@db"), the credential after Bearer, Basic or
//   Digest, and the value of a key such as password, secret, token, api_key,
//   access_key, private_key, credentials, authorization, session, session_id
//   (JSESSIONID) or signature, also inside a longer name (DB_PASSWORD,
//   smtpPassword).
//   After '=' or in quotes any value counts; after a bare ':' only one with
//   a digit or symbol or of 10 or more characters, so that "secret: token
//   bucket full" stays English.
// Idempotent: redacting redacted text changes nothing. Linear time in the
// size of `text` (RE2), whatever it holds.
std::string RedactSecrets(std::string_view text, const RedactOptions& options = {});

}  // namespace triage

#endif  // TRIAGE_BOT_BASE_REDACT_H_
