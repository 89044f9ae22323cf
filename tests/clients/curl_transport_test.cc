#include "clients/curl_transport.h"

#include <doctest/doctest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <iterator>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/fake_github.h"
#include "tests/support/loopback_server.h"
#include "tests/support/refusing_port.h"

namespace triage {
namespace {

constexpr char kToken[] = "ghp_FAKEfake0123456789TOKEN";

struct SeenRequest {
  std::string method;
  std::string path;
  std::string query;
  httplib::Headers headers;  // case-insensitive lookup
  std::string body;
};

std::string HeaderOf(const SeenRequest& seen, const std::string& name) {
  auto it = seen.headers.find(name);
  return it == seen.headers.end() ? "<absent>" : it->second;
}

// Handlers run on the server's threads: every request they saw, locked.
class Recorder {
 public:
  void Record(const httplib::Request& request) {
    const size_t mark = request.target.find('?');
    std::lock_guard<std::mutex> lock(mu_);
    seen_.push_back({request.method, request.path,
                     mark == std::string::npos ? "" : request.target.substr(mark + 1),
                     request.headers, request.body});
  }
  std::vector<SeenRequest> Seen() const {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<SeenRequest> seen_;
};

// Holds a handler until the test lets it go, for at most five seconds.
class Gate {
 public:
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(5), [this] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

using testing::RefusingPort;

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

HttpRequest Get(const std::string& url) {
  HttpRequest request;
  request.url = url;
  request.headers = {{"Authorization", std::string("Bearer ") + kToken},
                     {"User-Agent", "gcp-log-gardener/test"}};
  return request;
}

// Every failure: no answer, nothing kept, and never the token.
void CheckFailed(const HttpResponse& response, const std::string& error_prefix) {
  INFO("transport_error: " << response.transport_error);
  CHECK(response.status == 0);
  CHECK(StartsWith(response.transport_error, error_prefix));
  CHECK(response.transport_error.find(kToken) == std::string::npos);
  CHECK(response.transport_error.find("Authorization") == std::string::npos);
  CHECK(response.headers.empty());
  CHECK(response.body.empty());
}

TEST_CASE("Send delivers method, path, query, headers and body; one handle serves all") {
  Recorder recorder;
  LoopbackServer server([&recorder](httplib::Server& s) {
    auto handler = [&recorder](const httplib::Request& request, httplib::Response& response) {
      recorder.Record(request);
      response.set_content("{}", "application/json");
    };
    s.Get("/repos/o/r/issues", handler).Post("/repos/o/r/issues", handler);
    s.Patch("/repos/o/r/issues", handler).Put("/repos/o/r/issues", handler);
    s.Delete("/repos/o/r/issues", handler);
  });
  REQUIRE(server.port() > 0);
  const std::string query = "state=all&labels=gcp%20gardener&per_page=100";
  struct Case {
    const char* method;
    const char* body;
    const char* content_type;  // sent, or nullptr for none
  };
  const Case cases[] = {
      {"GET", "", nullptr},
      {"POST", R"({"title":"t","labels":["gcp-gardener"]})", "application/json"},
      {"GET", "", nullptr},  // nothing left over from the POST
      {"PATCH", R"({"state":"closed"})", "application/json"},
      {"PUT", "", nullptr},
      {"DELETE", "", nullptr},
      {"POST", "", nullptr},
  };
  std::unique_ptr<HttpTransport> transport = NewCurlTransport();
  for (const Case& c : cases) {
    INFO("method: " << std::string(c.method));
    HttpRequest request = Get(server.Url("/repos/o/r/issues?" + query));
    request.method = c.method;
    request.body = c.body;
    request.headers.push_back({"Accept", "application/vnd.github+json"});
    if (c.content_type != nullptr) request.headers.push_back({"Content-Type", c.content_type});
    const HttpResponse response = transport->Send(request);
    CHECK(response.transport_error == "");
    CHECK(response.status == 200);
    CHECK(response.body == "{}");
    const SeenRequest seen = recorder.Seen().back();
    CHECK(seen.method == c.method);
    CHECK(seen.path == "/repos/o/r/issues");
    CHECK(seen.query == query);
    CHECK(seen.body == c.body);
    CHECK(HeaderOf(seen, "Authorization") == std::string("Bearer ") + kToken);
    CHECK(HeaderOf(seen, "User-Agent") == "gcp-log-gardener/test");
    CHECK(HeaderOf(seen, "Accept") == "application/vnd.github+json");
    CHECK(HeaderOf(seen, "Content-Type") == (c.content_type ? c.content_type : "<absent>"));
    // Every body but a GET's is framed, an empty one too.
    CHECK(HeaderOf(seen, "Content-Length") ==
          (seen.method == "GET" ? "<absent>" : std::to_string(std::strlen(c.body))));
    CHECK(HeaderOf(seen, "Expect") == "<absent>");
  }
  CHECK(recorder.Seen().size() == std::size(cases));
}

// One connection on loopback answered with exactly `response`'s bytes: a
// response no HTTP library would write (repeated and padded headers), and
// the same on every httplib version (0.11 keeps headers in order and as
// given, 0.18 in a hash map and refuses padded values).
class RawResponder {
 public:
  explicit RawResponder(std::string response) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    auto* raw = reinterpret_cast<sockaddr*>(&address);
    if (fd_ < 0 || bind(fd_, raw, size) != 0 || getsockname(fd_, raw, &size) != 0 ||
        listen(fd_, 1) != 0) {
      return;
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this, response = std::move(response)] {
      const int client = accept(fd_, nullptr, nullptr);
      if (client < 0) return;
      std::string request;
      char buffer[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        const ssize_t n = read(client, buffer, sizeof buffer);
        if (n <= 0) break;
        request.append(buffer, static_cast<size_t>(n));
      }
      for (size_t done = 0; done < response.size();) {
        const ssize_t n = write(client, response.data() + done, response.size() - done);
        if (n <= 0) break;
        done += static_cast<size_t>(n);
      }
      close(client);
    });
  }
  ~RawResponder() {
    if (fd_ >= 0) shutdown(fd_, SHUT_RDWR);
    if (thread_.joinable()) thread_.join();
    if (fd_ >= 0) close(fd_);
  }
  RawResponder(const RawResponder&) = delete;
  RawResponder& operator=(const RawResponder&) = delete;
  int port() const { return port_; }

