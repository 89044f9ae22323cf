// Writes a planned action's evidence to its issue: the comment the bot
// keeps current edited in place, or a new comment, as the plan says; then
// the body's marker moves on, so that the next run adds only what is new.
#ifndef TRIAGE_BOT_GITHUB_EVIDENCE_H_
#define TRIAGE_BOT_GITHUB_EVIDENCE_H_

#include <functional>
#include <optional>
#include <string>

#include "bot/base/result.h"
#include "bot/base/types.h"
#include "bot/github/label_maker.h"
#include "bot/github/marker.h"
#include "bot/github/sync_options.h"
#include "bot/github/tracker.h"
#include "clients/github_client.h"
#include "templates/render.h"

namespace triage {

// The marker of what the bot writes for problem `p`, as of this run.
Marker MakeMarker(MarkerKind kind, const Problem& p, int priority, const SyncOptions& options);

class EvidenceWriter {
 public:
  EvidenceWriter(GitHubClient& client, const TemplateSet& templates, const SyncOptions& options,
                 LabelMaker& labels, const RunReport& report)
      : client_(client), templates_(templates), o_(options), labels_(labels), report_(report) {}

  // Writes `a`'s evidence to `t` (only the samples newer than what it
  // holds), then one edit of the issue: `patch` (an escalation's or a
  // reopening's title, labels, state), the bot's label on an adopted issue,
  // and the new watermark and fingerprints in the body's marker. Returns
  // what was done ("commented", "evidence comment edited").
  Result<std::string> Write(const PlannedAction& a, TrackedIssue& t, IssuePatch patch = {});

  // `t`'s body with its marker changed by `edit`, when the bot wrote the
  // body; nullopt otherwise.
  std::optional<std::string> Remark(const TrackedIssue& t, const Problem& p,
                                    const std::function<void(Marker*)>& edit) const;

  // Posts `body` on issue `number`; after a failure that may have stored
  // it, finds this run's comment with a marker of `kind` for `key` instead
  // of posting twice.
  Result<GitHubComment> Post(int number, const std::string& body, MarkerKind kind,
                             const std::string& key);

 private:
  // The comment: folded into the kept one, a new one, or a notice.
  Result<std::string> WriteComment(const PlannedAction& a, TrackedIssue& t);
  // Edits the kept comment to `body`; when it was deleted, posts `alone`
  // (the evidence without the earlier windows) instead.
  Result<std::string> Edit(const PlannedAction& a, TrackedIssue& t, const std::string& body,
                           const std::string& alone);
  Result<std::string> PostNew(const PlannedAction& a, TrackedIssue& t, const std::string& body,
                              MarkerKind kind);

  GitHubClient& client_;
  const TemplateSet& templates_;
  const SyncOptions& o_;
  LabelMaker& labels_;
  const RunReport& report_;
};

}  // namespace triage

#endif  // TRIAGE_BOT_GITHUB_EVIDENCE_H_
