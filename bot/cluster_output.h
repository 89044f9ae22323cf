// The `cluster` command's output: JSON for programs, a table for people.
#ifndef TRIAGE_BOT_CLUSTER_OUTPUT_H_
#define TRIAGE_BOT_CLUSTER_OUTPUT_H_

#include <string>
#include <vector>

#include "bot/collect.h"
#include "bot/types.h"

namespace triage {

// {"clusters": [...], "stats": {...}}, keys sorted, two-space indent, all
// text valid UTF-8.
std::string RenderClustersJson(const CollectResult& result);

// One row per cluster, largest first, then a summary line.
std::string RenderClustersTable(const CollectResult& result);

}  // namespace triage

#endif  // TRIAGE_BOT_CLUSTER_OUTPUT_H_
