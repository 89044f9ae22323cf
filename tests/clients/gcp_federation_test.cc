// Workload identity federation and the metadata server (gcp_federation.cc)
// over real HTTP against the fake Google endpoints on loopback: the checks
// of an external_account file, the subject token from a file or a URL, the
// STS exchange, impersonation, and the metadata server's own checks.
#include "clients/gcp_auth_internal.h"

#include <doctest/doctest.h>

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

constexpr int64_t kNowS = 1893456000;  // 2030-01-01T00:00:00Z
constexpr char kJwtType[] = "urn:ietf:params:oauth:token-type:jwt";

using SourcePtr = std::unique_ptr<GcpTokenSource>;

struct Federation {
  FakeGoogleConfig config;
  FakeGoogleAuth fake{config};
  testing::TempDir dir;
  int64_t now_us = kNowS * 1000000;
  std::unique_ptr<HttpTransport> transport = NewCurlTransport();
  GcpAuthOptions options;
  int files = 0;  // subject token files written

  Federation() { fake.SetNow(kNowS); }

  // GitHub's OIDC URL as the subject token source, with impersonation.
  Json File() const {
    return {{"type", "external_account"}, {"audience", config.sts_audience},
            {"subject_token_type", kJwtType}, {"token_url", fake.StsUrl()},
            {"credential_source",
             {{"url", fake.OidcUrl()},
              {"headers", {{"Authorization", "Bearer " + config.oidc_request_token}}},
              {"format", {{"type", "json"}, {"subject_token_field_name", "value"}}}}},
            {"service_account_impersonation_url", fake.IamUrl()}};
  }
  // The subject token from a file of `text`, no impersonation.
  Json FileSource(const std::string& text, const Json& format = nullptr) {
    Json file = File();
    file.erase("service_account_impersonation_url");
    const std::string name = "subject-" + std::to_string(++files);
    file["credential_source"] = {{"file", dir.Write(name, text)}};
    if (!format.is_null()) file["credential_source"]["format"] = format;
    return file;
  }
  Result<SourcePtr> New(const Json& file) {
    return gcp_internal::NewExternalAccountSource(*transport, file.dump(), "creds.json", options,
                                                  [this] { return now_us; });
  }
  SourcePtr MustNew(const Json& file) {
    Result<SourcePtr> source = New(file);
    REQUIRE_MESSAGE(source.has_value(), (source ? "" : source.error().message));
    return std::move(source).value();
  }
  int Requests() const {
    int n = 0;
    for (GoogleEndpoint e : {GoogleEndpoint::kToken, GoogleEndpoint::kSts, GoogleEndpoint::kIam,
                             GoogleEndpoint::kMetadata, GoogleEndpoint::kOidc}) {
      n += fake.Calls(e);
    }
    return n;
  }
};

TEST_CASE("gcp federation: a file that cannot work is refused before any request") {
  Federation f;
  struct Row {
    const char* what;
    Json file;
    const char* message;
  };
  Json no_audience = f.File(), no_type = f.File(), no_url = f.File(), xml = f.File(),
       no_field = f.File();
  no_audience.erase("audience");
  no_type["subject_token_type"] = 7;
  no_url["token_url"] = "";
  xml["credential_source"]["format"] = {{"type", "xml"}};
  no_field["credential_source"]["format"].erase("subject_token_field_name");
  const Row rows[] = {
      {"audience", no_audience, "external_account without audience"},
      {"type", no_type, "external_account without subject_token_type"},
      {"url", no_url, "external_account without token_url"},
      {"xml", xml, "credential_source.format.type must be text or json"},
      {"field", no_field, "credential_source.format of type json needs subject_token_field_name"},
  };
  for (const Row& row : rows) {
    INFO("row.what: " << std::string(row.what));
    Result<SourcePtr> source = f.New(row.file);
    REQUIRE_FALSE(source.has_value());
    CHECK(source.error().kind == ErrorKind::kAuth);
    CHECK(source.error().message == std::string("Google credentials: creds.json: ") + row.message);
  }
  // A good file makes no request either, until a token is asked for.
  SourcePtr source = f.MustNew(f.File());
  CHECK(f.Requests() == 0);
}

