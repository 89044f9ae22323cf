// Google credentials without an SDK: finds one credential in Application
// Default Credentials order (gcp-logging-notes §5) and turns it into access
// tokens over the HttpTransport seam. A service-account key's JWT is signed
// with OpenSSL (gcp_service_account.cc, the only OpenSSL user in clients/).
#ifndef TRIAGE_CLIENTS_GCP_AUTH_H_
#define TRIAGE_CLIENTS_GCP_AUTH_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "bot/base/result.h"
#include "clients/http.h"

namespace triage {

struct GcpAuthOptions {
  // --access-token-file: a file holding an access token; beats every other
  // source. "" when not given.
  std::string access_token_file;
  // Reads an environment variable; "" when unset. Null reads nothing.
  std::function<std::string(const std::string&)> getenv;
  // Where gcloud keeps application_default_credentials.json; "" for
  // $CLOUDSDK_CONFIG, else $HOME/.config/gcloud.
  std::string config_dir;
  // host[:port] of the metadata server; "" for $GCE_METADATA_HOST, else
  // metadata.google.internal. $NO_GCE_CHECK=true skips the server.
  std::string metadata_host;
  // Connect timeout for the metadata server; the whole exchange may take
  // five times this. Keeps the last, usually absent, source cheap.
  int64_t metadata_timeout_ms = 1000;
  // OAuth scope asked for (space-separated when several).
  std::string scope = "https://www.googleapis.com/auth/logging.read";
  // A cached token is used until this long before its expiry (Google's
  // own libraries use 3 min 45 s, notes §5.1), capped at half its lifetime.
  int64_t refresh_margin_s = 225;
  // Token endpoint for authorized_user files; "" for the file's token_uri,
  // else https://oauth2.googleapis.com/token.
  std::string authorized_user_token_uri;
};

// One credential, found once. Not thread-safe (nor is the transport).
class GcpTokenSource {
 public:
  virtual ~GcpTokenSource() = default;
  // A valid access token, cached until refresh_margin_s before expiry,
  // fetched again then, or at once when `force_refresh` (after a 401). A
  // token given directly cannot be refreshed: a forced refresh re-reads its
  // file and fails with kAuth if the token is unchanged. Errors: kTransport
  // (no answer), kHttp (5xx after one immediate resend), kAuth (refused,
  // with Google's error and error_description). Never holds a secret.
  virtual Result<std::string> AccessToken(bool force_refresh) = 0;
  // What this credential is and where it came from, e.g. "service account
  // key x@y.iam.gserviceaccount.com from $GOOGLE_APPLICATION_CREDENTIALS
  // (/path/key.json)". Never a secret.
  virtual std::string Description() const = 0;
  // For user credentials with a quota_project_id: send it as
  // x-goog-user-project on API calls (notes §5.3). "" otherwise.
  virtual std::string QuotaProject() const { return ""; }
  // The key file's project_id, a fallback for the project to read. "" if none.
  virtual std::string ProjectId() const { return ""; }
};

// Tries the ADC sources in order and returns the first that applies:
// 1. a token given directly: options.access_token_file, the file named by
//    $CLOUDSDK_AUTH_ACCESS_TOKEN_FILE, $GOOGLE_OAUTH_ACCESS_TOKEN;
// 2. the JSON file named by $GOOGLE_APPLICATION_CREDENTIALS, of type
//    service_account, authorized_user or external_account;
// 3. gcloud's application_default_credentials.json (same types);
// 4. the metadata server, asked for a token now (a genuine one answers
//    with Metadata-Flavor: Google).
// A source that is named but broken (a missing or malformed file, an
// unknown type, a bad PEM key) is an error at once, not skipped. When none
// applies: kAuth listing everything tried and how to fix it. Sources 1-3
// make no request here. Tokens are fetched through `transport`, which must
// outlive the result; the metadata server gets its own curl transport with
// short timeouts. `clock` gives microseconds since the epoch.
Result<std::unique_ptr<GcpTokenSource>> FindGcpCredentials(
    HttpTransport& transport, const GcpAuthOptions& options,
    std::function<int64_t()> clock);

}  // namespace triage

#endif  // TRIAGE_CLIENTS_GCP_AUTH_H_
