#include "clients/curl_transport.h"

#include <algorithm>
#include <cerrno>
#include <initializer_list>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <curl/curl.h>

namespace triage {
namespace {

using SlistPtr = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

// What the callbacks fill in during one transfer.
struct Exchange {
  HttpResponse response;
  size_t max_body = 0;
  bool body_too_large = false;
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' ||
                        s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// curl passes every header line of every response it reads: a 100
// Continue, a proxy's CONNECT answer, then the final one. Each begins with
// its status line, so a status line starts the list afresh.
size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto& headers = static_cast<Exchange*>(user)->response.headers;
  const size_t n = size * count;
  std::string_view line(data, n);
  if (line.rfind("HTTP/", 0) == 0) {
    headers.clear();
  } else if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
    // An obsolete folded continuation of the previous header's value.
    if (!headers.empty()) headers.back().second.append(" ").append(Trim(line));
  } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
    headers.emplace_back(Lower(Trim(line.substr(0, colon))),
                         std::string(Trim(line.substr(colon + 1))));
  }
  return n;
}

// Returning less than was given makes curl abort with CURLE_WRITE_ERROR.
size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const size_t n = size * count;
  if (n > exchange->max_body - exchange->response.body.size()) {
    exchange->body_too_large = true;
    return 0;
  }
  exchange->response.body.append(data, n);
  return n;
}

bool HasLineBreak(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

// Why the request cannot be sent as given, or nothing. Names a bad header
// by its name only: values may be secrets.
std::optional<std::string> CheckRequest(const HttpRequest& request) {
  if (request.method.empty() ||
      request.method.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string::npos) {
    return "invalid request method (want upper-case letters only)";
  }
  for (const auto& [name, value] : request.headers) {
    if (name.empty() || HasLineBreak(name) || name.find(':') != std::string::npos) {
      return "invalid request header name";
    }
    if (HasLineBreak(value)) {
      return "request header '" + name + "' has a line break in its value";
    }
  }
  return std::nullopt;
}

bool HasHeader(const HttpRequest& request, std::string_view lower_name) {
  for (const auto& header : request.headers) {
    if (Lower(header.first) == lower_name) return true;
  }
  return false;
}

// The request's headers, plus the two that switch off curl's defaults:
// "Expect: 100-continue" (a wasted round trip) and the form Content-Type
// that curl puts on every body. Null when out of memory.
SlistPtr BuildHeaders(const HttpRequest& request) {
  SlistPtr list(nullptr, &curl_slist_free_all);
  bool ok = true;
  auto append = [&list, &ok](const std::string& line) {
    curl_slist* grown = ok ? curl_slist_append(list.get(), line.c_str()) : nullptr;
    ok = grown != nullptr;
    if (ok) {
      list.release();  // `grown` is the same list, or a new one if it was empty
      list.reset(grown);
    }
  };
  for (const auto& [name, value] : request.headers) {
    // curl drops "Name:" with no value; "Name;" sends it empty.
    append(value.empty() ? name + ";" : name + ": " + value);
  }
  if (!HasHeader(request, "expect")) append("Expect:");
  if (!HasHeader(request, "content-type")) append("Content-Type:");
  if (!ok) list.reset();
  return list;
}

CURLcode FirstError(std::initializer_list<CURLcode> codes) {
  for (CURLcode code : codes) {
    if (code != CURLE_OK) return code;
  }
  return CURLE_OK;
}

CURLcode SetMethodAndBody(CURL* handle, const HttpRequest& request) {
  if (request.method == "HEAD") return curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
  if (request.method == "GET" && request.body.empty()) {
    return curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);
  }
  // The body is not copied: `request` outlives the transfer.
  return FirstError({
      curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size())),
      curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.data()),
      request.method == "POST"
          ? CURLE_OK
          : curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str()),
  });
}

