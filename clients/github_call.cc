#include "clients/github_call.h"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "clients/github_client.h"
#include "clients/github_wire.h"

// GitHubClient's call machinery: send, redirects, retries, pacing, the
// read-back of a possibly stored create, and pages. "Notes" is
// ../shared/docs/github-rest-notes.md. What this file adds to the retry
// policy (retry_policy.cc):
// - Serial requests, paced like octokit's throttling plugin (notes §4.3 item
//   5, §8): writes 1 s apart, creates that notify people 3 s, searches 2 s.
// - A create answered 5xx or not at all may have been stored (notes §5.4
//   item 5): the caller's find_existing decides before any resend.
// - The token goes only to api_url's origin: a redirect or a Link URL to
//   another origin is an error, not a request (notes §1.1 "Redirects").

namespace triage {
namespace {

constexpr int kMaxPages = 1000;  // 100,000 items: more is a runaway Link chain
constexpr int kMaxRedirects = 3;

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

}  // namespace

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

}  // namespace triage
