// The `run` command: the whole job, one way. Read (the tracker, the
// window, the entries) -> cluster -> decide once -> adopt -> plan ->
// apply -> report. Each step is a function of the job's state; only this
// file calls them in order.
#ifndef TRIAGE_BOT_APP_RUN_H_
#define TRIAGE_BOT_APP_RUN_H_

#include <ostream>

#include "bot/app/run_args.h"

namespace triage {

// Exit status per exit_status.h; data to `out`, messages to `err`.
int RunJob(const RunArgs& args, std::ostream& out, std::ostream& err);

}  // namespace triage

#endif  // TRIAGE_BOT_APP_RUN_H_
