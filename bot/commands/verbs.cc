#include "bot/commands/verbs.h"

#include <functional>
#include <vector>

#include "bot/commands/retriage.h"
#include "bot/github/marker.h"
#include "bot/github/tracker.h"
#include "bot/ingest/collect.h"
#include "bot/triage/decide.h"
#include "bot/triage/labels.h"
#include "templates/render.h"

namespace triage {
namespace {

// The issue a verb works on, as read at its start and kept as its writes
// leave it, and what the verb reads besides.
struct Target {
  CommandSession& s;
  const Config& config;
  const WindowSource& window;
  TrackedIssue tracked;
};

// The problem the issue holds, as far as its markers say: what stands for
// it where the bot's marker has to be made anew. The issue holds at least
// one fingerprint (Perform refuses the others).
Problem HeldProblem(const TrackedIssue& t) {
  Problem p;
  p.cluster.key = t.known.fingerprints.front();
  p.cluster.fingerprints = t.known.fingerprints;
  p.cluster.last_seen_us = t.known.watermark_us;
  return p;
}

Result<TrackedIssue> ReadIssue(CommandSession& s) {
  Result<GitHubIssue> issue = s.client.GetIssue(s.event.issue_number);
  if (!issue) return issue.error();
  if (IsDashboard(issue.value(), s.sync.bot_login)) return TrackedIssue{};
  Result<std::vector<GitHubComment>> comments = s.client.ListComments(s.event.issue_number);
  if (!comments) return comments.error();
  return ReadTrackedIssue(issue.value(), comments.value(), s.sync.bot_login);
}

// A label the repository lacks is created by GitHub on the issue write
// (plain grey); the scheduled run's labels have the bot's colours.
// Re-marks the body when the bot wrote it; the reply's marker says the
// same, which is what counts on an issue a person filed.
Result<Ok> Patch(Target& t, IssuePatch patch, const Problem& p,
                 const std::function<void(Marker*)>& edit) {
  patch.body = t.s.writer.Remark(t.tracked, p, edit);
  if (!patch.body && !patch.labels && !patch.title) return Ok{};
  Result<GitHubIssue> updated = t.s.client.UpdateIssue(t.s.event.issue_number, patch);
  if (!updated) return updated.error();
  t.tracked.issue = updated.value();
  return Ok{};
}

Result<Outcome> Mute(Target& t, bool mute) {
  Result<Ok> ok = Patch(t, IssuePatch{}, HeldProblem(t.tracked), [&](Marker* m) { m->muted = mute; });
  if (!ok) return ok.error();
  Outcome o;
  o.marker = ReplyMarker(t.tracked, t.s.sync.run_id);
  o.marker.muted = mute;
  o.text = mute ? "Muted: the gardener will post no evidence comments on this issue and will not "
                  "reopen it, until `/gardener unmute`."
                : "Unmuted: evidence comments and reopening resume with the next run.";
  return o;
}

Result<Outcome> Pin(Target& t, int priority) {
  const GitHubIssue& issue = t.tracked.issue;
  IssuePatch patch;
  patch.labels = RelabelIssue(issue.labels, priority, "", "", t.s.sync.bot_label);
  std::string title = RetitlePriority(issue.title, priority);
  if (title != issue.title) patch.title = title;
  Result<Ok> ok = Patch(t, patch, HeldProblem(t.tracked), [&](Marker* m) {
    m->pinned = true;
    m->priority = priority;
  });
  if (!ok) return ok.error();
  Outcome o;
  o.marker = ReplyMarker(t.tracked, t.s.sync.run_id);
  o.marker.pinned = true;
  o.marker.priority = priority;
  o.text = "Priority set to **" + PriorityLabel(priority) +
           "** and pinned: the gardener will not change it.";
  return o;
}

Result<CollectResult> ReadWindow(const Target& t, int64_t since_us, int64_t until_us) {
  const SourceConfig& source = t.config.source;
  CollectOptions options;
  options.input = t.window.input;
  options.format = t.window.format;
  options.filter.min_severity = source.min_severity;
  options.filter.since_us = since_us;
  options.filter.until_us = until_us;
  options.filter.services = source.services;
  if (!t.window.input.empty()) return CollectAndCluster(options);
  return CollectFromCloudLogging(options, source, since_us, until_us, t.window.cloud, t.s.err);
}

// The rules over the window, applied as the sync applies an update: the
// plan's labels, title and priority, the body's marker, then the evidence.
Result<Outcome> Retriage(Target& t, int64_t window_us) {
  const int64_t until = t.window.now_us, since = until - window_us;
  Result<CollectResult> collected = ReadWindow(t, since, until);
  if (!collected) return collected.error();
  RetriagePlan plan = PlanRetriage(Decide(t.config.rules, collected.value().clusters, {t.tracked.known}),
                                   t.tracked, t.s.sync.bot_label);
  Outcome o;
  o.marker = ReplyMarker(t.tracked, t.s.sync.run_id);
  if (!plan.found) {
    o.text = NotFoundReply(window_us, since, until);
    return o;
  }
  PlannedAction& a = plan.action;
  a.reason = "retriaged on request by @" + t.s.event.comment_login + " over the last " +
             WindowName(window_us);
  IssuePatch patch;
  patch.labels = a.new_labels;
  if (!a.new_title.empty()) patch.title = a.new_title;
  Result<Ok> ok = Patch(t, patch, a.problem, [&](Marker* m) {
    m->priority = a.target_priority;
    m->watermark_us = plan.watermark_us;
    m->fingerprints = plan.fingerprints;
  });
  if (!ok) return ok.error();
  const RunReport report = RetriageReport(t.s.client.repository(), since, until);
  const std::string body =
      RenderComment(t.s.templates, a, report, FormatMarker(RetriageMarker(plan, t.s.sync)));
  Result<GitHubComment> posted =
      t.s.writer.Post(a.issue_number, body, MarkerKind::kEvidence, a.problem.cluster.key);
  if (!posted) return posted.error();
  o.text = RetriageReply(plan, t.tracked.pinned, window_us, posted.value().html_url);
  o.marker.priority = a.target_priority;
  return o;
}

Result<Outcome> Do(Target& t, const Command& c) {
  switch (c.verb) {
    case Verb::kMute:
    case Verb::kUnmute: return Mute(t, c.verb == Verb::kMute);
    case Verb::kPriority: return Pin(t, c.priority);
    case Verb::kRetriage: return Retriage(t, c.window_us.value_or(t.config.source.window_us));
    case Verb::kHelp: break;
  }
  Outcome help;
  help.text = CommandHelp();
  help.marker = ReplyMarker(t.tracked, t.s.sync.run_id);
  return help;
}

// A reply that the command was refused; `error` when GitHub or Google
// failed rather than the command's words.
Outcome Failed(const Marker& marker, const std::string& text, bool error = false) {
  Outcome o;
  o.text = text;
  o.failed = true;
  o.error = error;
  o.marker = marker;
  return o;
}

}  // namespace

Outcome Perform(CommandSession& s, const ParsedComment& parsed, const Config& config,
                const WindowSource& window) {
  const Marker unread = ReplyMarker(TrackedIssue{}, s.sync.run_id);
  if (!parsed.command) {
    return Failed(unread, "I did not understand that: " + parsed.problem + ".\n\n" + CommandHelp());
  }
  const Command& c = *parsed.command;
  if (c.verb == Verb::kHelp) {
    Outcome help;
    help.text = CommandHelp();
    help.marker = unread;
    return help;
  }
  Result<TrackedIssue> tracked = ReadIssue(s);
  if (!tracked) {
    return Failed(unread, "Something went wrong: " + tracked.error().message + ". Nothing was changed.",
                  /*error=*/true);
  }
  if (tracked.value().known.fingerprints.empty()) {
    return Failed(unread, "This issue is not one the gardener manages (it holds none of its "
                          "fingerprints), so there is nothing to " + std::string(VerbName(c.verb)) + ".");
  }
  Target t{s, config, window, tracked.value()};
  Result<Outcome> done = Do(t, c);
  if (done) return done.value();
  return Failed(ReplyMarker(t.tracked, s.sync.run_id),
                "Something went wrong: " + done.error().message +
                    ". What was done before that stays; running the command again finishes it.",
                /*error=*/true);
}

}  // namespace triage
