// A cpp-httplib server on 127.0.0.1 at a port the OS picks, serving on its
// own thread from construction to destruction. For tests that drive the
// real curl transport over loopback.
#ifndef TRIAGE_TESTS_SUPPORT_LOOPBACK_SERVER_H_
#define TRIAGE_TESTS_SUPPORT_LOOPBACK_SERVER_H_

#include <httplib.h>

#include <chrono>
#include <csignal>
#include <functional>
#include <string>
#include <thread>

namespace triage {

class LoopbackServer {
 public:
  // `routes` registers the handlers; it may also override the defaults set
  // here: one request per connection, so that a client holding a
  // keep-alive connection cannot delay stop() by httplib's 5 s keep-alive
  // wait. Returns once the server accepts connections, or with port() == -1
  // if it could not bind.
  explicit LoopbackServer(const std::function<void(httplib::Server&)>& routes) {
    // httplib writes without MSG_NOSIGNAL: a client that hung up (a test
    // of a timeout) must not kill the test binary with SIGPIPE.
    std::signal(SIGPIPE, SIG_IGN);
    server_.set_keep_alive_max_count(1);
    routes(server_);
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) {
      port_ = -1;
      return;
    }
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() is a no-op until the listen loop runs: wait for it (bounded, in
    // case listening fails at once).
    for (int i = 0; i < 5000 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

  // Stops accepting, waits for handlers in flight, joins the thread.
  ~LoopbackServer() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }

  // Not copyable or movable: the serving thread holds `this`.
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  int port() const { return port_; }

  // "http://127.0.0.1:<port>" followed by `path_and_query`.
  std::string Url(const std::string& path_and_query) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path_and_query;
  }

 private:
  httplib::Server server_;
  int port_ = -1;
  std::thread thread_;
};

}  // namespace triage

#endif  // TRIAGE_TESTS_SUPPORT_LOOPBACK_SERVER_H_
