// The verbs of `/gardener` on the issue of the comment: mute and unmute
// (the markers' muted), priority (a pinned P label and title), retriage
// (the rules over a window read now, with an evidence comment as the sync
// writes one) and help. What each did becomes the reply's Outcome.
#ifndef TRIAGE_BOT_COMMANDS_VERBS_H_
#define TRIAGE_BOT_COMMANDS_VERBS_H_

#include <cstdint>
#include <string>

#include "bot/commands/command.h"
#include "bot/commands/reply.h"
#include "bot/ingest/cloud_source.h"
#include "bot/ingest/entry_reader.h"
#include "rules/config.h"

namespace triage {

// Where a retriage reads its window, which ends at `now_us`: the file
// `input` when set (read as `run --input` reads it), else Cloud Logging
// through `cloud`.
struct WindowSource {
  std::string input;
  InputFormat format = InputFormat::kAuto;
  CloudAccess cloud;
  int64_t now_us = 0;
};

// Does `parsed`'s command on the event's issue, or says why not (not
// understood, not an issue the gardener manages). GitHub's and Google's
// failures are not errors here: they become an Outcome with `error` set,
// whose text says that what was done before them stays. `config` gives the
// rules, the default retriage window and the source's filters.
Outcome Perform(CommandSession& s, const ParsedComment& parsed, const Config& config,
                const WindowSource& window);

}  // namespace triage

#endif  // TRIAGE_BOT_COMMANDS_VERBS_H_
