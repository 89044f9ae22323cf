#include "bot/app/command_run.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>

#include "bot/ingest/cloud_source.h"
#include "bot/ingest/collect.h"
#include "bot/commands/command.h"
#include "bot/triage/decide.h"
#include "bot/actions/actions_output.h"
#include "bot/actions/event.h"
#include "bot/app/exit_status.h"
#include "bot/triage/known_issues.h"
#include "bot/github/marker.h"
#include "bot/triage/plan.h"
#include "bot/commands/retriage.h"
#include "bot/github/sync.h"
#include "bot/triage/labels.h"
#include "bot/base/time_util.h"
#include "bot/github/tracker.h"
#include "bot/base/version.h"

namespace triage {
namespace {

// What the command did, for the reply; `failed` also gets a 😕, and an
// `error` (GitHub or Google failed, not the command's words) exit 1.
struct Outcome {
  std::string text;
  bool failed = false;
  bool error = false;
  Marker marker;  // carried by the reply (state for adopted issues)
};

std::string P(int priority) { return PriorityLabel(priority); }

std::string Hours(int64_t us) {
  const int64_t minutes = us / (60 * int64_t{1000000});
  if (minutes % (24 * 60) == 0) return std::to_string(minutes / (24 * 60)) + "d";
  if (minutes % 60 == 0) return std::to_string(minutes / 60) + "h";
  return std::to_string(minutes) + "m";
}

void WriteOutputs(const CommandArgs& args, bool allowed, const std::string& result, std::ostream& err) {
  if (args.step_outputs_path.empty()) return;
  Result<Ok> w = WriteStepOutputs(args.step_outputs_path,
                                  {{"allowed", allowed ? "true" : "false"}, {"result", result}});
  if (!w) err << kProgramName << ": " << w.error().message << "\n";
}

// Why the bot stays silent about this event, or "" when it should answer.
std::string IgnoreReason(const GitHubEvent& e, const ParsedComment& parsed, const std::string& bot_login) {
  if (e.kind != EventKind::kIssueComment) return "not a comment event (" + e.name + ")";
  if (e.action != "created") return "the comment was " + (e.action.empty() ? "changed" : e.action);
  if (e.on_pull_request) return "a comment on a pull request";
  if (e.comment_login == bot_login || e.comment_user_type == "Bot" ||
      (e.comment_login.size() > 5 && e.comment_login.rfind("[bot]") == e.comment_login.size() - 5)) {
    return "a comment by a bot";
  }
  if (!parsed.addressed) return "not a /gardener command";
  return "";
}

class CommandRunner {
 public:
  CommandRunner(const CommandArgs& args, const Setup& setup, GitHubClient& client, const GitHubEvent& event,
                std::ostream& err)
      : args_(args), setup_(setup), config_(setup.config), client_(client), event_(event), err_(err) {
    sync_.bot_label = config_.github.bot_label;
    sync_.labels = config_.github.labels;
    sync_.bot_login = config_.github.bot_login;
    sync_.run_id = args.github.run_id;
  }

  // The commenter may command the bot: write access or above.
  Result<bool> Allowed() {
    Result<GitHubPermission> p = client_.GetPermission(event_.comment_login);
    if (!p) return p.error();
    return p.value().push;
  }

  // Once per person and issue: a refusal marker in an earlier reply says
  // this person was already told.
  Result<std::string> Refuse() {
    Result<std::vector<GitHubComment>> comments = client_.ListComments(event_.issue_number);
    if (!comments) return comments.error();
    for (const GitHubComment& c : comments.value()) {
      if (c.user_login != sync_.bot_login) continue;
      auto m = ParseMarker(c.body);
      if (m && m->kind == MarkerKind::kReply && m->refused == event_.comment_login) {
        return std::string("refused again, without a reply");
      }
    }
    Marker m = ReplyMarker();
    m.refused = event_.comment_login;
    std::string body = "Sorry @" + event_.comment_login +
                       ", only people with write access to this repository can command the "
                       "gardener. A maintainer can run the command for you.\n\n" + FormatMarker(m) + "\n";
    Result<GitHubComment> posted = Reply(body);
    if (!posted) return posted.error();
    return std::string("refused");
  }

  Result<Ok> Acknowledge() { return client_.AddReaction(event_.comment_id, "eyes"); }

