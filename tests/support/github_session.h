// Test support: a GitHubClient on a real curl transport, talking to a
// FakeGitHub on loopback, with a logical clock that never really sleeps.
#ifndef TRIAGE_TESTS_SUPPORT_GITHUB_SESSION_H_
#define TRIAGE_TESTS_SUPPORT_GITHUB_SESSION_H_

#include <cstdint>
#include <memory>
#include <string>

#include "clients/curl_transport.h"
#include "clients/github_client.h"
#include "tests/support/fake_github.h"

namespace triage {
namespace testing {

struct GitHubSession {
  explicit GitHubSession(FakeGitHubOptions o = {}, int max_writes = 30)
      : github(std::move(o)), transport(NewCurlTransport()), now_us(github.Now() * 1000000) {
    GitHubOptions options;
    options.api_url = github.base_url();
    options.token = "test-token";
    options.repository = "octo/repo";
    options.max_writes = max_writes;
    client = std::make_unique<GitHubClient>(
        *transport, options, [this](int64_t us) { now_us += us; }, [this] { return now_us; },
        [] { return 0.5; });
  }
  FakeGitHub github;
  std::unique_ptr<HttpTransport> transport;
  int64_t now_us;
  std::unique_ptr<GitHubClient> client;
};

}  // namespace testing
}  // namespace triage

#endif  // TRIAGE_TESTS_SUPPORT_GITHUB_SESSION_H_
