// Fake Google credential endpoints for tests (gcp-logging-notes §6): the
// OAuth token endpoint (JWT-bearer with a real RS256 check, refresh token),
// STS, IAM generateAccessToken, the metadata server and a GitHub-style OIDC
// subject-token URL, all on one cpp-httplib server on 127.0.0.1.
#ifndef TRIAGE_TESTS_SUPPORT_FAKE_GOOGLE_H_
#define TRIAGE_TESTS_SUPPORT_FAKE_GOOGLE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace triage {

class LoopbackServer;

namespace testing {

// An RSA key pair made at run time, as PEM: private in PKCS#8 ("BEGIN
// PRIVATE KEY", as in Google's key files), public as SubjectPublicKeyInfo.
struct TestRsaKey {
  std::string private_pem;
  std::string public_pem;
};
TestRsaKey GenerateTestRsaKey(int bits = 2048);

// What the fake accepts. Every secret is distinctive so that a test can
// check that no message repeats it.
struct FakeGoogleConfig {
  std::string sa_email = "gardener@test-project.iam.gserviceaccount.com";
  std::string sa_key_id = "kid-0123";          // the JWT header's kid must match
  std::string sa_public_pem;                   // verifies jwt-bearer assertions
  std::string scope = "https://www.googleapis.com/auth/logging.read";
  std::string client_id = "client-id.apps.googleusercontent.com";
  std::string client_secret = "SECRET-client-d7f1";
  std::string refresh_token = "SECRET-refresh-1//0g9";
  // STS: the audience and subject token it accepts; the OIDC URL hands out
  // `subject_token` to a GET with Bearer `oidc_request_token`.
  std::string sts_audience =
      "//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/p/providers/gh";
  std::string subject_token = "SECRET-subject-eyJhbGciOi";
  std::string oidc_request_token = "SECRET-oidc-request-77";
  int64_t expires_in = 3599;  // seconds, for every token issued
};

enum class GoogleEndpoint { kToken, kSts, kIam, kMetadata, kOidc };

// One request as received; headers with lower-case names.
struct GoogleRequest {
  std::string method;
  std::string path;
  std::string query;
  std::map<std::string, std::string> headers;
  std::string body;
};

class FakeGoogleAuth {
 public:
  explicit FakeGoogleAuth(FakeGoogleConfig config);
  ~FakeGoogleAuth();
  FakeGoogleAuth(const FakeGoogleAuth&) = delete;
  FakeGoogleAuth& operator=(const FakeGoogleAuth&) = delete;

  // URLs to put in credential files (and "127.0.0.1:PORT" for the metadata
  // host). The token endpoint expects TokenUrl() as the JWT's aud.
  std::string TokenUrl() const;
  std::string StsUrl() const;
  std::string IamUrl() const;  // generateAccessToken for config.sa_email
  std::string OidcUrl() const;  // with ?audience=... as GitHub gives it
  std::string MetadataHost() const;

  // The fake's clock in epoch seconds (checks iat/exp, sets expireTime).
  void SetNow(int64_t epoch_s);
  // The next `times` requests to `endpoint` get `status` with a body in
  // that endpoint's error shape ("fault injected").
  void FailNext(GoogleEndpoint endpoint, int status, int times = 1);
  // Metadata answers lack the Metadata-Flavor header (not a real server).
  void SetMetadataWithoutFlavor(bool without);

  int Calls(GoogleEndpoint endpoint) const;  // every request, failed ones too
  std::vector<GoogleRequest> Requests(GoogleEndpoint endpoint) const;
  // Access tokens issued so far, oldest first: "sa-1", "user-2", "sts-3",
  // "iam-4", "md-5" (the prefix names the grant).
  std::vector<std::string> Issued() const;

  struct State;  // defined in fake_google.cc

 private:
  std::unique_ptr<State> state_;
  std::unique_ptr<LoopbackServer> server_;
};

}  // namespace testing
}  // namespace triage

#endif  // TRIAGE_TESTS_SUPPORT_FAKE_GOOGLE_H_