 private:
  int fd_;
  int port_ = -1;
  std::thread thread_;
};

TEST_CASE("Send returns status, every header lower-cased in order, and the body") {
  RawResponder server(
      "HTTP/1.1 201 Created\r\n"
      "X-Multi: first\r\n"
      "Content-Type: text/plain\r\n"
      "X-Multi: second\r\n"
      "X-MiXeD-Case:   padded value \r\n"
      "Content-Length: 5\r\n"
      "Connection: close\r\n"
      "\r\n"
      "hello");
  REQUIRE(server.port() > 0);
  const HttpResponse response =
      NewCurlTransport()->Send(Get("http://127.0.0.1:" + std::to_string(server.port()) + "/headers"));
  CHECK(response.transport_error == "");
  CHECK(response.status == 201);
  CHECK(response.body == "hello");
  std::vector<std::string> names;
  std::vector<std::string> multi;
  for (const auto& [name, value] : response.headers) {
    names.push_back(name);
    if (name == "x-multi") multi.push_back(value);
  }
  CHECK(names == std::vector<std::string>{"x-multi", "content-type", "x-multi", "x-mixed-case",
                                          "content-length", "connection"});
  CHECK(multi == std::vector<std::string>{"first", "second"});
  CHECK(response.Header("x-mixed-case") == "padded value");
  CHECK(response.Header("content-type") == "text/plain");
}

TEST_CASE("Send returns a 301 as it is, without following it") {
  Recorder recorder;
  LoopbackServer server([&recorder](httplib::Server& s) {
    auto handler = [&recorder](const httplib::Request& request, httplib::Response& response) {
      recorder.Record(request);
      if (request.path == "/repos/o/r/issues/7") {
        response.set_redirect("/repositories/42/issues/7", 301);
      } else {
        response.set_content("{}", "application/json");
      }
    };
    s.Get("/repos/o/r/issues/7", handler).Get("/repositories/42/issues/7", handler);
  });
  REQUIRE(server.port() > 0);
  const HttpResponse response = NewCurlTransport()->Send(Get(server.Url("/repos/o/r/issues/7")));
  CHECK(response.status == 301);
  CHECK(response.Header("location") == "/repositories/42/issues/7");
  CHECK(recorder.Seen().size() == 1);
}

TEST_CASE("Send keeps only the final headers after a 100 Continue") {
  Recorder recorder;
  LoopbackServer server([&recorder](httplib::Server& s) {
    s.Post("/upload", [&recorder](const httplib::Request& request, httplib::Response& response) {
      recorder.Record(request);
      response.set_header("X-Final", "yes");
      response.set_content("ok", "text/plain");
    });
  });
  REQUIRE(server.port() > 0);
  HttpRequest request = Get(server.Url("/upload"));
  request.method = "POST";
  request.headers.push_back({"Expect", "100-continue"});  // the server answers 100 first
  request.body = R"({"a":1})";
  const HttpResponse response = NewCurlTransport()->Send(request);
  CHECK(response.status == 200);
  CHECK(response.body == "ok");
  CHECK(response.Header("x-final") == "yes");
  CHECK(recorder.Seen().at(0).body == request.body);
}

TEST_CASE("Send receives a large body whole, and refuses one over the limit") {
  std::string big;
  for (int i = 0; big.size() < (5u << 20); ++i) big += "line " + std::to_string(i) + "\n";
  LoopbackServer server([&big](httplib::Server& s) {
    // Not a text type, so that httplib does not spend seconds compressing it.
    s.Get("/big", [&big](const httplib::Request&, httplib::Response& response) {
      response.set_content(big, "application/octet-stream");
    });
  });
  REQUIRE(server.port() > 0);
  const HttpResponse whole = NewCurlTransport()->Send(Get(server.Url("/big")));
  CHECK(whole.status == 200);
  CHECK(whole.body.size() == big.size());
  CHECK(whole.body == big);

  CurlOptions small;
  small.max_response_bytes = 1000;
  CheckFailed(NewCurlTransport(small)->Send(Get(server.Url("/big"))),
              "response body larger than 1000 bytes: ");
}

TEST_CASE("Send returns a compressed body decoded") {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "{\"n\":" + std::to_string(i) + "}\n";
  LoopbackServer server([&text](httplib::Server& s) {
    s.Get("/json", [&text](const httplib::Request&, httplib::Response& response) {
      response.set_content(text, "application/json");
    });
  });
  REQUIRE(server.port() > 0);
  const HttpResponse response = NewCurlTransport()->Send(Get(server.Url("/json")));
  CHECK(response.status == 200);
  CHECK(response.Header("content-encoding") != "");
  CHECK(response.body == text);
}

TEST_CASE("Send reports a refused connection without the token") {
  RefusingPort refusing;
  REQUIRE(refusing.port() > 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(refusing.port()) + "/x";
  CheckFailed(NewCurlTransport()->Send(Get(url)), "connection refused: ");
}

TEST_CASE("Send reports a connection closed in the middle of the body") {
  LoopbackServer server([](httplib::Server& s) {
    s.Get("/cut", [](const httplib::Request&, httplib::Response& response) {
      response.set_content_provider(
          1000, "application/octet-stream",
          [](size_t offset, size_t, httplib::DataSink& sink) {
            if (offset > 0) return false;  // abort: the server closes the socket
            sink.write("0123456789", 10);
            return true;
          });
    });
  });
  REQUIRE(server.port() > 0);
  CheckFailed(NewCurlTransport()->Send(Get(server.Url("/cut"))),
              "connection closed before the response was complete: ");
}

TEST_CASE("Send gives up on a server slower than the total timeout") {
  Gate gate;
  LoopbackServer server([&gate](httplib::Server& s) {
    s.Get("/slow", [&gate](const httplib::Request&, httplib::Response& response) {
      gate.Wait();
      response.set_content("late", "text/plain");
    });
  });
  struct OpenOnExit {
    Gate& gate;
    ~OpenOnExit() { gate.Open(); }  // before the server stops and joins
  } open_on_exit{gate};
  REQUIRE(server.port() > 0);
  CurlOptions options;
  options.total_timeout_ms = 200;
  CheckFailed(NewCurlTransport(options)->Send(Get(server.Url("/slow"))),
              "timed out after 200 ms: ");
}

TEST_CASE("Send refuses, before sending, what it must not send") {
  Recorder recorder;
  LoopbackServer server([&recorder](httplib::Server& s) {
    s.Get("/x", [&recorder](const httplib::Request& request, httplib::Response&) {
      recorder.Record(request);
    });
  });
  REQUIRE(server.port() > 0);
  std::unique_ptr<HttpTransport> transport = NewCurlTransport();

  HttpRequest injected = Get(server.Url("/x"));
  injected.headers.push_back({"X-Evil", "a\r\nInjected: yes"});
  CheckFailed(transport->Send(injected), "request header 'X-Evil' has a line break in its value");

  HttpRequest bad_method = Get(server.Url("/x"));
  bad_method.method = "GET /other";
  CheckFailed(transport->Send(bad_method), "invalid request method");

  for (const char* url : {"file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/"}) {
    INFO("url: " << std::string(url));
    CheckFailed(transport->Send(Get(url)), "only http and https URLs are allowed: ");
  }
  CHECK(recorder.Seen().empty());
}

}  // namespace
}  // namespace triage

namespace triage {
namespace {

// libcurl resends a request on its own when a reused connection closes
// before any answer: harmless for a GET, a duplicate issue for a POST.
TEST_CASE("Send never resends a POST that the server stored and then dropped") {
  testing::FakeGitHub github;
  auto transport = NewCurlTransport();
  auto request = [&](const std::string& method, const std::string& path, const std::string& body) {
    HttpRequest r;
    r.method = method;
    r.url = github.base_url() + path;
    r.headers = {{"Authorization", "Bearer test-token"}, {"User-Agent", "gcp-log-gardener-test"},
                 {"Content-Type", "application/json"}};
    r.body = body;
    return transport->Send(r);
  };
  REQUIRE(request("GET", "/repos/octo/repo/issues", "").status == 200);  // a kept-alive connection
  github.FailNth(1, testing::Fault{testing::FaultKind::kDrop, 0, true});
  HttpResponse created = request("POST", "/repos/octo/repo/issues", R"({"title":"Disk full"})");
  CHECK(created.status == 0);
  CHECK(created.transport_error.find("test-token") == std::string::npos);
  CHECK(github.Issues("octo/repo").size() == 1);  // stored once, and the caller knows it failed
  // A GET on a dropped reused connection may be resent: it changes nothing.
  github.FailNth(1, testing::Fault{testing::FaultKind::kDrop, 0, false});
  request("GET", "/repos/octo/repo/issues", "");
  CHECK(github.Issues("octo/repo").size() == 1);
}

TEST_CASE("PercentEncode escapes every byte but the unreserved characters") {
  struct Row {
    std::string text;
    std::string encoded;
  };
  const Row rows[] = {
      {"gardener", "gardener"},
      {"AZaz09-._~", "AZaz09-._~"},
      {"needs triage", "needs%20triage"},
      {"area/db", "area%2Fdb"},
      {"a,b", "a%2Cb"},
      {"p1: crash?", "p1%3A%20crash%3F"},
      {"100%", "100%25"},
      // RFC 3986's reserved characters, gen-delims then sub-delims: '+' is
      // not a space and '&', '=' and '#' cannot end a query value early.
      {":/?#[]@", "%3A%2F%3F%23%5B%5D%40"},
      {"!$&'()*+,;=", "%21%24%26%27%28%29%2A%2B%2C%3B%3D"},
      {"\"<>\\^`{|}", "%22%3C%3E%5C%5E%60%7B%7C%7D"},
      {"caf\xC3\xA9", "caf%C3%A9"},
      {"bug \xF0\x9F\x90\x9B", "bug%20%F0%9F%90%9B"},
      // Bytes as they are: not UTF-8, control characters, NUL, DEL.
      {"\xFF\xFE", "%FF%FE"},
      {"a\r\nb\t", "a%0D%0Ab%09"},
      {std::string("a\0b", 3), "a%00b"},
      {"\x7F", "%7F"},
      {"", ""},
  };
  for (const Row& row : rows) {
    INFO(row.text);
    CHECK(PercentEncode(row.text) == row.encoded);
  }
}

TEST_CASE("PercentEncode encodes text longer than curl's slice whole") {
  // A two-byte character across the 1 MiB boundary of the slices.
  const std::string text = std::string((1 << 20) - 1, 'a') + "\xC3\xA9" + std::string(5, ' ');
  const std::string encoded = PercentEncode(text);
  CHECK(encoded.size() == (1 << 20) - 1 + 6 + 15);
  CHECK(encoded.compare(0, (1 << 20) - 1, std::string((1 << 20) - 1, 'a')) == 0);
  CHECK(encoded.substr((1 << 20) - 1) == "%C3%A9%20%20%20%20%20");
}

}  // namespace
}  // namespace triage
