// The output of `cluster` and `run`: JSON for programs, a table for people.
#ifndef TRIAGE_BOT_APP_CLUSTER_OUTPUT_H_
#define TRIAGE_BOT_APP_CLUSTER_OUTPUT_H_

#include <string>
#include <vector>

#include "bot/ingest/collect.h"
#include "bot/base/types.h"

namespace triage {

// {"clusters": [...], "stats": {...}}, keys sorted, two-space indent, all
// text valid UTF-8.
std::string RenderClustersJson(const CollectResult& result);

// One row per cluster, largest first, then a summary line.
std::string RenderClustersTable(const CollectResult& result);

// The `run` command's --json: the run's header and stats, and a `clusters`
// list with each problem's triage and planned action.
std::string RenderReportJson(const RunReport& report);

// The plan as people read it: one line per problem, then the counts.
std::string RenderPlanText(const RunReport& report);

}  // namespace triage

#endif  // TRIAGE_BOT_APP_CLUSTER_OUTPUT_H_
