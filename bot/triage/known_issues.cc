#include "bot/triage/known_issues.h"

#include <nlohmann/json.hpp>

#include "bot/base/time_util.h"
#include "bot/triage/labels.h"

namespace triage {
namespace {

using nlohmann::json;

std::string Str(const json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : "";
}

// Reads one issue object; returns "" or what is wrong with it.
std::string ReadIssue(const json& o, KnownIssue* issue) {
  if (!o.is_object()) return "expected an object";
  auto number = o.find("number");
  if (number == o.end() || !number->is_number_integer() || number->get<int64_t>() <= 0 ||
      number->get<int64_t>() > 1000000000) {
    return "'number' must be a positive whole number";
  }
  issue->number = number->get<int>();
  issue->title = Str(o, "title");
  issue->url = Str(o, "url");
  std::string state = Str(o, "state");
  if (!state.empty() && state != "open" && state != "closed") return "'state' must be open or closed";
  issue->open = state != "closed";
  issue->state_reason = Str(o, "state_reason");
  for (auto [key, slot] : {std::pair{"closed_at", &issue->closed_at_us},
                           std::pair{"watermark", &issue->watermark_us}}) {
    std::string t = Str(o, key);
    if (t.empty()) continue;
    auto us = ParseRfc3339(t);
    if (!us) return std::string("'") + key + "' must be an RFC 3339 time";
    *slot = *us;
  }
  for (const char* key : {"labels", "fingerprints"}) {
    auto it = o.find(key);
    if (it == o.end()) continue;
    if (!it->is_array()) return std::string("'") + key + "' must be a list";
    for (const json& item : *it) {
      std::string text = item.is_string() ? item.get<std::string>() : Str(item, "name");
      if (text.empty()) return std::string("'") + key + "' must hold texts";
      (key[0] == 'l' ? issue->labels : issue->fingerprints).push_back(text);
    }
  }
  for (auto [key, slot] : {std::pair{"priority_set_by_person", &issue->priority_set_by_person},
                           std::pair{"muted", &issue->muted}}) {
    auto flag = o.find(key);
    *slot = flag != o.end() && flag->is_boolean() && flag->get<bool>();
  }
  auto priority = PriorityFromLabels(issue->labels);
  if (!priority) priority = PriorityFromTitle(issue->title);
  issue->priority = priority.value_or(-1);
  return "";
}

}  // namespace

Result<std::vector<KnownIssue>> ParseKnownIssues(const std::string& text,
                                                 const std::string& source_name) {
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_array()) {
    return Error{ErrorKind::kInput, source_name + ": expected a JSON array of issues"};
  }
  std::vector<KnownIssue> issues;
  for (size_t i = 0; i < doc.size(); ++i) {
    KnownIssue issue;
    std::string problem = ReadIssue(doc[i], &issue);
    if (!problem.empty()) {
      return Error{ErrorKind::kInput, source_name + ": issue " + std::to_string(i + 1) + ": " + problem};
    }
    issues.push_back(std::move(issue));
  }
  return issues;
}

}  // namespace triage
