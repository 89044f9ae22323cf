#include "bot/github/sync.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

#include "bot/triage/known_issues.h"
#include "bot/github/marker.h"

namespace triage {
namespace {

constexpr const char* kPriorityColors[] = {"b60205", "d93f0b", "e99695", "fbca04",
                                           "fef2c0", "c2e0c6", "ededed"};
constexpr const char* kCategoryColor = "1d76db";
constexpr const char* kBotColor = "5319e7";
constexpr const char* kRegression = "GCP-regression";

std::string P(int priority) { return "P" + std::to_string(priority); }

bool IsPriorityLabel(const std::string& label) { return PriorityFromLabels({label}).has_value(); }

// Creates the labels of `wanted` the repository lacks, with colours. The
// list of labels is read once per run.
class LabelMaker {
 public:
  explicit LabelMaker(GitHubClient& client) : client_(client) {}

  Result<Ok> Ensure(const std::vector<std::string>& wanted, const SyncOptions& options) {
    if (!known_) {
      Result<std::vector<GitHubLabel>> labels = client_.ListLabels();
      if (!labels) return labels.error();
      known_.emplace();
      for (const GitHubLabel& l : labels.value()) known_->insert(Lower(l.name));
    }
    for (const std::string& name : wanted) {
      if (known_->count(Lower(name))) continue;
      GitHubLabel label{name, ColorOf(name, options), "Filed by gcp-log-gardener"};
      Result<Ok> made = client_.CreateLabel(label);
      if (!made) return made.error();
      known_->insert(Lower(name));
    }
    return Ok{};
  }

 private:
  static std::string Lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }
  static std::string ColorOf(const std::string& name, const SyncOptions& options) {
    if (auto p = PriorityFromLabels({name})) return kPriorityColors[*p];
    return name == options.bot_label ? kBotColor : kCategoryColor;
  }
  GitHubClient& client_;
  std::optional<std::set<std::string>> known_;
};

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

// The item of `listed` that this run wrote for `key` (its marker says so),
// if a create that may have been stored was stored.
template <typename T>
Result<std::optional<T>> FindOwn(Result<std::vector<T>> listed, const SyncOptions& o,
                                 const std::string& key) {
  if (!listed) return listed.error();
  for (const T& item : listed.value()) {
    if (item.user_login != o.bot_login) continue;  // others' markers are not read
    auto m = ParseMarker(item.body);
    if (m && m->key == key && m->run_id == o.run_id) {
      return std::optional<T>(item);
    }
  }
  return std::optional<T>();
}

// The action with only the samples newer than what the issue holds.
PlannedAction OnlyNew(PlannedAction a, int64_t watermark_us) {
  std::vector<Sample>& samples = a.problem.cluster.samples;
  samples.erase(std::remove_if(samples.begin(), samples.end(),
                               [&](const Sample& s) { return s.timestamp_us <= watermark_us; }),
                samples.end());
  return a;
}

class Syncer {
 public:
  Syncer(GitHubClient& client, const TemplateSet& templates, const SyncOptions& options,
         std::map<int, TrackedIssue>* tracker, const RunReport& report)
      : client_(client), templates_(templates), o_(options), tracker_(*tracker),
        report_(report), labels_(client) {}

  Result<std::string> Apply(PlannedAction& a) {
    switch (a.kind) {
      case ActionKind::kCreate: return Create(a);
      case ActionKind::kUpdate: return Evidence(a, /*notable=*/false);
      case ActionKind::kEscalate: return Escalate(a);
      case ActionKind::kReopen: return Reopen(a);
      case ActionKind::kIgnore:
      case ActionKind::kNone: break;
    }
    return std::string();
  }

 private:
  Result<std::string> Create(PlannedAction& a) {
    const Problem& p = a.problem;
    std::vector<std::string> labels = IssueLabels(p, o_);
    Result<Ok> ok = labels_.Ensure(labels, o_);
    if (!ok) return ok.error();
    std::string marker = FormatMarker(MakeMarker(MarkerKind::kIssue, p, p.triage.priority, o_));
    std::string body = RenderIssueBody(templates_, a, report_, marker);
    Result<GitHubIssue> issue = client_.CreateIssue(
        p.triage.title, body, labels, [&] { return FindOwn(client_.ListIssues(o_.bot_label, "all"), o_, p.cluster.key); });
    if (!issue) return issue.error();
    tracker_[issue.value().number] = ReadTrackedIssue(issue.value(), {}, o_.bot_login);
    std::string done = "created #" + std::to_string(issue.value().number);
    if (a.issue_number != 0) done += ", linking #" + std::to_string(a.issue_number);
    a.issue_number = issue.value().number;
    a.issue_url = issue.value().html_url;
    a.issue_title = issue.value().title;
    return done;
  }

