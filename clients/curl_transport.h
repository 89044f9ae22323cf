// The real HttpTransport, over libcurl: plain http and https only, no
// redirects followed, bounded in time and memory. The only curl user.
#ifndef TRIAGE_CLIENTS_CURL_TRANSPORT_H_
#define TRIAGE_CLIENTS_CURL_TRANSPORT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "clients/http.h"

namespace triage {

struct CurlOptions {
  // Time to resolve the host and finish the TCP and TLS handshakes.
  int64_t connect_timeout_ms = 10000;
  // Time for the whole exchange, above GitHub's 10 s server-side cut-off
  // (github-rest-notes §1.1 "Server-side timeout") so that GitHub's own
  // "Server Error" answer arrives rather than our timeout.
  int64_t total_timeout_ms = 30000;
  // A larger (decoded) response body is a transport error, so that a
  // runaway answer cannot exhaust memory.
  size_t max_response_bytes = 32u << 20;
  // A CA bundle file to trust instead of the system's; "" for the system's.
  std::string ca_bundle_path;
};

// A transport that reuses one connection between requests when the server
// allows it. Send() follows the seam's contract (http.h) and also:
// - never follows a redirect: a 301/302/307 comes back as it is, with its
//   `location` header, for the client to decide (GitHub's 301 for a
//   transferred issue must stay visible);
// - keeps only the final response's headers (no 100 Continue, no proxy
//   CONNECT answer); a body of any method but GET and HEAD is sent as given,
//   an empty one with Content-Length: 0; "Expect: 100-continue" is never
//   added; curl's default form Content-Type is never added;
// - asks for compressed bodies and returns them decoded;
// - refuses, with status 0 and nothing sent, a URL that is not http(s) and
//   a header whose name or value holds a line break.
// transport_error names what failed in a short phrase ("connection
// refused", "timed out after 30 s") followed by curl's detail; it never
// holds a request header or body. Never throws. Calls curl_global_init once
// per process; never calls curl_global_cleanup.
std::unique_ptr<HttpTransport> NewCurlTransport(const CurlOptions& options = {});

// RFC 3986 percent-encoding by libcurl (curl_easy_escape), for a URL's path
// segment, query value or form field: every byte but the unreserved A-Z a-z
// 0-9 - . _ ~ becomes %XX (upper-case hex), '/' included, so a label or an
// owner stays one path segment (github-rest-notes §1.1), and a space is %20.
// Bytes, not characters: UTF-8 and NUL are encoded byte by byte. Throws
// std::bad_alloc only when curl cannot allocate.
std::string PercentEncode(std::string_view text);

}  // namespace triage

#endif  // TRIAGE_CLIENTS_CURL_TRANSPORT_H_
