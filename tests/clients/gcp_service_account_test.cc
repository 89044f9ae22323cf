// Service-account keys (gcp_service_account.cc) against the fake token
// endpoint, which checks the RS256 signature: the PEM forms a key file may
// hold, and the keys that are refused before any request. The JWT's
// header and claims are checked in gcp_auth_test.cc.
#include "clients/gcp_auth_internal.h"

#include <doctest/doctest.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>

#include <memory>
#include <string>

#include "clients/curl_transport.h"
#include "tests/support/fake_google.h"

namespace triage {
namespace {

using testing::FakeGoogleAuth;
using testing::FakeGoogleConfig;
using testing::GoogleEndpoint;

constexpr int64_t kNowS = 1893456000;  // 2030-01-01T00:00:00Z

const testing::TestRsaKey& Key() {
  static const testing::TestRsaKey key = testing::GenerateTestRsaKey();
  return key;
}

using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

KeyPtr ReadPem(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return KeyPtr(key, &EVP_PKEY_free);
}

// `write` puts the key into a memory BIO; the PEM text it wrote.
template <typename Write>
std::string WritePem(Write write) {
  BIO* bio = BIO_new(BIO_s_mem());
  REQUIRE(write(bio) == 1);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(size));
  BIO_free(bio);
  return pem;
}

std::string EcKeyPem() {
  EVP_PKEY* key = nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nullptr);
  REQUIRE(ctx != nullptr);
  REQUIRE(EVP_PKEY_keygen_init(ctx) == 1);
  REQUIRE(EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx, NID_X9_62_prime256v1) == 1);
  REQUIRE(EVP_PKEY_keygen(ctx, &key) == 1);
  EVP_PKEY_CTX_free(ctx);
  KeyPtr owned(key, &EVP_PKEY_free);
  return WritePem([&](BIO* bio) {
    return PEM_write_bio_PrivateKey(bio, owned.get(), nullptr, nullptr, 0, nullptr, nullptr);
  });
}

struct Keys {
  FakeGoogleAuth fake{Config()};
  std::unique_ptr<HttpTransport> transport = NewCurlTransport();
  GcpAuthOptions options;

  static FakeGoogleConfig Config() {
    FakeGoogleConfig c;
    c.sa_public_pem = Key().public_pem;
    return c;
  }
  Keys() { fake.SetNow(kNowS); }
  Result<std::unique_ptr<GcpTokenSource>> New(const std::string& pem) {
    const FakeGoogleConfig c = Config();
    const gcp_internal::ServiceAccountKey key{c.sa_email, pem, c.sa_key_id, fake.TokenUrl(),
                                              "test-project"};
    return gcp_internal::NewServiceAccountSource(*transport, key, "k.json", options,
                                                 [] { return kNowS * int64_t{1000000}; });
  }
};

TEST_CASE("gcp service account: PKCS#8 and traditional RSA PEM both sign tokens") {
  Keys k;
  const KeyPtr key = ReadPem(Key().private_pem);
  REQUIRE(key);
  const std::string traditional = WritePem([&](BIO* bio) {
    return PEM_write_bio_PrivateKey_traditional(bio, key.get(), nullptr, nullptr, 0, nullptr,
                                                nullptr);
  });
  REQUIRE(traditional.rfind("-----BEGIN RSA PRIVATE KEY-----", 0) == 0);
  for (const std::string& pem : {Key().private_pem, traditional}) {
    INFO("pem: " << pem.substr(0, 31));
    Result<std::unique_ptr<GcpTokenSource>> source = k.New(pem);
    REQUIRE_MESSAGE(source.has_value(), (source ? "" : source.error().message));
    CHECK(source.value()->Description() ==
          "service account key " + Keys::Config().sa_email + " from k.json");
    CHECK(source.value()->ProjectId() == "test-project");
    Result<std::string> token = source.value()->AccessToken(false);
    REQUIRE_MESSAGE(token.has_value(), (token ? "" : token.error().message));
    CHECK(token.value().rfind("sa-", 0) == 0);
  }
  CHECK(k.fake.Calls(GoogleEndpoint::kToken) == 2);
}

TEST_CASE("gcp service account: keys that cannot sign RS256 are refused, asking nothing") {
  Keys k;
  const KeyPtr key = ReadPem(Key().private_pem);
  REQUIRE(key);
  // Encrypted: refused without prompting for a passphrase on the terminal.
  const std::string encrypted = WritePem([&](BIO* bio) {
    static char passphrase[] = "SECRET-passphrase";
    return PEM_write_bio_PKCS8PrivateKey(bio, key.get(), EVP_aes_256_cbc(), nullptr, 0, nullptr,
                                         passphrase);
  });
  REQUIRE(encrypted.find("ENCRYPTED") != std::string::npos);
  const std::string pems[] = {encrypted, EcKeyPem(), Key().public_pem, "", "not a key",
                              Key().private_pem.substr(0, 200)};
  for (const std::string& pem : pems) {
    INFO("pem: " << pem.substr(0, 40));
    Result<std::unique_ptr<GcpTokenSource>> source = k.New(pem);
    REQUIRE_FALSE(source.has_value());
    CHECK(source.error().kind == ErrorKind::kAuth);
    CHECK(source.error().message ==
          "Google credentials: k.json: private_key is not an unencrypted RSA key in PEM "
          "(-----BEGIN PRIVATE KEY-----)");
  }
  CHECK(k.fake.Calls(GoogleEndpoint::kToken) == 0);
}

TEST_CASE("gcp service account: a token endpoint that refuses the JWT is Google's words") {
  Keys k;
  // A key the fake does not know: a valid signature, by the wrong key.
  const std::string other = testing::GenerateTestRsaKey().private_pem;
  Result<std::unique_ptr<GcpTokenSource>> source = k.New(other);
  REQUIRE(source.has_value());
  Result<std::string> token = source.value()->AccessToken(false);
  REQUIRE_FALSE(token.has_value());
  CHECK(token.error().kind == ErrorKind::kAuth);
  CHECK(token.error().message == "service account " + Keys::Config().sa_email + ": POST " +
                                     k.fake.TokenUrl() +
                                     ": HTTP 400: invalid_grant: Invalid JWT Signature.");
}

}  // namespace
}  // namespace triage
