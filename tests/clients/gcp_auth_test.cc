#include "clients/gcp_auth.h"

#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "clients/curl_transport.h"
#include "tests/support/cli_support.h"
#include "tests/support/fake_google.h"
#include "tests/support/refusing_port.h"

namespace triage {
namespace {

using Json = nlohmann::json;
using testing::FakeGoogleAuth;
using testing::FakeGoogleConfig;
using testing::GoogleEndpoint;
using testing::TempDir;

constexpr int64_t kNowS = 1893456000;  // 2030-01-01T00:00:00Z
constexpr char kEmail[] = "gardener@test-project.iam.gserviceaccount.com";

const testing::TestRsaKey& Key() {
  static const testing::TestRsaKey key = testing::GenerateTestRsaKey();
  return key;
}

using testing::RefusingPort;

// One test's world: a fake Google, a scratch dir, an environment, a clock.
struct World {
  FakeGoogleAuth fake{Config()};
  TempDir dir;
  RefusingPort no_metadata;
  std::map<std::string, std::string> env{{"HOME", dir.Path("home")}};
  int64_t now_us = kNowS * 1000000;
  std::unique_ptr<HttpTransport> transport = NewCurlTransport();
  GcpAuthOptions options;

  static FakeGoogleConfig Config() {
    FakeGoogleConfig c;
    c.sa_public_pem = Key().public_pem;
    return c;
  }
  World() {
    fake.SetNow(kNowS);
    options.metadata_host = no_metadata.Host();
  }
  Result<std::unique_ptr<GcpTokenSource>> Find() {
    options.getenv = [this](const std::string& name) {
      auto it = env.find(name);
      return it == env.end() ? std::string() : it->second;
    };
    return FindGcpCredentials(*transport, options, [this] { return now_us; });
  }
  std::unique_ptr<GcpTokenSource> MustFind() {
    auto found = Find();
    REQUIRE_MESSAGE(found.has_value(), (found ? "" : found.error().message));
    return std::move(found).value();
  }
  std::string FindError() {
    auto found = Find();
    REQUIRE_FALSE(found.has_value());
    CHECK(found.error().kind == ErrorKind::kAuth);
    return found.error().message;
  }
  Json ServiceAccount(const std::string& pem = Key().private_pem) const {
    return {{"type", "service_account"}, {"project_id", "test-project"},
            {"private_key_id", "kid-0123"}, {"private_key", pem},
            {"client_email", kEmail}, {"client_id", "1234"},
            {"token_uri", fake.TokenUrl()}};
  }
  Json AuthorizedUser() const {
    FakeGoogleConfig c;
    return {{"type", "authorized_user"}, {"client_id", c.client_id},
            {"client_secret", c.client_secret}, {"refresh_token", c.refresh_token},
            {"quota_project_id", "quota-proj"}, {"token_uri", fake.TokenUrl()}};
  }
  Json ExternalAccount() const {
    FakeGoogleConfig c;
    return {{"type", "external_account"}, {"audience", c.sts_audience},
            {"subject_token_type", "urn:ietf:params:oauth:token-type:jwt"},
            {"token_url", fake.StsUrl()},
            {"credential_source",
             {{"url", fake.OidcUrl()},
              {"headers", {{"Authorization", "Bearer " + c.oidc_request_token}}},
              {"format", {{"type", "json"}, {"subject_token_field_name", "value"}}}}},
            {"service_account_impersonation_url", fake.IamUrl()}};
  }
  // Writes `file` and names it in $GOOGLE_APPLICATION_CREDENTIALS.
  std::string UseEnvFile(const Json& file) {
    return env["GOOGLE_APPLICATION_CREDENTIALS"] = dir.Write("creds.json", file.dump());
  }
};

std::map<std::string, std::string> ParseForm(const std::string& body) {
  std::map<std::string, std::string> out;
  for (size_t b = 0, e; b < body.size(); b = e + 1) {
    e = std::min(body.find('&', b), body.size());
    std::string pair = body.substr(b, e - b), value;
    size_t eq = pair.find('=');
    for (size_t i = eq + 1; i < pair.size(); ++i) {
      if (pair[i] == '%') {
        value += static_cast<char>(std::stoi(pair.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        value += pair[i];
      }
    }
    out[pair.substr(0, eq)] = value;
  }
  return out;
}

Json JwtPart(const std::string& jwt, int part) {
  size_t a = jwt.find('.'), b = jwt.rfind('.');
  std::string s = part == 0 ? jwt.substr(0, a) : jwt.substr(a + 1, b - a - 1);
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  const std::string abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (char c : s) {
    acc = (acc << 6) | static_cast<uint32_t>(abc.find(c));
    if ((bits += 6) >= 8) out += static_cast<char>((acc >> (bits -= 8)) & 0xff);
  }
  return Json::parse(out);
}

TEST_CASE("gcp auth: a service account key gets a token with a signed JWT") {
  World w;
  std::string path = w.UseEnvFile(w.ServiceAccount());
  auto source = w.MustFind();
  CHECK(source->Description() == std::string("service account key ") + kEmail +
                                     " from $GOOGLE_APPLICATION_CREDENTIALS (" + path + ")");
  CHECK(source->ProjectId() == "test-project");
  CHECK(w.fake.Calls(GoogleEndpoint::kToken) == 0);  // found without a request
  auto token = source->AccessToken(false);
  REQUIRE_MESSAGE(token.has_value(), (token ? "" : token.error().message));
  CHECK(token.value() == "sa-1");

  auto seen = w.fake.Requests(GoogleEndpoint::kToken);
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].headers["content-type"] == "application/x-www-form-urlencoded");
  auto form = ParseForm(seen[0].body);
  CHECK(form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer");
  CHECK(JwtPart(form["assertion"], 0) ==
        Json{{"alg", "RS256"}, {"typ", "JWT"}, {"kid", "kid-0123"}});
  CHECK(JwtPart(form["assertion"], 1) ==
        Json{{"iss", kEmail}, {"aud", w.fake.TokenUrl()},
             {"scope", "https://www.googleapis.com/auth/logging.read"},
             {"iat", kNowS}, {"exp", kNowS + 3600}});
}

TEST_CASE("gcp auth: tokens are cached until the margin before expiry") {
  World w;
  w.UseEnvFile(w.ServiceAccount());
  auto source = w.MustFind();
  CHECK(source->AccessToken(false).value() == "sa-1");
  CHECK(source->AccessToken(false).value() == "sa-1");
  CHECK(w.fake.Calls(GoogleEndpoint::kToken) == 1);
  CHECK(source->AccessToken(true).value() == "sa-2");  // after a 401
  CHECK(w.fake.Calls(GoogleEndpoint::kToken) == 2);
  // The fake grants 3599 s; the margin is 225 s.
  w.now_us += (3599 - 225 - 1) * int64_t{1000000};
  CHECK(source->AccessToken(false).value() == "sa-2");
  w.now_us += 1000000;
  w.fake.SetNow(w.now_us / 1000000);
  CHECK(source->AccessToken(false).value() == "sa-3");
  CHECK(w.fake.Calls(GoogleEndpoint::kToken) == 3);
}

TEST_CASE("gcp auth: the token endpoint's refusals carry Google's words") {
  World w;
  struct Case {
    const char* name;
    int64_t fake_now_offset_s;
    std::string token_uri_suffix;
    std::string scope;
    bool other_key;
    std::string expected_tail;
  } cases[] = {
      {"good", 0, "", "", false, ""},
      {"expired", 7200, "", "", false,
       "invalid_grant: Invalid JWT: Token must be a short-lived token (60 minutes) and in a "
       "reasonable timeframe. Check your iat and exp values and use a clock with skew to "
       "account for clock differences between systems."},
      {"future", -600, "", "", false, "invalid_grant: Invalid JWT: Token must be a short-lived"},
      {"wrong aud", 0, "?x=1", "", false,
       "invalid_grant: Invalid JWT: Failed audience check. The right audience is "},
      {"wrong key", 0, "", "", true, "invalid_grant: Invalid JWT Signature."},
      {"wrong scope", 0, "", "https://www.googleapis.com/auth/cloud-platform", false,
       "invalid_scope: Invalid OAuth scope or ID token audience provided."},
  };
  static const testing::TestRsaKey other = testing::GenerateTestRsaKey();
  for (const Case& c : cases) {
    CAPTURE(c.name);
    w.fake.SetNow(kNowS + c.fake_now_offset_s);
    Json file = w.ServiceAccount(c.other_key ? other.private_pem : Key().private_pem);
    file["token_uri"] = w.fake.TokenUrl() + c.token_uri_suffix;
    w.UseEnvFile(file);
    w.options.scope = c.scope.empty() ? GcpAuthOptions().scope : c.scope;
    auto token = w.MustFind()->AccessToken(false);
    if (c.expected_tail.empty()) {
      CHECK(token.has_value());
      continue;
    }
    REQUIRE_FALSE(token.has_value());
    const std::string head = std::string("service account ") + kEmail + ": POST " +
                             w.fake.TokenUrl() + ": HTTP 400: ";
    CHECK(token.error().message.rfind(head + c.expected_tail, 0) == 0);
    CHECK(token.error().kind == ErrorKind::kAuth);
    CHECK(token.error().http_status == 400);
  }
}

TEST_CASE("gcp auth: a 5xx is resent once at once, then reported") {
  World w;
  w.UseEnvFile(w.ServiceAccount());
  auto source = w.MustFind();
  w.fake.FailNext(GoogleEndpoint::kToken, 500, 1);
  CHECK(source->AccessToken(false).value() == "sa-1");
  CHECK(w.fake.Calls(GoogleEndpoint::kToken) == 2);
  w.fake.FailNext(GoogleEndpoint::kToken, 503, 2);
  auto failed = source->AccessToken(true);
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().kind == ErrorKind::kHttp);
  CHECK(failed.error().message == std::string("service account ") + kEmail + ": POST " +
                                      w.fake.TokenUrl() +
                                      ": HTTP 503: internal_failure: fault injected");
  w.fake.FailNext(GoogleEndpoint::kToken, 401, 1);
  failed = source->AccessToken(true);
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().kind == ErrorKind::kAuth);
  CHECK(w.fake.Calls(GoogleEndpoint::kToken) == 5);
}

TEST_CASE("gcp auth: tokens given directly, and what a forced refresh does") {
  World w;
  w.options.access_token_file = w.dir.Write("token.txt", "ya29.flag-token\n");
  w.env["CLOUDSDK_AUTH_ACCESS_TOKEN_FILE"] = w.dir.Write("sdk.txt", "ya29.sdk-token");
  w.env["GOOGLE_OAUTH_ACCESS_TOKEN"] = "ya29.env-token";
  w.UseEnvFile(w.ServiceAccount());
  auto source = w.MustFind();
  CHECK(source->Description() ==
        "access token from --access-token-file (" + w.options.access_token_file + ")");
  CHECK(source->AccessToken(false).value() == "ya29.flag-token");
  auto refused = source->AccessToken(true);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message ==
        "Google credentials: the access token from --access-token-file (" +
            w.options.access_token_file +
            ") was refused and cannot be refreshed; put a fresh one there (gcloud auth "
            "print-access-token)");
  w.dir.Write("token.txt", "ya29.rotated\n");
  CHECK(source->AccessToken(true).value() == "ya29.rotated");

