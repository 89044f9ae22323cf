#include "bot/github/evidence.h"

#include <algorithm>
#include <set>

#include "bot/base/text.h"

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

bool HasLabel(const std::vector<std::string>& labels, const std::string& label) {
  return std::find(labels.begin(), labels.end(), label) != labels.end();
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

Result<std::string> EvidenceWriter::Write(const PlannedAction& plan, TrackedIssue& t,
                                          IssuePatch patch) {
  const Problem& p = plan.problem;
  // An adopted issue gets the bot's label, so that the next runs list it.
  if (!HasLabel(patch.labels ? *patch.labels : t.issue.labels, o_.bot_label)) {
    if (!patch.labels) patch.labels = t.issue.labels;
    patch.labels->push_back(o_.bot_label);
  }
  if (patch.labels) {
    Result<Ok> ok = labels_.Ensure(*patch.labels);
    if (!ok) return ok.error();
  }
  Result<std::string> done = WriteComment(plan, t);
  if (!done) return done;
  t.known.watermark_us = std::max(t.known.watermark_us, p.cluster.last_seen_us);
  std::set<std::string> fps(t.known.fingerprints.begin(), t.known.fingerprints.end());
  fps.insert(p.cluster.fingerprints.begin(), p.cluster.fingerprints.end());
  t.known.fingerprints.assign(fps.begin(), fps.end());
  t.known.evidence_at_us = t.evidence ? t.evidence->created_at_us : 0;
  // The body's marker says how far the evidence goes, so that the next run
  // needs no comment read. Written last, with the title, labels and state
  // an escalation or a reopening changes: a run that dies before it redoes
  // the comment (edits it again, or finds the one it posted) and the patch.
  const bool reprioritized = patch.title.has_value();
  patch.body = Remark(t, p, [&](Marker* m) {
    m->watermark_us = t.known.watermark_us;
    m->fingerprints = t.known.fingerprints;
    m->evidence_id = t.evidence ? t.evidence->id : 0;
    m->evidence_at_us = t.known.evidence_at_us;
    m->folded = t.folded;
    if (reprioritized) m->priority = plan.target_priority;
  });
  // A body a person grew to GitHub's limit cannot take the marker's news:
  // it stays as they left it, and the state is in the bot's comments,
  // which the next run reads for such an issue (LoadTracker).
  if (patch.body && CountCodePoints(*patch.body) > GitHubClient::kMaxBodyCodePoints) {
    patch.body.reset();
    done.value() += "; the body is too long for the marker, which the comments carry";
  }
  if (patch.body || patch.labels || patch.title || patch.state) {
    Result<GitHubIssue> updated = client_.UpdateIssue(plan.issue_number, patch);
    if (!updated) return updated.error();
    t.issue = updated.value();
  }
  return done;
}

Result<std::string> EvidenceWriter::WriteComment(const PlannedAction& plan, TrackedIssue& t) {
  const Problem& p = plan.problem;
  PlannedAction a = OnlyNew(plan, t.known.watermark_us);
  const bool notice = a.evidence == EvidenceMode::kNotice;
  const MarkerKind kind = notice ? MarkerKind::kNotice : MarkerKind::kEvidence;
  const EvidenceWindow window{report_.window_start_us, report_.window_end_us,
                              a.new_count >= 0 ? a.new_count : p.cluster.count};
  // A notice stays as written; plain evidence folds into the kept comment,
  // whose marker lists every window it shows.
  Marker marker = MakeMarker(kind, p, a.target_priority, o_);
  auto render = [&](std::vector<EvidenceWindow> earlier) {
    a.folded = std::move(earlier);
    marker.folded.clear();
    if (!notice) {
      marker.folded = a.folded;
      marker.folded.push_back(window);
    }
    return RenderComment(templates_, a, report_, FormatMarker(marker));
  };
  const bool edit = a.evidence == EvidenceMode::kEdit && t.evidence.has_value();
  // Rendered one after the other: each render sets the marker's windows.
  const std::string alone = render({});
  std::vector<EvidenceWindow> shown = marker.folded;
  std::string folded_body;
  if (edit) {
    folded_body = render(t.folded);
    shown = marker.folded;
  }
  Result<std::string> done = edit ? Edit(a, t, folded_body, alone) : PostNew(a, t, alone, kind);
  if (!done) return done;
  if (notice) {
    t.evidence.reset();  // the next plain evidence starts a new kept comment
    t.folded.clear();
  } else {
    // An edit of a deleted comment posted `alone` instead (Edit cleared t.folded).
    t.folded = edit && !t.folded.empty() ? shown : std::vector<EvidenceWindow>{window};
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

Result<std::string> EvidenceWriter::Edit(const PlannedAction& a, TrackedIssue& t,
                                         const std::string& body, const std::string& alone) {
  Result<GitHubComment> edited = client_.UpdateComment(t.evidence->id, body);
  if (!edited && edited.error().http_status == 404) {  // deleted: a new one, on its own
    t.folded.clear();
    return PostNew(a, t, alone, MarkerKind::kEvidence);
  }
  if (!edited) return edited.error();
  t.evidence = edited.value();
  return std::string("evidence comment edited");
}

Result<std::string> EvidenceWriter::PostNew(const PlannedAction& a, TrackedIssue& t,
                                            const std::string& body, MarkerKind kind) {
  const Problem& p = a.problem;
  if (t.body_is_bots && t.known.watermark_us < p.cluster.last_seen_us) {
    // A run that died after posting and before marking the body: its
    // comment is there already. Read only on this path, so rarely.
    Result<std::vector<GitHubComment>> comments = client_.ListComments(a.issue_number);
    if (!comments) return comments.error();
    const GitHubComment* earlier = FindBotItem(comments.value(), o_.bot_login, [&](const Marker& m) {
      return m.kind == kind && m.key == p.cluster.key && m.watermark_us >= p.cluster.last_seen_us;
    });
    if (earlier != nullptr) {
      t.evidence = *earlier;
      return std::string("commented (found the comment of an earlier run)");
    }
  }
  Result<GitHubComment> posted = Post(a.issue_number, body, kind, p.cluster.key);
  if (!posted) return posted.error();
  t.evidence = posted.value();
  return std::string("commented");
}

}  // namespace triage
