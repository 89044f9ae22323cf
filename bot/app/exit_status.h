// Process exit codes. 0, 1 and 4 mean what they mean for the gh CLI
// (success, failure, authentication); 2 does not: gh exits 2 when a prompt
// was cancelled, this program when it was called wrongly (arguments, the
// config, an event or input file it cannot use), the usual meaning of 2 for
// command-line tools. Scripts tell "fix the call" (2) from "try again" (1).
#ifndef TRIAGE_BOT_APP_EXIT_STATUS_H_
#define TRIAGE_BOT_APP_EXIT_STATUS_H_

namespace triage {

enum ExitStatus : int {
  kExitOk = 0,
  kExitFailure = 1,   // a run failed at run time (network, GitHub, Google)
  kExitUsage = 2,     // bad arguments, config or input (not gh's "cancelled")
  kExitAuth = 4,      // credentials missing or rejected
};

}  // namespace triage

#endif  // TRIAGE_BOT_APP_EXIT_STATUS_H_