  w.options.access_token_file.clear();
  CHECK(w.MustFind()->AccessToken(false).value() == "ya29.sdk-token");
  w.env.erase("CLOUDSDK_AUTH_ACCESS_TOKEN_FILE");
  source = w.MustFind();
  CHECK(source->Description() == "access token from $GOOGLE_OAUTH_ACCESS_TOKEN");
  CHECK(source->AccessToken(false).value() == "ya29.env-token");
  CHECK_FALSE(source->AccessToken(true).has_value());
  CHECK(w.fake.Calls(GoogleEndpoint::kToken) == 0);

  w.options.access_token_file = w.dir.Path("missing.txt");
  CHECK(w.FindError() == "Google credentials: --access-token-file (" + w.dir.Path("missing.txt") +
                             "): cannot read the token file: No such file or directory");
  w.options.access_token_file = w.dir.Write("empty.txt", " \n");
  CHECK(w.FindError() == "Google credentials: --access-token-file (" + w.dir.Path("empty.txt") +
                             "): the token file is empty");
}

TEST_CASE("gcp auth: ADC order: env file, then gcloud's file, then metadata") {
  World w;
  w.env["CLOUDSDK_CONFIG"] = w.dir.Path("");
  w.dir.Write("application_default_credentials.json", w.AuthorizedUser().dump());
  w.UseEnvFile(w.ServiceAccount());
  w.options.metadata_host = w.fake.MetadataHost();
  CHECK(w.MustFind()->Description().rfind("service account key", 0) == 0);
  w.env.erase("GOOGLE_APPLICATION_CREDENTIALS");
  CHECK(w.MustFind()->Description() == "user credentials from gcloud's file " +
                                           w.dir.Path("application_default_credentials.json"));
  w.env.erase("CLOUDSDK_CONFIG");  // $HOME/.config/gcloud has no file
  CHECK(w.fake.Calls(GoogleEndpoint::kMetadata) == 0);
  auto source = w.MustFind();
  CHECK(source->Description() ==
        "metadata server " + w.fake.MetadataHost() + " (the attached service account)");
  CHECK(w.fake.Calls(GoogleEndpoint::kMetadata) == 1);  // the probe fetched the token
  CHECK(source->AccessToken(false).value() == "md-1");
  CHECK(w.fake.Calls(GoogleEndpoint::kMetadata) == 1);
  auto seen = w.fake.Requests(GoogleEndpoint::kMetadata);
  CHECK(seen[0].headers["metadata-flavor"] == "Google");
  CHECK(seen[0].query == "scopes=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Flogging.read");
  // $GCE_METADATA_HOST names the server when the options do not.
  w.options.metadata_host.clear();
  w.env["GCE_METADATA_HOST"] = w.fake.MetadataHost();
  CHECK(w.MustFind()->AccessToken(false).value() == "md-2");
}

