#include "bot/redact.h"

#include <doctest/doctest.h>

namespace triage {
namespace {

TEST_CASE("redact: secrets in log text are replaced, the rest is kept") {
  struct Case {
    const char* text;
    const char* want;
  } cases[] = {
      {"login failed for user bob", "login failed for user bob"},
      {"db password=hunter22 at host", "db password=[redacted] at host"},
      {"{\"token\": \"abc123xyz\", \"user\": \"x\"}", "{\"token\": \"[redacted]\", \"user\": \"x\"}"},
      {"Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig",
       "Authorization: Bearer [redacted]"},
      {"calling with Bearer abc.def.ghi now", "calling with Bearer [redacted] now"},
      {"token ghp_0123456789abcdefABCDEF0123 leaked", "token [redacted] leaked"},
      {"key AKIAABCDEFGHIJKLMNOP in env", "key [redacted] in env"},
      {"maps key AIzaSyA-1234567890abcdefghijklmnopqrstu used", "maps key [redacted] used"},
      {"API_KEY: s3cr3t-value, next", "API_KEY: [redacted], next"},
      {"x -----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY----- y",
       "x [redacted private key] y"},
      {"no secret: token bucket full", "no secret: token bucket full"},
      {"password: correcthorsebattery", "password: [redacted]"},
  };
  for (const Case& c : cases) {
    CAPTURE(std::string(c.text));
    CHECK(RedactSecrets(c.text) == c.want);
  }
}

}  // namespace
}  // namespace triage
