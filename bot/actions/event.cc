#include "bot/actions/event.h"

#include <nlohmann/json.hpp>

namespace triage {
namespace {

using nlohmann::json;

const json& Member(const json& j, const char* key) {
  static const json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

std::string Text(const json& j, const char* key) {
  const json& v = Member(j, key);
  return v.is_string() ? v.get<std::string>() : "";
}

int64_t Integer(const json& j, const char* key) {
  const json& v = Member(j, key);
  return v.is_number_integer() ? v.get<int64_t>() : 0;
}

// Dispatch inputs arrive as text in the event file ("true", "10"); other
// JSON scalars are written back as text.
std::map<std::string, std::string> Inputs(const json& j) {
  std::map<std::string, std::string> inputs;
  const json& in = Member(j, "inputs");
  if (!in.is_object()) return inputs;
  for (auto it = in.begin(); it != in.end(); ++it) {
    if (it.value().is_string()) {
      inputs[it.key()] = it.value().get<std::string>();
    } else if (it.value().is_boolean() || it.value().is_number()) {
      inputs[it.key()] = it.value().dump();
    }
  }
  return inputs;
}

EventKind KindOf(const std::string& name) {
  if (name == "schedule") return EventKind::kSchedule;
  if (name == "workflow_dispatch") return EventKind::kDispatch;
  if (name == "issue_comment") return EventKind::kIssueComment;
  return EventKind::kOther;
}

std::string Guess(const json& j) {
  if (Member(j, "comment").is_object() && Member(j, "issue").is_object()) return "issue_comment";
  if (Member(j, "inputs").is_object()) return "workflow_dispatch";
  if (Member(j, "schedule").is_string()) return "schedule";
  return "";
}

}  // namespace

Result<GitHubEvent> ParseEvent(const std::string& payload, const std::string& name,
                               const std::string& where) {
  json j;
  try {
    j = json::parse(payload);
  } catch (const json::parse_error& e) {
    return Error{ErrorKind::kInput, where + ": byte " + std::to_string(e.byte) +
                                        ": not JSON (an event payload is a JSON object)"};
  }
  if (!j.is_object()) {
    return Error{ErrorKind::kInput, where + ": not a JSON object (an event payload is one)"};
  }
  GitHubEvent e;
  e.name = name.empty() ? Guess(j) : name;
  e.kind = KindOf(e.name);
  e.action = Text(j, "action");
  e.repository = Text(Member(j, "repository"), "full_name");
  e.schedule = Text(j, "schedule");
  e.inputs = Inputs(j);
  if (e.kind != EventKind::kIssueComment) return e;

  const json& issue = Member(j, "issue");
  const json& comment = Member(j, "comment");
  e.issue_number = static_cast<int>(Integer(issue, "number"));
  e.comment_id = Integer(comment, "id");
  if (e.issue_number <= 0 || e.comment_id <= 0) {
    return Error{ErrorKind::kInput,
                 where + ": an issue_comment event needs issue.number and comment.id"};
  }
  e.issue_title = Text(issue, "title");
  e.issue_state = Text(issue, "state");
  const json& labels = Member(issue, "labels");
  if (labels.is_array()) {
    for (const json& l : labels) {
      std::string label = l.is_string() ? l.get<std::string>() : Text(l, "name");
      if (!label.empty()) e.issue_labels.push_back(label);
    }
  }
  e.on_pull_request = !Member(issue, "pull_request").is_null();
  e.comment_body = Text(comment, "body");
  const json& user = Member(comment, "user");
  e.comment_login = Text(user, "login");
  e.comment_user_type = Text(user, "type");
  return e;
}

}  // namespace triage