TEST_CASE("gcp auth: nothing found lists every source tried and the fixes") {
  World w;
  w.fake.SetMetadataWithoutFlavor(true);
  const std::string gcloud = w.dir.Path("home") + "/.config/gcloud/"
                             "application_default_credentials.json";
  const std::string head =
      "Google credentials: none found. Tried: --access-token-file (not given); "
      "$CLOUDSDK_AUTH_ACCESS_TOKEN_FILE (unset); $GOOGLE_OAUTH_ACCESS_TOKEN (unset); "
      "$GOOGLE_APPLICATION_CREDENTIALS (unset); gcloud's file " + gcloud +
      " (No such file or directory); metadata server: GET http://";
  const std::string tail =
      ". To fix: in GitHub Actions run google-github-actions/auth before this step; locally run "
      "`gcloud auth application-default login`; or pass --access-token-file with the output of "
      "`gcloud auth print-access-token`";
  std::string message = w.FindError();
  CHECK(message.rfind(head + w.options.metadata_host + "/computeMetadata/v1/instance/"
                      "service-accounts/default/token: connection refused", 0) == 0);
  CHECK(message.substr(message.size() - tail.size()) == tail);
  // A server that answers without Metadata-Flavor is no metadata server.
  w.options.metadata_host = w.fake.MetadataHost();
  CHECK(w.FindError().find("; metadata server: GET http://" + w.fake.MetadataHost() +
                           "/computeMetadata/v1/instance/service-accounts/default/token: HTTP 200 "
                           "without Metadata-Flavor: Google, so not a metadata server. To fix") !=
        std::string::npos);
  w.env["NO_GCE_CHECK"] = "True";
  CHECK(w.FindError().find("; metadata server (skipped: $NO_GCE_CHECK). To fix") !=
        std::string::npos);
}

