// Process exit codes, as the gh CLI uses them.
#ifndef TRIAGE_BOT_APP_EXIT_STATUS_H_
#define TRIAGE_BOT_APP_EXIT_STATUS_H_

namespace triage {

enum ExitStatus : int {
  kExitOk = 0,
  kExitFailure = 1,   // a run failed at run time (network, GitHub, Google)
  kExitUsage = 2,     // bad arguments, config or input
  kExitAuth = 4,      // credentials missing or rejected
};

}  // namespace triage

#endif  // TRIAGE_BOT_APP_EXIT_STATUS_H_
