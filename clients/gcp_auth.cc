#include "clients/gcp_auth.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "clients/gcp_auth_internal.h"

namespace triage {
namespace gcp_internal {
namespace {

using Json = nlohmann::json;

constexpr char kGoogleTokenUri[] = "https://oauth2.googleapis.com/token";

std::string Base64Url(const std::string& data) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : data) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(acc >> bits) & 63]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 63]);
  return out;
}

std::string Str(const Json& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

// Google's own words from an error answer: `error`/`error_description` from
// OAuth endpoints, `status`/`message` from REST APIs. Never echoes other text.
std::string GoogleErrorText(const std::string& body) {
  Json j = Json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("error")) {
    return "no Google error in the answer (" + std::to_string(body.size()) + " bytes)";
  }
  const Json& e = j["error"];
  if (e.is_object()) return Str(e, "status") + ": " + Str(e, "message");
  std::string desc = Str(j, "error_description");
  return Str(j, "error") + (desc.empty() ? "" : ": " + desc);
}

}  // namespace

Error AuthError(std::string message) {
  return Error{ErrorKind::kAuth, "Google credentials: " + std::move(message), 0};
}

std::string PercentEncode(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

// application/x-www-form-urlencoded; empty fields are left out (notes §5.4).
std::string Form(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [key, value] : fields) {
    if (value.empty()) continue;
    if (!out.empty()) out += '&';
    out += PercentEncode(key) + "=" + PercentEncode(value);
  }
  return out;
}

// The file's text, or why it cannot be read.
Result<std::string> ReadFile(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Error{ErrorKind::kAuth, std::strerror(errno), 0};
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  std::fclose(f);
  return text;
}

