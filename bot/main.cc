// gcp-log-gardener: the composition root. Reads the clock once, makes the
// one HTTP transport (GitHub's and Google's clients share it) and hands
// everything else to RunCli.
#include <chrono>
#include <exception>
#include <iostream>
#include <memory>

#include "bot/app/cli.h"
#include "bot/app/exit_status.h"
#include "clients/curl_transport.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  const int64_t now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  try {
    std::unique_ptr<triage::HttpTransport> transport = triage::NewCurlTransport();
    triage::Environment env = triage::RealEnvironment();
    env.transport = transport.get();
    return triage::RunCli(argc, argv, std::cout, std::cerr, now_us, env);
  } catch (const std::exception& e) {
    std::cerr << "gcp-log-gardener: internal error: " << e.what() << "\n";
    return triage::kExitUsage;
  }
}
