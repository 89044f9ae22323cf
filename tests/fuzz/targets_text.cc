// Fuzz targets for what the bot writes to GitHub and reads back from it:
// Markdown escaping, rendered issues and comments, the hidden marker.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "bot/app/embedded_files.h"
#include "bot/github/marker.h"
#include "bot/base/text.h"
#include "templates/markdown.h"
#include "templates/render.h"
#include "tests/fuzz/fuzz_input.h"
#include "tests/fuzz/targets.h"

namespace triage::fuzz {
namespace {

constexpr std::string_view kZeroWidthSpace = "\xE2\x80\x8B";
constexpr std::string_view kMarkerOpen = "<!-- gcp-log-gardener:v1 ";
constexpr int64_t kGitHubEraUs = 1199145600 * int64_t{1000000};  // 2008-01-01
constexpr int kMarkerKinds = 5;  // MarkerKind's values, kIssue to kDashboard

bool IsAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool IsToken(const std::string& s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return IsAlnum(c) || c == '.' || c == '_' || c == '-';
  });
}

// A GitHub login as markers hold it (bots too: "name[bot]").
bool IsLogin(const std::string& s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return IsAlnum(c) || c == '-' || c == '_' || c == '[' || c == ']';
  });
}

// Text GitHub shows as it is: valid UTF-8, no control characters but tab
// and newline, no character that reorders the line around it.
std::string CleanProblem(const std::string& out, const char* what) {
  const std::string clean = SanitizeText(out);
  if (clean != out) {
    const size_t at = FirstDifference(out, clean);
    const size_t from = at > 60 ? at - 60 : 0;
    return std::string(what) + " is not clean UTF-8 at byte " + std::to_string(at) + ": " +
           Quote(std::string_view(out).substr(from, 120));
  }
  static constexpr std::string_view kBidi[] = {
      "\xD8\x9C",     "\xE2\x80\x8E", "\xE2\x80\x8F", "\xE2\x80\xAA", "\xE2\x80\xAB",
      "\xE2\x80\xAC", "\xE2\x80\xAD", "\xE2\x80\xAE", "\xE2\x81\xA6", "\xE2\x81\xA7",
      "\xE2\x81\xA8", "\xE2\x81\xA9"};
  for (std::string_view bidi : kBidi) {
    if (out.find(bidi) != std::string::npos) {
      return std::string(what) + " keeps a bidirectional control: " + Quote(out);
    }
  }
  return "";
}