  // Does the command and replies. Returns the result line for the outputs.
  Result<std::string> Execute(const ParsedComment& parsed) {
    Outcome outcome;
    if (!parsed.command) {
      outcome.text = "I did not understand that: " + parsed.problem + ".\n\n" + CommandHelp();
      outcome.failed = true;
    } else if (parsed.command->verb == Verb::kHelp) {
      outcome.text = CommandHelp();
    } else {
      Result<TrackedIssue> tracked = ReadIssue();
      if (!tracked) {
        outcome.text = "Something went wrong: " + tracked.error().message + ". Nothing was changed.";
        outcome.failed = outcome.error = true;
      } else if (tracked.value().known.fingerprints.empty()) {
        outcome.text = "This issue is not one the gardener manages (it holds none of its "
                       "fingerprints), so there is nothing to " + std::string(VerbName(parsed.command->verb)) + ".";
        outcome.failed = true;
      } else {
        tracked_ = tracked.value();
        Result<Outcome> done = Do(*parsed.command);
        if (done) {
          outcome = done.value();
        } else {
          outcome.text = "Something went wrong: " + done.error().message +
                         ". What was done before that stays; running the command again finishes it.";
          outcome.failed = outcome.error = true;
        }
      }
    }
    if (outcome.marker.key.empty()) outcome.marker = ReplyMarker();
    std::string body = outcome.text + RunLink() + "\n\n" + FormatMarker(outcome.marker) + "\n";
    Result<GitHubComment> posted = Reply(body);
    if (outcome.failed) {
      Result<Ok> confused = client_.AddReaction(event_.comment_id, "confused");
      if (!confused) err_ << kProgramName << " command: the reaction: " << confused.error().message << "\n";
    }
    if (!posted) return posted.error();
    std::string verb = parsed.command ? VerbName(parsed.command->verb) : "unknown";
    if (outcome.error) return Error{ErrorKind::kHttp, verb + " failed: " + FirstLineOf(outcome.text)};
    return verb + (outcome.failed ? " refused: " + FirstLineOf(outcome.text) : " done");
  }

 private:
  static std::string FirstLineOf(const std::string& text) { return text.substr(0, text.find('\n')); }

  std::string RunLink() const {
    return args_.github.run_url.empty() ? "" : "\n\n[The run](" + args_.github.run_url + ")";
  }

  Marker ReplyMarker() const {
    Marker m;
    m.kind = MarkerKind::kReply;
    m.key = tracked_.known.fingerprints.empty() ? "reply" : tracked_.known.fingerprints.front();
    m.run_id = sync_.run_id;
    return m;
  }

  // Posts `body`, whose marker is of `kind` and carries this run's id: when
  // a lost answer leaves it unclear whether it was stored, the issue's
  // comments are read back for it before it is sent again.
  Result<GitHubComment> Post(const std::string& body, MarkerKind kind) {
    return client_.CreateComment(event_.issue_number, body, [&]() -> Result<std::optional<GitHubComment>> {
      Result<std::vector<GitHubComment>> comments = client_.ListComments(event_.issue_number);
      if (!comments) return comments.error();
      for (const GitHubComment& c : comments.value()) {
        if (c.user_login != sync_.bot_login) continue;
        auto m = ParseMarker(c.body);
        if (m && m->kind == kind && m->run_id == sync_.run_id) return std::optional<GitHubComment>(c);
      }
      return std::optional<GitHubComment>();
    });
  }

  Result<GitHubComment> Reply(const std::string& body) { return Post(body, MarkerKind::kReply); }

  Result<TrackedIssue> ReadIssue() {
    Result<GitHubIssue> issue = client_.GetIssue(event_.issue_number);
    if (!issue) return issue.error();
    if (IsDashboard(issue.value(), sync_.bot_login)) return TrackedIssue{};
    Result<std::vector<GitHubComment>> comments = client_.ListComments(event_.issue_number);
    if (!comments) return comments.error();
    return ReadTrackedIssue(issue.value(), comments.value(), sync_.bot_login);
  }

  Result<Outcome> Do(const Command& c) {
    switch (c.verb) {
      case Verb::kMute:
      case Verb::kUnmute: return Mute(c.verb == Verb::kMute);
      case Verb::kPriority: return Pin(c.priority);
      case Verb::kRetriage: return Retriage(c.window_us.value_or(config_.source.window_us));
      case Verb::kHelp: break;
    }
    Outcome help;
    help.text = CommandHelp();
    return help;
  }

