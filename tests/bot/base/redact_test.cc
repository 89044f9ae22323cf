#include "bot/base/redact.h"

#include <doctest/doctest.h>

#include <string>

namespace triage {
namespace {

// Made-up secrets in the shapes services really log them. None is real.
#define GHP "ghp_R2d2C3poBb8Wq4Lz0Xv9Kt6Ym1Na5Jh7Ue3S"
#define JWT                                                        \
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwi" \
  "ZW1haWwiOiJhQGIuY28ifQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
#define PEM_BODY                                                          \
  "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw\n" \
  "7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFc\n"

struct Case {
  const char* what;
  const char* text;
  const char* want;
};

// One row per kind and per way of writing it.
const Case kSecrets[] = {
    {"github classic token", "push failed with " GHP " for repo x",
     "push failed with [redacted: github-token] for repo x"},
    {"github oauth token", "auth=gho_16C7e42F292c6912E7710c838347Ae178B4a done",
     "auth=[redacted: github-token] done"},
    {"github app token in env", "GITHUB_TOKEN_ghs_4Tq9Zr2Lw8Xk1Nv6Bp3Md7Hc5Jf0Gy2Rs1Au",
     "GITHUB_TOKEN_[redacted: github-token]"},
    {"github fine-grained token",
     "token github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN rejected",
     "token [redacted: github-token] rejected"},
    {"github token after 'token' scheme", "Authorization: token " GHP,
     "Authorization: token [redacted: github-token]"},
    {"jwt after Bearer", "Authorization: Bearer " JWT,
     "Authorization: Bearer [redacted: jwt]"},
    {"jwt in a query", "GET /cb?id_token=" JWT "&state=1", "GET /cb?id_token=[redacted: jwt]&state=1"},
    {"jwt cut off before its signature", "jwt eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3",
     "jwt [redacted: jwt]"},
    {"opaque bearer token", "calling with Bearer abc.def.ghi now", "calling with Bearer [redacted] now"},
    {"basic credentials", "Authorization: Basic dXNlcjpodW50ZXIy", "Authorization: Basic [redacted]"},
    {"google api key", "maps key AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY used",
     "maps key [redacted: google-api-key] used"},
    {"google oauth access token", "token=ya29.a0AfH6SMBx3kG7pQ-9rT2_wZ8yL4vN1cU6eJ0hD5oF; retry",
     "token=[redacted: google-oauth-token]; retry"},
    {"google refresh token", "refresh with 1//0gLk3Yq8Zr2Lw8Xk1Nv6Bp3Md7Hc5Jf0 failed",
     "refresh with [redacted: google-oauth-token] failed"},
    {"rsa private key block", "key:\n-----BEGIN RSA PRIVATE KEY-----\n" PEM_BODY
     "-----END RSA PRIVATE KEY-----\nloaded",
     "key:\n[redacted: private-key]\nloaded"},
    {"private key in service-account json",
     "{\"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n-----END PRIVATE "
     "KEY-----\\n\", \"client_email\": \"x\"}",
     "{\"private_key\": \"[redacted: private-key]\\n\", \"client_email\": \"x\"}"},
    {"private key cut off", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA",
     "[redacted: private-key]"},
    {"pgp private key",
     "-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF\n-----END PGP PRIVATE KEY BLOCK-----",
     "[redacted: private-key]"},
    {"password in a database url", "connect postgres://app:S3cr3t!pw@db.internal:5432/main failed",
     "connect postgres://app:[redacted]@db.internal:5432/main failed"},
    {"password without a user", "redis://:hunter2hunter2@cache:6379/0 down",
     "redis://:[redacted]@cache:6379/0 down"},
    {"password holding an '@'", "https://deploy:p@ss@w0rd@git.example.com/x.git",
     "https://deploy:[redacted]@git.example.com/x.git"},
    {"password=", "db password=hunter22 at host", "db password=[redacted] at host"},
    {"password= without a digit", "login password=hunter", "login password=[redacted]"},
    {"env var holding a password", "DB_PASSWORD=correct-horse ok", "DB_PASSWORD=[redacted] ok"},
    {"camelCase key", "smtpPassword: \"mail pass 1\"", "smtpPassword: \"[redacted]\""},
    {"json value with spaces", "{\"password\": \"correct horse battery\", \"user\": \"bob\"}",
     "{\"password\": \"[redacted]\", \"user\": \"bob\"}"},
    {"json token", "{\"token\": \"abc123xyz\", \"user\": \"x\"}",
     "{\"token\": \"[redacted]\", \"user\": \"x\"}"},
    {"json inside a json string", "{\"msg\":\"{\\\"password\\\":\\\"p4ss w\\\"}\"}",
     "{\"msg\":\"{\\\"password\\\":\\\"[redacted]\\\"}\"}"},
    {"python dict", "config {'secret': 'sh hh', 'debug': True}",
     "config {'secret': '[redacted]', 'debug': True}"},
    {"api key in a query", "GET /v1/items?api_key=k3y-123&user=bob",
     "GET /v1/items?api_key=[redacted]&user=bob"},
    {"api key header", "X-Api-Key: 9f8e7d6c5b4a", "X-Api-Key: [redacted]"},
    {"API_KEY with colon", "API_KEY: s3cr3t-value, next", "API_KEY: [redacted], next"},
    {"long password after a colon", "password: correcthorsebattery", "password: [redacted]"},
    {"client secret", "client_secret=GOCSPX-abcdefghijklmnop", "client_secret=[redacted]"},
    {"aws access key", "key AKIAIOSFODNN7EXAMPLE in env", "key [redacted: aws-access-key] in env"},
    {"aws secret key", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
     "aws_secret_access_key = [redacted]"},
    {"slack bot token", "slack xoxb-2840192837-1928374650-AbCdEfGhIjKlMnOpQrStUvWx sent",
     "slack [redacted: slack-token] sent"},
    {"slack webhook", "POST https://hooks.slack.com/services/T0A1B2C3D/B4E5F6G7H/x1Y2z3A4b5C6 500",
     "POST [redacted: slack-webhook] 500"},
    {"stripe key", "stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc", "stripe [redacted: stripe-key]"},
    {"gitlab token", "glpat-xK8mQ2vN9pR4tW7yZ1bC expired", "[redacted: gitlab-token] expired"},
    {"npm token", "//registry.npmjs.org/:_authToken=npm_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5",
     "//registry.npmjs.org/:_authToken=[redacted: npm-token]"},
    {"session cookie", "Cookie: session_id=8f14e45fceea167a; theme=dark",
     "Cookie: session_id=[redacted]; theme=dark"},
    {"signed url", "GET /o?X-Goog-Signature=4a9f00c1e2&X-Goog-Date=20250915",
     "GET /o?X-Goog-Signature=[redacted]&X-Goog-Date=20250915"},
    {"email", "invite sent to alice.smith+test@example.co.uk today",
     "invite sent to [redacted: email] today"},
    {"two emails", "from ops@corp.example to bob@mail.example.org",
     "from [redacted: email] to [redacted: email]"},
};

// Ordinary log text that must come out as it went in.
const char* const kKept[] = {
    "login failed for user bob",
    "no secret: token bucket full",
    "password reset requested for user 42",
    "token expired at 2025-09-15T02:39:39Z",
    "Bearer token missing from request",
    "cache key=user:123 evicted",
    "password=<*> rejected for <*>",
    "session: started",
    "GET https://example.com/path?q=1&page=2 200",
    "commit 3f2a9c1d0b7e4a55 deployed",
    "ping @admin about #123",
    "secret: hidden",
    "AUTH=REDACTED permissive authentication",
    "password=*** token=null api_key=\"\" secret: xxxxxxxxxxxx",
    "",
};

TEST_CASE("redact: a corpus of secrets is replaced, the rest of each line kept") {
  for (const Case& c : kSecrets) {
    CAPTURE(std::string(c.what));
    const std::string got = RedactSecrets(c.text);
    CHECK(got == c.want);
    CHECK(RedactSecrets(got) == got);  // idempotent
  }
}

TEST_CASE("redact: ordinary log text is left alone") {
  for (const char* text : kKept) {
    CAPTURE(std::string(text));
    CHECK(RedactSecrets(text) == text);
  }
}

TEST_CASE("redact: email addresses only when asked, secrets always") {
  const RedactOptions keep_emails{/*emails=*/false};
  CHECK(RedactSecrets("mail alice@example.com", keep_emails) == "mail alice@example.com");
  CHECK(RedactSecrets("mail alice@example.com") == "mail [redacted: email]");
  CHECK(RedactSecrets("alice@example.com used " GHP, keep_emails) ==
        "alice@example.com used [redacted: github-token]");
  // A URL's user stays readable; its password does not.
  CHECK(RedactSecrets("smtp://alice@example.com:pw123@mail.example.com", keep_emails) ==
        "smtp://alice@example.com:[redacted]@mail.example.com");
}

TEST_CASE("redact: huge and hostile input stays linear and valid") {
  std::string big;
  for (int i = 0; i < 20000; ++i) big += "password=x" + std::to_string(i) + " " GHP " ";
  const std::string got = RedactSecrets(big);
  CHECK(got.find("ghp_") == std::string::npos);
  CHECK(got.find("password=x") == std::string::npos);
  // Nothing to match: returned as it is.
  const std::string plain(1 << 20, 'a');
  CHECK(RedactSecrets(plain) == plain);
}

#undef GHP
#undef JWT
#undef PEM_BODY

}  // namespace
}  // namespace triage