TEST_CASE("gcp auth: broken credential files are errors, not skipped") {
  World w;
  Json no_email = w.ServiceAccount();
  no_email.erase("client_email");
  Json bad_pem = w.ServiceAccount("-----BEGIN PRIVATE KEY-----\nSECRET-not-a-key\n"
                                  "-----END PRIVATE KEY-----\n");
  Json no_source = w.ExternalAccount();
  no_source.erase("credential_source");
  struct Case {
    std::string text, expected;
  } cases[] = {
      {"{\"private_key\": \"SECRET-", "not a JSON object; expected a credentials file from the "
                                      "Cloud console, gcloud or google-github-actions/auth"},
      {"{\"type\": \"magic\"}", "unknown type 'magic'; expected service_account, "
                                "authorized_user or external_account"},
      {"{\"type\": \"impersonated_service_account\"}",
       "type 'impersonated_service_account' is not supported; use service_account, "
       "authorized_user or external_account"},
      {no_email.dump(), "service_account without client_email"},
      {bad_pem.dump(),
       "private_key is not an unencrypted RSA key in PEM (-----BEGIN PRIVATE KEY-----)"},
      {no_source.dump(), "credential_source names neither a file nor a url (AWS and executable "
                         "sources are not supported)"},
  };
  for (const Case& c : cases) {
    std::string path = w.dir.Write("creds.json", c.text);
    w.env["GOOGLE_APPLICATION_CREDENTIALS"] = path;
    CHECK(w.FindError() == "Google credentials: $GOOGLE_APPLICATION_CREDENTIALS (" + path +
                               "): " + c.expected);
  }
  w.env["GOOGLE_APPLICATION_CREDENTIALS"] = w.dir.Path("gone.json");
  CHECK(w.FindError() == "Google credentials: $GOOGLE_APPLICATION_CREDENTIALS (" +
                             w.dir.Path("gone.json") +
                             "): cannot read it: No such file or directory");
}

