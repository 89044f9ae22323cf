// Issue titles as the seeds write them, "<category> | P<n> | <summary>",
// and a summary made from a cluster that reads like one a person wrote.
#ifndef TRIAGE_BOT_CLUSTER_TITLE_H_
#define TRIAGE_BOT_CLUSTER_TITLE_H_

#include <string>

#include "bot/base/types.h"

namespace triage {

// GitHub's limit on an issue title, in characters; we count bytes.
constexpr size_t kMaxTitleBytes = 256;

// A short summary of what goes wrong and where: the exception or key phrase
// first, then the short module or function ("in handlers.route_message").
// Never holds ids, numbers, times or <*>; valid UTF-8; one line; cut at a
// word boundary to at most `max_bytes`. Empty only for an empty cluster.
std::string SummarizeCluster(const Cluster& cluster, size_t max_bytes = 100);

// "GCP-regression | P1 | <summary>", at most kMaxTitleBytes, the summary
// cut at a word boundary when it does not fit. Line breaks and control
// characters in `summary` become spaces.
std::string FormatTitle(const std::string& category, int priority, const std::string& summary);

}  // namespace triage

#endif  // TRIAGE_BOT_CLUSTER_TITLE_H_