TEST_CASE("gcp federation: a subject token from a JSON file, exchanged without impersonation") {
  Federation f;
  SourcePtr source = f.MustNew(f.FileSource(
      Json({{"value", f.config.subject_token}, {"other", 1}}).dump(),
      {{"type", "json"}, {"subject_token_field_name", "value"}}));
  CHECK(source->Description() ==
        "workload identity federation (" + f.config.sts_audience + ") from creds.json");
  Result<std::string> token = source->AccessToken(false);
  REQUIRE_MESSAGE(token.has_value(), (token ? "" : token.error().message));
  CHECK(token.value() == "sts-1");
  CHECK(f.fake.Calls(GoogleEndpoint::kSts) == 1);
  CHECK(f.fake.Calls(GoogleEndpoint::kIam) == 0);
  CHECK(f.fake.Calls(GoogleEndpoint::kOidc) == 0);
  const testing::GoogleRequest sts = f.fake.Requests(GoogleEndpoint::kSts).at(0);
  CHECK(sts.headers.at("content-type") == "application/x-www-form-urlencoded");
  // The token's field, not the whole file, is sent; encoded for the form.
  CHECK(sts.body.find("subject_token=SECRET-subject-eyJhbGciOi&") != std::string::npos);
  CHECK(sts.body.find("audience=%2F%2Fiam.googleapis.com%2Fprojects%2F123%2F") !=
        std::string::npos);
}

TEST_CASE("gcp federation: subject token failures say which source, and send nothing on") {
  Federation f;
  struct Row {
    const char* what;
    Json file;
    std::string message;
  };
  Json gone = f.FileSource("x");
  gone["credential_source"]["file"] = f.dir.Path("gone");
  const Json json_format = {{"type", "json"}, {"subject_token_field_name", "value"}};
  const Row rows[] = {
      {"missing file", gone,
       "Google credentials: workload identity federation: subject token file " +
           f.dir.Path("gone") + ": No such file or directory"},
      {"blank file", f.FileSource(" \n\t\n"),
       "Google credentials: workload identity federation: subject token: empty"},
      {"no field", f.FileSource(R"({"token":"x"})", json_format),
       "Google credentials: workload identity federation: subject token: no string field "
       "'value'"},
      {"not JSON", f.FileSource("SECRET-plain", json_format),
       "Google credentials: workload identity federation: subject token: no string field "
       "'value'"},
  };
  for (const Row& row : rows) {
    INFO("row.what: " << std::string(row.what));
    Result<std::string> token = f.MustNew(row.file)->AccessToken(false);
    REQUIRE_FALSE(token.has_value());
    CHECK(token.error().kind == ErrorKind::kAuth);
    CHECK(token.error().message == row.message);
  }
  // The OIDC URL refuses a wrong request token: Google's words, no query.
  Json wrong = f.File();
  wrong["credential_source"]["headers"]["Authorization"] = "Bearer SECRET-wrong";
  Result<std::string> token = f.MustNew(wrong)->AccessToken(false);
  REQUIRE_FALSE(token.has_value());
  CHECK(token.error().kind == ErrorKind::kAuth);
  CHECK(token.error().message == "workload identity federation: subject token: GET " +
                                     f.fake.OidcUrl().substr(0, f.fake.OidcUrl().find('?')) +
                                     ": HTTP 401: UNAUTHENTICATED: Bad request token");
  CHECK(f.fake.Calls(GoogleEndpoint::kSts) == 0);
}

TEST_CASE("gcp federation: a 5xx is resent once at once, then reported") {
  Federation f;
  SourcePtr source = f.MustNew(f.FileSource(f.config.subject_token));
  f.fake.FailNext(GoogleEndpoint::kSts, 503, 1);
  CHECK(source->AccessToken(false).value() == "sts-1");
  CHECK(f.fake.Calls(GoogleEndpoint::kSts) == 2);

  f.fake.FailNext(GoogleEndpoint::kSts, 503, 2);
  Result<std::string> token = source->AccessToken(true);
  REQUIRE_FALSE(token.has_value());
  CHECK(token.error().kind == ErrorKind::kHttp);
  CHECK(token.error().http_status == 503);
  CHECK(token.error().message == "workload identity federation: token exchange: POST " +
                                     f.fake.StsUrl() +
                                     ": HTTP 503: internal_failure: fault injected");
  CHECK(f.fake.Calls(GoogleEndpoint::kSts) == 4);
}

