// What a run leaves behind besides the tracker: the plan on stdout (text or
// JSON), the worklog (a file, stdout, the Actions step summary), the step
// outputs and the one annotation that sums the run up.
#ifndef TRIAGE_BOT_APP_OUTPUTS_H_
#define TRIAGE_BOT_APP_OUTPUTS_H_

#include <cstdint>
#include <ostream>
#include <string>

#include "bot/app/run_args.h"
#include "bot/app/setup.h"
#include "bot/base/types.h"
#include "bot/ingest/collect.h"
#include "rules/config.h"

namespace triage {

// The report's header: services, window, counts of what was read.
// `window` holds the window a read used (from the flags, or chosen).
RunReport MakeReport(const RunArgs& window, const Config& config, const CollectResult& r);

// The plan to `out` (text, or JSON with --json), the worklog where
// --report and $GITHUB_STEP_SUMMARY say. Exit status per exit_status.h.
int WriteOutputs(const RunArgs& args, const Setup& setup, const RunReport& report,
                 std::ostream& out, std::ostream& err);

// For Actions: step outputs and one annotation that sums the run up.
void Summarize(const RunArgs& args, const RunReport& report, const CollectResult& r, int failed,
               const std::string& dashboard, std::ostream& err);

// `text` cut so that `already` bytes plus it stay within GitHub's step
// summary limit (1 MiB), at a line end, with a note when cut.
std::string FitStepSummary(const std::string& text, uint64_t already);

}  // namespace triage

#endif  // TRIAGE_BOT_APP_OUTPUTS_H_