std::string Trim(const std::string& s) {
  const char* ws = " \t\r\n";
  size_t b = s.find_first_not_of(ws);
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

// A URL for messages: without its query, which may carry an audience or more.
std::string ShortUrl(const std::string& url) { return url.substr(0, url.find('?')); }

Error FailedRequest(const std::string& what, const HttpRequest& request,
                    const HttpResponse& response) {
  std::string where = what + ": " + request.method + " " + ShortUrl(request.url) + ": ";
  if (response.status == 0) {
    return Error{ErrorKind::kTransport, where + response.transport_error, 0};
  }
  ErrorKind kind = response.status >= 500 || response.status == 429 ? ErrorKind::kHttp
                                                                     : ErrorKind::kAuth;
  return Error{kind,
               where + "HTTP " + std::to_string(response.status) + ": " +
                   GoogleErrorText(response.body),
               response.status};
}

// Token endpoints are idempotent: one immediate resend on 5xx or no answer.
HttpResponse SendOnceMore(HttpTransport& transport, const HttpRequest& request) {
  HttpResponse response = transport.Send(request);
  if (response.status == 0 || response.status >= 500) response = transport.Send(request);
  return response;
}

HttpRequest FormPost(const std::string& url, const std::string& body) {
  return HttpRequest{"POST", url,
                     {{"Content-Type", "application/x-www-form-urlencoded"},
                      {"Accept", "application/json"}},
                     body};
}

// {"access_token": ..., "expires_in": 3599 or "3599"} (notes §5.2, §5.6).
Result<Token> ParseOAuthToken(const std::string& what, const std::string& body, int64_t now_us) {
  Json j = Json::parse(body, nullptr, false);
  std::string token = Str(j, "access_token");
  if (token.empty()) {
    return Error{ErrorKind::kAuth, what + ": the answer holds no access_token", 0};
  }
  int64_t expires_in = 3600;
  const Json& e = j.contains("expires_in") ? j["expires_in"] : Json();
  if (e.is_number_integer()) expires_in = e.get<int64_t>();
  if (e.is_string()) expires_in = std::strtoll(e.get<std::string>().c_str(), nullptr, 10);
  return Token{token, now_us, now_us + expires_in * kMicros};
}

Result<std::string> CachedSource::AccessToken(bool force_refresh) {
  const int64_t now = clock_();
  if (!force_refresh && cached_ && Fresh(*cached_, now)) return cached_->value;
  Result<Token> token = Fetch(now);
  if (!token) return token.error();
  cached_ = std::move(token).value();
  return cached_->value;
}

bool CachedSource::Fresh(const Token& t, int64_t now) const {
  if (t.expires_us == 0) return true;
  const int64_t margin = std::min(margin_us_, (t.expires_us - t.obtained_us) / 2);
  return now < t.expires_us - margin;
}

namespace {

// A token given directly; see AccessToken's contract for a forced refresh.
class DirectSource : public GcpTokenSource {
 public:
  DirectSource(std::string token, std::string path, std::string description)
      : token_(std::move(token)), path_(std::move(path)), description_(std::move(description)) {}

  Result<std::string> AccessToken(bool force_refresh) override {
    if (!force_refresh) return token_;
    const std::string fix = "; put a fresh one there (gcloud auth print-access-token)";
    if (path_.empty()) return AuthError("the " + description_ + " was refused" + fix);
    Result<std::string> text = ReadFile(path_);
    std::string fresh = text ? Trim(text.value()) : "";
    if (fresh.empty() || fresh == token_) {
      return AuthError("the " + description_ + " was refused and cannot be refreshed" + fix);
    }
    token_ = fresh;
    return token_;
  }
  std::string Description() const override { return description_; }

 private:
  std::string token_;
  std::string path_;  // "" when the token came from the environment
  std::string description_;
};

using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

// An RSA private key from PEM, or null. Never prompts for a passphrase.
KeyPtr LoadRsaKey(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  auto no_passphrase = [](char*, int, int, void*) { return 0; };
  EVP_PKEY* key = bio ? PEM_read_bio_PrivateKey(bio, nullptr, no_passphrase, nullptr) : nullptr;
  BIO_free(bio);
  ERR_clear_error();
  if (key != nullptr && EVP_PKEY_base_id(key) != EVP_PKEY_RSA) {
    EVP_PKEY_free(key);
    key = nullptr;
  }
  return KeyPtr(key, &EVP_PKEY_free);
}

// RSASSA-PKCS1-v1_5 with SHA-256 (RS256), or nullopt.
std::optional<std::string> SignRs256(EVP_PKEY* key, const std::string& input) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const auto* data = reinterpret_cast<const unsigned char*>(input.data());
  size_t len = 0;
  std::string sig;
  bool ok = ctx != nullptr &&
            EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestSign(ctx, nullptr, &len, data, input.size()) == 1;
  if (ok) {
    sig.resize(len);
    ok = EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(&sig[0]), &len, data,
                        input.size()) == 1;
    sig.resize(len);
  }
  EVP_MD_CTX_free(ctx);
  ERR_clear_error();
  if (!ok) return std::nullopt;
  return sig;
}

// OAuth JWT-bearer grant with a service-account key (notes §5.2).
class ServiceAccountSource : public CachedSource {
 public:
  ServiceAccountSource(HttpTransport& transport, const Json& file, KeyPtr key,
                       const GcpAuthOptions& options, Clock clock, std::string description)
      : CachedSource(std::move(clock), options.refresh_margin_s, std::move(description)),
        transport_(transport), key_(std::move(key)), scope_(options.scope),
        email_(Str(file, "client_email")), key_id_(Str(file, "private_key_id")),
        token_uri_(Str(file, "token_uri").empty() ? kGoogleTokenUri : Str(file, "token_uri")),
        project_id_(Str(file, "project_id")) {}

  std::string ProjectId() const override { return project_id_; }

 protected:
  Result<Token> Fetch(int64_t now_us) override {
    const int64_t iat = now_us / kMicros;
    Json header = {{"alg", "RS256"}, {"typ", "JWT"}};
    if (!key_id_.empty()) header["kid"] = key_id_;
    Json claims = {{"iss", email_}, {"scope", scope_}, {"aud", token_uri_},
                   {"iat", iat},    {"exp", iat + 3600}};
    std::string input = Base64Url(header.dump()) + "." + Base64Url(claims.dump());
    std::optional<std::string> sig = SignRs256(key_.get(), input);
    const std::string what = "service account " + email_;
    if (!sig) return AuthError(what + ": OpenSSL could not sign the JWT");
    HttpRequest request = FormPost(
        token_uri_, Form({{"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"},
                          {"assertion", input + "." + Base64Url(*sig)}}));
    HttpResponse response = SendOnceMore(transport_, request);
    if (response.status != 200) return FailedRequest(what, request, response);
    return ParseOAuthToken(what, response.body, now_us);
  }

