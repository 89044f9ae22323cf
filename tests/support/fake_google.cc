#include "tests/support/fake_google.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <cctype>
#include <ctime>
#include <mutex>
#include <utility>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "tests/support/loopback_server.h"

namespace triage {
namespace testing {
namespace {

using Json = nlohmann::json;

constexpr char kJwtBearer[] = "urn:ietf:params:oauth:grant-type:jwt-bearer";
constexpr char kTokenExchange[] = "urn:ietf:params:oauth:grant-type:token-exchange";
constexpr char kAccessTokenType[] = "urn:ietf:params:oauth:token-type:access_token";
constexpr char kJwtTokenType[] = "urn:ietf:params:oauth:token-type:jwt";
// Google's clock-skew answer (notes §5.2).
constexpr char kShortLived[] =
    "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. "
    "Check your iat and exp values and use a clock with skew to account for clock differences "
    "between systems.";

std::string Base64UrlDecode(const std::string& in) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v = c >= 'A' && c <= 'Z'   ? c - 'A'
            : c >= 'a' && c <= 'z' ? c - 'a' + 26
            : c >= '0' && c <= '9' ? c - '0' + 52
            : c == '-'             ? 62
            : c == '_'             ? 63
                                   : -1;
    if (v < 0) return "";
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

std::string PercentDecode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && isxdigit(static_cast<unsigned char>(s[i + 1])) &&
               isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::map<std::string, std::string> ParseForm(const std::string& body) {
  std::map<std::string, std::string> form;
  size_t b = 0;
  while (b <= body.size()) {
    size_t e = body.find('&', b);
    if (e == std::string::npos) e = body.size();
    std::string pair = body.substr(b, e - b);
    size_t eq = pair.find('=');
    if (!pair.empty()) {
      form[PercentDecode(pair.substr(0, eq))] =
          eq == std::string::npos ? "" : PercentDecode(pair.substr(eq + 1));
    }
    b = e + 1;
  }
  return form;
}

bool VerifyRs256(const std::string& public_pem, const std::string& input, const std::string& sig) {
  BIO* bio = BIO_new_mem_buf(public_pem.data(), static_cast<int>(public_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = key != nullptr &&
            EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                             reinterpret_cast<const unsigned char*>(input.data()),
                             input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  return ok;
}

std::string Rfc3339(int64_t epoch_s) {
  std::time_t t = static_cast<std::time_t>(epoch_s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void SendJson(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json; charset=utf-8");
}

void OAuthError(httplib::Response& res, int status, const std::string& error,
                const std::string& description) {
  SendJson(res, status, {{"error", error}, {"error_description", description}});
}

void RestError(httplib::Response& res, int status, const std::string& code,
               const std::string& message) {
  SendJson(res, status, {{"error", {{"code", status}, {"message", message}, {"status", code}}}});
}

}  // namespace

struct FakeGoogleAuth::State {
  FakeGoogleConfig config;
  std::string base;  // http://127.0.0.1:PORT, set once the server is bound
  mutable std::mutex mu;
  int64_t now = 0;
  bool metadata_without_flavor = false;
  std::map<GoogleEndpoint, std::vector<GoogleRequest>> seen;
  std::map<GoogleEndpoint, std::pair<int, int>> faults;  // status, times left
  std::vector<std::string> issued;

  // Records the request; true when a scripted fault answered it.
  bool Arrive(GoogleEndpoint endpoint, const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mu);
    GoogleRequest r{req.method, req.path, "", {}, req.body};
    size_t q = req.target.find('?');
    if (q != std::string::npos) r.query = req.target.substr(q + 1);
    for (const auto& [name, value] : req.headers) {
      std::string lower = name;
      for (char& c : lower) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
      r.headers[lower] = value;
    }
    seen[endpoint].push_back(std::move(r));
    auto it = faults.find(endpoint);
    if (it == faults.end() || it->second.second <= 0) return false;
    --it->second.second;
    const int status = it->second.first;
    if (endpoint == GoogleEndpoint::kToken || endpoint == GoogleEndpoint::kSts) {
      OAuthError(res, status, status >= 500 ? "internal_failure" : "unauthorized_client",
                 "fault injected");
    } else {
      RestError(res, status, status >= 500 ? "INTERNAL" : "UNAUTHENTICATED", "fault injected");
    }
    return true;
  }

  std::string Issue(const std::string& prefix) {
    std::lock_guard<std::mutex> lock(mu);
    issued.push_back(prefix + "-" + std::to_string(issued.size() + 1));
    return issued.back();
  }

  bool IssuedWith(const std::string& token, const std::string& prefix) const {
    std::lock_guard<std::mutex> lock(mu);
    for (const std::string& t : issued) {
      if (t == token && t.rfind(prefix + "-", 0) == 0) return true;
    }
    return false;
  }

  std::string Base() const {
    std::lock_guard<std::mutex> lock(mu);
    return base;
  }

  int64_t Now() const {
    std::lock_guard<std::mutex> lock(mu);
    return now;
  }

  void IssueOAuth(httplib::Response& res, const std::string& prefix) {
    SendJson(res, 200, {{"access_token", Issue(prefix)},
                        {"expires_in", config.expires_in},
                        {"token_type", "Bearer"}});
  }

  // "" when the assertion is good, else the error_description; `error`
  // gets Google's code.
  std::string CheckJwt(const std::string& jwt, std::string& error) const {
    error = "invalid_grant";
    size_t a = jwt.find('.'), b = jwt.rfind('.');
    if (a == std::string::npos || a == b) return "Invalid JWT: not three parts";
    Json header = Json::parse(Base64UrlDecode(jwt.substr(0, a)), nullptr, false);
    Json claims = Json::parse(Base64UrlDecode(jwt.substr(a + 1, b - a - 1)), nullptr, false);
    if (!header.is_object() || !claims.is_object()) return "Invalid JWT: not JSON";
    if (header.value("alg", "") != "RS256" || header.value("typ", "") != "JWT" ||
        header.value("kid", "") != config.sa_key_id ||
        !VerifyRs256(config.sa_public_pem, jwt.substr(0, b), Base64UrlDecode(jwt.substr(b + 1)))) {
      return "Invalid JWT Signature.";
    }
    if (claims.value("iss", "") != config.sa_email) return "Invalid grant: account not found";
    const std::string own = Base() + "/token";
    if (claims.value("aud", "") != own) {
      return "Invalid JWT: Failed audience check. The right audience is " + own;
    }
    const int64_t iat = claims.value("iat", int64_t{0}), exp = claims.value("exp", int64_t{0});
    const int64_t now_s = Now();
    if (iat > now_s + 60 || exp <= now_s || exp - iat > 3600 || exp <= iat) return kShortLived;
    if (claims.value("scope", "") != config.scope) {
      error = "invalid_scope";
      return "Invalid OAuth scope or ID token audience provided.";
    }
    return "";
  }
};

TestRsaKey GenerateTestRsaKey(int bits) {
  EVP_PKEY* key = nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nullptr);
  if (ctx == nullptr || EVP_PKEY_keygen_init(ctx) != 1 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, bits) != 1 || EVP_PKEY_keygen(ctx, &key) != 1) {
    EVP_PKEY_CTX_free(ctx);
    return {};
  }
  EVP_PKEY_CTX_free(ctx);
  auto to_pem = [key](bool is_private) {
    BIO* bio = BIO_new(BIO_s_mem());
    if (is_private) {
      PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    } else {
      PEM_write_bio_PUBKEY(bio, key);
    }
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<size_t>(len));
    BIO_free(bio);
    return pem;
  };
  TestRsaKey out{to_pem(true), to_pem(false)};
  EVP_PKEY_free(key);
  return out;
}

FakeGoogleAuth::FakeGoogleAuth(FakeGoogleConfig config) : state_(std::make_unique<State>()) {
  state_->config = std::move(config);
  State* s = state_.get();
  const FakeGoogleConfig& c = s->config;
  server_ = std::make_unique<LoopbackServer>([s, &c](httplib::Server& server) {
    server.Post("/token", [s, &c](const httplib::Request& req, httplib::Response& res) {
      if (s->Arrive(GoogleEndpoint::kToken, req, res)) return;
      if (req.get_header_value("Content-Type").rfind("application/x-www-form-urlencoded", 0)) {
        return OAuthError(res, 400, "invalid_request", "Expected a form-encoded body");
      }
      auto form = ParseForm(req.body);
      if (form["grant_type"] == kJwtBearer) {
        std::string error, why = s->CheckJwt(form["assertion"], error);
        if (!why.empty()) return OAuthError(res, 400, error, why);
        return s->IssueOAuth(res, "sa");
      }
      if (form["grant_type"] == "refresh_token") {
        if (form["client_id"] != c.client_id || form["client_secret"] != c.client_secret) {
          return OAuthError(res, 401, "invalid_client", "Unauthorized");
        }
        if (form["refresh_token"] != c.refresh_token) {
          return OAuthError(res, 400, "invalid_grant", "Token has been expired or revoked.");
        }
        return s->IssueOAuth(res, "user");
      }
      OAuthError(res, 400, "unsupported_grant_type", "Invalid grant_type: " + form["grant_type"]);
    });
    server.Post("/v1/token", [s, &c](const httplib::Request& req, httplib::Response& res) {
      if (s->Arrive(GoogleEndpoint::kSts, req, res)) return;
      auto form = ParseForm(req.body);
      if (form["grant_type"] != kTokenExchange) {
        return OAuthError(res, 400, "unsupported_grant_type", "Invalid grant_type");
      }
      if (form["requested_token_type"] != kAccessTokenType ||
          form["subject_token_type"] != kJwtTokenType || form["scope"].empty()) {
        return OAuthError(res, 400, "invalid_request", "Invalid token types or scope");
      }
      if (form["audience"] != c.sts_audience) {
        return OAuthError(res, 400, "invalid_target", "The target service indicated by the "
                          "\"audience\" parameters is invalid.");
      }
      if (form["subject_token"] != c.subject_token) {
        return OAuthError(res, 400, "invalid_grant", "The given subject token is invalid.");
      }
      SendJson(res, 200, {{"access_token", s->Issue("sts")},
                          {"issued_token_type", kAccessTokenType},
                          {"token_type", "Bearer"},
                          {"expires_in", std::to_string(c.expires_in)}});
    });
    server.Post(R"(/v1/projects/-/serviceAccounts/([^/]+):generateAccessToken)",
                [s, &c](const httplib::Request& req, httplib::Response& res) {
      if (s->Arrive(GoogleEndpoint::kIam, req, res)) return;
      std::string auth = req.get_header_value("Authorization");
      if (auth.rfind("Bearer ", 0) != 0 || !s->IssuedWith(auth.substr(7), "sts")) {
        return RestError(res, 401, "UNAUTHENTICATED",
                         "Request had invalid authentication credentials.");
      }
      if (req.matches[1] != c.sa_email) return RestError(res, 404, "NOT_FOUND", "Not found");
      Json body = Json::parse(req.body, nullptr, false);
      if (!body.is_object() || !body.contains("scope") || !body["scope"].is_array() ||
          body["scope"].empty()) {
        return RestError(res, 400, "INVALID_ARGUMENT", "Scope required.");
      }
      int64_t lifetime = std::stoll(body.value("lifetime", std::string("3600s")));
      SendJson(res, 200, {{"accessToken", s->Issue("iam")},
                          {"expireTime", Rfc3339(s->Now() + lifetime)}});
    });
    server.Get("/computeMetadata/v1/instance/service-accounts/default/token",
               [s, &c](const httplib::Request& req, httplib::Response& res) {
      bool without;
      {
        std::lock_guard<std::mutex> lock(s->mu);
        without = s->metadata_without_flavor;
      }
      if (!without) res.set_header("Metadata-Flavor", "Google");
      if (s->Arrive(GoogleEndpoint::kMetadata, req, res)) return;
      if (req.get_header_value("Metadata-Flavor") != "Google") {
        res.status = 403;
        return res.set_content("Missing Metadata-Flavor:Google header.", "text/html");
      }
      SendJson(res, 200, {{"access_token", s->Issue("md")},
                          {"expires_in", c.expires_in},
                          {"token_type", "Bearer"}});
    });
    server.Get("/oidc/token", [s, &c](const httplib::Request& req, httplib::Response& res) {
      if (s->Arrive(GoogleEndpoint::kOidc, req, res)) return;
      if (req.get_header_value("Authorization") != "Bearer " + c.oidc_request_token) {
        return RestError(res, 401, "UNAUTHENTICATED", "Bad request token");
      }
      if (req.get_param_value("audience").empty()) {
        return RestError(res, 400, "INVALID_ARGUMENT", "audience required");
      }
      SendJson(res, 200, {{"count", 1}, {"value", c.subject_token}});
    });
  });
  std::lock_guard<std::mutex> lock(s->mu);
  s->base = "http://127.0.0.1:" + std::to_string(server_->port());
}

FakeGoogleAuth::~FakeGoogleAuth() { server_.reset(); }

std::string FakeGoogleAuth::TokenUrl() const { return state_->base + "/token"; }
std::string FakeGoogleAuth::StsUrl() const { return state_->base + "/v1/token"; }
std::string FakeGoogleAuth::IamUrl() const {
  return state_->base + "/v1/projects/-/serviceAccounts/" + state_->config.sa_email +
         ":generateAccessToken";
}
std::string FakeGoogleAuth::OidcUrl() const {
  return state_->base + "/oidc/token?api-version=2.0&audience=https%3A%2F%2Fiam.googleapis.com";
}
std::string FakeGoogleAuth::MetadataHost() const { return state_->base.substr(7); }

void FakeGoogleAuth::SetNow(int64_t epoch_s) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->now = epoch_s;
}

void FakeGoogleAuth::FailNext(GoogleEndpoint endpoint, int status, int times) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->faults[endpoint] = {status, times};
}

void FakeGoogleAuth::SetMetadataWithoutFlavor(bool without) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->metadata_without_flavor = without;
}

int FakeGoogleAuth::Calls(GoogleEndpoint endpoint) const {
  return static_cast<int>(Requests(endpoint).size());
}

std::vector<GoogleRequest> FakeGoogleAuth::Requests(GoogleEndpoint endpoint) const {
  std::lock_guard<std::mutex> lock(state_->mu);
  auto it = state_->seen.find(endpoint);
  return it == state_->seen.end() ? std::vector<GoogleRequest>{} : it->second;
}

std::vector<std::string> FakeGoogleAuth::Issued() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->issued;
}

}  // namespace testing
}  // namespace triage
