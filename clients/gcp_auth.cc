#include "clients/gcp_auth.h"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "clients/gcp_auth_internal.h"

// The ordered search of Application Default Credentials (gcp-logging-notes
// §5), and the sources it finds itself: a token given directly, a
// credentials file (a service-account key, user credentials or workload
// identity federation), and, last, the metadata server.

namespace triage {
namespace gcp_internal {
namespace {

using Json = nlohmann::json;

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

// Refresh-token grant for gcloud's user credentials (notes §5.3).
class AuthorizedUserSource : public CachedSource {
 public:
  AuthorizedUserSource(HttpTransport& transport, const Json& file, const GcpAuthOptions& options,
                       Clock clock, std::string description)
      : CachedSource(std::move(clock), options.refresh_margin_s, std::move(description)),
        transport_(transport), client_id_(JsonString(file, "client_id")),
        client_secret_(JsonString(file, "client_secret")),
        refresh_token_(JsonString(file, "refresh_token")),
        quota_project_(JsonString(file, "quota_project_id")) {
    token_uri_ = !options.authorized_user_token_uri.empty() ? options.authorized_user_token_uri
                 : !JsonString(file, "token_uri").empty()          ? JsonString(file, "token_uri")
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
  const std::string type = JsonString(file, "type");
  if (type == "service_account") {
    for (const char* key : {"client_email", "private_key"}) {
      if (JsonString(file, key).empty()) {
        return AuthError(where + ": service_account without " + key);
      }
    }
    const ServiceAccountKey key{JsonString(file, "client_email"), JsonString(file, "private_key"),
                                JsonString(file, "private_key_id"), JsonString(file, "token_uri"),
                                JsonString(file, "project_id")};
    return NewServiceAccountSource(transport, key, where, options, clock);
  }
  if (type == "authorized_user") {
    for (const char* key : {"client_id", "client_secret", "refresh_token"}) {
      if (JsonString(file, key).empty()) {
        return AuthError(where + ": authorized_user without " + key);
      }
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

// What the finders share: where to look, and what was tried so far.
struct Search {
  HttpTransport& transport;
  const GcpAuthOptions& options;
  const Clock& clock;
  std::vector<std::string> tried;  // for the message when nothing is found

  std::string Env(const char* name) const { return options.getenv ? options.getenv(name) : ""; }
};

// A finder returns the source it found, or an error for a source that is
// named but broken; nullopt, after noting in `tried` what it looked at,
// when its source does not apply.
using Found = std::optional<Result<SourcePtr>>;

// 1. A token given directly.
Found FindDirectToken(Search& s) {
  if (!s.options.access_token_file.empty()) {
    return DirectFromFile("--access-token-file", s.options.access_token_file);
  }
  s.tried.push_back("--access-token-file (not given)");
  if (std::string path = s.Env("CLOUDSDK_AUTH_ACCESS_TOKEN_FILE"); !path.empty()) {
    return DirectFromFile("$CLOUDSDK_AUTH_ACCESS_TOKEN_FILE", path);
  }
  s.tried.push_back("$CLOUDSDK_AUTH_ACCESS_TOKEN_FILE (unset)");
  if (std::string token = Trim(s.Env("GOOGLE_OAUTH_ACCESS_TOKEN")); !token.empty()) {
    return SourcePtr(new DirectSource(token, "", "access token from $GOOGLE_OAUTH_ACCESS_TOKEN"));
  }
  s.tried.push_back("$GOOGLE_OAUTH_ACCESS_TOKEN (unset)");
  return std::nullopt;
}

// 2. A credentials file named by the environment.
Found FindEnvironmentFile(Search& s) {
  if (std::string path = s.Env("GOOGLE_APPLICATION_CREDENTIALS"); !path.empty()) {
    return LoadCredentialsFile(s.transport, "$GOOGLE_APPLICATION_CREDENTIALS (" + path + ")",
                               path, s.options, s.clock);
  }
  s.tried.push_back("$GOOGLE_APPLICATION_CREDENTIALS (unset)");
  return std::nullopt;
}

// 3. gcloud's well-known file.
Found FindGcloudFile(Search& s) {
  std::string dir = s.options.config_dir;
  if (dir.empty()) dir = s.Env("CLOUDSDK_CONFIG");
  if (dir.empty() && !s.Env("HOME").empty()) dir = s.Env("HOME") + "/.config/gcloud";
  if (dir.empty()) {
    s.tried.push_back("gcloud's application_default_credentials.json ($HOME unset)");
    return std::nullopt;
  }
  if (dir.back() != '/') dir += '/';
  const std::string path = dir + "application_default_credentials.json";
  if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
    std::fclose(f);
    return LoadCredentialsFile(s.transport, "gcloud's file " + path, path, s.options, s.clock);
  }
  s.tried.push_back("gcloud's file " + path + " (" + std::strerror(errno) + ")");
  return std::nullopt;
}

// 4. The metadata server, last: absent on GitHub-hosted runners.
Found FindMetadataServer(Search& s) {
  std::string no_check = s.Env("NO_GCE_CHECK");
  for (char& ch : no_check) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (no_check == "true") {
    s.tried.push_back("metadata server (skipped: $NO_GCE_CHECK)");
    return std::nullopt;
  }
  std::string host = s.options.metadata_host;
  if (host.empty()) host = s.Env("GCE_METADATA_HOST");
  if (host.empty()) host = "metadata.google.internal";
  SourcePtr metadata = NewMetadataSource(host, s.options, s.clock);
  Result<std::string> token = metadata->AccessToken(false);
  if (token) return SourcePtr(std::move(metadata));
  s.tried.push_back(token.error().message);
  return std::nullopt;
}

}  // namespace
}  // namespace gcp_internal

using gcp_internal::AuthError;
using gcp_internal::Found;
using gcp_internal::Search;

Result<std::unique_ptr<GcpTokenSource>> FindGcpCredentials(HttpTransport& transport,
                                                           const GcpAuthOptions& options,
                                                           std::function<int64_t()> clock) {
  Search search{transport, options, clock, {}};
  // In Application Default Credentials' order.
  for (Found (*find)(Search&) :
       {gcp_internal::FindDirectToken, gcp_internal::FindEnvironmentFile,
        gcp_internal::FindGcloudFile, gcp_internal::FindMetadataServer}) {
    if (Found found = find(search)) return std::move(*found);
  }
  std::string list;
  for (const std::string& t : search.tried) list += (list.empty() ? "" : "; ") + t;
  return AuthError(
      "none found. Tried: " + list +
      ". To fix: in GitHub Actions run google-github-actions/auth before this step; locally run "
      "`gcloud auth application-default login`; or pass --access-token-file with the output of "
      "`gcloud auth print-access-token`");
}

}  // namespace triage
