// The command line: subcommands, their options, and exit codes. main()
// passes the streams and the clock so that tests can run it whole.
#ifndef TRIAGE_BOT_CLI_H_
#define TRIAGE_BOT_CLI_H_

#include <cstdint>
#include <ostream>

namespace triage {

// Runs the program; returns its exit status (see exit_status.h). Data goes
// to `out`, messages to `err`. `now_us` is the clock unless --now is given.
int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
           int64_t now_us);

}  // namespace triage

#endif  // TRIAGE_BOT_CLI_H_
