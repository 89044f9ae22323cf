#include "bot/github/sync.h"

#include <optional>

#include "bot/github/evidence.h"
#include "bot/github/label_maker.h"
#include "bot/github/marker.h"
#include "bot/triage/labels.h"

namespace triage {
namespace {

class Syncer {
 public:
  Syncer(GitHubClient& client, const TemplateSet& templates, const SyncOptions& options,
         std::map<int, TrackedIssue>* tracker, const RunReport& report)
      : client_(client), templates_(templates), o_(options), tracker_(*tracker),
        report_(report), labels_(client, options.bot_label),
        evidence_(client, templates, options, labels_, report) {}

  Result<std::string> Apply(PlannedAction& a) {
    switch (a.kind) {
      case ActionKind::kCreate: return Create(a);
      case ActionKind::kUpdate: return Update(a);
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
    std::vector<std::string> labels = IssueLabels(p, o_.bot_label, o_.labels);
    Result<Ok> ok = labels_.Ensure(labels);
    if (!ok) return ok.error();
    std::string marker = FormatMarker(MakeMarker(MarkerKind::kIssue, p, a.target_priority, o_));
    std::string body = RenderIssueBody(templates_, a, report_, marker);
    Result<GitHubIssue> issue = client_.CreateIssue(
        p.triage.title, body, labels, [&]() -> Result<std::optional<GitHubIssue>> {
          Result<std::vector<GitHubIssue>> listed = client_.ListIssues(o_.bot_label, "all");
          if (!listed) return listed.error();
          const GitHubIssue* own = FindBotItem(listed.value(), o_.bot_login, [&](const Marker& m) {
            return m.key == p.cluster.key && m.run_id == o_.run_id;
          });
          return own ? std::optional<GitHubIssue>(*own) : std::nullopt;
        });
    if (!issue) return issue.error();
    tracker_[issue.value().number] = ReadTrackedIssue(issue.value(), {}, o_.bot_login);
    std::string done = "created #" + std::to_string(issue.value().number);
    if (a.issue_number != 0) done += ", linking #" + std::to_string(a.issue_number);
    a.issue_number = issue.value().number;
    a.issue_url = issue.value().html_url;
    a.issue_title = issue.value().title;
    return done;
  }

  Result<TrackedIssue*> Tracked(const PlannedAction& a) {
    auto it = tracker_.find(a.issue_number);
    if (it == tracker_.end()) {
      return Error{ErrorKind::kUsage, "issue #" + std::to_string(a.issue_number) + " is not on the tracker"};
    }
    return &it->second;
  }

  Result<std::string> Update(const PlannedAction& a) {
    Result<TrackedIssue*> t = Tracked(a);
    if (!t) return t.error();
    return evidence_.Write(a, *t.value());
  }

  // Posts the notice, then applies the plan's title and labels (and the
  // body marker's priority) in the same edit as the evidence's marker, so
  // that a rerun after a kill finds the notice instead of losing it.
  Result<std::string> PatchThenNotice(const PlannedAction& a, bool reopen) {
    Result<TrackedIssue*> tracked = Tracked(a);
    if (!tracked) return tracked.error();
    TrackedIssue& t = *tracked.value();
    IssuePatch patch;
    if (reopen) patch.state = "open";
    patch.labels = a.new_labels;
    patch.title = a.new_title;
    Result<std::string> done = evidence_.Write(a, t, patch);
    if (!done) return done;
    t.known.open = true;
    t.bot_priority = a.target_priority;
    t.known.bot_priority = a.target_priority;
    return done;
  }

  Result<std::string> Escalate(const PlannedAction& a) {
    Result<std::string> done = PatchThenNotice(a, /*reopen=*/false);
    if (!done) return done;
    return PriorityLabel(a.previous_priority) + " -> " + PriorityLabel(a.target_priority) + ", " +
           done.value();
  }

  Result<std::string> Reopen(const PlannedAction& a) {
    Result<std::string> done = PatchThenNotice(a, /*reopen=*/true);
    if (!done) return done;
    return "reopened, " + done.value();
  }

  GitHubClient& client_;
  const TemplateSet& templates_;
  const SyncOptions& o_;
  std::map<int, TrackedIssue>& tracker_;
  const RunReport& report_;
  LabelMaker labels_;
  EvidenceWriter evidence_;
};

}  // namespace

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
