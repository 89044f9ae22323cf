#include "clients/github_client.h"

#include <algorithm>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "clients/github_wire.h"

// "Notes" is ../shared/docs/github-rest-notes.md. What this file adds to
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

size_t CodePoints(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// Invalid UTF-8 (log text may hold any bytes) is sent as U+FFFD rather than
// thrown about.
std::string Dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
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

// `text` without the token: log lines the bot files may hold it (a service
// that logs its environment), and nothing the bot writes ever does.
std::string WithoutToken(std::string text, const std::string& token) {
  for (size_t at; token.size() >= 4 && (at = text.find(token)) != std::string::npos;) {
    text.replace(at, token.size(), "[redacted]");
  }
  return text;
}

HttpRequest NewRequest(const GitHubOptions& options, const std::string& method,
                       const std::string& url, const std::string& body) {
  HttpRequest request{method, url, {}, WithoutToken(body, options.token)};
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
  return options_.api_url + "/repos/" + github_wire::PercentEncode(repo.substr(0, slash)) + "/" +
         (slash == std::string::npos ? "" : github_wire::PercentEncode(repo.substr(slash + 1)));
}

std::string GitHubClient::Name(const std::string& method, const std::string& url) const {
  const std::string& base = options_.api_url;
  if (url.compare(0, base.size(), base) == 0) return method + " " + url.substr(base.size());
  return method + " " + url.substr(github_wire::UrlOrigin(url).size());
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
  if (!location.empty() && location.front() == '/') {
    location = github_wire::UrlOrigin(options_.api_url) + location;
  }
  const std::string what = name + ": HTTP " + std::to_string(response.status) + " to " +
                           (location.empty() ? "no location" : location) + " not followed: ";
  if (method != "GET") return Fail(ErrorKind::kHttp, response.status, what + "not a GET");
  if (hop > kMaxRedirects) {
    return Fail(ErrorKind::kHttp, response.status,
                what + "more than " + std::to_string(kMaxRedirects) + " redirects");
  }
  if (location.empty() ||
      github_wire::UrlOrigin(location) != github_wire::UrlOrigin(options_.api_url)) {
    return Fail(ErrorKind::kHttp, response.status,
                what + "the token goes to " + github_wire::UrlOrigin(options_.api_url) + " only");
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
    const std::string next = github_wire::NextLink(page.value());
    if (next.empty() || static_cast<int>(pages.size()) == max_pages) return pages;
    const std::string name = Name(call.method, call.url);
    if (static_cast<int>(pages.size()) >= kMaxPages) {
      return Fail(ErrorKind::kHttp, 0,
                  name + ": more than " + std::to_string(kMaxPages) + " pages; stopped");
    }
    if (github_wire::UrlOrigin(next) != github_wire::UrlOrigin(options_.api_url)) {
      return Fail(ErrorKind::kHttp, 0,
                  name + ": next page " + next + " not fetched: the token goes to " +
                      github_wire::UrlOrigin(options_.api_url) + " only");
    }
    call.url = next;
  }
}

Result<std::vector<GitHubIssue>> GitHubClient::ListIssues(const std::string& label,
                                                          const std::string& state) {
  Call call{"GET", RepoUrl() + "/issues?" +
                       (label.empty() ? "" : "labels=" + github_wire::PercentEncode(label) + "&") +
                       "state=" + github_wire::PercentEncode(state) +
                       "&sort=created&direction=asc&per_page=" + std::to_string(kPerPage)};
  Result<std::vector<std::string>> pages = GetPages(call, 0);
  if (!pages) return pages.error();
  return github_wire::ParseIssuePages(Name(call.method, call.url), pages.value(), false);
}

Result<GitHubIssue> GitHubClient::GetIssue(int number) {
  const Call call{"GET", RepoUrl() + "/issues/" + std::to_string(number)};
  Result<HttpResponse> answer = Send(call);
  if (!answer) return answer.error();
  return github_wire::ParseIssue(Name(call.method, call.url), answer.value());
}

Result<std::vector<GitHubIssue>> GitHubClient::SearchIssues(const std::string& query, int limit) {
  limit = std::min(limit, kSearchCap);
  if (limit <= 0) return std::vector<GitHubIssue>{};
  const int per_page = std::min(limit, kPerPage);
  Call call{"GET",
            options_.api_url + "/search/issues?q=" +
                github_wire::PercentEncode("repo:" + options_.repository + " is:issue " + query) +
                "&per_page=" + std::to_string(per_page),
            "", PaceKind::kSearch};
  Result<std::vector<std::string>> pages = GetPages(call, (limit + per_page - 1) / per_page);
  if (!pages) return pages.error();
  Result<std::vector<GitHubIssue>> issues =
      github_wire::ParseIssuePages(Name(call.method, call.url), pages.value(), true);
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
  return github_wire::ParseIssue(name, answer.value());
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
  Result<GitHubIssue> issue = github_wire::ParseIssue(name, answer.value());
  // Over its size limit GitHub answers 200 and keeps the old body (notes
  // §6). Compare with the body as sent, invalid UTF-8 replaced.
  if (issue && patch.body &&
      Normalized(github_wire::StringMember(call.body, "body")) != Normalized(issue.value().body)) {
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
  return github_wire::ParseCommentPages(Name(call.method, call.url), pages.value());
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
  return github_wire::ParseComment(name, answer.value());
}

Result<GitHubComment> GitHubClient::UpdateComment(int64_t comment_id, const std::string& body) {
  const Call call{"PATCH", RepoUrl() + "/issues/comments/" + std::to_string(comment_id),
                  Dump({{"body", body}}), PaceKind::kWrite};
  const std::string name = Name(call.method, call.url);
  if (std::optional<Error> refused = TooLong(name, nullptr, &body)) return *refused;
  Result<HttpResponse> answer = Send(call);
  if (!answer) return answer.error();
  return github_wire::ParseComment(name, answer.value());
}

Result<GitHubPermission> GitHubClient::GetPermission(const std::string& login) {
  Call call{"GET", RepoUrl() + "/collaborators/" + github_wire::PercentEncode(login) + "/permission"};
  call.also_answer = 404;
  Result<HttpResponse> answer = Send(call);
  if (!answer) return answer.error();
  if (answer.value().status == 404) return GitHubPermission{"none", "", false};
  return github_wire::ParsePermission(Name(call.method, call.url), answer.value());
}

Result<Ok> GitHubClient::AddReaction(int64_t comment_id, const std::string& content) {
  Call call("POST", RepoUrl() + "/issues/comments/" + std::to_string(comment_id) + "/reactions",
            Dump({{"content", content}}), PaceKind::kWrite);
  // Adding a reaction twice leaves one: not stored, so send again.
  call.verify = [] { return Result<bool>(false); };
  Result<HttpResponse> answer = Send(call);
  if (!answer) return answer.error();
  return Ok{};
}

Result<std::optional<std::string>> GitHubClient::GetTokenLogin() {
  const Call call{"GET", options_.api_url + "/user"};
  Result<HttpResponse> answer = Send(call);
  if (!answer) {
    const Error& e = answer.error();
    if (e.http_status == 403 && e.message.find("Resource not accessible by integration") != std::string::npos) {
      return std::optional<std::string>();
    }
    return e;
  }
  const std::string where = Name(call.method, call.url);
  Json user = Json::parse(answer.value().body, nullptr, false);
  if (!user.is_object() || !user.contains("login") || !user["login"].is_string() ||
      user["login"].get<std::string>().empty()) {
    return Fail(ErrorKind::kHttp, answer.value().status, where + ": no login in the answer");
  }
  return std::optional<std::string>(user["login"].get<std::string>());
}

Result<std::vector<GitHubLabel>> GitHubClient::ListLabels() {
  const Call call{"GET", RepoUrl() + "/labels?per_page=" + std::to_string(kPerPage)};
  Result<std::vector<std::string>> pages = GetPages(call, 0);
  if (!pages) return pages.error();
  return github_wire::ParseLabelPages(Name(call.method, call.url), pages.value());
}

Result<Ok> GitHubClient::CreateLabel(const GitHubLabel& label) {
  Json fields = {{"name", label.name}, {"color", label.color}};
  if (!label.description.empty()) fields["description"] = label.description;
  Call call("POST", RepoUrl() + "/labels", Dump(fields), PaceKind::kWrite);
  call.also_answer = 422;
  Result<HttpResponse> answer = Send(call);
  if (!answer) return answer.error();
  if (answer.value().status != 422) return Ok{};
  if (github_wire::SaysAlreadyExists(answer.value().body)) return Ok{};
  return Stopped(Name(call.method, call.url),
                 DecideRetry({call.method, false, 1}, answer.value(), clock_(), 0, options_.retry));
}

}  // namespace triage
