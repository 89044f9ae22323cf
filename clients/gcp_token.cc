#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "clients/curl_transport.h"
#include "clients/gcp_auth_internal.h"

// What every Google credential source shares (gcp_auth_internal.h): the
// requests to token endpoints, their answers and errors, and the cache.

namespace triage {
namespace gcp_internal {
namespace {

using Json = nlohmann::json;

// Google's own words from an error answer: `error`/`error_description` from
// OAuth endpoints, `status`/`message` from REST APIs. Never echoes other text.
std::string GoogleErrorText(const std::string& body) {
  Json j = Json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("error")) {
    return "no Google error in the answer (" + std::to_string(body.size()) + " bytes)";
  }
  const Json& e = j["error"];
  if (e.is_object()) return JsonString(e, "status") + ": " + JsonString(e, "message");
  std::string desc = JsonString(j, "error_description");
  return JsonString(j, "error") + (desc.empty() ? "" : ": " + desc);
}

}  // namespace

std::string JsonString(const Json& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

Error AuthError(std::string message) {
  return Error{ErrorKind::kAuth, "Google credentials: " + std::move(message), 0};
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
  std::string token = JsonString(j, "access_token");
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

}  // namespace gcp_internal
}  // namespace triage
