#include "templates/render.h"

#include <algorithm>
#include <memory>
#include <utility>

#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>

#include "bot/base/text.h"
#include "templates/markdown.h"
#include "templates/template_check.h"
#include "templates/view_data.h"

// Rendering: the templates are compiled once (kainjow, after the checks of
// template_check.h) and rendered from view_data's data, then fitted under
// GitHub's limits.

namespace triage {

struct TemplateSet::Compiled {
  kainjow::mustache::mustache mustache;
};

namespace {

using Json = nlohmann::json;

constexpr const char* kTemplateNames[] = {"issue_body", "comment", "worklog"};

// GitHub refuses a step summary over 1 MiB; the margin leaves room for
// whatever else a workflow step appends.
constexpr size_t kWorklogMaxBytes = 1024 * 1024 - 16 * 1024;
constexpr int kMaxSections = 200;
constexpr int kMaxRows = 2000;

// GitHub refuses an issue body or comment over 65,536 characters, counted
// as code points (docs notes §6). The margin leaves room for the marker to
// grow when later runs rewrite it.
constexpr size_t kBodyMaxCodePoints = 65536 - 2048;
constexpr const char* kBodyCutNote =
    "**Cut here to stay under GitHub's limit of 65,536 characters.**\n";

using template_check::DropMarkedLines;
using template_check::MarkStandalone;
using view_data::IssueData;
using view_data::Limits;
using view_data::WithEmails;
using view_data::WorklogData;

// Data as Mustache sees it. An empty string becomes false, so that a
// section on an optional value is skipped when the value is missing.
kainjow::mustache::data ToData(const Json& j) {
  using Data = kainjow::mustache::data;
  if (j.is_object()) {
    Data d;
    for (const auto& item : j.items()) d.set(item.key(), ToData(item.value()));
    return d;
  }
  if (j.is_array()) {
    Data d(Data::type::list);
    for (const Json& v : j) d.push_back(ToData(v));
    return d;
  }
  if (j.is_boolean()) return Data(j.get<bool>());
  if (j.is_string()) {
    const std::string& s = j.get_ref<const std::string&>();
    return s.empty() ? Data(false) : Data(s);
  }
  return Data(j.dump());
}

Result<std::shared_ptr<const TemplateSet::Compiled>> CompileOne(const TemplateSource& source,
                                                                const Json& probe) {
  // Parse errors name offsets in the text as written, so that text is parsed first.
  const kainjow::mustache::mustache as_written(source.text);
  if (!as_written.is_valid()) {
    return Error{ErrorKind::kConfig, source.source_name + ": " + as_written.error_message()};
  }
  Result<Ok> names = template_check::CheckNames(source, view_data::DataNames(probe));
  if (!names) return names.error();
  auto compiled = std::make_shared<TemplateSet::Compiled>(
      TemplateSet::Compiled{kainjow::mustache::mustache(MarkStandalone(source.text))});
  compiled->mustache.set_custom_escape([](const std::string& s) { return EscapeInline(s); });
  return std::shared_ptr<const TemplateSet::Compiled>(std::move(compiled));
}

// One newline at the end, none at the start.
std::string Render(const TemplateSet::Compiled& compiled, const Json& data) {
  kainjow::mustache::mustache copy = compiled.mustache;  // render() is not const
  std::string out = DropMarkedLines(copy.render(ToData(data)));
  out.erase(0, std::min(out.find_first_not_of('\n'), out.size()));
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out.empty() ? out : out + "\n";
}

// An issue body or comment for `action`, under GitHub's limit: fewer and
// shorter samples first (the text says so), then, for a user's template or
// very long values, a cut that keeps the marker last.
std::string RenderFitted(const TemplateSet::Compiled& compiled, const PlannedAction& action,
                         const RunReport& report, const std::string& marker, Limits limits) {
  std::string out = Render(compiled, IssueData(action, report, marker, limits));
  while (CountCodePoints(out) > kBodyMaxCodePoints && limits.samples > 0) {
    limits = {limits.samples / 2, limits.sample_bytes / 2, /*shrunk=*/true, limits.redact};
    out = Render(compiled, IssueData(action, report, marker, limits));
  }
  if (CountCodePoints(out) <= kBodyMaxCodePoints) return out;
  // The marker is taken out so that the cut cannot drop it, and put last.
  const size_t at = marker.empty() ? std::string::npos : out.rfind(marker);
  std::string tail;
  if (at != std::string::npos) {
    out.erase(at, marker.size());
    tail = "\n" + marker + "\n";
  }
  const size_t room = kBodyMaxCodePoints - CountCodePoints(tail);
  return CutMarkdown(out, room, TextMeasure::kCodePoints, kBodyCutNote) + tail;
}

}  // namespace

Result<TemplateSet> CompileTemplates(const std::map<std::string, TemplateSource>& sources) {
  for (const auto& [name, source] : sources) {
    if (std::find(std::begin(kTemplateNames), std::end(kTemplateNames), name) ==
        std::end(kTemplateNames)) {
      return Error{ErrorKind::kConfig, source.source_name + ": unknown template '" + name +
                                           "' (known: issue_body, comment, worklog)"};
    }
  }
  const RunReport probe = view_data::ProbeReport();
  const Json probes[] = {IssueData(probe.actions[0], probe, "marker", view_data::kIssueLimits),
                         IssueData(probe.actions[0], probe, "marker", view_data::kCommentLimits),
                         WorklogData(probe, 1, 1, view_data::kWorklogLimits)};
  std::shared_ptr<const TemplateSet::Compiled> compiled[3];
  for (size_t i = 0; i < 3; ++i) {
    const auto it = sources.find(kTemplateNames[i]);
    if (it == sources.end()) {
      return Error{ErrorKind::kConfig,
                   std::string("templates: missing template '") + kTemplateNames[i] + "'"};
    }
    auto one = CompileOne(it->second, probes[i]);
    if (!one) return one.error();
    compiled[i] = one.value();
  }
  return TemplateSet{compiled[0], compiled[1], compiled[2], /*redact_emails=*/true};
}

std::string RenderWorklog(const TemplateSet& templates, const RunReport& report) {
  int sections = kMaxSections;
  int rows = kMaxRows;
  const Limits limits = WithEmails(view_data::kWorklogLimits, templates.redact_emails);
  std::string out = Render(*templates.worklog, WorklogData(report, sections, rows, limits));
  // Fewer sections first, then fewer table rows, until it fits.
  while (out.size() > kWorklogMaxBytes && (sections > 0 || rows > 0)) {
    if (sections > 0) {
      sections /= 2;
    } else {
      rows /= 2;
    }
    out = Render(*templates.worklog, WorklogData(report, sections, rows, limits));
  }
  // The last resort for a user's template that stays too long with every
  // section and row left out.
  return CutMarkdown(out, kWorklogMaxBytes, TextMeasure::kBytes,
                     "**This worklog was cut here to stay under GitHub's 1 MiB step summary "
                     "limit.**\n");
}

std::string RenderIssueBody(const TemplateSet& templates, const PlannedAction& action,
                            const RunReport& report, const std::string& marker) {
  return RenderFitted(*templates.issue_body, action, report, marker,
                      WithEmails(view_data::kIssueLimits, templates.redact_emails));
}

std::string RenderComment(const TemplateSet& templates, const PlannedAction& action,
                          const RunReport& report, const std::string& marker) {
  return RenderFitted(*templates.comment, action, report, marker,
                      WithEmails(view_data::kCommentLimits, templates.redact_emails));
}

}  // namespace triage
