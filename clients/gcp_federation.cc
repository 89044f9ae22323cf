#include "clients/gcp_auth_internal.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "clients/curl_transport.h"

namespace triage {
namespace gcp_internal {
namespace {

using Json = nlohmann::json;

constexpr char kCloudPlatform[] = "https://www.googleapis.com/auth/cloud-platform";

// Seconds since the epoch of an RFC 3339 time ("2025-09-16T01:00:00.5Z").
std::optional<int64_t> ParseRfc3339(const std::string& s) {
  int y, mo, d, h, mi, sec, used = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &used) != 6) {
    return std::nullopt;
  }
  size_t i = static_cast<size_t>(used);
  if (i < s.size() && s[i] == '.') {
    while (++i < s.size() && isdigit(static_cast<unsigned char>(s[i]))) {
    }
  }
  int64_t offset = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    int oh, om;
    if (std::sscanf(s.c_str() + i + 1, "%2d:%2d", &oh, &om) != 2) return std::nullopt;
    offset = (s[i] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
  } else if (i >= s.size() || (s[i] != 'Z' && s[i] != 'z')) {
    return std::nullopt;
  }
  // Days from 1970-01-01 of a proleptic Gregorian date (H. Hinnant).
  y -= mo <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
  return days * 86400 + h * 3600 + mi * 60 + sec - offset;
}

// Workload Identity Federation (notes §5.4): a subject token, the STS
// exchange, then impersonation when the file names a service account. STS
// is always asked for cloud-platform as the notes say; the scope of
// GcpAuthOptions goes to the impersonation. Refresh runs all steps again.
class ExternalAccountSource : public CachedSource {
 public:
  ExternalAccountSource(HttpTransport& transport, const Json& file, const GcpAuthOptions& options,
                        Clock clock, std::string description)
      : CachedSource(std::move(clock), options.refresh_margin_s, std::move(description)),
        transport_(transport), scope_(options.scope), audience_(JsonString(file, "audience")),
        subject_token_type_(JsonString(file, "subject_token_type")),
        token_url_(JsonString(file, "token_url")),
        impersonation_url_(JsonString(file, "service_account_impersonation_url")) {
    const Json& source = file["credential_source"];
    source_file_ = JsonString(source, "file");
    source_url_ = JsonString(source, "url");
    if (source.contains("headers") && source["headers"].is_object()) {
      for (const auto& [name, value] : source["headers"].items()) {
        if (value.is_string()) headers_.emplace_back(name, value.get<std::string>());
      }
    }
    const Json& format = source.contains("format") ? source["format"] : Json();
    json_field_ = JsonString(format, "type") == "json"
                      ? JsonString(format, "subject_token_field_name")
                      : "";
    const Json& imp = file.contains("service_account_impersonation")
                          ? file["service_account_impersonation"] : Json();
    if (imp.is_object() && imp.contains("token_lifetime_seconds") &&
        imp["token_lifetime_seconds"].is_number_integer()) {
      lifetime_s_ = imp["token_lifetime_seconds"].get<int64_t>();
    }
  }

 protected:
  Result<Token> Fetch(int64_t now_us) override {
    Result<std::string> subject = SubjectToken();
    if (!subject) return subject.error();
    HttpRequest sts = FormPost(
        token_url_, Form({{"grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"},
                          {"audience", audience_},
                          {"scope", kCloudPlatform},
                          {"requested_token_type", "urn:ietf:params:oauth:token-type:access_token"},
                          {"subject_token", subject.value()},
                          {"subject_token_type", subject_token_type_}}));
    HttpResponse response = SendOnceMore(transport_, sts);
    const std::string what = "workload identity federation: token exchange";
    if (response.status != 200) return FailedRequest(what, sts, response);
    Result<Token> federated = ParseOAuthToken(what, response.body, now_us);
    if (!federated || impersonation_url_.empty()) return federated;

    Json scopes = Json::array();
    for (size_t b = 0, e; b < scope_.size(); b = e + 1) {
      e = std::min(scope_.find(' ', b), scope_.size());
      if (e > b) scopes.push_back(scope_.substr(b, e - b));
    }
    Json body = {{"scope", scopes}, {"lifetime", std::to_string(lifetime_s_) + "s"}};
    HttpRequest iam{"POST", impersonation_url_,
                    {{"Authorization", "Bearer " + federated.value().value},
                     {"Content-Type", "application/json"}},
                    body.dump()};
    response = SendOnceMore(transport_, iam);
    const std::string imp_what = "workload identity federation: impersonation";
    if (response.status != 200) return FailedRequest(imp_what, iam, response);
    Json answer = Json::parse(response.body, nullptr, false);
    std::optional<int64_t> expires = ParseRfc3339(JsonString(answer, "expireTime"));
    if (JsonString(answer, "accessToken").empty() || !expires) {
      return Error{ErrorKind::kAuth, imp_what + ": the answer lacks accessToken or expireTime", 0};
    }
    return Token{JsonString(answer, "accessToken"), now_us, *expires * kMicros};
  }

