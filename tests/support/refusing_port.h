// Test support: a loopback port where every connection is refused.
#ifndef TRIAGE_TESTS_SUPPORT_REFUSING_PORT_H_
#define TRIAGE_TESTS_SUPPORT_REFUSING_PORT_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace triage {
namespace testing {

// A port on 127.0.0.1 that is bound but not listening: a connection to it
// is refused, and no other process can take it while this lives.
class RefusingPort {
 public:
  RefusingPort() : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    auto* raw = reinterpret_cast<sockaddr*>(&address);
    if (fd_ >= 0 && bind(fd_, raw, size) == 0 && getsockname(fd_, raw, &size) == 0) {
      port_ = ntohs(address.sin_port);
    }
  }
  ~RefusingPort() {
    if (fd_ >= 0) close(fd_);
  }
  RefusingPort(const RefusingPort&) = delete;
  RefusingPort& operator=(const RefusingPort&) = delete;
  int port() const { return port_; }
  std::string Host() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_;
  int port_ = -1;
};

}  // namespace testing
}  // namespace triage

#endif  // TRIAGE_TESTS_SUPPORT_REFUSING_PORT_H_