CURLcode RestrictProtocols(CURL* handle) {
#if LIBCURL_VERSION_NUM >= 0x075500  // 7.85.0 added _STR and deprecated the bitmask.
  return curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
#else
  return curl_easy_setopt(handle, CURLOPT_PROTOCOLS,
                          static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
}

std::string FormatMillis(int64_t ms) {
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

HttpResponse Failure(std::string message) {
  HttpResponse response;
  response.transport_error = std::move(message);
  return response;
}

// Owns one curl easy handle, reused (reset) for each request so that its
// connection cache survives: neither copyable nor movable.
class CurlTransport final : public HttpTransport {
 public:
  explicit CurlTransport(const CurlOptions& options);
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  HttpResponse Send(const HttpRequest& request) override;

 private:
  CURLcode Configure(const HttpRequest& request, curl_slist* headers, Exchange* exchange,
                     char* error_buffer);
  std::string Describe(CURLcode code, const Exchange& exchange, const char* error_buffer);
  std::string Summary(CURLcode code, const Exchange& exchange);

  const CurlOptions options_;
  CURL* const handle_;
};

bool GlobalInit() {
  // Once per process; a function-local static is initialised thread-safely,
  // which curl before 7.84 needs.
  static const bool ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  return ok;
}

CurlTransport::CurlTransport(const CurlOptions& options)
    : options_(options), handle_(GlobalInit() ? curl_easy_init() : nullptr) {}

CurlTransport::~CurlTransport() {
  if (handle_ != nullptr) curl_easy_cleanup(handle_);
}

HttpResponse CurlTransport::Send(const HttpRequest& request) {
  if (handle_ == nullptr) return Failure("libcurl could not be initialised");
  if (std::optional<std::string> bad = CheckRequest(request)) return Failure(*bad);
  SlistPtr headers = BuildHeaders(request);
  if (headers == nullptr) return Failure("out of memory building the request headers");

  Exchange exchange;
  exchange.max_body = options_.max_response_bytes;
  char error_buffer[CURL_ERROR_SIZE] = {};
  CURLcode code = Configure(request, headers.get(), &exchange, error_buffer);
  if (code == CURLE_OK) code = curl_easy_perform(handle_);
  if (code == CURLE_OK) {
    long status = 0;
    curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &status);
    exchange.response.status = static_cast<int>(status);
  } else {
    exchange.response = Failure(Describe(code, exchange, error_buffer));
  }
  // Drops the handle's pointers into this frame, `headers` and `request`
  // (curl may report into the error buffer even while closing), and keeps
  // its live connections.
  curl_easy_reset(handle_);
  return std::move(exchange.response);
}

CURLcode CurlTransport::Configure(const HttpRequest& request, curl_slist* headers,
                                  Exchange* exchange, char* error_buffer) {
  CURL* h = handle_;
  return FirstError({
      curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer),
      RestrictProtocols(h),
      curl_easy_setopt(h, CURLOPT_URL, request.url.c_str()),
      curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L),
      curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L),
      curl_easy_setopt(h, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L),
      curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                       static_cast<long>(options_.connect_timeout_ms)),
      curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout_ms)),
      curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, ""),  // every encoding curl decodes
      curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers),
      curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, OnHeader),
      curl_easy_setopt(h, CURLOPT_HEADERDATA, exchange),
      curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnBody),
      curl_easy_setopt(h, CURLOPT_WRITEDATA, exchange),
      options_.ca_bundle_path.empty()
          ? CURLE_OK
          : curl_easy_setopt(h, CURLOPT_CAINFO, options_.ca_bundle_path.c_str()),
      // libcurl resends a request once, silently, when a reused keep-alive
      // connection closes before any answer byte; a POST that the server
      // stored would then be stored twice. A new connection for every POST
      // makes that failure visible (status 0), so the client reads back first.
      curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, request.method == "POST" ? 1L : 0L),
      SetMethodAndBody(h, request),
  });
}

// "<what happened>: <curl's own detail>". curl's error buffer names the
// host, port and phase, never a request header.
std::string CurlTransport::Describe(CURLcode code, const Exchange& exchange,
                                    const char* error_buffer) {
  std::string summary = Summary(code, exchange);
  std::string_view detail = Trim(error_buffer);
  if (detail.empty()) detail = curl_easy_strerror(code);
  return summary + ": " + std::string(detail);
}

std::string CurlTransport::Summary(CURLcode code, const Exchange& exchange) {
  long os_errno = 0;
  curl_easy_getinfo(handle_, CURLINFO_OS_ERRNO, &os_errno);
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST: return "could not resolve host";
    case CURLE_COULDNT_RESOLVE_PROXY: return "could not resolve proxy";
    case CURLE_COULDNT_CONNECT:
      return os_errno == ECONNREFUSED ? "connection refused" : "could not connect";
    case CURLE_OPERATION_TIMEDOUT: {
      curl_off_t elapsed_us = 0;
      curl_easy_getinfo(handle_, CURLINFO_TOTAL_TIME_T, &elapsed_us);
      const bool connecting = options_.connect_timeout_ms < options_.total_timeout_ms &&
                              elapsed_us < options_.total_timeout_ms * 1000;
      return connecting ? "connect timed out after " + FormatMillis(options_.connect_timeout_ms)
                        : "timed out after " + FormatMillis(options_.total_timeout_ms);
    }
    case CURLE_SEND_ERROR: return "connection lost while sending the request";
    case CURLE_RECV_ERROR:
      return os_errno == ECONNRESET ? "connection reset by peer"
                                    : "connection lost while reading the response";
    case CURLE_GOT_NOTHING: return "server closed the connection without answering";
    case CURLE_PARTIAL_FILE: return "connection closed before the response was complete";
    case CURLE_WRITE_ERROR:
      if (exchange.body_too_large) {
        return "response body larger than " + std::to_string(options_.max_response_bytes) +
               " bytes";
      }
      return "could not store the response";
    case CURLE_UNSUPPORTED_PROTOCOL: return "only http and https URLs are allowed";
    case CURLE_URL_MALFORMAT: return "malformed URL";
    case CURLE_SSL_CONNECT_ERROR: return "TLS handshake failed";
    case CURLE_PEER_FAILED_VERIFICATION: return "server certificate not trusted";
    case CURLE_SSL_CACERT_BADFILE: return "cannot read the CA bundle";
    case CURLE_BAD_CONTENT_ENCODING: return "cannot decode the compressed response";
    default: return "transfer failed";
  }
}

}  // namespace

std::unique_ptr<HttpTransport> NewCurlTransport(const CurlOptions& options) {
  return std::make_unique<CurlTransport>(options);
}

std::string PercentEncode(std::string_view text) {
  // curl takes an int length, and 0 means strlen: long text goes in
  // slices, which encode alike since every byte is encoded alone.
  constexpr size_t kSlice = size_t{1} << 20;
  std::string out;
  for (size_t at = 0; at < text.size(); at += kSlice) {
    const size_t n = std::min(kSlice, text.size() - at);
    // The handle is ignored since curl 7.82 (Debian 12 has 7.88).
    char* escaped = curl_easy_escape(nullptr, text.data() + at, static_cast<int>(n));
    if (escaped == nullptr) throw std::bad_alloc();
    out += escaped;
    curl_free(escaped);
  }
  return out;
}

}  // namespace triage
