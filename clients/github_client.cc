#include "clients/github_client.h"

#include <algorithm>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/time_util.h"

// "Notes" is /work/shared/docs/github-rest-notes.md. What this file adds to
// the retry policy (retry_policy.cc):
// - Serial requests, paced like octokit's throttling plugin (notes §4.3 item
//   5, §8): writes 1 s apart, creates that notify people 3 s, searches 2 s.
// - A create answered 5xx or not at all may have been stored (notes §5.4
//   item 5): the caller's find_existing decides before any resend.
// - The token goes only to api_url's origin: a redirect or a Link URL to
//   another origin is an error, not a request (notes §1.1 "Redirects").
// - Lists are walked oldest first (sort=created&direction=asc): an issue
//   created during the walk lands on the last page instead of shifting
//   every page by one, which would show one issue twice and skip another.

namespace triage {
namespace {

using Json = nlohmann::json;

// How a request is paced and counted.
enum class PaceKind { kRead, kSearch, kWrite, kCreate };

constexpr int kPerPage = 100;
constexpr int kMaxPages = 1000;  // 100,000 items: more is a runaway Link chain
constexpr int kMaxRedirects = 3;
constexpr int kSearchCap = 1000;  // GitHub serves no result past the 1,000th (notes §3)
constexpr size_t kMaxTitleChars = 256;
constexpr size_t kMaxBodyCodePoints = 65536;

bool IsWrite(PaceKind pace) { return pace == PaceKind::kWrite || pace == PaceKind::kCreate; }

// RFC 3986: everything but the unreserved characters is escaped, '/'
// included (notes §1.1). A label named with a comma cannot be listed by
// labels=, which GitHub splits on commas; the bot's labels have none.
std::string Encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

size_t CodePoints(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// "http://127.0.0.1:8080" of an absolute URL, lower-cased; "" for a
// relative one.
std::string Origin(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  std::string out(url.substr(0, url.find_first_of("/?#", scheme + 3)));
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

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

// The rel="next" URL of the Link headers, or "" on the last page (and on a
// single page, which has no Link at all: notes §3).
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

// Invalid UTF-8 (log text may hold any bytes) is sent as U+FFFD rather than
// thrown about.
std::string Dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
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

// A refusal, before sending, of text GitHub would refuse or silently keep
// (notes §6); nullopt when it fits.
std::optional<Error> TooLong(const std::string& name, const std::string* title,
                             const std::string* body) {
  const auto refuse = [&](const std::string& what) {
    return Error{ErrorKind::kUsage, name + ": not sent: " + what + "; the caller must cut it", 0};
  };
  if (title != nullptr && CodePoints(*title) > kMaxTitleChars) {
    return refuse("the title has " + std::to_string(CodePoints(*title)) +
                  " characters, more than GitHub's " + std::to_string(kMaxTitleChars));
  }
  if (body != nullptr && CodePoints(*body) > kMaxBodyCodePoints) {
    return refuse("the body has " + std::to_string(CodePoints(*body)) +
                  " code points, more than the " + std::to_string(kMaxBodyCodePoints) + " allowed");
  }
  return std::nullopt;
}

// For comparing a body sent with the body GitHub keeps: line endings aside.
std::string Normalized(std::string text) {
  text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
  return text;
}

HttpRequest NewRequest(const GitHubOptions& options, const std::string& method,
                       const std::string& url, const std::string& body) {
  HttpRequest request{method, url, {}, body};
  if (!options.token.empty()) {
    request.headers.push_back({"Authorization", "Bearer " + options.token});
  }
  request.headers.push_back({"Accept", "application/vnd.github+json"});
  request.headers.push_back({"X-GitHub-Api-Version", "2022-11-28"});
  request.headers.push_back({"User-Agent", options.user_agent});
  if (!body.empty()) request.headers.push_back({"Content-Type", "application/json"});
  return request;
}

bool IsRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

template <typename T>
std::function<Result<bool>()> Verifier(const GitHubClient::FindExisting<T>& find_existing,
                                       std::optional<T>* found) {
  if (!find_existing) return nullptr;
  return [&find_existing, found]() -> Result<bool> {
    Result<std::optional<T>> existing = find_existing();
    if (!existing) return existing.error();
    *found = std::move(existing.value());
    return found->has_value();
  };
}

}  // namespace

struct GitHubClient::Call {
  Call(std::string method_in, std::string url_in, std::string body_in = "",
       PaceKind pace_in = PaceKind::kRead)
      : method(std::move(method_in)),
        url(std::move(url_in)),
        body(std::move(body_in)),
        pace(pace_in) {}

  std::string method;
  std::string url;   // absolute
  std::string body;  // JSON, or "" for none
  PaceKind pace;
  // A status returned as an answer rather than an error (CreateLabel's 422).
  int also_answer = 0;
  // For a create: true when it was found stored (then it is not resent).
  std::function<Result<bool>()> verify;
};

GitHubClient::GitHubClient(HttpTransport& transport, GitHubOptions options, Sleep sleep,
                           Clock clock, Random random)
    : transport_(transport),
      options_(std::move(options)),
      sleep_(std::move(sleep)),
      clock_(std::move(clock)),
      random_(std::move(random)) {
  while (!options_.api_url.empty() && options_.api_url.back() == '/') options_.api_url.pop_back();
}

int GitHubClient::writes_left() const { return std::max(0, options_.max_writes - stats_.writes); }

std::string GitHubClient::RepoUrl() const {
  const std::string& repo = options_.repository;
  const size_t slash = repo.find('/');
  return options_.api_url + "/repos/" + Encode(repo.substr(0, slash)) + "/" +
         (slash == std::string::npos ? "" : Encode(repo.substr(slash + 1)));
}

std::string GitHubClient::Name(const std::string& method, const std::string& url) const {
  const std::string& base = options_.api_url;
  if (url.compare(0, base.size(), base) == 0) return method + " " + url.substr(base.size());
  return method + " " + url.substr(Origin(url).size());
}

Error GitHubClient::Fail(ErrorKind kind, int http_status, const std::string& message) const {
  Error error{kind, message, http_status};
  // GitHub never echoes a token, but a message is logged: make sure.
  const std::string& token = options_.token;
  for (size_t at; !token.empty() && (at = error.message.find(token)) != std::string::npos;) {
    error.message.replace(at, token.size(), "[token]");
  }
  return error;
}

void GitHubClient::Wait(int64_t micros) {
  if (micros <= 0) return;
  sleep_(micros);
  stats_.waited_us += micros;
}

void GitHubClient::Pace(const Call& call) {
  const int64_t now = clock_();
  int64_t ready = now;
  const auto after = [&ready](const std::optional<int64_t>& last, int64_t spacing) {
    if (last) ready = std::max(ready, *last + spacing);
  };
  if (IsWrite(call.pace)) after(last_write_us_, options_.write_spacing_us);
  if (call.pace == PaceKind::kCreate) after(last_create_us_, options_.create_spacing_us);
  if (call.pace == PaceKind::kSearch) after(last_search_us_, options_.search_spacing_us);
  Wait(ready - now);
}

// Spacing counts from the answer, not the send: the stricter reading.
void GitHubClient::Stamp(const Call& call) {
  const int64_t now = clock_();
  if (IsWrite(call.pace)) last_write_us_ = now;
  if (call.pace == PaceKind::kCreate) last_create_us_ = now;
  if (call.pace == PaceKind::kSearch) last_search_us_ = now;
}

std::optional<Error> GitHubClient::RefuseWrite(const std::string& name) const {
  if (writes_stopped_) {
    return Fail(
        ErrorKind::kRateLimited, 0,
        name + ": not sent: writes stopped for this run after a rate limit (" + stop_reason_ + ")");
  }
  if (stats_.writes >= options_.max_writes) {
    return Fail(ErrorKind::kBudget, 0,
                name + ": not sent: the run's budget of " + std::to_string(options_.max_writes) +
                    " writes is spent");
  }
  return std::nullopt;
}

Error GitHubClient::Stopped(const std::string& name, const RetryDecision& decision) {
  Error error =
      Fail(decision.error.kind, decision.error.http_status, name + ": " + decision.error.message);
  if (decision.rate_limited) {
    error.kind = ErrorKind::kRateLimited;
    writes_stopped_ = true;
    stop_reason_ = error.message;
  }
  return error;
}

Result<std::string> GitHubClient::RedirectTarget(const std::string& method, const std::string& name,
                                                 const HttpResponse& response, int hop) const {
  std::string location = response.Header("location");
  if (!location.empty() && location.front() == '/') location = Origin(options_.api_url) + location;
  const std::string what = name + ": HTTP " + std::to_string(response.status) + " to " +
                           (location.empty() ? "no location" : location) + " not followed: ";
  if (method != "GET") return Fail(ErrorKind::kHttp, response.status, what + "not a GET");
  if (hop > kMaxRedirects) {
    return Fail(ErrorKind::kHttp, response.status,
                what + "more than " + std::to_string(kMaxRedirects) + " redirects");
  }
  if (location.empty() || Origin(location) != Origin(options_.api_url)) {
    return Fail(ErrorKind::kHttp, response.status,
                what + "the token goes to " + Origin(options_.api_url) + " only");
  }
  return location;
}

Result<bool> GitHubClient::CheckStored(const Call& call, const std::string& name,
                                       const HttpResponse& response) {
  const std::string failed =
      response.status == 0 ? response.transport_error : "HTTP " + std::to_string(response.status);
  if (!call.verify) {
    return Fail(response.status == 0 ? ErrorKind::kTransport : ErrorKind::kHttp, response.status,
                name + ": " + failed + "; not resent: it may have been stored");
  }
  Result<bool> stored = call.verify();
  if (!stored) {
    return Fail(stored.error().kind, stored.error().http_status,
                name + ": " + failed + "; not resent: checking whether it was stored failed: " +
                    stored.error().message);
  }
  if (stored.value()) ++stats_.writes;  // GitHub did accept it
  return stored;
}

Result<HttpResponse> GitHubClient::Send(const Call& call) {
  const bool write = IsWrite(call.pace);
  if (write) {
    if (std::optional<Error> refused = RefuseWrite(Name(call.method, call.url))) return *refused;
  }
  HttpRequest request = NewRequest(options_, call.method, call.url, call.body);
  for (int attempt = 1, hop = 0;;) {
    Pace(call);
    const HttpResponse response = transport_.Send(request);
    ++stats_.requests;
    Stamp(call);
    const std::string name = Name(call.method, request.url);
    if (IsRedirect(response.status)) {
      Result<std::string> target = RedirectTarget(call.method, name, response, ++hop);
      if (!target) return target.error();
      request.url = std::move(target.value());
      continue;
    }
    const RetryDecision decision =
        DecideRetry({call.method, false, attempt}, response, clock_(), random_(), options_.retry);
    if (decision.kind == RetryKind::kDone ||
        (call.also_answer != 0 && response.status == call.also_answer)) {
      if (write && response.status < 300) ++stats_.writes;
      return response;
    }
    if (decision.kind == RetryKind::kStop) {
      // The last attempt of a create may have been stored as well.
      if (!call.verify || !MayHaveTakenEffect({call.method, false, attempt}, response)) {
        return Stopped(name, decision);
      }
      Result<bool> stored = CheckStored(call, name, response);
      if (stored && stored.value()) return HttpResponse{};
      return stored ? Stopped(name, decision) : stored.error();
    }
    if (decision.kind == RetryKind::kVerifyThenRetry) {
      Result<bool> stored = CheckStored(call, name, response);
      if (!stored) return stored.error();
      if (stored.value()) return HttpResponse{};
    }
    Wait(decision.wait_us);
    ++stats_.retries;
    ++attempt;
  }
}

Result<std::vector<std::string>> GitHubClient::GetPages(Call call, int max_pages) {
  std::vector<std::string> pages;
  while (true) {
    ++(call.pace == PaceKind::kSearch ? stats_.search_calls : stats_.list_calls);
    Result<HttpResponse> page = Send(call);
    if (!page) return page.error();
    pages.push_back(std::move(page.value().body));
    const std::string next = NextLink(page.value());
    if (next.empty() || static_cast<int>(pages.size()) == max_pages) return pages;
    const std::string name = Name(call.method, call.url);
    if (static_cast<int>(pages.size()) >= kMaxPages) {
      return Fail(ErrorKind::kHttp, 0,
                  name + ": more than " + std::to_string(kMaxPages) + " pages; stopped");
    }
    if (Origin(next) != Origin(options_.api_url)) {
      return Fail(ErrorKind::kHttp, 0,
                  name + ": next page " + next + " not fetched: the token goes to " +
                      Origin(options_.api_url) + " only");
    }
    call.url = next;
  }
}

Result<std::vector<GitHubIssue>> GitHubClient::ListIssues(const std::string& label,
                                                          const std::string& state) {
  Call call{"GET", RepoUrl() + "/issues?" + (label.empty() ? "" : "labels=" + Encode(label) + "&") +
                       "state=" + Encode(state) +
                       "&sort=created&direction=asc&per_page=" + std::to_string(kPerPage)};
  Result<std::vector<std::string>> pages = GetPages(call, 0);
  if (!pages) return pages.error();
  return ParseList(Name(call.method, call.url), pages.value(), false, &ToIssue);
}

Result<GitHubIssue> GitHubClient::GetIssue(int number) {
  const Call call{"GET", RepoUrl() + "/issues/" + std::to_string(number)};
  Result<HttpResponse> answer = Send(call);
  if (!answer) return answer.error();
  return ParseOne(Name(call.method, call.url), answer.value(), &ToIssue);
}

Result<std::vector<GitHubIssue>> GitHubClient::SearchIssues(const std::string& query, int limit) {
  limit = std::min(limit, kSearchCap);
  if (limit <= 0) return std::vector<GitHubIssue>{};
  const int per_page = std::min(limit, kPerPage);
  Call call{"GET",
            options_.api_url +
                "/search/issues?q=" + Encode("repo:" + options_.repository + " is:issue " + query) +
                "&per_page=" + std::to_string(per_page),
            "", PaceKind::kSearch};
  Result<std::vector<std::string>> pages = GetPages(call, (limit + per_page - 1) / per_page);
  if (!pages) return pages.error();
  Result<std::vector<GitHubIssue>> issues =
      ParseList(Name(call.method, call.url), pages.value(), true, &ToIssue);
  if (issues && static_cast<int>(issues.value().size()) > limit) issues.value().resize(limit);
  return issues;
}

Result<GitHubIssue> GitHubClient::CreateIssue(const std::string& title, const std::string& body,
                                              const std::vector<std::string>& labels,
                                              const FindExisting<GitHubIssue>& find_existing) {
  std::optional<GitHubIssue> found;
  Call call("POST", RepoUrl() + "/issues",
            Dump({{"title", title}, {"body", body}, {"labels", labels}}), PaceKind::kCreate);
  call.verify = Verifier(find_existing, &found);
  const std::string name = Name(call.method, call.url);
  if (std::optional<Error> refused = TooLong(name, &title, &body)) return *refused;
  Result<HttpResponse> answer = Send(call);
  if (found) return *found;
  if (!answer) return answer.error();
  return ParseOne(name, answer.value(), &ToIssue);
}

Result<GitHubIssue> GitHubClient::UpdateIssue(int number, const IssuePatch& patch) {
  Json fields = Json::object();
  if (patch.title) fields["title"] = *patch.title;
  if (patch.body) fields["body"] = *patch.body;
  if (patch.state) fields["state"] = *patch.state;
  if (patch.state_reason) {
    fields["state_reason"] = patch.state_reason->empty() ? Json() : Json(*patch.state_reason);
  }
  if (patch.labels) fields["labels"] = *patch.labels;
  const Call call{"PATCH", RepoUrl() + "/issues/" + std::to_string(number), Dump(fields),
                  PaceKind::kWrite};
  const std::string name = Name(call.method, call.url);
  if (fields.empty()) return Fail(ErrorKind::kUsage, 0, name + ": not sent: nothing to change");
  const std::string* title = patch.title ? &*patch.title : nullptr;
  if (std::optional<Error> refused = TooLong(name, title, patch.body ? &*patch.body : nullptr)) {
    return *refused;
  }
  Result<HttpResponse> answer = Send(call);
  if (!answer) return answer.error();
  Result<GitHubIssue> issue = ParseOne(name, answer.value(), &ToIssue);
  // Over its size limit GitHub answers 200 and keeps the old body (notes
  // §6). Compare with the body as sent, invalid UTF-8 replaced.
  if (issue && patch.body &&
      Normalized(Text(Json::parse(call.body), "body")) != Normalized(issue.value().body)) {
    return Fail(ErrorKind::kHttp, answer.value().status,
                name + ": HTTP " + std::to_string(answer.value().status) +
                    " but the body was not replaced (GitHub keeps the old one when the new one " +
                    "is over its size limit)");
  }
  return issue;
}

Result<std::vector<GitHubComment>> GitHubClient::ListComments(int number) {
  const Call call{"GET", RepoUrl() + "/issues/" + std::to_string(number) +
                             "/comments?per_page=" + std::to_string(kPerPage)};
  Result<std::vector<std::string>> pages = GetPages(call, 0);
  if (!pages) return pages.error();
  return ParseList(Name(call.method, call.url), pages.value(), false, &ToComment);
}

Result<GitHubComment> GitHubClient::CreateComment(
    int number, const std::string& body, const FindExisting<GitHubComment>& find_existing) {
  std::optional<GitHubComment> found;
  Call call("POST", RepoUrl() + "/issues/" + std::to_string(number) + "/comments",
            Dump({{"body", body}}), PaceKind::kCreate);
  call.verify = Verifier(find_existing, &found);
  const std::string name = Name(call.method, call.url);
  if (std::optional<Error> refused = TooLong(name, nullptr, &body)) return *refused;
  Result<HttpResponse> answer = Send(call);
  if (found) return *found;
  if (!answer) return answer.error();
  return ParseOne(name, answer.value(), &ToComment);
}

Result<GitHubComment> GitHubClient::UpdateComment(int64_t comment_id, const std::string& body) {
  const Call call{"PATCH", RepoUrl() + "/issues/comments/" + std::to_string(comment_id),
                  Dump({{"body", body}}), PaceKind::kWrite};
  const std::string name = Name(call.method, call.url);
  if (std::optional<Error> refused = TooLong(name, nullptr, &body)) return *refused;
  Result<HttpResponse> answer = Send(call);
  if (!answer) return answer.error();
  return ParseOne(name, answer.value(), &ToComment);
}

Result<std::vector<GitHubLabel>> GitHubClient::ListLabels() {
  const Call call{"GET", RepoUrl() + "/labels?per_page=" + std::to_string(kPerPage)};
  Result<std::vector<std::string>> pages = GetPages(call, 0);
  if (!pages) return pages.error();
  return ParseList(Name(call.method, call.url), pages.value(), false, &ToLabel);
}

Result<Ok> GitHubClient::CreateLabel(const GitHubLabel& label) {
  Json fields = {{"name", label.name}, {"color", label.color}};
  if (!label.description.empty()) fields["description"] = label.description;
  Call call("POST", RepoUrl() + "/labels", Dump(fields), PaceKind::kWrite);
  call.also_answer = 422;
  Result<HttpResponse> answer = Send(call);
  if (!answer) return answer.error();
  if (answer.value().status != 422) return Ok{};
  const Json body = Json::parse(answer.value().body, nullptr, false);
  const Json* errors = Member(body, "errors");
  if (errors != nullptr && errors->is_array() &&
      std::any_of(errors->begin(), errors->end(),
                  [](const Json& e) { return Text(e, "code") == "already_exists"; })) {
    return Ok{};
  }
  return Stopped(Name(call.method, call.url),
                 DecideRetry({call.method, false, 1}, answer.value(), clock_(), 0, options_.retry));
}

}  // namespace triage