TEST_CASE("gcp federation: impersonation asks for every scope and the file's lifetime") {
  Federation f;
  f.options.scope =
      "https://www.googleapis.com/auth/logging.read  https://www.googleapis.com/auth/monitoring";
  Json file = f.File();
  file["service_account_impersonation"] = {{"token_lifetime_seconds", 1200}};
  SourcePtr source = f.MustNew(file);
  CHECK(source->Description() == "workload identity federation (" + f.config.sts_audience +
                                     ") as " + f.config.sa_email + " from creds.json");
  CHECK(source->AccessToken(false).value() == "iam-2");
  const testing::GoogleRequest iam = f.fake.Requests(GoogleEndpoint::kIam).at(0);
  CHECK(Json::parse(iam.body) == Json{{"scope",
                                       {"https://www.googleapis.com/auth/logging.read",
                                        "https://www.googleapis.com/auth/monitoring"}},
                                      {"lifetime", "1200s"}});
  // expireTime is now + 1200 s: kept until the 225 s margin before it.
  f.now_us += (1200 - 226) * int64_t{1000000};
  CHECK(source->AccessToken(false).value() == "iam-2");
  f.now_us += 1000000;
  CHECK(source->AccessToken(false).value() == "iam-4");
  CHECK(f.fake.Issued() == std::vector<std::string>{"sts-1", "iam-2", "sts-3", "iam-4"});
}

TEST_CASE("gcp federation: the metadata server, asked only when a token is wanted") {
  Federation f;
  f.options.scope = "https://www.googleapis.com/auth/logging.read https://x.test/y";
  SourcePtr source =
      gcp_internal::NewMetadataSource(f.fake.MetadataHost(), f.options, [&f] { return f.now_us; });
  CHECK(f.fake.Calls(GoogleEndpoint::kMetadata) == 0);
  CHECK(source->AccessToken(false).value() == "md-1");
  const testing::GoogleRequest seen = f.fake.Requests(GoogleEndpoint::kMetadata).at(0);
  CHECK(seen.headers.at("metadata-flavor") == "Google");
  // Scopes are comma-separated for the metadata server, then encoded.
  CHECK(seen.query ==
        "scopes=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Flogging.read%2Chttps%3A%2F%2Fx.test%2Fy");

  // Something that answers without Metadata-Flavor: Google is not one.
  f.fake.SetMetadataWithoutFlavor(true);
  Result<std::string> token = source->AccessToken(true);
  REQUIRE_FALSE(token.has_value());
  CHECK(token.error().kind == ErrorKind::kAuth);
  CHECK(token.error().message ==
        "metadata server: GET http://" + f.fake.MetadataHost() +
            "/computeMetadata/v1/instance/service-accounts/default/token: HTTP 200 without "
            "Metadata-Flavor: Google, so not a metadata server");
  f.fake.SetMetadataWithoutFlavor(false);
  f.fake.FailNext(GoogleEndpoint::kMetadata, 500, 1);
  token = source->AccessToken(true);
  REQUIRE_FALSE(token.has_value());
  CHECK(token.error().kind == ErrorKind::kHttp);
  CHECK(token.error().message.find("HTTP 500: INTERNAL: fault injected") != std::string::npos);

  testing::RefusingPort refusing;
  SourcePtr absent =
      gcp_internal::NewMetadataSource(refusing.Host(), f.options, [&f] { return f.now_us; });
  token = absent->AccessToken(false);
  REQUIRE_FALSE(token.has_value());
  CHECK(token.error().kind == ErrorKind::kTransport);
  CHECK(token.error().message.rfind("metadata server: GET http://" + refusing.Host() +
                                        "/computeMetadata/v1/instance/service-accounts/default/"
                                        "token: connection refused",
                                    0) == 0);
}

}  // namespace
}  // namespace triage