 private:
  HttpTransport& transport_;
  KeyPtr key_;
  std::string scope_, email_, key_id_, token_uri_, project_id_;
};

// Refresh-token grant for gcloud's user credentials (notes §5.3).
class AuthorizedUserSource : public CachedSource {
 public:
  AuthorizedUserSource(HttpTransport& transport, const Json& file, const GcpAuthOptions& options,
                       Clock clock, std::string description)
      : CachedSource(std::move(clock), options.refresh_margin_s, std::move(description)),
        transport_(transport), client_id_(Str(file, "client_id")),
        client_secret_(Str(file, "client_secret")), refresh_token_(Str(file, "refresh_token")),
        quota_project_(Str(file, "quota_project_id")) {
    token_uri_ = !options.authorized_user_token_uri.empty() ? options.authorized_user_token_uri
                 : !Str(file, "token_uri").empty()          ? Str(file, "token_uri")
                                                            : kGoogleTokenUri;
  }

  std::string QuotaProject() const override { return quota_project_; }

 protected:
  Result<Token> Fetch(int64_t now_us) override {
    HttpRequest request = FormPost(token_uri_, Form({{"grant_type", "refresh_token"},
                                                     {"client_id", client_id_},
                                                     {"client_secret", client_secret_},
                                                     {"refresh_token", refresh_token_}}));
    HttpResponse response = SendOnceMore(transport_, request);
    if (response.status != 200) return FailedRequest("user credentials", request, response);
    return ParseOAuthToken("user credentials", response.body, now_us);
  }

 private:
  HttpTransport& transport_;
  std::string client_id_, client_secret_, refresh_token_, quota_project_, token_uri_;
};

using SourcePtr = std::unique_ptr<GcpTokenSource>;

// A credentials file of any supported type; `where` names it in messages.
Result<SourcePtr> LoadCredentialsFile(HttpTransport& transport, const std::string& where,
                                      const std::string& path, const GcpAuthOptions& options,
                                      const Clock& clock) {
  Result<std::string> text = ReadFile(path);
  if (!text) return AuthError(where + ": cannot read it: " + text.error().message);
  Json file = Json::parse(text.value(), nullptr, false);
  if (file.is_discarded() || !file.is_object()) {
    return AuthError(where + ": not a JSON object; expected a credentials file from the "
                     "Cloud console, gcloud or google-github-actions/auth");
  }
  const std::string type = Str(file, "type");
  if (type == "service_account") {
    for (const char* key : {"client_email", "private_key"}) {
      if (Str(file, key).empty()) return AuthError(where + ": service_account without " + key);
    }
    KeyPtr key = LoadRsaKey(Str(file, "private_key"));
    if (!key) {
      return AuthError(where + ": private_key is not an unencrypted RSA key in PEM "
                       "(-----BEGIN PRIVATE KEY-----)");
    }
    return SourcePtr(new ServiceAccountSource(
        transport, file, std::move(key), options, clock,
        "service account key " + Str(file, "client_email") + " from " + where));
  }
  if (type == "authorized_user") {
    for (const char* key : {"client_id", "client_secret", "refresh_token"}) {
      if (Str(file, key).empty()) return AuthError(where + ": authorized_user without " + key);
    }
    return SourcePtr(new AuthorizedUserSource(transport, file, options, clock,
                                              "user credentials from " + where));
  }
  if (type == "external_account") {
    return NewExternalAccountSource(transport, text.value(), where, options, clock);
  }
  if (type == "external_account_authorized_user" || type == "impersonated_service_account" ||
      type == "gdch_service_account") {
    return AuthError(where + ": type '" + type + "' is not supported; use service_account, "
                     "authorized_user or external_account");
  }
  return AuthError(where + ": unknown type '" + type.substr(0, 40) +
                   "'; expected service_account, authorized_user or external_account");
}