TEST_CASE("gcp auth: user credentials use the refresh-token grant") {
  World w;
  std::string path = w.UseEnvFile(w.AuthorizedUser());
  auto source = w.MustFind();
  CHECK(source->Description() == "user credentials from $GOOGLE_APPLICATION_CREDENTIALS (" +
                                     path + ")");
  CHECK(source->QuotaProject() == "quota-proj");
  CHECK(source->AccessToken(false).value() == "user-1");
  FakeGoogleConfig c;
  auto form = ParseForm(w.fake.Requests(GoogleEndpoint::kToken).at(0).body);
  CHECK(form == std::map<std::string, std::string>{{"grant_type", "refresh_token"},
                                                   {"client_id", c.client_id},
                                                   {"client_secret", c.client_secret},
                                                   {"refresh_token", c.refresh_token}});
  // The option overrides the file's token_uri (Google ignores it, notes §5.3).
  w.options.authorized_user_token_uri = w.fake.TokenUrl() + "?override";
  CHECK(w.MustFind()->AccessToken(false).value() == "user-2");
  CHECK(w.fake.Requests(GoogleEndpoint::kToken).at(1).query == "override");

  Json revoked = w.AuthorizedUser();
  revoked["refresh_token"] = "SECRET-refresh-revoked";
  w.UseEnvFile(revoked);
  auto token = w.MustFind()->AccessToken(false);
  REQUIRE_FALSE(token.has_value());
  CHECK(token.error().message == "user credentials: POST " + w.options.authorized_user_token_uri
                                     .substr(0, w.options.authorized_user_token_uri.find('?')) +
                                     ": HTTP 400: invalid_grant: Token has been expired or "
                                     "revoked.");
}

