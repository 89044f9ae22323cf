// The one seam for network I/O: a request, a response, and a transport
// that sends one and waits for the answer. The real transport is libcurl
// (curl_transport.h); tests aim it at fake servers on loopback.
#ifndef TRIAGE_CLIENTS_HTTP_H_
#define TRIAGE_CLIENTS_HTTP_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace triage {

struct HttpRequest {
  std::string method = "GET";             // GET, POST, PATCH, PUT, DELETE
  std::string url;                        // absolute, query included
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;                         // 0 when no HTTP answer came back
  // Header names in lower case, in the order received; a name may repeat.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Why no answer came back (refused, reset, timed out), or "" when one did.
  // Never holds a request header, so never the token.
  std::string transport_error;

  // The first header named `name` (lower case), or "".
  std::string Header(const std::string& name) const {
    for (const auto& [k, v] : headers) {
      if (k == name) return v;
    }
    return "";
  }
};

// Sends requests one at a time. Implementations are not thread-safe.
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // Never throws; a failure without an HTTP answer is status 0 with
  // transport_error set.
  virtual HttpResponse Send(const HttpRequest& request) = 0;
};

}  // namespace triage

#endif  // TRIAGE_CLIENTS_HTTP_H_
