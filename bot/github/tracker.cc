#include "bot/github/tracker.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "bot/base/text.h"
#include "bot/triage/adopt.h"
#include "bot/triage/known_issues.h"
#include "bot/triage/labels.h"
#include "bot/triage/plan.h"
#include "bot/github/dashboard.h"
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

// True when `body` has no room left for the marker to grow.
bool BodyNearLimit(const std::string& body) {
  constexpr size_t kMarkerRoom = 4096;
  return CountCodePoints(body) + kMarkerRoom > GitHubClient::kMaxBodyCodePoints;
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

Result<std::string> ResolveBotLogin(GitHubClient& client, const std::vector<GitHubIssue>& labelled,
                                    const std::string& configured) {
  // Who wrote the bot's issues and dashboard here: logins of labelled
  // issues with a well-formed marker of an issue or a dashboard.
  std::set<std::string> writers, bot_writers;
  for (const GitHubIssue& issue : labelled) {
    auto m = ParseMarker(issue.body);
    if (!m || (m->kind != MarkerKind::kIssue && m->kind != MarkerKind::kDashboard)) continue;
    writers.insert(issue.user_login);
    if (issue.user_type == "Bot") bot_writers.insert(issue.user_login);
  }
  // Asked at every run: a token can change between runs (a personal token
  // on a tracker Actions' token wrote), and one request is cheap.
  Result<std::optional<std::string>> token_login = client.GetTokenLogin();
  if (!token_login) return token_login.error();
  const std::optional<std::string>& asked = token_login.value();
  const std::string login = asked ? *asked : configured;
  // Without an answer, only an App (a Bot) can have written them as this
  // token; people's issues with a pasted marker do not count.
  std::set<std::string> others = asked ? writers : bot_writers;
  others.erase(login);
  if (others.empty()) return login;
  std::string names;
  for (const std::string& w : others) names += (names.empty() ? "" : ", ") + w;
  if (asked) {
    return Error{ErrorKind::kConfig,
                 "the token writes as " + login + ", but the issues carrying the bot's label and marker "
                 "were written by " + names + ": the bot would not know them as its own and would file "
                 "them again. Run with a token of " + names + " (github.bot_login is " + configured +
                 "), or take the label off those issues"};
  }
  return Error{ErrorKind::kConfig,
               "github.bot_login is " + configured + ", but the issues carrying the bot's label and "
               "marker were written by " + names + " (the token cannot say whose it is): the bot "
               "would not know them as its own and would file them again. Set github.bot_login: " +
                   *others.begin() + " in the config"};
}

Result<std::map<int, TrackedIssue>> LoadTracker(GitHubClient& client, const std::string& bot_label,
                                                std::string* bot_login,
                                                std::vector<GitHubIssue>* dashboards) {
  Result<std::vector<GitHubIssue>> issues = client.ListIssues(bot_label, "all");
  if (!issues) return issues.error();
  Result<std::string> login = ResolveBotLogin(client, issues.value(), *bot_login);
  if (!login) return login.error();
  *bot_login = login.value();
  std::map<int, TrackedIssue> tracker;
  std::vector<int> listed;  // the open issues the dashboard lists
  bool have_dashboard = false;
  for (const GitHubIssue& issue : issues.value()) {
    if (IsDashboard(issue, *bot_login)) {
      if (dashboards != nullptr) dashboards->push_back(issue);
      if (!have_dashboard) listed = DashboardIssues(issue.body);
      have_dashboard = true;
      continue;
    }
    tracker[issue.number] = ReadTrackedIssue(issue, {}, *bot_login);
  }
  // An issue of the bot's that lost its label: the dashboard still lists
  // it. Read it (one call each, none in a steady state); the bot's marker
  // in a body it wrote makes it the bot's, and the next write labels it.
  for (int number : listed) {
    if (tracker.count(number)) continue;
    Result<GitHubIssue> issue = client.GetIssue(number);
    if (!issue) {
      const int status = issue.error().http_status;
      if (status == 404 || status == 410) continue;  // deleted or gone elsewhere
      return issue.error();
    }
    const GitHubIssue& i = issue.value();
    auto m = i.user_login == *bot_login ? ParseMarker(i.body) : std::nullopt;
    if (i.number != number || !m || m->kind != MarkerKind::kIssue) continue;
    tracker[number] = ReadTrackedIssue(i, {}, *bot_login);
  }
  return tracker;
}

Result<Ok> ReadComments(GitHubClient& client, const std::string& bot_login,
                        std::map<int, TrackedIssue>* tracker) {
  for (auto& [number, tracked] : *tracker) {
    // The bot's own issues carry everything in their body's marker, unless
    // a person grew the body too long to take it (evidence.cc).
    if (tracked.body_is_bots && !BodyNearLimit(tracked.issue.body)) continue;
    Result<std::vector<GitHubComment>> comments = client.ListComments(number);
    if (!comments) return comments.error();
    tracked = ReadTrackedIssue(tracked.issue, comments.value(), bot_login);
  }
  return Ok{};
}

Result<Ok> AdoptIssues(GitHubClient& client, const std::vector<Problem>& problems,
                       int file_at_or_above, const std::string& bot_label,
                       const std::string& bot_login, std::map<int, TrackedIssue>* tracker) {
  std::map<std::string, std::vector<GitHubIssue>> answers;  // by query: each asked once a run
  std::vector<KnownIssue> known = KnownIssues(*tracker);
  std::vector<const KnownIssue*> assigned = AssignIssues(problems, known);
  for (size_t i = 0; i < problems.size(); ++i) {
    const Problem& p = problems[i];
    if (p.triage.ignored || p.triage.priority > file_at_or_above) continue;
    if (assigned[i] != nullptr) continue;
    std::vector<std::string> terms = ProblemTerms(p);
    const GitHubIssue* best = nullptr;
    Similarity best_similarity;
    for (const std::string& word : SearchWords(p, kMaxSearchesPerProblem)) {
      // People's issues only: the bot's own (and those it adopted) carry
      // its label, and would fill the first page.
      std::string query = "is:open in:title -label:\"" + bot_label + "\" " + word;
      auto it = answers.find(query);
      if (it == answers.end()) {
        Result<std::vector<GitHubIssue>> found = client.SearchIssues(query, kSearchResults);
        if (!found) return found.error();
        it = answers.emplace(query, std::move(found.value())).first;
      }
      for (const GitHubIssue& issue : it->second) {
        if (issue.user_login == bot_login || tracker->count(issue.number)) continue;
        Similarity s = TitleSimilarity(terms, issue.title);
        if (s.score >= kAdoptThreshold && s.score > best_similarity.score) {
          best = &issue;
          best_similarity = s;
        }
      }
      if (best != nullptr) break;
    }
    if (best == nullptr) continue;
    TrackedIssue t = ReadTrackedIssue(*best, {}, bot_login);
    t.known.fingerprints = OwnFingerprints(p, problems);
    char score[16];
    std::snprintf(score, sizeof score, "%.2f", best_similarity.score);
    std::string shared;
    for (const std::string& w : best_similarity.shared) shared += (shared.empty() ? "" : ", ") + w;
    t.known.adoption = "adopts #" + std::to_string(best->number) + ", filed by " + best->user_login +
                       " (similarity " + score + ": " + shared + ")";
    t.adopted_now = true;
    (*tracker)[best->number] = t;
    known = KnownIssues(*tracker);
    assigned = AssignIssues(problems, known);
  }
  return Ok{};
}

std::vector<KnownIssue> KnownIssues(const std::map<int, TrackedIssue>& tracker) {
  std::vector<KnownIssue> out;
  for (const auto& [number, t] : tracker) out.push_back(t.known);
  return out;
}

}  // namespace triage