Result<SourcePtr> DirectFromFile(const std::string& origin, const std::string& path) {
  const std::string where = origin + " (" + path + ")";
  Result<std::string> text = ReadFile(path);
  if (!text) return AuthError(where + ": cannot read the token file: " + text.error().message);
  std::string token = Trim(text.value());
  if (token.empty()) return AuthError(where + ": the token file is empty");
  return SourcePtr(new DirectSource(token, path, "access token from " + where));
}

}  // namespace
}  // namespace gcp_internal

using gcp_internal::AuthError;
using gcp_internal::DirectFromFile;
using gcp_internal::DirectSource;
using gcp_internal::LoadCredentialsFile;
using gcp_internal::NewMetadataSource;
using gcp_internal::SourcePtr;
using gcp_internal::Trim;

Result<std::unique_ptr<GcpTokenSource>> FindGcpCredentials(HttpTransport& transport,
                                                           const GcpAuthOptions& options,
                                                           std::function<int64_t()> clock) {
  auto env = [&](const char* name) { return options.getenv ? options.getenv(name) : ""; };
  std::vector<std::string> tried;
  // 1. A token given directly.
  if (!options.access_token_file.empty()) {
    return DirectFromFile("--access-token-file", options.access_token_file);
  }
  tried.push_back("--access-token-file (not given)");
  if (std::string path = env("CLOUDSDK_AUTH_ACCESS_TOKEN_FILE"); !path.empty()) {
    return DirectFromFile("$CLOUDSDK_AUTH_ACCESS_TOKEN_FILE", path);
  }
  tried.push_back("$CLOUDSDK_AUTH_ACCESS_TOKEN_FILE (unset)");
  if (std::string token = Trim(env("GOOGLE_OAUTH_ACCESS_TOKEN")); !token.empty()) {
    return SourcePtr(new DirectSource(token, "", "access token from $GOOGLE_OAUTH_ACCESS_TOKEN"));
  }
  tried.push_back("$GOOGLE_OAUTH_ACCESS_TOKEN (unset)");
  // 2. A credentials file named by the environment.
  if (std::string path = env("GOOGLE_APPLICATION_CREDENTIALS"); !path.empty()) {
    return LoadCredentialsFile(transport, "$GOOGLE_APPLICATION_CREDENTIALS (" + path + ")", path,
                               options, clock);
  }
  tried.push_back("$GOOGLE_APPLICATION_CREDENTIALS (unset)");
  // 3. gcloud's well-known file.
  std::string dir = options.config_dir;
  if (dir.empty()) dir = env("CLOUDSDK_CONFIG");
  if (dir.empty() && !env("HOME").empty()) dir = env("HOME") + "/.config/gcloud";
  if (dir.empty()) {
    tried.push_back("gcloud's application_default_credentials.json ($HOME unset)");
  } else {
    if (dir.back() != '/') dir += '/';
    const std::string path = dir + "application_default_credentials.json";
    if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
      std::fclose(f);
      return LoadCredentialsFile(transport, "gcloud's file " + path, path, options, clock);
    }
    tried.push_back("gcloud's file " + path + " (" + std::strerror(errno) + ")");
  }
  // 4. The metadata server, last: absent on GitHub-hosted runners.
  std::string no_check = env("NO_GCE_CHECK");
  for (char& ch : no_check) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (no_check == "true") {
    tried.push_back("metadata server (skipped: $NO_GCE_CHECK)");
  } else {
    std::string host = options.metadata_host;
    if (host.empty()) host = env("GCE_METADATA_HOST");
    if (host.empty()) host = "metadata.google.internal";
    SourcePtr metadata = NewMetadataSource(host, options, clock);
    Result<std::string> token = metadata->AccessToken(false);
    if (token) return SourcePtr(std::move(metadata));
    tried.push_back(token.error().message);
  }
  std::string list;
  for (const std::string& t : tried) list += (list.empty() ? "" : "; ") + t;
  return AuthError(
      "none found. Tried: " + list +
      ". To fix: in GitHub Actions run google-github-actions/auth before this step; locally run "
      "`gcloud auth application-default login`; or pass --access-token-file with the output of "
      "`gcloud auth print-access-token`");
}

}  // namespace triage