size_t LongestRun(std::string_view text, char c) {
  size_t longest = 0, run = 0;
  for (char x : text) {
    run = x == c ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

std::string EscapeInlineProblem(std::string_view text) {
  const std::string out = EscapeInline(text);
  if (std::string p = CleanProblem(out, "EscapeInline"); !p.empty()) return p;
  const auto fail = [&](const char* what) {
    return std::string("EscapeInline: ") + what + ": " + Quote(text) + " -> " + Quote(out);
  };
  if (out.find_first_of("\n\r\t<>") != std::string::npos) return fail("a line break, tab, < or >");
  if (!out.empty() && (out.front() == ' ' || out.back() == ' ')) return fail("untrimmed");
  for (size_t i = 0; i < out.size(); ++i) {
    const char c = out[i];
    const std::string_view after = std::string_view(out).substr(i + 1);
    if (c == '\\') {
      if (after.empty()) return fail("a lone backslash at the end");
      ++i;  // the escaped character
    } else if (std::strchr("*`[]|~$", c) != nullptr) {
      return fail("an unescaped Markdown special");
    } else if (c == '_' && !(i > 0 && IsAlnum(out[i - 1]) && !after.empty() && IsAlnum(after[0]))) {
      return fail("an unescaped '_' outside a word");
    } else if (c == '&' && after.rfind("amp;", 0) != 0 && after.rfind("lt;", 0) != 0 &&
               after.rfind("gt;", 0) != 0) {
      return fail("a raw '&'");
    } else if (c == '@' && after.rfind(kZeroWidthSpace, 0) != 0) {
      return fail("an '@' that can mention someone");
    } else if (c == '#' && !after.empty() && after[0] >= '0' && after[0] <= '9') {
      return fail("a '#' that links an issue");
    }
  }
  return "";
}

std::string InlineCodeProblem(std::string_view text, bool in_table) {
  const std::string out = InlineCode(text, in_table);
  const auto fail = [&](const char* what) {
    return std::string("InlineCode: ") + what + ": " + Quote(text) + " -> " + Quote(out);
  };
  if (out.empty()) return text.empty() ? "" : fail("empty for text");
  if (std::string p = CleanProblem(out, "InlineCode"); !p.empty()) return p;
  if (out.find_first_of("\n\r\t") != std::string::npos) return fail("not one line");
  if (out.find("<!--") != std::string::npos) return fail("an HTML comment opener");
  const size_t fence = out.find_first_not_of('`');
  if (fence == 0 || fence == std::string::npos || out.size() < 2 * fence + 1 ||
      out.compare(out.size() - fence, fence, std::string(fence, '`')) != 0) {
    return fail("no matching fences");
  }
  const std::string_view inside = std::string_view(out).substr(fence, out.size() - 2 * fence);
  if (inside.front() == '`' || inside.back() == '`' || LongestRun(inside, '`') >= fence) {
    return fail("the text can close the fence");
  }
  if (in_table) {
    for (size_t i = out.find('|'); i != std::string::npos; i = out.find('|', i + 1)) {
      if (i == 0 || out[i - 1] != '\\') return fail("an unescaped '|' in a table");
    }
  }
  return "";
}

std::string CodeBlockProblem(std::string_view text, std::string_view lang) {
  const std::string out = CodeBlock(text, lang);
  const auto fail = [&](const char* what) {
    return std::string("CodeBlock: ") + what + ": " + Quote(text) + " -> " + Quote(out);
  };
  if (std::string p = CleanProblem(out, "CodeBlock"); !p.empty()) return p;
  if (out.find('\r') != std::string::npos) return fail("a carriage return");
  if (out.find("<!--") != std::string::npos) return fail("an HTML comment opener");
  const size_t fence = out.find_first_not_of('`');
  const size_t info_end = out.find('\n');
  if (fence < 3 || info_end == std::string::npos || out.size() < info_end + 1 + fence ||
      out.compare(out.size() - fence, fence, std::string(fence, '`')) != 0 ||
      out[out.size() - fence - 1] != '\n') {
    return fail("no opening and closing fence");
  }
  for (size_t i = fence; i < info_end; ++i) {
    if (!IsAlnum(out[i]) && std::strchr("_.+-", out[i]) == nullptr) {
      return fail("a bad info string");
    }
  }
  const std::string_view body(out.data() + info_end + 1, out.size() - fence - info_end - 1);
  if (LongestRun(body, '`') >= fence) return fail("the text can close the fence");
  return "";
}

// The default templates, compiled once: a run compiles them once too.
const TemplateSet& DefaultTemplates() {
  static const TemplateSet templates = [] {
    std::map<std::string, TemplateSource> sources;
    for (const char* name : {"issue_body", "comment", "worklog"}) {
      const std::string path = std::string("templates/") + name + ".md.mustache";
      sources[name] = TemplateSource{std::string(EmbeddedFile(path)), path};
    }
    Result<TemplateSet> compiled = CompileTemplates(sources);
    if (!compiled) {
      std::fprintf(stderr, "default templates: %s\n", compiled.error().message.c_str());
      std::abort();
    }
    return compiled.value();
  }();
  return templates;
}

// A problem whose every text field is a NUL-separated piece of the input.
RunReport HostileReport(Bytes& in) {
  const uint8_t flags = in.Byte();
  const auto piece = [&in] { return std::string(in.Piece('\0')); };
  PlannedAction a;
  static constexpr ActionKind kKinds[] = {ActionKind::kCreate, ActionKind::kUpdate,
                                          ActionKind::kReopen, ActionKind::kEscalate,
                                          ActionKind::kNone,   ActionKind::kIgnore};
  a.kind = kKinds[flags % 6];
  a.previous_priority = flags & 8 ? 3 : -1;
  a.issue_number = flags & 16 ? 12 : 0;
  Cluster& c = a.problem.cluster;
  c.key = "0123456789abcdef";
  c.fingerprints = {c.key};
  c.count = 7;
  c.severity_counts[Severity::kError] = 7;
  c.max_severity = Severity::kError;
  c.first_seen_us = 1757700000 * int64_t{1000000};
  c.last_seen_us = c.first_seen_us + 7200 * int64_t{1000000};
  c.hourly[c.first_seen_us] = 4;
  c.hourly[c.first_seen_us + 3600 * int64_t{1000000}] = 3;
  c.template_text = piece();
  c.service = piece();
  c.exception = piece();
  c.http_method = piece();
  c.http_status = flags & 32 ? 503 : 0;
  c.call_sites = {piece(), piece()};
  c.revisions = {piece()};
  for (int i = 0; i < 2; ++i) {
    c.samples.push_back(Sample{piece(), c.first_seen_us + i, Severity::kError, piece()});
  }
  Triage& t = a.problem.triage;
  t.category = piece();
  t.summary = piece();
  t.title = piece();
  t.labels = {piece()};
  t.rule = piece();
  t.reason = piece();
  a.problem.fingerprint_name = piece();
  // GitHub's html_url, never log text: only its shape varies.
  static constexpr const char* kUrls[] = {"", "https://github.com/o/r/issues/12",
                                          "https://github.com/o/r/issues/12)x",
                                          "javascript:alert(1)"};
  a.issue_url = kUrls[(flags >> 6) & 3];
  a.issue_title = piece();
  a.reason = piece();
  a.outcome = piece();
  RunReport report;
  report.services = {piece()};
  report.project = piece();
  report.repository = piece();
  report.severity_counts = c.severity_counts;
  report.clustered = c.count;
  report.actions = {a};
  return report;
}

// GitHub's limit on an issue body or comment, counted in characters.
size_t CodePoints(const std::string& s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string RenderedProblem(const std::string& out, const Marker& marker, const char* what) {
  if (std::string p = CleanProblem(out, what); !p.empty()) return p;
  const size_t first = out.find("<!--");
  if (first == std::string::npos || out.find("<!--", first + 1) != std::string::npos) {
    const size_t forged = out.find("<!--", first == std::string::npos ? 0 : first + 1);
    return std::string(what) + ": log text forged an HTML comment: " +
           Quote(out.substr(forged == std::string::npos ? 0 : forged, 120));
  }
  const std::optional<Marker> read = ParseMarker(out);
  if (!read || read->key != marker.key || read->watermark_us != marker.watermark_us) {
    return std::string(what) + ": the marker does not read back";
  }
  if (CodePoints(out) > 65536) return std::string(what) + ": over GitHub's 65536 characters";
  return "";
}

// Every field of a marker, for comparing two.
std::string Describe(const Marker& m) {
  std::string out = std::to_string(static_cast<int>(m.kind)) + " key=" + m.key + " fps=";
  for (const std::string& fp : m.fingerprints) out += fp + ",";
  const auto flag = [](const std::optional<bool>& b) { return b ? (*b ? "1" : "0") : "-"; };
  return out + " watermark=" + std::to_string(m.watermark_us) +
         " priority=" + std::to_string(m.priority) + " run=" + m.run_id +
         " evidence=" + std::to_string(m.evidence_id) + "@" + std::to_string(m.evidence_at_us) +
         " muted=" + flag(m.muted) + " pinned=" + flag(m.pinned) +
         " window_end=" + std::to_string(m.window_end_us) + " refused=" + m.refused;
}

// FormatMarker writes one line that ParseMarker reads back as `expected`
// (nullopt: as no marker), also after any text.
std::string RoundTripProblem(const Marker& m, const std::optional<Marker>& expected,
                             std::string_view before) {
  const std::string text = FormatMarker(m);
  if (text.rfind(kMarkerOpen, 0) != 0 || text.find('\n') != std::string::npos ||
      text.find("-->") != text.size() - 3) {
    return "FormatMarker wrote " + Quote(text);
  }
  for (const std::string& whole : {text, std::string(before) + "\n" + text}) {
    const std::optional<Marker> read = ParseMarker(whole);
    const std::string want = expected ? Describe(*expected) : "no marker";
    const std::string got = read ? Describe(*read) : "no marker";
    if (want != got) {
      // From where they part: markers can hold 256 fingerprints.
      const size_t at = FirstDifference(want, got);
      const size_t from = at > 40 ? at - 40 : 0;
      return "marker " + Quote(text, 120) + " reads back as " + Quote(got.substr(from)) +
             ", not " + Quote(want.substr(from)) + " (from byte " + std::to_string(from) + ")";
    }
  }
  return "";
}

std::string ParsedMarkerProblem(std::string_view text) {
  const std::optional<Marker> m = ParseMarker(text);
  if (!m) return "";
  const auto& fps = m->fingerprints;
  if (!IsToken(m->key) || !std::is_sorted(fps.begin(), fps.end()) ||
      std::adjacent_find(fps.begin(), fps.end()) != fps.end() ||
      !std::binary_search(fps.begin(), fps.end(), m->key) || m->priority < -1 ||
      m->priority > 6 || m->evidence_id < 0 || (!m->refused.empty() && !IsLogin(m->refused))) {
    return "ParseMarker accepted " + Describe(*m) + " from " + Quote(text);
  }
  return RoundTripProblem(*m, m, text);
}

// EditMarker over the bot's own text: the result's last marker is the
// edited one, and text without a marker is left alone.
std::string EditedMarkerProblem(std::string_view text) {
  Marker fallback;
  fallback.key = "fallback";
  const auto edit = [](Marker* m) {
    m->run_id = "edit-run";
    m->priority = 2;
  };
  const std::string before(text);
  const std::optional<std::string> edited = EditMarker(before, fallback, edit);
  const size_t open = before.rfind(kMarkerOpen);
  const bool has_marker =
      open != std::string::npos && before.find(" -->", open) != std::string::npos;
  if (!edited) return has_marker ? "EditMarker found no marker in " + Quote(text) : "";
  if (!has_marker) return "EditMarker edited text without a marker: " + Quote(text);
  const std::optional<Marker> read = ParseMarker(*edited);
  if (!read || read->run_id != "edit-run" || read->priority != 2) {
    return "after EditMarker the last marker is " + (read ? Describe(*read) : "none") + ": " +
           Quote(*edited);
  }
  return "";
}

// A marker from the input, as FormatMarker must take any Marker.
std::string FormattedMarkerProblem(Bytes& in) {
  Marker m;
  m.kind = static_cast<MarkerKind>(in.Byte() % kMarkerKinds);
  m.priority = in.Byte() % 8 - 1;
  const uint8_t flags = in.Byte();
  m.watermark_us = flags & 1 ? TimeFrom(in.Word()) : 0;
  m.window_end_us = flags & 2 ? TimeFrom(in.Word()) : 0;
  if (flags & 4) m.muted = (flags & 8) != 0;
  if (flags & 16) m.pinned = (flags & 32) != 0;
  m.evidence_id = static_cast<int64_t>(in.Word());
  // GitHub's time for the evidence comment; log times for the watermark.
  m.evidence_at_us = kGitHubEraUs + static_cast<int64_t>(in.Word() % kGitHubEraUs);
  m.key = std::string(in.Piece('\0'));
  m.run_id = std::string(in.Piece('\0'));
  m.refused = std::string(in.Piece('\0'));
  while (!in.empty()) m.fingerprints.emplace_back(in.Piece('\0'));
  std::optional<Marker> expected;
  if (IsToken(m.key)) {
    Marker e = m;
    std::set<std::string> fps;
    for (const std::string& fp : m.fingerprints) {
      if (IsToken(fp) && fps.size() < 256) fps.insert(fp);
    }
    fps.insert(m.key);
    e.fingerprints.assign(fps.begin(), fps.end());
    if (!IsToken(m.run_id)) e.run_id.clear();
    if (!IsLogin(m.refused)) e.refused.clear();
    if (m.evidence_id <= 0) e.evidence_id = e.evidence_at_us = 0;
    expected = e;
  }
  return RoundTripProblem(m, expected, "");
}

}  // namespace

std::string FuzzMarkdown(const uint8_t* data, size_t size) {
  Bytes in(data, size);
  switch (in.Byte() % 4) {
    case 0: return EscapeInlineProblem(in.rest());
    case 1: return InlineCodeProblem(in.rest(), false);
    case 2: return InlineCodeProblem(in.rest(), true);
    default: {
      const std::string_view lang = in.Piece('\n');
      return CodeBlockProblem(in.rest(), lang);
    }
  }
}

std::string FuzzRender(const uint8_t* data, size_t size) {
  Bytes in(data, size);
  const RunReport report = HostileReport(in);
  const PlannedAction& a = report.actions[0];
  Marker marker;
  marker.key = a.problem.cluster.key;
  marker.fingerprints = a.problem.cluster.fingerprints;
  marker.watermark_us = a.problem.cluster.last_seen_us;
  const std::string text = FormatMarker(marker);
  const TemplateSet& templates = DefaultTemplates();
  if (std::string p = RenderedProblem(RenderIssueBody(templates, a, report, text), marker,
                                      "issue body");
      !p.empty()) {
    return p;
  }
  if (std::string p = RenderedProblem(RenderComment(templates, a, report, text), marker,
                                      "comment");
      !p.empty()) {
    return p;
  }
  const std::string worklog = RenderWorklog(templates, report);
  if (worklog.find("<!--") != std::string::npos) return "worklog: an HTML comment opener";
  return CleanProblem(worklog, "worklog");
}

std::string FuzzMarker(const uint8_t* data, size_t size) {
  Bytes in(data, size);
  switch (in.Byte() % 4) {
    case 1:
    case 3: return FormattedMarkerProblem(in);
    case 2: return EditedMarkerProblem(in.rest());
    default: return ParsedMarkerProblem(in.rest());
  }
}

void AbortOnProblem(const std::string& problem) {
  if (problem.empty()) return;
  std::fprintf(stderr, "invariant broken: %s\n", problem.c_str());
  std::abort();
}

}  // namespace triage::fuzz
