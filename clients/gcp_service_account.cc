#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "clients/gcp_auth_internal.h"

// Service-account keys: the OAuth JWT-bearer grant (notes §5.2), the JWT
// signed RS256 with OpenSSL. The only OpenSSL user in clients/.

namespace triage {
namespace gcp_internal {
namespace {

using Json = nlohmann::json;

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

class ServiceAccountSource : public CachedSource {
 public:
  ServiceAccountSource(HttpTransport& transport, const ServiceAccountKey& file, KeyPtr key,
                       const GcpAuthOptions& options, Clock clock, std::string description)
      : CachedSource(std::move(clock), options.refresh_margin_s, std::move(description)),
        transport_(transport), key_(std::move(key)), scope_(options.scope),
        email_(file.client_email), key_id_(file.private_key_id),
        token_uri_(file.token_uri.empty() ? kGoogleTokenUri : file.token_uri),
        project_id_(file.project_id) {}

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

}  // namespace

Result<std::unique_ptr<GcpTokenSource>> NewServiceAccountSource(HttpTransport& transport,
                                                                const ServiceAccountKey& file,
                                                                const std::string& where,
                                                                const GcpAuthOptions& options,
                                                                const Clock& clock) {
  KeyPtr key = LoadRsaKey(file.private_key);
  if (!key) {
    return AuthError(where + ": private_key is not an unencrypted RSA key in PEM "
                     "(-----BEGIN PRIVATE KEY-----)");
  }
  return std::unique_ptr<GcpTokenSource>(
      new ServiceAccountSource(transport, file, std::move(key), options, clock,
                               "service account key " + file.client_email + " from " + where));
}

}  // namespace gcp_internal
}  // namespace triage