  // A label the repository lacks is created by GitHub on the issue write
  // (plain grey); the scheduled run's labels have the bot's colours.
  // Edits the body's marker when the bot wrote the body; the reply's
  // marker says the same, which is what counts on an issue a person filed.
  Result<Ok> Patch(IssuePatch patch, const std::function<void(Marker*)>& edit) {
    if (tracked_.body_is_bots) {
      Marker fallback = ReplyMarker();
      fallback.kind = MarkerKind::kIssue;
      patch.body = EditMarker(tracked_.issue.body, fallback, [&](Marker* m) {
        m->run_id = sync_.run_id;
        edit(m);
      });
    }
    if (!patch.body && !patch.labels && !patch.title) return Ok{};
    Result<GitHubIssue> updated = client_.UpdateIssue(event_.issue_number, patch);
    if (!updated) return updated.error();
    tracked_.issue = updated.value();
    return Ok{};
  }

  Result<Outcome> Mute(bool mute) {
    Result<Ok> ok = Patch(IssuePatch{}, [&](Marker* m) { m->muted = mute; });
    if (!ok) return ok.error();
    Outcome o;
    o.marker = ReplyMarker();
    o.marker.muted = mute;
    o.text = mute ? "Muted: the gardener will post no evidence comments on this issue and will not "
                    "reopen it, until `/gardener unmute`."
                  : "Unmuted: evidence comments and reopening resume with the next run.";
    return o;
  }

  Result<Outcome> Pin(int priority) {
    IssuePatch patch;
    patch.labels = RelabelIssue(tracked_.issue.labels, priority, "", "", sync_.bot_label);
    std::string title = RetitlePriority(tracked_.issue.title, priority);
    if (title != tracked_.issue.title) patch.title = title;
    Result<Ok> ok = Patch(patch, [&](Marker* m) {
      m->pinned = true;
      m->priority = priority;
    });
    if (!ok) return ok.error();
    Outcome o;
    o.marker = ReplyMarker();
    o.marker.pinned = true;
    o.marker.priority = priority;
    o.text = "Priority set to **" + P(priority) + "** and pinned: the gardener will not change it.";
    return o;
  }

  Result<CollectResult> Collect(int64_t since_us, int64_t until_us) {
    CollectOptions options;
    options.input = args_.input;
    options.format = args_.format;
    options.filter.min_severity = config_.source.min_severity;
    options.filter.since_us = since_us;
    options.filter.until_us = until_us;
    options.filter.services = config_.source.services;
    if (!args_.input.empty()) return CollectAndCluster(options);
    return CollectFromCloudLogging(options, config_.source, since_us, until_us, args_.cloud, err_);
  }

  Result<Outcome> Retriage(int64_t window_us) {
    const int64_t since = args_.now_us - window_us, until = args_.now_us;
    Result<CollectResult> collected = Collect(since, until);
    if (!collected) return collected.error();
    RetriagePlan plan =
        PlanRetriage(Decide(config_.rules, collected.value().clusters, {tracked_.known}), tracked_,
                     sync_.bot_label);
    Outcome o;
    o.marker = ReplyMarker();
    if (!plan.found) {
      o.text = "No occurrence of this issue's problem in the last " + Hours(window_us) + " (" +
               FormatRfc3339(since) + " to " + FormatRfc3339(until) + "); nothing was changed.";
      return o;
    }
    const Problem& p = plan.problem;
    const int priority = plan.priority, old_priority = plan.old_priority;
    IssuePatch patch;
    patch.labels = plan.labels;
    patch.title = plan.title;
    Result<Ok> ok = Patch(patch, [&](Marker* m) {
      m->priority = priority;
      m->watermark_us = plan.watermark_us;
      m->fingerprints = plan.fingerprints;
    });
    if (!ok) return ok.error();

    PlannedAction a;
    a.kind = ActionKind::kUpdate;
    a.problem = p;
    a.issue_number = event_.issue_number;
    a.issue_url = tracked_.issue.html_url;
    a.issue_title = tracked_.issue.title;
    a.previous_priority = old_priority;
    a.reason = "retriaged on request by @" + event_.comment_login + " over the last " + Hours(window_us);
    RunReport report;
    report.repository = client_.repository();
    report.generated_us = args_.now_us;
    report.dry_run = false;
    report.window_start_us = since;
    report.window_end_us = until;
    Marker evidence;
    evidence.kind = MarkerKind::kEvidence;
    evidence.key = p.cluster.key;
    evidence.fingerprints = plan.fingerprints;
    evidence.watermark_us = plan.watermark_us;
    evidence.priority = priority;
    evidence.run_id = sync_.run_id;
    Result<GitHubComment> posted =
        Post(RenderComment(setup_.templates, a, report, FormatMarker(evidence)), MarkerKind::kEvidence);
    if (!posted) return posted.error();

    std::string change = old_priority < 0 || old_priority == priority
                             ? "stays **" + P(priority) + "**"
                             : "**" + P(old_priority) + " -> " + P(priority) + "**";
    if (tracked_.pinned) change += " (pinned)";
    o.text = "Retriaged from " + std::to_string(p.cluster.count) + " occurrences in the last " +
             Hours(window_us) + ": priority " + change + " (" + p.triage.reason + "), category `" +
             p.triage.category + "`. [Evidence](" + posted.value().html_url + ").";
    o.marker.priority = priority;
    return o;
  }