 private:
  Result<std::string> SubjectToken() {
    const std::string what = "workload identity federation: subject token";
    std::string text;
    if (!source_file_.empty()) {
      Result<std::string> read = ReadFile(source_file_);
      if (!read) return AuthError(what + " file " + source_file_ + ": " + read.error().message);
      text = read.value();
    } else {
      HttpRequest get{"GET", source_url_, headers_, ""};
      HttpResponse response = SendOnceMore(transport_, get);
      if (response.status != 200) return FailedRequest(what, get, response);
      text = response.body;
    }
    if (!json_field_.empty()) {
      text = JsonString(Json::parse(text, nullptr, false), json_field_.c_str());
      if (text.empty()) return AuthError(what + ": no string field '" + json_field_ + "'");
    }
    text = Trim(text);
    if (text.empty()) return AuthError(what + ": empty");
    return text;
  }

  HttpTransport& transport_;
  std::string scope_, audience_, subject_token_type_, token_url_, impersonation_url_;
  std::string source_file_, source_url_, json_field_;
  std::vector<std::pair<std::string, std::string>> headers_;
  int64_t lifetime_s_ = 3600;
};

// The metadata server of GCE, Cloud Run and GKE (notes §5.6), over its own
// transport so that an absent server costs one short connect timeout.
class MetadataSource : public CachedSource {
 public:
  MetadataSource(const std::string& host, const GcpAuthOptions& options, Clock clock)
      : CachedSource(std::move(clock), options.refresh_margin_s,
                     "metadata server " + host + " (the attached service account)") {
    CurlOptions curl;
    curl.connect_timeout_ms = options.metadata_timeout_ms;
    curl.total_timeout_ms = 5 * options.metadata_timeout_ms;
    transport_ = NewCurlTransport(curl);
    std::string scopes = options.scope;
    std::replace(scopes.begin(), scopes.end(), ' ', ',');
    url_ = "http://" + host + "/computeMetadata/v1/instance/service-accounts/default/token" +
           "?scopes=" + PercentEncode(scopes);
  }

 protected:
  Result<Token> Fetch(int64_t now_us) override {
    HttpRequest request{"GET", url_, {{"Metadata-Flavor", "Google"}}, ""};
    HttpResponse response = transport_->Send(request);
    if (response.status != 0 && response.Header("metadata-flavor") != "Google") {
      return Error{ErrorKind::kAuth,
                   "metadata server: GET " + ShortUrl(url_) + ": HTTP " +
                       std::to_string(response.status) +
                       " without Metadata-Flavor: Google, so not a metadata server",
                   response.status};
    }
    if (response.status != 200) return FailedRequest("metadata server", request, response);
    return ParseOAuthToken("metadata server", response.body, now_us);
  }

 private:
  std::unique_ptr<HttpTransport> transport_;
  std::string url_;
};

Result<Ok> CheckExternalAccount(const Json& file, const std::string& where) {
  for (const char* key : {"audience", "subject_token_type", "token_url"}) {
    if (JsonString(file, key).empty()) {
      return AuthError(where + ": external_account without " + key);
    }
  }
  const Json& source = file.contains("credential_source") ? file["credential_source"] : Json();
  if (!source.is_object() ||
      (JsonString(source, "file").empty() && JsonString(source, "url").empty())) {
    return AuthError(where + ": credential_source names neither a file nor a url (AWS and "
                     "executable sources are not supported)");
  }
  const Json& format = source.contains("format") ? source["format"] : Json();
  const std::string type = JsonString(format, "type");
  if (!type.empty() && type != "text" && type != "json") {
    return AuthError(where + ": credential_source.format.type must be text or json");
  }
  if (type == "json" && JsonString(format, "subject_token_field_name").empty()) {
    return AuthError(where + ": credential_source.format of type json needs "
                     "subject_token_field_name");
  }
  return Ok{};
}

}  // namespace

Result<std::unique_ptr<GcpTokenSource>> NewExternalAccountSource(
    HttpTransport& transport, const std::string& text, const std::string& where,
    const GcpAuthOptions& options, const Clock& clock) {
  const Json file = Json::parse(text, nullptr, false);
  Result<Ok> checked = CheckExternalAccount(file, where);
  if (!checked) return checked.error();
  std::string url = JsonString(file, "service_account_impersonation_url");
  size_t b = url.find("serviceAccounts/"), e = url.rfind(':');
  std::string via = b == std::string::npos || e == std::string::npos || e < b
                        ? ""
                        : " as " + url.substr(b + 16, e - b - 16);
  return std::unique_ptr<GcpTokenSource>(new ExternalAccountSource(
      transport, file, options, clock,
      "workload identity federation (" + JsonString(file, "audience") + ")" + via + " from " +
          where));
}

std::unique_ptr<GcpTokenSource> NewMetadataSource(const std::string& host,
                                                  const GcpAuthOptions& options, Clock clock) {
  return std::make_unique<MetadataSource>(host, options, std::move(clock));
}

}  // namespace gcp_internal
}  // namespace triage
