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

#include "clients/curl_transport.h"
#include "clients/github_call.h"
#include "clients/github_wire.h"

// GitHubClient's endpoints: each builds a Call (github_call.h) for the
// machinery in github_call.cc and reads the answer with github_wire.
// "Notes" is ../shared/docs/github-rest-notes.md.
// - Text is refused before sending when GitHub would refuse it or silently
//   keep the old one (notes §6); a PATCH whose answer keeps another body is
//   an error.
// - Lists are walked oldest first (sort=created&direction=asc): an issue
//   created during the walk lands on the last page instead of shifting
//   every page by one, which would show one issue twice and skip another.

namespace triage {
namespace {

using Json = nlohmann::json;

constexpr int kPerPage = 100;
constexpr int kSearchCap = 1000;  // GitHub serves no result past the 1,000th (notes §3)
constexpr size_t kMaxTitleChars = 256;

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
  if (body != nullptr && CodePoints(*body) > GitHubClient::kMaxBodyCodePoints) {
    return refuse("the body has " + std::to_string(CodePoints(*body)) +
                  " code points, more than the " + std::to_string(GitHubClient::kMaxBodyCodePoints) + " allowed");
  }
  return std::nullopt;
}

// For comparing a body sent with the body GitHub keeps: line endings aside.
std::string Normalized(std::string text) {
  text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
  return text;
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
  return options_.api_url + "/repos/" + PercentEncode(repo.substr(0, slash)) + "/" +
         (slash == std::string::npos ? "" : PercentEncode(repo.substr(slash + 1)));
}

Result<std::vector<GitHubIssue>> GitHubClient::ListIssues(const std::string& label,
                                                          const std::string& state) {
  // A label named with a comma cannot be listed by labels=, which GitHub
  // splits on commas; the bot's labels have none.
  Call call{"GET", RepoUrl() + "/issues?" +
                       (label.empty() ? "" : "labels=" + PercentEncode(label) + "&") +
                       "state=" + PercentEncode(state) +
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
                PercentEncode("repo:" + options_.repository + " is:issue " + query) +
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
  Call call{"GET", RepoUrl() + "/collaborators/" + PercentEncode(login) + "/permission"};
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
