#include "templates/render.h"

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <string>

#include "bot/base/text.h"
#include "bot/base/time_util.h"
#include "tests/templates/live_markdown.h"

namespace triage {
namespace {

#define ZWSP "\xE2\x80\x8B"

// 2025-09-15T00:00:00Z.
constexpr int64_t kMidnight = 1757894400LL * kMicrosPerSecond;
constexpr int64_t kMinute = 60 * kMicrosPerSecond;

std::string ReadSource(const std::string& name) {
  std::ifstream in(std::string(GARDENER_SOURCE_DIR "/templates/") + name + ".md.mustache",
                   std::ios::binary);
  REQUIRE(in);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::map<std::string, TemplateSource> DefaultSources() {
  std::map<std::string, TemplateSource> sources;
  for (const char* name : {"issue_body", "comment", "worklog"}) {
    sources[name] = TemplateSource{ReadSource(name), std::string("templates/") + name};
  }
  return sources;
}

TemplateSet Defaults() {
  Result<TemplateSet> set = CompileTemplates(DefaultSources());
  REQUIRE_MESSAGE(set.has_value(), (set ? "" : set.error().message));
  return set.value();
}

// A message an attacker could log.
constexpr const char* kHostile = "Login by @admin <script>x</script> `rm` | y\nz";

PlannedAction Action(ActionKind kind, const std::string& summary, int priority) {
  PlannedAction a;
  a.kind = kind;
  Cluster& c = a.problem.cluster;
  c.key = "3f2a9c1d0b7e4a55";
  c.service = "netra-backend-staging";
  c.count = 10;
  c.severity_counts = {{Severity::kWarning, 2}, {Severity::kError, 8}};
  c.max_severity = Severity::kError;
  c.first_seen_us = kMidnight + 5 * kMinute;
  c.last_seen_us = kMidnight + 150 * kMinute;
  c.call_sites = {"netra_backend.app.auth.login:42"};
  c.revisions = {"netra-backend-staging-00042-abc"};
  c.hourly = {{kMidnight, 2}, {kMidnight + 2 * 60 * kMinute, 8}};
  c.template_text = kHostile;
  c.samples = {Sample{"a1", kMidnight + 5 * kMinute + 718912, Severity::kError, kHostile}};
  Triage& t = a.problem.triage;
  t.category = "GCP-auth";
  t.priority = priority;
  t.summary = summary;
  t.title = t.category + " | P" + std::to_string(priority) + " | " + summary;
  t.rule = "auth";
  t.reason = "P1: rule auth";
  t.rate_per_hour = 10.0 / 3;
  return a;
}

RunReport Report() {
  RunReport r;
  r.services = {"netra-backend-staging"};
  r.project = "netra-staging";
  r.repository = "o/r";
  r.window_start_us = kMidnight;
  r.window_end_us = kMidnight + 180 * kMinute;
  r.generated_us = kMidnight + 181 * kMinute;
  r.entries_read = 120;
  r.malformed = 1;
  r.filtered_out = 9;
  r.clustered = 110;
  r.severity_counts = {{Severity::kError, 10}, {Severity::kWarning, 100}};
  PlannedAction created = Action(ActionKind::kCreate, kHostile, 1);
  created.reason = "no issue has this fingerprint";
  PlannedAction escalated = Action(ActionKind::kEscalate, "Session access failed", 2);
  escalated.issue_number = 169;
  escalated.issue_url = "https://github.com/o/r/issues/169";
  escalated.previous_priority = 3;
  PlannedAction ignored = Action(ActionKind::kIgnore, "Health check noise", 5);
  ignored.problem.triage.ignored = true;
  ignored.problem.triage.rule = "noise";
  ignored.problem.triage.reason = "";
  ignored.problem.cluster.count = 40;
  r.actions = {created, escalated, ignored};
  return r;
}

bool HasLine(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

#define CHECK_LINE(text, line) CHECK_MESSAGE(HasLine(text, line), "missing line: " << (line))

const char* const kEscapedHostile =
    "Login by @" ZWSP "admin &lt;script&gt;x&lt;/script&gt; \\`rm\\` \\| y z";

TEST_CASE("Render: worklog header, summary and sections") {
  const std::string out = RenderWorklog(Defaults(), Report());
  CHECK(out.rfind("# GCP Log Gardener Worklog: netra-backend-staging\n\n", 0) == 0);
  CHECK_LINE(out, "- **Project:** netra-staging, issues in o/r");
  CHECK_LINE(out, "- **Window:** 2025-09-15T00:00:00Z to 2025-09-15T03:00:00Z");
  CHECK_LINE(out, "- **Mode:** dry run (nothing was changed on GitHub)");
  CHECK_LINE(out, "Read 120 log entries (1 malformed, 9 filtered out) and clustered 110 of them "
                  "into 3 problems, 1 of which the rules ignore.");
  CHECK_LINE(out, "| ERROR | 10 |");
  CHECK_LINE(out, "**Actions:** create 1, escalate 1, ignore 1");
  CHECK_LINE(out, "### 1. GCP-auth \\| P1 \\| " + std::string(kEscapedHostile));
  CHECK_LINE(out, "- **Priority:** P2 (was P3), category GCP-auth");
  CHECK_LINE(out, "- **Count:** 10 (3.3/h): ERROR 8, WARNING 2");
  CHECK_LINE(out, "- **Decided by:** rule auth: P1: rule auth");
  CHECK_LINE(out, "- **Per hour:** `\u2583\u2581\u2588` peak 8/h at 2025-09-15T02:00Z");
  CHECK_LINE(out, "**2025-09-15T00:05:00.718912Z** ERROR");
  // The ignored problem gets a line, not a section.
  CHECK(out.find("### 3.") == std::string::npos);
  CHECK_LINE(out, "- Health check noise: 40 entries, rule noise");
  CHECK(out.find("\n\n\n") == std::string::npos);
  CHECK(out.find("Note:") == std::string::npos);
}

TEST_CASE("Render: worklog results table") {
  const std::string out = RenderWorklog(Defaults(), Report());
  const std::string table =
      "| Cluster | Issue | Action | Priority |\n"
      "|---|---|---|---|\n"
      "| 1. " + std::string(kEscapedHostile) + " | new issue | create | P1 |\n"
      "| 2. Session access failed | [#169](https://github.com/o/r/issues/169) | escalate | "
      "P2 (was P3) |\n"
      "| 3. Health check noise | - | ignore | P5 |\n";
  CHECK(out.find(table) != std::string::npos);
  CHECK(out.find("Left for the next run") == std::string::npos);
}

TEST_CASE("Render: the worklog says what the next run retries") {
  RunReport report = Report();
  report.actions[0].failed = true;
  report.actions[0].outcome = "failed: POST /repos/o/r/issues: HTTP 502";
  report.actions[1].failed = true;
  report.actions[1].outcome = "skipped: the write budget (30) is spent";
  const std::string out = RenderWorklog(Defaults(), report);
  CHECK(out.find("create: failed: POST /repos/o/r/issues: HTTP 502") != std::string::npos);
  CHECK(out.find("> **Left for the next run:** 2 actions above failed or were skipped (the outcome "
                 "says why). Nothing of them is lost: the next run plans them again") != std::string::npos);
}

TEST_CASE("Render: hostile log text is escaped, or shown in code") {
  const std::string out = RenderWorklog(Defaults(), Report());
  // In the template line a code span longer than the backtick run inside.
  CHECK_LINE(out, "- **Template:** ``Login by @admin <script>x</script> `rm` | y z``");
  // In a sample, a fenced block, line break kept.
  CHECK(out.find("\n```text\nLogin by @admin <script>x</script> `rm` | y\nz\n```\n") !=
        std::string::npos);
  // Nowhere else: escaped in the heading, the table and the issue title.
  size_t raw = 0;
  for (size_t at = out.find("<script>"); at != std::string::npos;
       at = out.find("<script>", at + 1)) {
    ++raw;
  }
  CHECK(raw == 4);  // two problems, each in its template span and sample block
}

TEST_CASE("Render: issue body and comment") {
  const TemplateSet set = Defaults();
  const RunReport report = Report();
  const std::string marker = "<!-- gardener:fingerprint=3f2a9c1d0b7e4a55 -->";
  const std::string body = RenderIssueBody(set, report.actions[0], report, marker);
  CHECK(body.rfind("## " + std::string(kEscapedHostile) + "\n", 0) == 0);
  CHECK_LINE(body, "| Priority | P1 |");
  CHECK_LINE(body, "| Call sites | netra_backend.app.auth.login:42 |");
  CHECK_LINE(body, "**2025-09-15T00:05:00.718912Z** ERROR");
  CHECK_LINE(body, "Decided by rule auth: P1: rule auth");
  CHECK(body.find("comment `/gardener retriage` on this issue") != std::string::npos);
  CHECK(body.size() > marker.size());
  CHECK(body.compare(body.size() - marker.size() - 1, std::string::npos, marker + "\n") == 0);
  // No exception: the table goes on without a gap.
  CHECK(body.find("| Service | netra-backend-staging |\n| Call sites |") != std::string::npos);
  CHECK(body.find("came back after") == std::string::npos);  // a new problem links nothing

  PlannedAction again = report.actions[0];  // back after its issue was closed too long ago
  again.issue_number = 169;
  again.issue_url = "https://github.com/o/r/issues/169";
  again.reason = "regression: #169 was closed 45 days ago";
  CHECK_LINE(RenderIssueBody(set, again, report, marker),
             "This problem came back after [#169](https://github.com/o/r/issues/169) was closed: "
             "regression: #\u200b169 was closed 45 days ago.");

  const std::string comment = RenderComment(set, report.actions[1], report, marker);
  CHECK(comment.rfind("### 10 new occurrences from 2025-09-15T00:00:00Z to 2025-09-15T03:00:00Z\n",
                      0) == 0);
  CHECK(comment.find("Earlier runs in this comment") == std::string::npos);
  PlannedAction folded = report.actions[1];  // 4 of the 10 are new; two earlier windows shown
  folded.new_count = 4;
  folded.folded = {{*ParseRfc3339("2025-09-14T22:00:00Z"), *ParseRfc3339("2025-09-14T23:00:00Z"), 7},
                   {*ParseRfc3339("2025-09-14T23:00:00Z"), *ParseRfc3339("2025-09-15T00:00:00Z"), 2}};
  const std::string edited = RenderComment(set, folded, report, marker);
  CHECK(edited.rfind("### 4 new occurrences from", 0) == 0);
  CHECK_LINE(edited, "| 2025-09-14T22:00:00Z to 2025-09-14T23:00:00Z | 7 |");
  CHECK_LINE(edited, "| 2025-09-14T23:00:00Z to 2025-09-15T00:00:00Z | 2 |");
  CHECK_LINE(edited, "**13** new occurrences in all, this run's included.");
  CHECK_LINE(comment, "**Priority P3 to P2**: P1: rule auth");
  CHECK_LINE(comment, "- **Revisions:** netra-backend-staging-00042-abc");
  CHECK(comment.find(marker + "\n") != std::string::npos);
}

TEST_CASE("Render: output is deterministic") {
  const TemplateSet set = Defaults();
  const TemplateSet copy = set;
  const RunReport report = Report();
  CHECK(RenderWorklog(set, report) == RenderWorklog(copy, report));
  CHECK(RenderIssueBody(set, report.actions[0], report, "m") ==
        RenderIssueBody(Defaults(), report.actions[0], report, "m"));
}

TEST_CASE("Render: broken templates are load errors") {
  struct Case {
    const char* name;
    const char* text;
    const char* want;
  };
  const Case cases[] = {
      {"worklog", "{{#sections}}x", "templates/worklog: Unclosed section \"sections\" at 0"},
      {"worklog", "a {{title", "templates/worklog: Unclosed tag at 2"},
      {"worklog", "a\n{{samplez}}", "templates/worklog: line 2: unknown variable 'samplez'"},
      {"worklog", "{{#samples}}{{time}}{{/samples}}",
       "templates/worklog: line 1: unknown variable 'samples'"},
      {"comment", "{{#samples}}{{{time}}}{{/samples}}",
       "templates/comment: line 1: 'time' is text: write it in double braces so that it is "
       "escaped"},
      {"issue_body", "{{&title}}",
       "templates/issue_body: line 1: 'title' is text: write it in double braces so that it is "
       "escaped"},
      {"issue_body", "{{> header}}", "templates/issue_body: line 1: partials are not supported: "
                                      "'header'"},
      {"issue_body", "{{=<% %>=}}\n<% nope %>", "templates/issue_body: line 2: unknown variable "
                                                 "'nope'"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    std::map<std::string, TemplateSource> sources = DefaultSources();
    sources[c.name].text = c.text;
    Result<TemplateSet> set = CompileTemplates(sources);
    REQUIRE_FALSE(set.has_value());
    CHECK(set.error().kind == ErrorKind::kConfig);
    CHECK(set.error().message == c.want);
  }
  std::map<std::string, TemplateSource> sources = DefaultSources();
  sources.erase("comment");
  CHECK(CompileTemplates(sources).error().message == "templates: missing template 'comment'");
  sources = DefaultSources();
  sources["issue"] = TemplateSource{"", "my/issue.md"};
  CHECK(CompileTemplates(sources).error().message ==
        "my/issue.md: unknown template 'issue' (known: issue_body, comment, worklog)");
}

TEST_CASE("Render: sections, the table and lines that stand alone") {
  std::map<std::string, TemplateSource> sources = DefaultSources();
  sources["comment"].text =
      "{{! a comment line }}\n| a |\n{{#exception}}\n| {{exception}} |\n{{/exception}}\n"
      "{{#samples}}\n| {{severity}} |\n{{/samples}}\n{{^issue}}\n| none |\n{{/issue}}\n| b |\n"
      "{{=<% %>=}}\n<%marker%>\n";
  const TemplateSet set = CompileTemplates(sources).value();
  const RunReport report = Report();
  CHECK(RenderComment(set, report.actions[0], report, "m") ==
        "| a |\n| ERROR |\n| none |\n| b |\nm\n");
}

TEST_CASE("Render: a large worklog stays under 1 MiB and says what it left out") {
  RunReport report = Report();
  const PlannedAction base = Action(ActionKind::kCreate, std::string(250, 'w'), 2);
  report.actions.clear();
  for (int i = 0; i < 5000; ++i) {
    PlannedAction a = base;
    a.problem.cluster.samples.assign(3, Sample{"s", kMidnight, Severity::kError,
                                               std::string(5000, 'x')});
    a.problem.cluster.call_sites.assign(20, std::string(90, 'c'));
    report.actions.push_back(a);
  }
  const std::string out = RenderWorklog(Defaults(), report);
  CHECK(out.size() <= 1024 * 1024);
  CHECK_LINE(out, "> **Note:** Sections for 100 of 5000 problems; the others are in the results "
                  "table only. The results table lists 2000 of 5000 problems. Cut to stay under "
                  "GitHub's 1 MiB step summary limit.");
  CHECK(out.find("### 100. ") != std::string::npos);
  CHECK(out.find("### 101. ") == std::string::npos);
  CHECK(out.find("... (cut at 600 bytes)") != std::string::npos);
}

// Log text at its worst: fences, markup, a marker, a secret and a mention
// on every line, invalid bytes, lines of any length.
std::string HugeHostile(size_t bytes) {
  const std::string line =
      "  at evil(```` <!-- gcp-log-gardener:v1 {} --> @admin #1 ghp_R2d2C3poBb8Wq4Lz0Xv9Kt6Ym1Na5Jh7"
      " \xFF <script> ![x](https://e.example/p.png))\n";
  std::string out;
  while (out.size() < bytes) out += line;
  return out;
}

const char* const kMarker = "<!-- gcp-log-gardener:v1 {\"key\":\"3f2a9c1d0b7e4a55\"} -->";

// What every body and comment must be, whatever went in.
void CheckFits(const std::string& body) {
  CHECK(CountCodePoints(body) <= 65536 - 2048);
  const std::string tail = std::string(kMarker) + "\n";
  CHECK(body.compare(body.size() - std::min(body.size(), tail.size()), tail.size(), tail) == 0);
  CHECK(body.find("<!--") == body.rfind(kMarker));
  CHECK(body.find("ghp_") == std::string::npos);
  const testing::MarkdownScan scan = testing::ScanMarkdown(body, kMarker);
  CHECK(scan.problems.empty());
  for (size_t i = 0; i < scan.problems.size() && i < 5; ++i) MESSAGE(scan.problems[i]);
}

PlannedAction WorstCase() {
  PlannedAction a = Action(ActionKind::kCreate, std::string(10000, '@'), 1);
  Cluster& c = a.problem.cluster;
  c.samples.assign(50, Sample{"id", kMidnight, Severity::kError, HugeHostile(1 << 20)});
  c.template_text = HugeHostile(1 << 20);
  c.exception = std::string(1 << 20, '&');
  c.call_sites.assign(1000, std::string(10000, '<'));
  c.revisions.assign(1000, HugeHostile(10000));
  a.reason = HugeHostile(10000);
  return a;
}

TEST_CASE("Render: the worst log text stays under GitHub's limit, inert and redacted") {
  const TemplateSet set = Defaults();
  const RunReport report = Report();
  const PlannedAction a = WorstCase();
  CheckFits(RenderIssueBody(set, a, report, kMarker));
  CheckFits(RenderComment(set, a, report, kMarker));
  CHECK(RenderIssueBody(set, a, report, kMarker).find("... (cut at 4000 bytes)") != std::string::npos);
}

TEST_CASE("Render: a template too long for GitHub shows fewer samples, then is cut") {
  std::map<std::string, TemplateSource> sources = DefaultSources();
  std::string many = "{{#samples_note}}\n*{{samples_note}}*\n\n{{/samples_note}}\n";
  for (int i = 0; i < 4; ++i) many += "{{#samples}}\n{{{block_md}}}\n\n{{/samples}}\n";
  sources["comment"].text = many + "{{{marker}}}\n";
  // A user's text over the limit by itself, a code block open where it is cut.
  std::string literal = "## {{summary}}\n\n~~~~\n";
  for (int i = 0; i < 3000; ++i) {
    literal += "a line of the template's own text, #" + std::to_string(i) + "\n";
  }
  sources["issue_body"].text = "{{{marker}}}\n" + literal + "~~~~\n";
  const TemplateSet set = CompileTemplates(sources).value();
  const RunReport report = Report();
  const PlannedAction a = WorstCase();
  const std::string comment = RenderComment(set, a, report, kMarker);
  CheckFits(comment);
  CHECK_LINE(comment, "*2 of 50 samples, each cut at 2000 bytes, to stay under GitHub's limit of "
                      "65,536 characters.*");
  const std::string body = RenderIssueBody(set, a, report, kMarker);
  CheckFits(body);
  CHECK(body.rfind("~~~~\n\n**Cut here to stay under GitHub's limit of 65,536 characters.**\n\n" +
                   std::string(kMarker) + "\n") != std::string::npos);
}

TEST_CASE("Render: email addresses are redacted unless the config says not to") {
  TemplateSet set = Defaults();
  RunReport report = Report();
  PlannedAction a = report.actions[0];
  a.problem.cluster.samples[0].text = "invite for alice@example.com, password=hunter22";
  a.problem.cluster.template_text = "invite for alice@example.com";
  const std::string hidden = RenderIssueBody(set, a, report, kMarker);
  CHECK(hidden.find("invite for [redacted: email], password=[redacted]\n") != std::string::npos);
  CHECK(hidden.find("alice") == std::string::npos);
  set.redact_emails = false;
  const std::string shown = RenderIssueBody(set, a, report, kMarker);
  CHECK(shown.find("invite for alice@example.com, password=[redacted]\n") != std::string::npos);
  CHECK(shown.find("`invite for alice@example.com`") != std::string::npos);
}

}  // namespace
}  // namespace triage
