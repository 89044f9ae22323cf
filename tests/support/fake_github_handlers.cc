#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/fake_github_internal.h"

namespace triage {
namespace testing {
namespace internal {
namespace {

using Json = nlohmann::json;

// Bisections found GitHub refusing bodies above 262,144 UTF-8 bytes, though
// its message says 65536 characters (notes section 6).
constexpr size_t kMaxBodyBytes = 262144;
constexpr size_t kMaxTitleCodePoints = 256;
constexpr int kSearchResultCap = 1000;

// ---------------------------------------------------------------- text, time

size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string PercentEncode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

// Civil-date conversions after Howard Hinnant's public-domain algorithms.
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

std::string FormatTime(int64_t t) {
  int64_t days = t / 86400, secs = t % 86400;
  if (secs < 0) secs += 86400, --days;
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp + (mp < 10 ? 3 : -9);
  const int64_t y = yoe + era * 400 + (m <= 2);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ",
                static_cast<long long>(y), static_cast<long long>(m), static_cast<long long>(d),
                static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                static_cast<long long>(secs % 60));
  return buf;
}

std::optional<int64_t> ParseTime(const std::string& s) {
  int y, mo, d, h, mi, se;
  char z = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &se, &z) != 7 ||
      z != 'Z') {
    return std::nullopt;
  }
  return DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
}

Json TimeOrNull(int64_t t) { return t == 0 ? Json(nullptr) : Json(FormatTime(t)); }
Json TextOrNull(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

Answer JsonAnswer(int status, const Json& j) {
  Answer a;
  a.status = status;
  a.body = j.dump();
  return a;
}

// Parses a JSON request body; an empty body is an empty object.
std::optional<Answer> ParseBody(const std::string& body, Json* out, bool allow_array = false) {
  *out = body.empty() ? Json::object() : Json::parse(body, nullptr, false);
  if (out->is_discarded()) return Error(400, "Problems parsing JSON");
  if (!out->is_object() && !(allow_array && out->is_array())) {
    return Error(400, "Body should be a JSON object");
  }
  return std::nullopt;
}

// Label names as GitHub takes them: strings or {"name": ...} objects.
bool ParseLabelNames(const Json& j, std::vector<std::string>* out) {
  if (!j.is_array()) return false;
  for (const Json& item : j) {
    if (item.is_string()) {
      out->push_back(item.get<std::string>());
    } else if (item.is_object() && item.contains("name") && item["name"].is_string()) {
      out->push_back(item["name"].get<std::string>());
    } else {
      return false;
    }
  }
  return true;
}

// ------------------------------------------------------------------ JSON

std::string ApiRepo(const std::string& base_url, const Repo& repo) {
  return base_url + "/repos/" + repo.name;
}

Json UserJson(const std::string& login, const std::string& type) {
  return {{"login", login},
          {"id", UserId(login)},
          {"type", type},
          {"site_admin", false},
          {"html_url", "https://github.com/" + login}};
}

Json LabelJson(const std::string& base_url, const Repo& repo, const std::string& name) {
  const FakeLabel* l = Fake::FindLabel(repo, name);
  FakeLabel fallback{name, "ededed", "", 0};
  if (l == nullptr) l = &fallback;
  return {{"id", l->id},
          {"node_id", "LA_fake" + std::to_string(l->id)},
          {"url", ApiRepo(base_url, repo) + "/labels/" + PercentEncode(l->name)},
          {"name", l->name},
          {"color", l->color},
          {"description", TextOrNull(l->description)},
          {"default", false}};
}

Json IssueLabelsJson(const std::string& base_url, const Repo& repo, const FakeIssue& issue) {
  Json labels = Json::array();
  for (const std::string& name : issue.labels) labels.push_back(LabelJson(base_url, repo, name));
  return labels;
}

Json IssueJson(const std::string& base_url, const Repo& repo, const FakeIssue& is) {
  const std::string n = std::to_string(is.number);
  const std::string api = ApiRepo(base_url, repo) + "/issues/" + n;
  const std::string web = "https://github.com/" + repo.name;
  Json j = {{"id", is.id},
            {"node_id", "I_fake" + std::to_string(is.id)},
            {"url", api},
            {"repository_url", ApiRepo(base_url, repo)},
            {"labels_url", api + "/labels{/name}"},
            {"comments_url", api + "/comments"},
            {"events_url", api + "/events"},
            {"html_url", web + (is.pull_request ? "/pull/" : "/issues/") + n},
            {"number", is.number},
            {"title", is.title},
            {"body", TextOrNull(is.body)},
            {"state", is.state},
            {"state_reason", TextOrNull(is.state_reason)},
            {"labels", IssueLabelsJson(base_url, repo, is)},
            {"user", UserJson(is.user_login, is.user_type)},
            {"assignee", nullptr},
            {"assignees", Json::array()},
            {"milestone", nullptr},
            {"locked", false},
            {"active_lock_reason", nullptr},
            {"comments", is.comments.size()},
            {"created_at", FormatTime(is.created_at)},
            {"updated_at", FormatTime(is.updated_at)},
            {"closed_at", TimeOrNull(is.closed_at)},
            {"author_association", is.author_association}};
  if (is.pull_request) {
    j["pull_request"] = {{"url", ApiRepo(base_url, repo) + "/pulls/" + n},
                         {"html_url", web + "/pull/" + n},
                         {"merged_at", nullptr}};
  }
  return j;
}

Json CommentJson(const std::string& base_url, const Repo& repo, int number, const FakeComment& c) {
  const std::string issue_api = ApiRepo(base_url, repo) + "/issues/" + std::to_string(number);
  return {{"id", c.id},
          {"node_id", "IC_fake" + std::to_string(c.id)},
          {"url", ApiRepo(base_url, repo) + "/issues/comments/" + std::to_string(c.id)},
          {"html_url", "https://github.com/" + repo.name + "/issues/" + std::to_string(number) +
                           "#issuecomment-" + std::to_string(c.id)},
          {"issue_url", issue_api},
          {"body", c.body},
          {"user", UserJson(c.user_login, c.user_type)},
          {"created_at", FormatTime(c.created_at)},
          {"updated_at", FormatTime(c.updated_at)},
          {"author_association", c.author_association},
          {"performed_via_github_app", nullptr}};
}

Json BucketJson(const Bucket& b) {
  return {{"limit", b.limit},
          {"used", b.used},
          {"remaining", std::max(0, b.limit - b.used)},
          {"reset", b.reset},
          {"resource", b.resource}};
}

// per_page defaults to 30 and is clamped to 100, as GitHub does.
PageParams ParsePage(const httplib::Request& req) {
  auto param = [&](const char* name) {
    const long v = std::strtol(req.get_param_value(name).c_str(), nullptr, 10);
    return static_cast<int>(std::clamp<long>(v, 0, 1000000));
  };
  PageParams p;
  if (param("per_page") > 0) p.per_page = std::min(param("per_page"), 100);
  p.page = std::max(1, param("page"));
  return p;
}

// Validates a title from a create or update body; nullopt when valid.
std::optional<Answer> ReadTitle(const Json& t, std::string* title) {
  if (t.is_number_integer()) {
    *title = std::to_string(t.get<int64_t>());
  } else if (t.is_string() && !t.get<std::string>().empty()) {
    *title = t.get<std::string>();
  } else {
    return Invalid("Issue", "title", t.is_null() || t.is_string() ? "missing_field" : "invalid");
  }
  if (CodePoints(*title) > kMaxTitleCodePoints) {
    return Invalid("Issue", "title", "custom", "title is too long");
  }
  return std::nullopt;
}

// Validates a comment body; nullopt when valid.
std::optional<Answer> ReadCommentBody(const Json& j, std::string* body) {
  if (!j.contains("body") || !j["body"].is_string() || j["body"].get<std::string>().empty()) {
    return Invalid("IssueComment", "body", "missing_field");
  }
  *body = j["body"].get<std::string>();
  if (body->size() > kMaxBodyBytes) {
    return Invalid("IssueComment", "body", "custom",
                   "body is too long (maximum is 65536 characters)");
  }
  return std::nullopt;
}

}  // namespace

int64_t UserId(const std::string& login) {
  uint32_t h = 2166136261u;
  for (unsigned char c : login) h = (h ^ c) * 16777619u;
  return 1 + h % 100000000;
}

Answer Error(int status, const std::string& message, const std::string& docs) {
  return JsonAnswer(
      status,
      {{"message", message}, {"documentation_url", docs}, {"status", std::to_string(status)}});
}

Answer Invalid(const std::string& resource, const std::string& field, const std::string& code,
               const std::string& message) {
  Json err = {{"resource", resource}, {"field", field}, {"code", code}};
  if (!message.empty()) err["message"] = message;
  return JsonAnswer(422, {{"message", "Validation Failed"},
                          {"errors", Json::array({err})},
                          {"documentation_url", kDocs},
                          {"status", "422"}});
}

// ------------------------------------------------------------ pagination

std::string Fake::PageUrl(const Call& call, int page) const {
  std::string query;
  for (const std::string& part : Split(call.query, '&')) {
    if (part.empty() || part.rfind("page=", 0) == 0) continue;
    query += part + "&";
  }
  return base_url + call.path + "?" + query + "page=" + std::to_string(page);
}

std::pair<size_t, size_t> Fake::Paginate(const Call& call, size_t total, const PageParams& p,
                                         Answer* answer) const {
  const int last_page = std::max<int>(1, static_cast<int>((total + p.per_page - 1) / p.per_page));
  std::vector<std::string> links;
  auto link = [&](int page, const char* rel) {
    links.push_back("<" + PageUrl(call, page) + ">; rel=\"" + rel + "\"");
  };
  if (p.page > 1) link(std::min(p.page - 1, last_page), "prev");
  if (p.page < last_page) link(p.page + 1, "next"), link(last_page, "last");
  if (p.page > 1) link(1, "first");
  if (!links.empty()) {
    std::string value;
    for (const std::string& l : links) value += (value.empty() ? "" : ", ") + l;
    answer->headers.push_back({"Link", value});
  }
  const size_t first = std::min(total, static_cast<size_t>(p.page - 1) * p.per_page);
  return {first, std::min(total, first + p.per_page)};
}

// -------------------------------------------------------------- handlers

Answer Fake::ListIssues(const Call& call, const Repo& repo) const {
  const httplib::Request& req = call.req;
  const std::string state = req.has_param("state") ? req.get_param_value("state") : "open";
  if (state != "open" && state != "closed" && state != "all") {
    return Invalid("Issue", "state", "invalid");
  }
  std::vector<std::string> labels;
  for (const std::string& l : Split(req.get_param_value("labels"), ',')) {
    if (!Trim(l).empty()) labels.push_back(Trim(l));
  }
  const std::string creator = req.get_param_value("creator");
  const std::optional<int64_t> since = ParseTime(req.get_param_value("since"));
  std::vector<const FakeIssue*> hits;
  for (const FakeIssue& is : repo.issues) {
    if (state != "all" && is.state != state) continue;
    if (!creator.empty() && !SameName(creator, is.user_login)) continue;
    if (since && is.updated_at < *since) continue;
    if (!std::all_of(labels.begin(), labels.end(),
                     [&](const std::string& l) { return HasLabel(is, l); })) {
      continue;
    }
    hits.push_back(&is);
  }
  const std::string sort = req.get_param_value("sort");
  const bool asc = req.get_param_value("direction") == "asc";
  auto key = [&](const FakeIssue* is) -> int64_t {
    if (sort == "updated") return is->updated_at;
    if (sort == "comments") return static_cast<int64_t>(is->comments.size());
    return is->created_at;
  };
  std::stable_sort(hits.begin(), hits.end(), [&](const FakeIssue* a, const FakeIssue* b) {
    if (key(a) != key(b)) return asc ? key(a) < key(b) : key(a) > key(b);
    return asc ? a->number < b->number : a->number > b->number;
  });
  const PageParams page = ParsePage(req);
  if (opts.max_page > 0 && page.page > opts.max_page) {
    return Error(422,
                 "Pagination with the page parameter is not supported for large datasets, "
                 "please use cursor based pagination (after/before)");
  }
  Answer a;
  auto [first, last] = Paginate(call, hits.size(), page, &a);
  Json items = Json::array();
  for (size_t i = first; i < last; ++i) items.push_back(IssueJson(base_url, repo, *hits[i]));
  a.body = items.dump();
  return a;
}

Answer Fake::CreateIssue(const Call& call, Repo& repo) {
  Json j;
  if (auto bad = ParseBody(call.req.body, &j)) return *bad;
  FakeIssue is;
  if (auto bad = ReadTitle(j.contains("title") ? j["title"] : Json(nullptr), &is.title)) {
    return *bad;
  }
  if (j.contains("body") && !j["body"].is_null()) {
    if (!j["body"].is_string()) return Invalid("Issue", "body", "invalid");
    is.body = j["body"].get<std::string>();
    if (is.body.size() > kMaxBodyBytes) {
      return Invalid("Issue", "body", "custom", "body is too long (maximum is 65536 characters)");
    }
  }
  std::vector<std::string> labels;
  if (j.contains("labels") && !j["labels"].is_null() && !ParseLabelNames(j["labels"], &labels)) {
    return Invalid("Issue", "labels", "invalid");
  }
  // Without push access GitHub drops labels silently (notes 2.4).
  if (opts.push_access) is.labels = EnsureLabels(repo, labels);
  is.number = static_cast<int>(repo.issues.size()) + 1;
  is.id = next_id++;
  is.user_login = opts.login;
  is.user_type = opts.user_type;
  is.author_association = "NONE";
  is.created_at = is.updated_at = now;
  repo.issues.push_back(is);
  Reindex(repo, is);
  creations.push_back(now);
  Answer a = JsonAnswer(201, IssueJson(base_url, repo, is));
  a.headers.push_back(
      {"Location", ApiRepo(base_url, repo) + "/issues/" + std::to_string(is.number)});
  return a;
}

Answer Fake::UpdateIssue(const Call& call, Repo& repo, FakeIssue& issue) {
  Json j;
  if (auto bad = ParseBody(call.req.body, &j)) return *bad;
  FakeIssue next = issue;
  if (j.contains("title")) {
    if (auto bad = ReadTitle(j["title"], &next.title)) return *bad;
  }
  if (j.contains("body")) {
    if (!j["body"].is_null() && !j["body"].is_string()) return Invalid("Issue", "body", "invalid");
    std::string body = j["body"].is_null() ? "" : j["body"].get<std::string>();
    // Over the limit GitHub answers 200 and keeps the old body (notes 6).
    if (body.size() <= kMaxBodyBytes) next.body = body;
  }
  std::string state = issue.state, reason;
  if (j.contains("state")) {
    state = j["state"].is_string() ? j["state"].get<std::string>() : "";
    if (state != "open" && state != "closed") return Invalid("Issue", "state", "invalid");
  }
  if (j.contains("state_reason") && !j["state_reason"].is_null()) {
    reason = j["state_reason"].is_string() ? j["state_reason"].get<std::string>() : "?";
    if (reason != "completed" && reason != "not_planned" && reason != "reopened" &&
        reason != "duplicate") {
      return Invalid("Issue", "state_reason", "invalid");
    }
  }
  if (j.contains("labels") && !j["labels"].is_null()) {
    std::vector<std::string> labels;
    if (!ParseLabelNames(j["labels"], &labels)) return Invalid("Issue", "labels", "invalid");
    if (opts.push_access) next.labels = EnsureLabels(repo, labels);
  }
  // state_reason counts only when the state changes (notes 2.5).
  if (state != issue.state) {
    next.state = state;
    next.closed_at = state == "closed" ? now : 0;
    next.state_reason = state == "closed"
                            ? (reason.empty() || reason == "reopened" ? "completed" : reason)
                            : "reopened";
  }
  if (next.title != issue.title || next.body != issue.body || next.state != issue.state ||
      next.state_reason != issue.state_reason || next.labels != issue.labels) {
    next.updated_at = now;
    issue = next;
    Reindex(repo, issue);
  }
  return JsonAnswer(200, IssueJson(base_url, repo, issue));
}

Answer Fake::ListComments(const Call& call, const Repo& repo, const FakeIssue& issue) const {
  const std::optional<int64_t> since = ParseTime(call.req.get_param_value("since"));
  std::vector<const FakeComment*> hits;
  for (const FakeComment& c : issue.comments) {
    if (!since || c.updated_at >= *since) hits.push_back(&c);
  }
  Answer a;
  auto [first, last] = Paginate(call, hits.size(), ParsePage(call.req), &a);
  Json items = Json::array();
  for (size_t i = first; i < last; ++i)
    items.push_back(CommentJson(base_url, repo, issue.number, *hits[i]));
  a.body = items.dump();
  return a;
}

Answer Fake::CreateComment(const Call& call, Repo& repo, FakeIssue& issue) {
  Json j;
  if (auto bad = ParseBody(call.req.body, &j)) return *bad;
  FakeComment c;
  if (auto bad = ReadCommentBody(j, &c.body)) return *bad;
  c.id = next_id++;
  c.user_login = opts.login;
  c.user_type = opts.user_type;
  c.created_at = c.updated_at = now;
  issue.comments.push_back(c);
  issue.updated_at = now;
  Reindex(repo, issue);
  creations.push_back(now);
  Answer a = JsonAnswer(201, CommentJson(base_url, repo, issue.number, c));
  a.headers.push_back(
      {"Location", ApiRepo(base_url, repo) + "/issues/comments/" + std::to_string(c.id)});
  return a;
}

Answer Fake::UpdateComment(const Call& call, Repo& repo) {
  for (FakeIssue& issue : repo.issues) {
    for (FakeComment& c : issue.comments) {
      if (c.id != call.route.comment_id) continue;
      Json j;
      if (auto bad = ParseBody(call.req.body, &j)) return *bad;
      std::string body;
      if (auto bad = ReadCommentBody(j, &body)) return *bad;
      c.body = body;
      c.updated_at = now;
      Reindex(repo, issue);
      return JsonAnswer(200, CommentJson(base_url, repo, issue.number, c));
    }
  }
  return Error(404, "Not Found");
}

Answer Fake::ChangeIssueLabels(const Call& call, Repo& repo, FakeIssue& issue) {
  Json j;
  if (auto bad = ParseBody(call.req.body, &j, /*allow_array=*/true)) return *bad;
  std::vector<std::string> names;
  const Json& list = j.is_object() && j.contains("labels") ? j["labels"] : j;
  if (!ParseLabelNames(list, &names)) return Invalid("Label", "labels", "invalid");
  // An empty list removes every label, for add as for set (notes 2.8).
  if (call.route.kind == EndpointKind::kAddLabels && !names.empty()) {
    names.insert(names.begin(), issue.labels.begin(), issue.labels.end());
  }
  std::vector<std::string> labels = opts.push_access ? EnsureLabels(repo, names) : issue.labels;
  if (labels != issue.labels) {
    issue.labels = labels;
    issue.updated_at = now;
    Reindex(repo, issue);
  }
  return JsonAnswer(200, IssueLabelsJson(base_url, repo, issue));
}

Answer Fake::RemoveIssueLabel(const Call& call, Repo& repo, FakeIssue& issue) {
  auto it = std::find_if(issue.labels.begin(), issue.labels.end(),
                         [&](const std::string& l) { return SameName(l, call.route.label); });
  if (it == issue.labels.end()) return Error(404, "Label does not exist");
  issue.labels.erase(it);
  issue.updated_at = now;
  Reindex(repo, issue);
  return JsonAnswer(200, IssueLabelsJson(base_url, repo, issue));
}

Answer Fake::ListLabels(const Call& call, const Repo& repo) const {
  Answer a;
  auto [first, last] = Paginate(call, repo.labels.size(), ParsePage(call.req), &a);
  Json items = Json::array();
  for (size_t i = first; i < last; ++i) {
    items.push_back(LabelJson(base_url, repo, repo.labels[i].name));
  }
  a.body = items.dump();
  return a;
}

Answer Fake::CreateLabel(const Call& call, Repo& repo) {
  Json j;
  if (auto bad = ParseBody(call.req.body, &j)) return *bad;
  FakeLabel label;
  if (!j.contains("name") || !j["name"].is_string() || j["name"].get<std::string>().empty()) {
    return Invalid("Label", "name", "missing_field");
  }
  label.name = j["name"].get<std::string>();
  if (FindLabel(repo, label.name) != nullptr) return Invalid("Label", "name", "already_exists");
  if (j.contains("color")) {
    label.color = j["color"].is_string() ? j["color"].get<std::string>() : "";
    if (label.color.size() != 6 || !std::all_of(label.color.begin(), label.color.end(),
                                                [](unsigned char c) { return std::isxdigit(c); })) {
      return Invalid("Label", "color", "invalid");
    }
  }
  if (j.contains("description") && j["description"].is_string()) {
    label.description = j["description"].get<std::string>();
    if (CodePoints(label.description) > 100) {
      return Invalid("Label", "description", "custom",
                     "description is too long (maximum is 100 characters)");
    }
  }
  label.id = next_id++;
  repo.labels.push_back(label);
  Answer a = JsonAnswer(201, LabelJson(base_url, repo, label.name));
  a.headers.push_back(
      {"Location", ApiRepo(base_url, repo) + "/labels/" + PercentEncode(label.name)});
  return a;
}

Answer Fake::SearchAnswer(const Call& call, const std::vector<SearchHit>& hits) const {
  const PageParams page = ParsePage(call.req);
  if (static_cast<int64_t>(page.page - 1) * page.per_page >= kSearchResultCap) {
    return Error(422, "Only the first 1000 search results are available");
  }
  Answer a;
  auto [first, last] = Paginate(call, std::min<size_t>(hits.size(), kSearchResultCap), page, &a);
  Json items = Json::array();
  for (size_t i = first; i < last; ++i) {
    Json item = IssueJson(base_url, *hits[i].first, *hits[i].second);
    item["score"] = 1.0;
    items.push_back(item);
  }
  a.body = Json{
      {"total_count", hits.size()},
      {"incomplete_results", opts.search_incomplete},
      {"items",
       items}}.dump();
  return a;
}

Answer Fake::GetPermission(const Call& call, const Repo& repo) const {
  const std::string& login = call.route.label;
  auto it = repo.roles.find(Lower(login));
  const std::string role = it == repo.roles.end() ? "none" : it->second;
  if (role.empty()) return Error(404, "Not Found");
  // The legacy field folds maintain into write and triage into read.
  const std::string permission = role == "maintain" ? "write" : role == "triage" ? "read" : role;
  const std::vector<std::string> ladder = {"read", "triage", "write", "maintain", "admin"};
  const auto rank = std::find(ladder.begin(), ladder.end(), role) - ladder.begin();
  Json user = UserJson(login, login.find("[bot]") == std::string::npos ? "User" : "Bot");
  user["permissions"] = {{"pull", rank <= 4}, {"triage", rank >= 1 && rank <= 4},
                         {"push", rank >= 2 && rank <= 4}, {"maintain", rank >= 3 && rank <= 4},
                         {"admin", rank == 4}};
  if (role == "none") {
    for (auto& [k, v] : user["permissions"].items()) v = false;
  }
  return JsonAnswer(200, {{"permission", permission}, {"role_name", role}, {"user", user}});
}

Answer Fake::AddReaction(const Call& call, Repo& repo) {
  static const std::vector<std::string> kContents = {"+1",    "-1",     "laugh", "confused",
                                                     "heart", "hooray", "rocket", "eyes"};
  for (FakeIssue& issue : repo.issues) {
    for (FakeComment& c : issue.comments) {
      if (c.id != call.route.comment_id) continue;
      Json j;
      if (auto bad = ParseBody(call.req.body, &j)) return *bad;
      const std::string content = j.is_object() && j["content"].is_string() ? j["content"].get<std::string>() : "";
      if (std::find(kContents.begin(), kContents.end(), content) == kContents.end()) {
        return Invalid("Reaction", "content", "invalid");
      }
      const std::string entry = opts.login + ":" + content;
      const bool exists = std::find(c.reactions.begin(), c.reactions.end(), entry) != c.reactions.end();
      if (!exists) c.reactions.push_back(entry);
      const auto index = std::find(c.reactions.begin(), c.reactions.end(), entry) - c.reactions.begin();
      return JsonAnswer(exists ? 200 : 201,
                        {{"id", c.id * 100 + index},
                         {"content", content},
                         {"user", UserJson(opts.login, opts.user_type)},
                         {"created_at", FormatTime(now)}});
    }
  }
  return Error(404, "Not Found");
}

Answer Fake::Dispatch(const Call& call) {
  using K = EndpointKind;
  const Route& route = call.route;
  if (route.kind == K::kOther) return Error(404, "Not Found");
  if (route.kind == K::kRateLimit) {
    Refresh(core);
    Refresh(search);
    Json core_json = BucketJson(core);
    return JsonAnswer(200, {{"resources", {{"core", core_json}, {"search", BucketJson(search)}}},
                            {"rate", core_json}});
  }
  if (route.kind == K::kSearchIssues) return Search(call);
  if (route.kind == K::kGetUser) {
    if (opts.user_type == "Bot") return Error(403, "Resource not accessible by integration");
    return JsonAnswer(200, {{"login", opts.login}, {"type", opts.user_type}, {"id", 1}});
  }
  Repo* repo = FindRepo(route.repo);
  if (repo == nullptr) return Error(404, "Not Found");
  switch (route.kind) {
    case K::kListLabels:
      return ListLabels(call, *repo);
    case K::kCreateLabel:
      return CreateLabel(call, *repo);
    case K::kGetLabel: {
      const FakeLabel* l = FindLabel(*repo, route.label);
      return l ? JsonAnswer(200, LabelJson(base_url, *repo, l->name)) : Error(404, "Not Found");
    }
    default:
      break;
  }
  if (repo->issues_disabled) return Error(410, "Issues are disabled for this repo");
  if (route.kind == K::kListIssues) return ListIssues(call, *repo);
  if (route.kind == K::kCreateIssue) return CreateIssue(call, *repo);
  if (route.kind == K::kUpdateComment) return UpdateComment(call, *repo);
  if (route.kind == K::kGetPermission) return GetPermission(call, *repo);
  if (route.kind == K::kAddReaction) return AddReaction(call, *repo);
  FakeIssue* issue = FindIssue(*repo, route.number);
  if (issue == nullptr) return Error(404, "Not Found");
  switch (route.kind) {
    case K::kGetIssue:
      return JsonAnswer(200, IssueJson(base_url, *repo, *issue));
    case K::kUpdateIssue:
      return UpdateIssue(call, *repo, *issue);
    case K::kListComments:
      return ListComments(call, *repo, *issue);
    case K::kCreateComment:
      return CreateComment(call, *repo, *issue);
    case K::kAddLabels:
    case K::kSetLabels:
      return ChangeIssueLabels(call, *repo, *issue);
    case K::kRemoveLabel:
      return RemoveIssueLabel(call, *repo, *issue);
    default:
      return Error(404, "Not Found");
  }
}

}  // namespace internal
}  // namespace testing
}  // namespace triage