  const CommandArgs& args_;
  const Setup& setup_;
  const Config& config_;
  GitHubClient& client_;
  const GitHubEvent& event_;
  std::ostream& err_;
  SyncOptions sync_;
  TrackedIssue tracked_;
};

Result<std::string> ReadEventFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorKind::kInput, path + ": cannot open the event file"};
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text;
}

}  // namespace

int RunCommand(const CommandArgs& args, std::ostream& out, std::ostream& err) {
  const std::string me = std::string(kProgramName) + " command";
  Result<std::string> text = ReadEventFile(args.event_path);
  if (!text) {
    err << me << ": " << text.error().message << "\n";
    return kExitUsage;
  }
  Result<GitHubEvent> event = ParseEvent(text.value(), args.event_name, args.event_path);
  if (!event) {
    err << me << ": " << event.error().message << "\n";
    return kExitUsage;
  }
  Result<Setup> setup = LoadSetup(args.config_path, args.config_explicit);
  if (!setup) {
    err << setup.error().message << "\n";
    return kExitUsage;
  }
  const Config& config = setup.value().config;
  ParsedComment parsed = ParseComment(event.value().comment_body);
  std::string ignore = IgnoreReason(event.value(), parsed, config.github.bot_login);
  if (!ignore.empty()) {
    out << "ignored: " << ignore << "\n";
    WriteOutputs(args, false, "ignored: " + ignore, err);
    return kExitOk;
  }
  Result<std::unique_ptr<GitHubClient>> github = ConnectGitHub(args.github, config, "command");
  if (!github) {
    err << github.error().message << "\n";
    return ExitStatusFor(github.error());
  }
  CommandRunner runner(args, setup.value(), *github.value(), event.value(), err);
  auto fail = [&](const std::string& what, const Error& e) {
    err << me << ": " << what << ": " << e.message << "\n";
    WriteOutputs(args, false, what + " failed", err);
    return ExitStatusFor(e);
  };
  Result<bool> allowed = runner.Allowed();
  if (!allowed) return fail("checking the permission of " + event.value().comment_login, allowed.error());
  if (!allowed.value()) {
    Result<std::string> refused = runner.Refuse();
    if (!refused) return fail("replying", refused.error());
    out << event.value().comment_login << " has no write access: " << refused.value() << "\n";
    WriteOutputs(args, false, refused.value(), err);
    return kExitOk;
  }
  Result<Ok> eyes = runner.Acknowledge();
  if (!eyes) return fail("acknowledging", eyes.error());
  if (args.authorize_only) {
    out << "allowed: " << event.value().comment_login << " may command the gardener\n";
    WriteOutputs(args, true, "allowed", err);
    return kExitOk;
  }
  Result<std::string> done = runner.Execute(parsed);
  if (!done) {
    err << me << ": " << done.error().message << "\n";
    WriteOutputs(args, true, done.error().message, err);
    return kExitFailure;
  }
  out << done.value() << "\n";
  WriteOutputs(args, true, done.value(), err);
  return kExitOk;
}

}  // namespace triage
