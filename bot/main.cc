// gcp-log-gardener: the composition root. Reads the clock once and hands
// everything else to RunCli.
#include <chrono>
#include <exception>
#include <iostream>

#include "bot/app/cli.h"
#include "bot/app/exit_status.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  const int64_t now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  try {
    return triage::RunCli(argc, argv, std::cout, std::cerr, now_us);
  } catch (const std::exception& e) {
    std::cerr << "gcp-log-gardener: internal error: " << e.what() << "\n";
    return triage::kExitUsage;
  }
}
