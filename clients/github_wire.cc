#include "clients/github_wire.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/base/time_util.h"
#include "clients/github_client.h"
#include "clients/http.h"

// "Notes" is ../shared/docs/github-rest-notes.md.

namespace triage {
namespace github_wire {
namespace {

using Json = nlohmann::json;

// Whether a Link parameter list (`; rel="next"`) names the next page.
bool RelIsNext(std::string_view params) {
  const size_t rel = params.find("rel=");
  if (rel == std::string_view::npos) return false;
  std::string_view value = params.substr(rel + 4);
  if (!value.empty() && value.front() == '"') {
    value.remove_prefix(1);
    value = value.substr(0, value.find('"'));
  } else {
    value = value.substr(0, value.find_first_of("; "));
  }
  while (!value.empty()) {  // relation types are space-separated
    const size_t space = value.find(' ');
    if (value.substr(0, space) == "next") return true;
    value = space == std::string_view::npos ? "" : value.substr(space + 1);
  }
  return false;
}

Error Shape(const std::string& what) { return Error{ErrorKind::kHttp, what, 0}; }

Error Within(const std::string& where, Error error) {
  error.message = where + ": " + error.message;
  return error;
}

Result<Json> ParseJson(const std::string& where, const HttpResponse& response) {
  try {
    return Json::parse(response.body);
  } catch (const Json::parse_error& e) {
    return Error{ErrorKind::kHttp,
                 where + ": HTTP " + std::to_string(response.status) +
                     " answered with malformed JSON (byte " + std::to_string(e.byte) + " of " +
                     std::to_string(response.body.size()) + ")",
                 response.status};
  }
}

const Json* Member(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

// A string field; "" when absent, null or not a string.
std::string Text(const Json& object, const char* key) {
  const Json* value = Member(object, key);
  return value != nullptr && value->is_string() ? value->get<std::string>() : "";
}

int64_t Integer(const Json& object, const char* key) {
  const Json* value = Member(object, key);
  return value != nullptr && value->is_number_integer() ? value->get<int64_t>() : 0;
}

// Microseconds; 0 when absent or null; nullopt when not RFC 3339.
std::optional<int64_t> Time(const Json& object, const char* key) {
  const Json* value = Member(object, key);
  if (value == nullptr || value->is_null()) return 0;
  if (!value->is_string()) return std::nullopt;
  return ParseRfc3339(value->get<std::string>());
}

bool HasTimes(const Json& object, std::initializer_list<const char*> keys) {
  return std::all_of(keys.begin(), keys.end(), [&](const char* k) { return Time(object, k); });
}

Result<GitHubIssue> ToIssue(const Json& json) {
  const Json* number = Member(json, "number");
  if (number == nullptr || !number->is_number_integer()) return Shape("an issue without a number");
  GitHubIssue issue;
  issue.number = number->get<int>();
  if (!HasTimes(json, {"created_at", "updated_at", "closed_at"})) {
    return Shape("issue #" + std::to_string(issue.number) + " has a time that is not RFC 3339");
  }
  issue.title = Text(json, "title");
  issue.body = Text(json, "body");
  issue.state = Text(json, "state");
  issue.state_reason = Text(json, "state_reason");
  if (const Json* labels = Member(json, "labels"); labels != nullptr && labels->is_array()) {
    for (const Json& label : *labels) {
      issue.labels.push_back(label.is_string() ? label.get<std::string>() : Text(label, "name"));
    }
  }
  if (const Json* user = Member(json, "user")) {
    issue.user_login = Text(*user, "login");
    issue.user_type = Text(*user, "type");
  }
  issue.html_url = Text(json, "html_url");
  issue.created_at_us = *Time(json, "created_at");
  issue.updated_at_us = *Time(json, "updated_at");
  issue.closed_at_us = *Time(json, "closed_at");
  issue.comments = static_cast<int>(Integer(json, "comments"));
  return issue;
}

Result<GitHubComment> ToComment(const Json& json) {
  const Json* id = Member(json, "id");
  if (id == nullptr || !id->is_number_integer()) return Shape("a comment without an id");
  GitHubComment comment;
  comment.id = id->get<int64_t>();
  if (!HasTimes(json, {"created_at", "updated_at"})) {
    return Shape("comment " + std::to_string(comment.id) + " has a time that is not RFC 3339");
  }
  comment.body = Text(json, "body");
  if (const Json* user = Member(json, "user")) {
    comment.user_login = Text(*user, "login");
    comment.user_type = Text(*user, "type");
  }
  comment.html_url = Text(json, "html_url");
  comment.created_at_us = *Time(json, "created_at");
  comment.updated_at_us = *Time(json, "updated_at");
  return comment;
}

Result<GitHubLabel> ToLabel(const Json& json) {
  const std::string name = Text(json, "name");
  if (name.empty()) return Shape("a label without a name");
  return GitHubLabel{name, Text(json, "color"), Text(json, "description")};
}

Result<GitHubPermission> ToPermission(const Json& json) {
  GitHubPermission p;
  p.permission = Text(json, "permission");
  if (p.permission.empty()) return Shape("a permission answer without a permission");
  p.role_name = Text(json, "role_name");
  const Json* user = Member(json, "user");
  const Json* flags = user == nullptr ? nullptr : Member(*user, "permissions");
  auto flag = [&](const char* name) {
    const Json* f = flags == nullptr ? nullptr : Member(*flags, name);
    return f != nullptr && f->is_boolean() && f->get<bool>();
  };
  // The legacy `permission` maps maintain to write; the flags and the role
  // tell the whole truth. Either saying write or above is enough.
  p.push = flag("push") || flag("maintain") || flag("admin") || p.permission == "admin" ||
           p.permission == "write" || p.role_name == "admin" || p.role_name == "maintain" ||
           p.role_name == "write";
  return p;
}

template <typename T>
Result<T> ParseOne(const std::string& where, const HttpResponse& response,
                   Result<T> (*to)(const Json&)) {
  Result<Json> json = ParseJson(where, response);
  if (!json) return json.error();
  Result<T> value = to(json.value());
  if (!value) return Within(where, value.error());
  return value;
}

// The items of every page: each page an array, or for search an object
// with `items`. Pull requests (items with `pull_request`) are left out.
template <typename T>
Result<std::vector<T>> ParseList(const std::string& where, const std::vector<std::string>& pages,
                                 bool search, Result<T> (*to)(const Json&)) {
  std::vector<T> out;
  for (size_t i = 0; i < pages.size(); ++i) {
    const std::string page = pages.size() > 1 ? where + ": page " + std::to_string(i + 1) : where;
    Result<Json> json = ParseJson(page, HttpResponse{200, {}, pages[i], ""});
    if (!json) return json.error();
    const Json* items = search ? Member(json.value(), "items") : &json.value();
    if (items == nullptr || !items->is_array()) {
      return Within(
          page, Shape(search ? "expected an object with an items array" : "expected a JSON array"));
    }
    for (const Json& item : *items) {
      if (Member(item, "pull_request") != nullptr) continue;
      Result<T> value = to(item);
      if (!value) return Within(page, value.error());
      out.push_back(std::move(value.value()));
    }
  }
  return out;
}

}  // namespace

std::string UrlOrigin(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  std::string out(url.substr(0, url.find_first_of("/?#", scheme + 3)));
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

// No Link at all on a single page: notes §3.
std::string NextLink(const HttpResponse& response) {
  for (const auto& [name, value] : response.headers) {
    if (name != "link") continue;
    for (size_t open = value.find('<'); open != std::string::npos;) {
      const size_t close = value.find('>', open);
      if (close == std::string::npos) break;
      const size_t following = value.find('<', close);
      const std::string_view params = std::string_view(value).substr(
          close + 1, following == std::string::npos ? std::string::npos : following - close - 1);
      if (RelIsNext(params)) return value.substr(open + 1, close - open - 1);
      open = following;
    }
  }
  return "";
}

Result<GitHubIssue> ParseIssue(const std::string& where, const HttpResponse& response) {
  return ParseOne(where, response, &ToIssue);
}

Result<GitHubComment> ParseComment(const std::string& where, const HttpResponse& response) {
  return ParseOne(where, response, &ToComment);
}

Result<GitHubPermission> ParsePermission(const std::string& where, const HttpResponse& response) {
  return ParseOne(where, response, &ToPermission);
}

Result<std::vector<GitHubIssue>> ParseIssuePages(const std::string& where,
                                                 const std::vector<std::string>& pages,
                                                 bool search) {
  return ParseList(where, pages, search, &ToIssue);
}

Result<std::vector<GitHubComment>> ParseCommentPages(const std::string& where,
                                                     const std::vector<std::string>& pages) {
  return ParseList(where, pages, false, &ToComment);
}

Result<std::vector<GitHubLabel>> ParseLabelPages(const std::string& where,
                                                 const std::vector<std::string>& pages) {
  return ParseList(where, pages, false, &ToLabel);
}

bool SaysAlreadyExists(const std::string& body) {
  const Json json = Json::parse(body, nullptr, false);
  const Json* errors = Member(json, "errors");
  return errors != nullptr && errors->is_array() &&
         std::any_of(errors->begin(), errors->end(),
                     [](const Json& e) { return Text(e, "code") == "already_exists"; });
}

std::string StringMember(const std::string& json, const char* key) {
  return Text(Json::parse(json, nullptr, false), key);
}

}  // namespace github_wire
}  // namespace triage
