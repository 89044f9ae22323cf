// The command line: subcommands, their options, and exit codes. main()
// passes the streams and the clock so that tests can run it whole.
#ifndef TRIAGE_BOT_APP_CLI_H_
#define TRIAGE_BOT_APP_CLI_H_

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>

#include "clients/http.h"

namespace triage {

// What the program reads from the world besides its arguments and files:
// main() passes the real ones, tests their own.
struct Environment {
  std::function<std::string(const std::string& name)> getenv;  // "" when unset
  std::function<void(int64_t micros)> sleep;
  std::function<int64_t()> clock;                              // microseconds since the epoch
  // The one HTTP transport, for GitHub and Google alike; not owned. Unset:
  // RunCli makes a curl transport for the call.
  HttpTransport* transport = nullptr;
};

// The process's environment variables, sleep and system clock (no
// transport: main() makes that).
Environment RealEnvironment();

// Runs the program; returns its exit status (see exit_status.h). Data goes
// to `out`, messages to `err`. `now_us` is the clock unless --now is given.
int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
           int64_t now_us);
int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
           int64_t now_us, const Environment& env);

}  // namespace triage

#endif  // TRIAGE_BOT_APP_CLI_H_
