// Internals of Google credentials, defined in gcp_token.cc (what every
// source shares) and shared by gcp_auth.cc (ADC search, direct tokens, key
// files, user credentials), gcp_service_account.cc (JWT, OpenSSL) and
// gcp_federation.cc (workload identity federation, the metadata server).
// JSON only forward-declared.
#ifndef TRIAGE_CLIENTS_GCP_AUTH_INTERNAL_H_
#define TRIAGE_CLIENTS_GCP_AUTH_INTERNAL_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "bot/base/result.h"
#include "clients/gcp_auth.h"
#include "clients/http.h"

namespace triage {
namespace gcp_internal {

using Clock = std::function<int64_t()>;  // microseconds since the epoch

inline constexpr int64_t kMicros = 1000000;
inline constexpr char kGoogleTokenUri[] = "https://oauth2.googleapis.com/token";

// The string member `key` of `j`; "" when `j` is no object or the member
// is missing or not a string.
std::string JsonString(const nlohmann::json& j, const char* key);

// kAuth, the message prefixed with "Google credentials: ".
Error AuthError(std::string message);
// application/x-www-form-urlencoded; empty fields are left out.
std::string Form(const std::vector<std::pair<std::string, std::string>>& fields);
// The file's text, or kAuth with strerror's words.
Result<std::string> ReadFile(const std::string& path);
std::string Trim(const std::string& s);  // blanks, tabs, CR, LF
// A URL for messages: without its query, which may carry an audience or more.
std::string ShortUrl(const std::string& url);

// A failed answer as an Error: kTransport (no answer), kHttp (5xx, 429),
// else kAuth; the message names `what`, the request and Google's own words.
Error FailedRequest(const std::string& what, const HttpRequest& request,
                    const HttpResponse& response);
// Sends; once more at once on 5xx or no answer (token endpoints are idempotent).
HttpResponse SendOnceMore(HttpTransport& transport, const HttpRequest& request);
HttpRequest FormPost(const std::string& url, const std::string& body);

struct Token {
  std::string value;
  int64_t obtained_us = 0;
  int64_t expires_us = 0;  // 0: unknown, used until refused
};

// {"access_token": ..., "expires_in": 3599 or "3599"}; kAuth without a token.
Result<Token> ParseOAuthToken(const std::string& what, const std::string& body, int64_t now_us);

// The parts common to every refreshable source: the cache and its margin.
class CachedSource : public GcpTokenSource {
 public:
  CachedSource(Clock clock, int64_t margin_s, std::string description)
      : clock_(std::move(clock)), margin_us_(margin_s * kMicros),
        description_(std::move(description)) {}

  Result<std::string> AccessToken(bool force_refresh) override;
  std::string Description() const override { return description_; }

 protected:
  virtual Result<Token> Fetch(int64_t now_us) = 0;

 private:
  bool Fresh(const Token& t, int64_t now) const;

  Clock clock_;
  int64_t margin_us_;
  std::string description_;
  std::optional<Token> cached_;
};

// The fields of a service_account key file (notes §5.2) that matter.
struct ServiceAccountKey {
  std::string client_email;
  std::string private_key;     // PEM
  std::string private_key_id;  // "" when the file has none
  std::string token_uri;       // "" for Google's
  std::string project_id;
};

// Tokens for a service-account key: the OAuth JWT-bearer grant, the JWT
// signed RS256 (gcp_service_account.cc). kAuth when private_key is not an
// unencrypted RSA key in PEM; `where` names the file. `transport` must
// outlive the result.
Result<std::unique_ptr<GcpTokenSource>> NewServiceAccountSource(
    HttpTransport& transport, const ServiceAccountKey& key, const std::string& where,
    const GcpAuthOptions& options, const Clock& clock);

// An external_account file (gcp_federation.cc). `text` is the file's JSON,
// already known to be an object; `where` names it. kAuth when incomplete or
// of an unsupported credential_source. `transport` must outlive the result.
Result<std::unique_ptr<GcpTokenSource>> NewExternalAccountSource(
    HttpTransport& transport, const std::string& text, const std::string& where,
    const GcpAuthOptions& options, const Clock& clock);

// The metadata server at `host` over its own short-timeout curl transport.
// Makes no request until asked for a token.
std::unique_ptr<GcpTokenSource> NewMetadataSource(const std::string& host,
                                                  const GcpAuthOptions& options, Clock clock);

}  // namespace gcp_internal
}  // namespace triage

#endif  // TRIAGE_CLIENTS_GCP_AUTH_INTERNAL_H_
