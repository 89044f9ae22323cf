// Log text written by an attacker, through whole runs against the fake
// GitHub: every issue and comment the bot leaves is read back and must be
// inert Markdown (no mention, reference, HTML, image, link or autolink
// outside code; every code block closed; nothing of a message outside its
// block but its escaped first line), within GitHub's limits, and free of
// every secret the logs held.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "bot/app/cli.h"
#include "bot/github/marker.h"
#include "bot/base/text.h"
#include "tests/support/cli_support.h"
#include "tests/support/fake_github.h"
#include "tests/templates/live_markdown.h"

namespace triage {
namespace {

using nlohmann::json;
using testing::FakeGitHub;

const std::string kRepo = "octo/repo";

// Made-up secrets, one of each kind the bot redacts. None is real.
struct Secret {
  const char* kind;
  const char* value;  // must appear nowhere the bot writes
};
const Secret kSecrets[] = {
    {"github token", "ghp_R2d2C3poBb8Wq4Lz0Xv9Kt6Ym1Na5Jh7Ue3S"},
    {"github fine-grained token", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzAB"},
    {"jwt", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIn0.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFO"},
    {"opaque bearer token", "Zm9vYmFyYmF6cXV4LnRva2VuLnZhbHVl"},
    {"google api key", "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY"},
    {"google oauth token", "ya29.a0AfH6SMBx3kG7pQ-9rT2_wZ8yL4vN1cU6eJ0hD5oF"},
    {"private key body", "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw"},
    {"url password", "Sup3rS3cretDbPass"},
    {"password pair", "hunter2-correct-horse"},
    {"aws access key", "AKIAIOSFODNN7EXAMPLE"},
    {"slack token", "xoxb-2840192837-1928374650-AbCdEfGhIjKlMnOpQrStUvWx"},
    {"email", "alice.smith@example.com"},
    {"the bot's own token", "test-token"},
};

// Each message opens with a line of its own (the issue's summary and
// title come from it); every later line holds CANARY, which may only ever
// be shown inside code.
std::vector<std::string> HostileMessages() {
  const auto s = [](int i) { return std::string(kSecrets[i].value); };
  std::string huge = "Huge line from the payload parser " + s(0) + " ";
  while (huge.size() < 1000000) huge += "@admin #1 <b>x</b> ```` <!-- x --> ";
  std::string trace = "Request from " + s(11) + " failed\nTraceback (most recent call last):\n";
  for (int i = 0; i < 5000; ++i) {
    trace += "  File \"/app/CANARY/mod" + std::to_string(i) + ".py\", line 1, in f\n    x()\n";
  }
  trace += "ValueError: bad token " + s(1);
  return {
      "Mention storm for @admin and @octo-org/security-team\nCANARY @root @everyone",
      "Reference storm fixes #1 closes octo/repo#2 GH-3 https://github.com/octo/repo/issues/4\n"
      "CANARY #5 www.evil.example",
      "Script injection <script>alert(1)</script><img src=x onerror=alert(2)>\n"
      "CANARY <iframe src=\"https://evil.example\"></iframe> <details open>",
      "Forged marker <!-- gcp-log-gardener:v1 {\"kind\":\"issue\",\"key\":\"0000000000000000\","
      "\"fingerprints\":[\"0000000000000000\"],\"priority\":0} --> then <!-- unclosed\nCANARY -->",
      "Tracking pixel ![p](https://tracker.example/p.png) [click](javascript:alert(1))\n"
      "CANARY [ref]: https://evil.example <https://evil.example>",
      "Fence breakout ```` and ~~~\n```\n# CANARY heading\n@admin\n````````````\n~~~\nCANARY after",
      "Entity trick &#64;admin &commat;root &#x23;12 &lt;b&gt;\nCANARY &#35;7",
      "Math trick $\\href{https://evil.example}{x}$ and $$x$$\nCANARY ```mermaid",
      "Bidi and controls \xE2\x80\xAE" "evil\xE2\x80\xAC bell\x07 esc\x1B[31m del\x7F c1\xC2\x85\n"
      "CANARY\r\nCANARY\tend",
      huge,
      "Login failed Authorization: Bearer " + s(3) + " for " + s(11) + "\nCANARY " + s(2),
      "Upstream keys leaked github " + s(0) + " google " + s(4) + " oauth " + s(5) + "\nCANARY",
      "Database connect failed postgres://app:" + s(7) + "@db.internal:5432/main\n"
      "CANARY password=" + s(8) + " aws " + s(9) + " slack " + s(10),
      "Loaded service account\n-----BEGIN RSA PRIVATE KEY-----\n" + s(6) +
          "\n-----END RSA PRIVATE KEY-----\nCANARY",
      "Environment dump GITHUB_TOKEN=" + s(12) + " HOME=/root\nCANARY GH_PAT " + s(1),
      trace,
  };
}

// Text that GitHub would act on in every way, for fields shown outside code.
const char* const kHostileName =
    "@admin #12 octo/repo#3 GH-4 https://evil.example/x www.evil.example <img src=x> "
    "![p](https://t.example/p.png) [l](https://e.example) &#64;root | cell <!-- x --> $x$";

// The messages as Cloud Logging entries, minutes apart from `start`.
std::string Entries(const std::string& hour) {
  std::string out;
  int minute = 1;
  for (const std::string& message : HostileMessages()) {
    json e = {{"insertId", "h" + hour + "-" + std::to_string(minute)},
              {"timestamp", "2030-01-01T" + hour + ":" + (minute < 10 ? "0" : "") +
                                std::to_string(minute) + ":00Z"},
              {"severity", "ERROR"},
              {"resource", {{"type", "cloud_run_revision"},
                            {"labels", {{"service_name", "svc"}, {"revision_name", "svc-00001"}}}}}};
    // A traceback comes as text, the rest as structured messages.
    if (message.find("\nTraceback") != std::string::npos) {
      e["textPayload"] = message;
    } else {
      e["jsonPayload"] = {{"message", message}};
    }
    // Where it was logged and which revision: shown as escaped text.
    if (minute <= 3) {
      e["sourceLocation"] = {{"file", "app.py"}, {"line", "7"}, {"function", kHostileName}};
      e["resource"]["labels"]["revision_name"] = std::string("svc-00002 ") + kHostileName;
    }
    out += e.dump() + "\n";
    ++minute;
  }
  return out;
}

// Plain text lines, as a file of any bytes: invalid UTF-8 gets in here.
std::string TextLines() {
  return "Invalid bytes \xFF\xFE \xC0\xAF \xED\xA0\x80 from @admin #9 " +
         std::string(kSecrets[0].value) + "\n" +
         "Truncated sequence at the end \xE2\x82 <b>" + "\n";
}

const char* const kConfig =
    "version: 1\n"
    "source:\n  project: hostile\n  min_severity: DEFAULT\n"
    "github:\n  repository: octo/repo\n  file_at_or_above: P6\n  max_writes: 1000\n"
    "  dashboard: false\n";

// Runs the bot once against `github`; the fake's clock follows its sleeps.
struct Bot {
  FakeGitHub& github;
  testing::TempDir& dir;
  int64_t clock_us = 1893456000LL * 1000000;

  int Run(const std::string& input, const std::string& now, const std::string& run_id,
          std::string* err_out, const std::string& format = "auto") {
    Environment env = testing::FakeEnvironment(
        {{"GITHUB_API_URL", github.base_url()}, {"GITHUB_TOKEN", "test-token"}, {"GITHUB_RUN_ID", run_id}},
        &clock_us, [this] { github.SetNow(std::max(github.Now(), clock_us / 1000000)); });
    const std::vector<std::string> args{
        "gcp-log-gardener", "run", "--config", dir.Write("config.yml", kConfig), "--input", input,
        "--format", format, "--report", dir.Path("worklog-" + run_id + ".md"), "--now", now};
    std::vector<const char*> argv;
    for (const std::string& a : args) argv.push_back(a.c_str());
    std::ostringstream out, err;
    const int code = RunCli(static_cast<int>(argv.size()), argv.data(), out, err, clock_us, env);
    *err_out = out.str() + err.str();
    return code;
  }
};

// What the bot left in one issue body or comment, checked as a whole.
void CheckWritten(const std::string& what, const std::string& text) {
  CAPTURE(what);
  CHECK(CountCodePoints(text) <= 65536);
  const size_t marker_at = text.rfind("<!-- gcp-log-gardener:v1 ");
  REQUIRE(marker_at != std::string::npos);
  const std::string marker = text.substr(marker_at, text.find('\n', marker_at) - marker_at);
  const std::optional<Marker> parsed = ParseMarker(text);
  REQUIRE(parsed);
  CHECK(parsed->key != "0000000000000000");  // the bot's own, not the log's
  CHECK(parsed->priority != 0);
  CHECK(text.find("<!--") == marker_at);  // no other HTML comment, hidden or forged
  const testing::MarkdownScan scan = testing::ScanMarkdown(text, marker);
  for (const std::string& p : scan.problems) FAIL_CHECK(p);
  const size_t canary = scan.prose.find("CANARY");
  const size_t from = canary == std::string::npos ? 0 : canary - std::min<size_t>(canary, 80);
  CHECK_MESSAGE(canary == std::string::npos, "log text outside code: " << scan.prose.substr(from, 160));
  for (const Secret& s : kSecrets) CHECK_MESSAGE(text.find(s.value) == std::string::npos, s.kind);
}

void CheckTitle(const std::string& title) {
  CAPTURE(title);
  CHECK(CountCodePoints(title) <= 256);
  // Valid UTF-8; no control, reordering or line-breaking character.
  CHECK(testing::live_markdown::BadCharacter(title) == "");
  CHECK(title.find_first_of("\n\t") == std::string::npos);
  for (const std::string& p : testing::ScanMarkdown(title).problems) {
    // A title is plain text: only mentions would reach anyone.
    CHECK_MESSAGE(p.find("a mention") == std::string::npos, p);
  }
  for (const Secret& s : kSecrets) CHECK_MESSAGE(title.find(s.value) == std::string::npos, s.kind);
}

TEST_CASE("hostile run: log text cannot act, leak or break the bot") {
  testing::FakeGitHubOptions options;
  options.repos = {kRepo};
  FakeGitHub github(options);
  testing::TempDir dir;
  Bot bot{github, dir};
  const auto run = [&](const std::string& file, const std::string& data, const std::string& now,
                       const std::string& id, const std::string& format) {
    std::string log;
    REQUIRE_MESSAGE(bot.Run(dir.Write(file, data), now, id, &log, format) == 0, log);
  };
  // Files issues, then files more from raw text lines, then comments on
  // the first ones with the next hour's occurrences.
  run("a.ndjson", Entries("00"), "2030-01-01T01:00:00Z", "a", "auto");
  run("b.txt", TextLines(), "2030-01-01T01:30:00Z", "b", "lines");
  run("c.ndjson", Entries("01"), "2030-01-01T02:00:00Z", "c", "auto");

  const std::vector<testing::FakeIssue> issues = github.Issues(kRepo);
  size_t comments = 0;
  for (const testing::FakeIssue& issue : issues) {
    CheckTitle(issue.title);
    CheckWritten("issue #" + std::to_string(issue.number), issue.body);
    for (const testing::FakeComment& c : issue.comments) {
      CheckWritten("comment on #" + std::to_string(issue.number), c.body);
      ++comments;
    }
  }
  MESSAGE(issues.size() << " issues and " << comments << " comments checked");
  CHECK(issues.size() >= HostileMessages().size());
  CHECK(comments >= HostileMessages().size());
  // Nothing sent anywhere holds a secret: bodies, labels, search queries.
  for (const testing::RecordedRequest& r : github.Requests()) {
    for (const Secret& s : kSecrets) {
      CHECK_MESSAGE(r.body.find(s.value) == std::string::npos, s.kind << " sent to " << r.path);
      for (const auto& param : r.params) {
        CHECK_MESSAGE(param.second.find(s.value) == std::string::npos, s.kind << " in " << r.query);
      }
    }
  }
  // Nor does the worklog, which a workflow shows as its step summary.
  for (const char* id : {"a", "b", "c"}) {
    const std::string worklog = testing::ReadFile(dir.Path(std::string("worklog-") + id + ".md"));
    CHECK(!worklog.empty());
    CHECK(SanitizeText(worklog) == worklog);
    for (const Secret& s : kSecrets) {
      CHECK_MESSAGE(worklog.find(s.value) == std::string::npos, s.kind);
    }
  }
}

}  // namespace
}  // namespace triage
