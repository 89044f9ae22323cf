#include "bot/github/tracker.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "bot/triage/adopt.h"
#include "bot/triage/known_issues.h"
#include "bot/triage/labels.h"
#include "bot/github/marker.h"

namespace triage {
namespace {

// What the markers say, oldest first: later ones win where they speak.
struct MarkerState {
  int bot_priority = -1;
  bool pinned = false;
};

void Absorb(const Marker& m, KnownIssue* known, MarkerState* state) {
  std::set<std::string> fps(known->fingerprints.begin(), known->fingerprints.end());
  fps.insert(m.fingerprints.begin(), m.fingerprints.end());
  known->fingerprints.assign(fps.begin(), fps.end());
  known->watermark_us = std::max(known->watermark_us, m.watermark_us);
  if (m.priority >= 0) state->bot_priority = m.priority;
  if (m.muted) known->muted = *m.muted;
  if (m.pinned) state->pinned = *m.pinned;
}

bool Holds(const KnownIssue& known, const std::set<std::string>& fingerprints) {
  for (const std::string& fp : known.fingerprints) {
    if (fingerprints.count(fp)) return true;
  }
  return false;
}

}  // namespace

TrackedIssue ReadTrackedIssue(const GitHubIssue& issue, const std::vector<GitHubComment>& comments,
                              const std::string& bot_login) {
  TrackedIssue t;
  t.issue = issue;
  KnownIssue& k = t.known;
  k.number = issue.number;
  k.title = issue.title;
  k.url = issue.html_url;
  k.open = issue.state != "closed";
  k.state_reason = issue.state_reason;
  k.closed_at_us = issue.closed_at_us;
  k.labels = issue.labels;
  MarkerState state;
  if (issue.user_login == bot_login) {
    if (auto m = ParseMarker(issue.body); m && m->kind != MarkerKind::kDashboard) {
      Absorb(*m, &k, &state);
      t.body_is_bots = true;
      if (m->evidence_id > 0) {
        GitHubComment evidence;
        evidence.id = m->evidence_id;
        evidence.created_at_us = m->evidence_at_us;
        evidence.user_login = bot_login;
        t.evidence = evidence;
        t.folded = m->folded;
      }
    }
  }
  for (const GitHubComment& c : comments) {  // oldest first
    if (c.user_login != bot_login) continue;
    auto m = ParseMarker(c.body);
    if (!m || m->kind == MarkerKind::kDashboard) continue;
    Absorb(*m, &k, &state);
    if (m->kind == MarkerKind::kEvidence) {
      t.evidence = c;
      t.folded = m->folded;
    } else if (m->kind == MarkerKind::kNotice) {
      t.evidence.reset();  // plain evidence after a notice starts a new comment
      t.folded.clear();
    }
  }
  auto label = PriorityFromLabels(issue.labels);
  k.priority = label ? *label : PriorityFromTitle(issue.title).value_or(-1);
  k.priority_set_by_person =
      state.pinned || (label && state.bot_priority >= 0 && *label != state.bot_priority);
  t.bot_priority = state.bot_priority;
  t.pinned = state.pinned;
  k.bot_priority = state.bot_priority;
  k.pinned = state.pinned;
  if (t.evidence) k.evidence_at_us = t.evidence->created_at_us;
  return t;
}

bool IsDashboard(const GitHubIssue& issue, const std::string& bot_login) {
  if (issue.user_login != bot_login) return false;
  auto m = ParseMarker(issue.body);
  return m && m->kind == MarkerKind::kDashboard;
}

Result<std::map<int, TrackedIssue>> LoadTracker(GitHubClient& client, const std::string& bot_label,
                                                const std::string& bot_login,
                                                std::vector<GitHubIssue>* dashboards) {
  Result<std::vector<GitHubIssue>> issues = client.ListIssues(bot_label, "all");
  if (!issues) return issues.error();
  std::map<int, TrackedIssue> tracker;
  for (const GitHubIssue& issue : issues.value()) {
    if (IsDashboard(issue, bot_login)) {
      if (dashboards != nullptr) dashboards->push_back(issue);
      continue;
    }
    tracker[issue.number] = ReadTrackedIssue(issue, {}, bot_login);
  }
  return tracker;
}

Result<Ok> ReadComments(GitHubClient& client, const std::string& bot_login,
                        std::map<int, TrackedIssue>* tracker) {
  for (auto& [number, tracked] : *tracker) {
    // The bot's own issues carry everything in their body's marker.
    if (tracked.body_is_bots) continue;
    Result<std::vector<GitHubComment>> comments = client.ListComments(number);
    if (!comments) return comments.error();
    tracked = ReadTrackedIssue(tracked.issue, comments.value(), bot_login);
  }
  return Ok{};
}

Result<Ok> AdoptIssues(GitHubClient& client, const std::vector<Problem>& problems,
                       int file_at_or_above, const std::string& bot_login,
                       std::map<int, TrackedIssue>* tracker) {
  for (const Problem& p : problems) {
    if (p.triage.ignored || p.triage.priority > file_at_or_above) continue;
    std::set<std::string> fps(p.cluster.fingerprints.begin(), p.cluster.fingerprints.end());
    bool held = std::any_of(tracker->begin(), tracker->end(),
                            [&](const auto& t) { return Holds(t.second.known, fps); });
    std::string term = SearchTerm(p);
    if (held || term.empty()) continue;
    Result<std::vector<GitHubIssue>> found = client.SearchIssues("is:open " + term, 10);
    if (!found) return found.error();
    std::vector<std::string> terms = ProblemTerms(p);
    const GitHubIssue* best = nullptr;
    Similarity best_similarity;
    for (const GitHubIssue& issue : found.value()) {
      if (issue.user_login == bot_login || tracker->count(issue.number)) continue;
      Similarity s = TitleSimilarity(terms, issue.title);
      if (s.score >= kAdoptThreshold && s.score > best_similarity.score) {
        best = &issue;
        best_similarity = s;
      }
    }
    if (best == nullptr) continue;
    TrackedIssue t = ReadTrackedIssue(*best, {}, bot_login);
    t.known.fingerprints = p.cluster.fingerprints;
    char score[16];
    std::snprintf(score, sizeof score, "%.2f", best_similarity.score);
    std::string shared;
    for (const std::string& w : best_similarity.shared) shared += (shared.empty() ? "" : ", ") + w;
    t.known.adoption = "adopts #" + std::to_string(best->number) + ", filed by " + best->user_login +
                       " (similarity " + score + ": " + shared + ")";
    t.adopted_now = true;
    (*tracker)[best->number] = t;
  }
  return Ok{};
}

std::vector<KnownIssue> KnownIssues(const std::map<int, TrackedIssue>& tracker) {
  std::vector<KnownIssue> out;
  for (const auto& [number, t] : tracker) out.push_back(t.known);
  return out;
}

}  // namespace triage
