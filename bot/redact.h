// Secrets that services write into their logs (tokens, keys, passwords)
// never reach an issue: the bot replaces them before it writes text.
#ifndef TRIAGE_BOT_REDACT_H_
#define TRIAGE_BOT_REDACT_H_

#include <string>
#include <string_view>

namespace triage {

// `text` with every secret it recognises replaced by "[redacted]": private
// key blocks; tokens by their well-known shapes (GitHub ghp_/gho_/ghs_/
// github_pat_, Slack xox?-, AWS AKIA..., Google AIza... and ya29., Stripe
// sk_live_, GitLab glpat-, JWTs); the value after Bearer/Basic; and the
// value of a key such as password, secret, token, api_key, authorization
// when it holds a digit or is long ("password=hunter2", not "secret:
// token"). Linear time (RE2).
std::string RedactSecrets(std::string_view text);

}  // namespace triage

#endif  // TRIAGE_BOT_REDACT_H_