  // An evidence comment: edited in place while the quiet period lasts and
  // nothing notable happened, else a new one.
  Result<std::string> Evidence(const PlannedAction& a, bool notable) {
    auto it = tracker_.find(a.issue_number);
    if (it == tracker_.end()) return Error{ErrorKind::kUsage, "issue #" + std::to_string(a.issue_number) + " is not on the tracker"};
    TrackedIssue& t = it->second;
    const Problem& p = a.problem;
    if (std::find(t.issue.labels.begin(), t.issue.labels.end(), o_.bot_label) == t.issue.labels.end()) {
      // An adopted issue: the bot's label makes the next runs list it.
      IssuePatch patch;
      patch.labels = t.issue.labels;
      patch.labels->push_back(o_.bot_label);
      Result<Ok> ok = labels_.Ensure({o_.bot_label}, o_);
      if (!ok) return ok.error();
      Result<GitHubIssue> labelled = client_.UpdateIssue(a.issue_number, patch);
      if (!labelled) return labelled.error();
      t.issue = labelled.value();
    }
    if (t.adopted_now) notable = true;
    for (const std::string& fp : p.cluster.fingerprints) {
      bool known = std::find(t.known.fingerprints.begin(), t.known.fingerprints.end(), fp) !=
                   t.known.fingerprints.end();
      if (!known && fp == p.cluster.key) notable = true;  // a new variant of the problem
    }
    int priority = t.bot_priority >= 0 ? t.bot_priority : t.known.priority;
    if (a.kind == ActionKind::kEscalate) priority = p.triage.priority;
    std::string marker = FormatMarker(MakeMarker(MarkerKind::kEvidence, p, priority, o_));
    std::string body = RenderComment(templates_, OnlyNew(a, t.known.watermark_us), report_, marker);
    bool quiet = t.evidence && o_.now_us - t.evidence->created_at_us < o_.quiet_period_us;
    Result<std::string> done = quiet && !notable ? EditEvidence(a, t, body) : PostEvidence(a, t, body);
    if (!done) return done;
    t.known.watermark_us = std::max(t.known.watermark_us, p.cluster.last_seen_us);
    std::set<std::string> fps(t.known.fingerprints.begin(), t.known.fingerprints.end());
    fps.insert(p.cluster.fingerprints.begin(), p.cluster.fingerprints.end());
    t.known.fingerprints.assign(fps.begin(), fps.end());
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

  Result<std::string> EditEvidence(const PlannedAction& a, TrackedIssue& t, const std::string& body) {
    Result<GitHubComment> edited = client_.UpdateComment(t.evidence->id, body);
    if (!edited && edited.error().http_status == 404) return PostEvidence(a, t, body);  // deleted
    if (!edited) return edited.error();
    t.evidence = edited.value();
    return std::string("evidence comment edited");
  }

  Result<std::string> PostEvidence(const PlannedAction& a, TrackedIssue& t, const std::string& body) {
    const Problem& p = a.problem;
    if (t.body_is_bots && t.known.watermark_us < p.cluster.last_seen_us) {
      // A run that died after posting and before marking the body: its
      // comment is there already. Read only on this path, so rarely.
      Result<std::vector<GitHubComment>> comments = client_.ListComments(a.issue_number);
      if (!comments) return comments.error();
      for (const GitHubComment& c : comments.value()) {
        if (c.user_login != o_.bot_login) continue;
        auto m = ParseMarker(c.body);
        if (m && m->kind == MarkerKind::kEvidence &&
            m->key == p.cluster.key && m->watermark_us >= p.cluster.last_seen_us) {
          t.evidence = c;
          return std::string("commented (found the comment of an earlier run)");
        }
      }
    }
    Result<GitHubComment> posted = client_.CreateComment(
        a.issue_number, body,
        [&] { return FindOwn(client_.ListComments(a.issue_number), o_, p.cluster.key); });
    if (!posted) return posted.error();
    t.evidence = posted.value();
    return std::string("commented");
  }

  // The issue's labels with `priority` as its only P label, plus `extra`.
  std::vector<std::string> Relabel(const GitHubIssue& issue, int priority,
                                   const std::vector<std::string>& extra) {
    std::set<std::string> labels;
    for (const std::string& l : issue.labels) {
      if (!IsPriorityLabel(l)) labels.insert(l);
    }
    labels.insert(P(priority));
    labels.insert(extra.begin(), extra.end());
    return {labels.begin(), labels.end()};
  }

  // The issue's body with its marker changed by `edit`, when the bot wrote it.
  template <typename Edit>
  std::optional<std::string> Remark(const TrackedIssue& t, const Problem& p, Edit edit) {
    if (!t.body_is_bots) return std::nullopt;
    return EditMarker(t.issue.body, MakeMarker(MarkerKind::kIssue, p, t.bot_priority, o_), [&](Marker* m) {
      m->run_id = o_.run_id;
      edit(m);
    });
  }

  // Applies `patch` (new labels, title and the body marker's priority), then
  // posts a comment: both an escalation and a reopening are news.
  Result<std::string> PatchThenNotice(const PlannedAction& a, TrackedIssue& t, IssuePatch patch,
                                      int priority) {
    patch.body = Remark(t, a.problem, [&](Marker* m) { m->priority = priority; });
    Result<Ok> ok = labels_.Ensure(*patch.labels, o_);
    if (!ok) return ok.error();
    Result<GitHubIssue> updated = client_.UpdateIssue(a.issue_number, patch);
    if (!updated) return updated.error();
    t.issue = updated.value();
    t.known.open = true;
    t.bot_priority = priority;
    return Evidence(a, /*notable=*/true);
  }

  Result<std::string> Escalate(const PlannedAction& a) {
    TrackedIssue& t = tracker_[a.issue_number];
    int priority = a.problem.triage.priority;
    IssuePatch patch;
    patch.labels = Relabel(t.issue, priority, {});
    patch.title = RetitlePriority(t.issue.title, priority);
    Result<std::string> done = PatchThenNotice(a, t, patch, priority);
    if (!done) return done;
    return P(a.previous_priority) + " -> " + P(priority) + ", " + done.value();
  }

  Result<std::string> Reopen(const PlannedAction& a) {
    TrackedIssue& t = tracker_[a.issue_number];
    int priority = std::min(a.problem.triage.priority,
                            t.known.priority >= 0 ? t.known.priority : kLowestPriority);
    if (t.pinned && t.known.priority >= 0) priority = t.known.priority;  // a person's choice
    IssuePatch patch;
    patch.state = "open";
    patch.labels = Relabel(t.issue, priority, {kRegression});
    std::string title = RetitlePriority(t.issue.title, priority);
    size_t bar = title.find(" | ");
    if (PriorityFromTitle(title) && bar != std::string::npos) title = kRegression + title.substr(bar);
    patch.title = title;
    Result<std::string> done = PatchThenNotice(a, t, patch, priority);
    if (!done) return done;
    return "reopened, " + done.value();
  }

  GitHubClient& client_;
  const TemplateSet& templates_;
  const SyncOptions& o_;
  std::map<int, TrackedIssue>& tracker_;
  const RunReport& report_;
  LabelMaker labels_;
};

}  // namespace

std::vector<std::string> IssueLabels(const Problem& p, const SyncOptions& o) {
  std::set<std::string> labels{o.bot_label, P(p.triage.priority), p.triage.category};
  labels.insert(o.labels.begin(), o.labels.end());
  labels.insert(p.triage.labels.begin(), p.triage.labels.end());
  return {labels.begin(), labels.end()};
}

std::string RetitlePriority(const std::string& title, int priority) {
  size_t first = title.find(" | ");
  if (first == std::string::npos || !PriorityFromTitle(title)) return title;
  size_t second = title.find(" | ", first + 3);
  return title.substr(0, first + 3) + P(priority) + title.substr(second);
}

int ApplyPlan(GitHubClient& client, const TemplateSet& templates, const SyncOptions& options,
              std::map<int, TrackedIssue>* tracker, RunReport* report) {
  Syncer syncer(client, templates, options, tracker, *report);
  int failed = 0;
  std::string stopped;  // why writes stopped, once they did
  for (PlannedAction& a : report->actions) {
    if (a.kind == ActionKind::kNone || a.kind == ActionKind::kIgnore) continue;
    if (!stopped.empty()) {
      a.outcome = "skipped: " + stopped;
      a.failed = true;
      ++failed;
      continue;
    }
    Result<std::string> done = syncer.Apply(a);
    if (done) {
      a.outcome = done.value();
      continue;
    }
    a.outcome = "failed: " + done.error().message;
    a.failed = true;
    ++failed;
    ErrorKind kind = done.error().kind;
    if (kind == ErrorKind::kRateLimited || kind == ErrorKind::kBudget || kind == ErrorKind::kAuth) {
      stopped = done.error().message;
    }
  }
  return failed;
}

}  // namespace triage