TEST_CASE("gcp auth: workload identity federation with impersonation") {
  World w;
  FakeGoogleConfig c;
  std::string path = w.UseEnvFile(w.ExternalAccount());
  auto source = w.MustFind();
  CHECK(source->Description() == "workload identity federation (" + c.sts_audience + ") as " +
                                     kEmail + " from $GOOGLE_APPLICATION_CREDENTIALS (" + path +
                                     ")");
  auto token = source->AccessToken(false);
  REQUIRE_MESSAGE(token.has_value(), (token ? "" : token.error().message));
  CHECK(token.value() == "iam-2");
  auto oidc = w.fake.Requests(GoogleEndpoint::kOidc);
  REQUIRE(oidc.size() == 1);
  CHECK(oidc[0].headers["authorization"] == "Bearer " + c.oidc_request_token);
  auto sts = ParseForm(w.fake.Requests(GoogleEndpoint::kSts).at(0).body);
  CHECK(sts == std::map<std::string, std::string>{
                   {"grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"},
                   {"audience", c.sts_audience},
                   {"scope", "https://www.googleapis.com/auth/cloud-platform"},
                   {"requested_token_type", "urn:ietf:params:oauth:token-type:access_token"},
                   {"subject_token", c.subject_token},
                   {"subject_token_type", "urn:ietf:params:oauth:token-type:jwt"}});
  auto iam = w.fake.Requests(GoogleEndpoint::kIam).at(0);
  CHECK(iam.headers["authorization"] == "Bearer sts-1");
  CHECK(Json::parse(iam.body) ==
        Json{{"scope", {"https://www.googleapis.com/auth/logging.read"}}, {"lifetime", "3600s"}});
  // expireTime is now + 3600 s: reused until 225 s before, then all steps again.
  w.now_us += (3600 - 226) * int64_t{1000000};
  CHECK(source->AccessToken(false).value() == "iam-2");
  w.now_us += 1000000;
  CHECK(source->AccessToken(false).value() == "iam-4");
  CHECK(w.fake.Calls(GoogleEndpoint::kOidc) == 2);

  w.fake.FailNext(GoogleEndpoint::kIam, 401, 1);
  token = source->AccessToken(true);
  REQUIRE_FALSE(token.has_value());
  CHECK(token.error().message == "workload identity federation: impersonation: POST " +
                                     w.fake.IamUrl() +
                                     ": HTTP 401: UNAUTHENTICATED: fault injected");
}

TEST_CASE("gcp auth: direct federation from a subject-token file") {
  World w;
  FakeGoogleConfig c;
  Json file = w.ExternalAccount();
  file.erase("service_account_impersonation_url");
  file["credential_source"] = {{"file", w.dir.Write("oidc.txt", c.subject_token + "\n")}};
  w.UseEnvFile(file);
  auto source = w.MustFind();
  CHECK(source->AccessToken(false).value() == "sts-1");
  CHECK(w.fake.Calls(GoogleEndpoint::kOidc) == 0);
  CHECK(w.fake.Calls(GoogleEndpoint::kIam) == 0);
  w.dir.Write("oidc.txt", "SECRET-subject-stale");
  auto token = source->AccessToken(true);
  REQUIRE_FALSE(token.has_value());
  CHECK(token.error().message == "workload identity federation: token exchange: POST " +
                                     w.fake.StsUrl() +
                                     ": HTTP 400: invalid_grant: The given subject token is "
                                     "invalid.");
}

TEST_CASE("gcp auth: no message holds a secret") {
  World w;
  FakeGoogleConfig c;
  std::vector<std::string> messages;
  auto fail = [&](const Json& file) {
    w.UseEnvFile(file);
    auto found = w.Find();
    if (!found) return messages.push_back(found.error().message);
    auto token = found.value()->AccessToken(false);
    REQUIRE_FALSE(token.has_value());
    messages.push_back(token.error().message);
  };
  Json sa = w.ServiceAccount();
  sa["token_uri"] = w.fake.TokenUrl() + "?wrong-aud";
  fail(sa);
  sa["private_key"] = "-----BEGIN PRIVATE KEY-----\nSECRET-broken\n-----END PRIVATE KEY-----\n";
  fail(sa);
  Json user = w.AuthorizedUser();
  user["client_secret"] = "SECRET-wrong-client";
  fail(user);
  Json ext = w.ExternalAccount();
  ext["credential_source"]["headers"]["Authorization"] = "Bearer SECRET-wrong-request";
  fail(ext);
  ext = w.ExternalAccount();
  ext["credential_source"]["format"]["subject_token_field_name"] = "missing";
  fail(ext);
  w.env["GOOGLE_APPLICATION_CREDENTIALS"] = w.dir.Write("creds.json", Key().private_pem);
  messages.push_back(w.FindError());
  const std::string pem_body = Key().private_pem.substr(40, 40);
  for (const std::string& m : messages) {
    CAPTURE(m);
    CHECK(m.find("SECRET") == std::string::npos);
    CHECK(m.find(pem_body) == std::string::npos);
    CHECK(m.find(c.subject_token) == std::string::npos);
  }
  CHECK(messages.size() == 6);
  CHECK(messages[3].find("subject token: GET " + w.fake.OidcUrl().substr(
                             0, w.fake.OidcUrl().find('?')) + ": HTTP 401") != std::string::npos);
}

}  // namespace
}  // namespace triage
