#include "bot/github/evidence.h"

#include <algorithm>
#include <set>

namespace triage {
namespace {

// The action with only the samples newer than what the issue holds.
PlannedAction OnlyNew(PlannedAction a, int64_t watermark_us) {
  std::vector<Sample>& samples = a.problem.cluster.samples;
  samples.erase(std::remove_if(samples.begin(), samples.end(),
                               [&](const Sample& s) { return s.timestamp_us <= watermark_us; }),
                samples.end());
  return a;
}

bool HasLabel(const GitHubIssue& issue, const std::string& label) {
  return std::find(issue.labels.begin(), issue.labels.end(), label) != issue.labels.end();
}

}  // namespace

Marker MakeMarker(MarkerKind kind, const Problem& p, int priority, const SyncOptions& o) {
  Marker m;
  m.kind = kind;
  m.key = p.cluster.key;
  m.fingerprints = p.cluster.fingerprints;
  m.watermark_us = p.cluster.last_seen_us;
  m.priority = priority;
  m.run_id = o.run_id;
  return m;
}

Result<std::string> EvidenceWriter::Write(const PlannedAction& a, TrackedIssue& t) {
  const Problem& p = a.problem;
  Result<Ok> labelled = LabelAdopted(a.issue_number, t);
  if (!labelled) return labelled.error();
  std::string marker = FormatMarker(MakeMarker(MarkerKind::kEvidence, p, a.target_priority, o_));
  std::string body = RenderComment(templates_, OnlyNew(a, t.known.watermark_us), report_, marker);
  Result<std::string> done = a.evidence == EvidenceMode::kEdit && t.evidence
                                 ? Edit(a, t, body)
                                 : PostNew(a, t, body);
  if (!done) return done;
  t.known.watermark_us = std::max(t.known.watermark_us, p.cluster.last_seen_us);
  std::set<std::string> fps(t.known.fingerprints.begin(), t.known.fingerprints.end());
  fps.insert(p.cluster.fingerprints.begin(), p.cluster.fingerprints.end());
  t.known.fingerprints.assign(fps.begin(), fps.end());
  t.known.evidence_at_us = t.evidence->created_at_us;
  // The body's marker says how far the evidence goes, so that the next run
  // needs no comment read. Written last: a run that dies before it redoes
  // the comment (edits it again, or finds the one it posted).
  std::optional<std::string> remarked = Remark(t, p, [&](Marker* m) {
    m->watermark_us = t.known.watermark_us;
    m->fingerprints = t.known.fingerprints;
    m->evidence_id = t.evidence->id;
    m->evidence_at_us = t.evidence->created_at_us;
  });
  if (remarked) {
    IssuePatch patch;
    patch.body = *remarked;
    Result<GitHubIssue> updated = client_.UpdateIssue(a.issue_number, patch);
    if (!updated) return updated.error();
    t.issue = updated.value();
  }
  return done;
}

std::optional<std::string> EvidenceWriter::Remark(const TrackedIssue& t, const Problem& p,
                                                  const std::function<void(Marker*)>& edit) const {
  if (!t.body_is_bots) return std::nullopt;
  return EditMarker(t.issue.body, MakeMarker(MarkerKind::kIssue, p, t.bot_priority, o_),
                    [&](Marker* m) {
                      m->run_id = o_.run_id;
                      edit(m);
                    });
}

Result<GitHubComment> EvidenceWriter::Post(int number, const std::string& body, MarkerKind kind,
                                           const std::string& key) {
  return client_.CreateComment(number, body, [&]() -> Result<std::optional<GitHubComment>> {
    Result<std::vector<GitHubComment>> listed = client_.ListComments(number);
    if (!listed) return listed.error();
    const GitHubComment* own = FindBotItem(listed.value(), o_.bot_login, [&](const Marker& m) {
      return m.kind == kind && m.key == key && m.run_id == o_.run_id;
    });
    return own ? std::optional<GitHubComment>(*own) : std::nullopt;
  });
}

// An adopted issue gets the bot's label, so that the next runs list it.
Result<Ok> EvidenceWriter::LabelAdopted(int number, TrackedIssue& t) {
  if (HasLabel(t.issue, o_.bot_label)) return Ok{};
  IssuePatch patch;
  patch.labels = t.issue.labels;
  patch.labels->push_back(o_.bot_label);
  Result<Ok> ok = labels_.Ensure({o_.bot_label});
  if (!ok) return ok.error();
  Result<GitHubIssue> labelled = client_.UpdateIssue(number, patch);
  if (!labelled) return labelled.error();
  t.issue = labelled.value();
  return Ok{};
}

Result<std::string> EvidenceWriter::Edit(const PlannedAction& a, TrackedIssue& t,
                                         const std::string& body) {
  Result<GitHubComment> edited = client_.UpdateComment(t.evidence->id, body);
  if (!edited && edited.error().http_status == 404) return PostNew(a, t, body);  // deleted
  if (!edited) return edited.error();
  t.evidence = edited.value();
  return std::string("evidence comment edited");
}

Result<std::string> EvidenceWriter::PostNew(const PlannedAction& a, TrackedIssue& t,
                                            const std::string& body) {
  const Problem& p = a.problem;
  if (t.body_is_bots && t.known.watermark_us < p.cluster.last_seen_us) {
    // A run that died after posting and before marking the body: its
    // comment is there already. Read only on this path, so rarely.
    Result<std::vector<GitHubComment>> comments = client_.ListComments(a.issue_number);
    if (!comments) return comments.error();
    const GitHubComment* earlier = FindBotItem(comments.value(), o_.bot_login, [&](const Marker& m) {
      return m.kind == MarkerKind::kEvidence && m.key == p.cluster.key &&
             m.watermark_us >= p.cluster.last_seen_us;
    });
    if (earlier != nullptr) {
      t.evidence = *earlier;
      return std::string("commented (found the comment of an earlier run)");
    }
  }
  Result<GitHubComment> posted = Post(a.issue_number, body, MarkerKind::kEvidence, p.cluster.key);
  if (!posted) return posted.error();
  t.evidence = posted.value();
  return std::string("commented");
}

}  // namespace triage
