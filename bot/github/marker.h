// The bot's hidden marker: an HTML comment at the end of the issues and
// comments it writes, holding the problem's fingerprints and how far its
// evidence goes, so that the next run finds the issue and adds only what
// is new. Markers are trusted only in text the bot itself wrote.
#ifndef TRIAGE_BOT_GITHUB_MARKER_H_
#define TRIAGE_BOT_GITHUB_MARKER_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/base/types.h"

namespace triage {

// The most windows an evidence comment folds; older ones drop off.
constexpr size_t kMaxFoldedWindows = 48;

// kReply: the bot's answer to a comment command; kDashboard: the body of
// the dashboard issue.
enum class MarkerKind { kIssue, kEvidence, kNotice, kReply, kDashboard };

struct Marker {
  MarkerKind kind = MarkerKind::kIssue;
  std::string key;                        // the problem's key
  std::vector<std::string> fingerprints;  // sorted, unique
  int64_t watermark_us = 0;               // newest occurrence reported
  int priority = -1;                      // the priority the bot last set
  std::string run_id;                     // the run that wrote it
  // In an issue body: the bot's evidence comment being kept current, so
  // that a run needs no comment read to find it. 0 = none yet.
  int64_t evidence_id = 0;
  int64_t evidence_at_us = 0;             // when that comment was posted
  // Set by comment commands; unset means "as before" (a later marker that
  // does not say leaves the earlier one's choice).
  std::optional<bool> muted;              // no evidence comments, no reopening
  std::optional<bool> pinned;             // the priority is a person's: never changed
  // The windows the kept evidence comment shows, oldest first (at most
  // kMaxFoldedWindows).
  std::vector<EvidenceWindow> folded;
  // On the dashboard: where the last successful run's window ended, and
  // where the next run reads from at the latest because an action of a run
  // failed (0 = none failed).
  int64_t window_end_us = 0;
  int64_t retry_from_us = 0;
  // On the dashboard: the open problem issues it lists, all of them, so
  // that a run finds the bot's issue whose label a person removed.
  std::vector<int> issues;
  // On a refusal reply: whom it refused (they are refused once per issue).
  std::string refused;
};

// "<!-- gcp-log-gardener:v1 {...} -->": one line, JSON inside; text that
// could close the comment early never gets in (fingerprints and run ids are
// checked to be [0-9A-Za-z._-]).
std::string FormatMarker(const Marker& marker);

// The last well-formed marker in `text`, or nullopt. Bad JSON, unknown
// kinds and malformed fields make a marker not well-formed.
std::optional<Marker> ParseMarker(std::string_view text);

// `text` with its last marker replaced by `edit` applied to it (a marker
// that does not parse is replaced by `edit` applied to `fallback`);
// nullopt when `text` holds no marker.
std::optional<std::string> EditMarker(const std::string& text, const Marker& fallback,
                                      const std::function<void(Marker*)>& edit);

// The first of `items` (issues or comments: anything with `user_login` and
// `body`) written by `bot_login` whose marker `match` accepts; nullptr when
// none. Markers in text anyone else wrote are never read.
template <typename T, typename Match>
const T* FindBotItem(const std::vector<T>& items, const std::string& bot_login, Match match) {
  for (const T& item : items) {
    if (item.user_login != bot_login) continue;
    std::optional<Marker> m = ParseMarker(item.body);
    if (m && match(*m)) return &item;
  }
  return nullptr;
}

}  // namespace triage

#endif  // TRIAGE_BOT_GITHUB_MARKER_H_
