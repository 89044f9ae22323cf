#include "clients/gcp_logging_client.h"

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "bot/base/time_util.h"

// "Notes" is ../shared/docs/gcp-logging-notes.md. What this file adds to
// the retry policy (retry_policy.cc):
// - Requests are spaced evenly below the per-minute read quota (notes §1.4,
//   §1.6 item 1) instead of a bursting bucket: the quota is shared with
//   people in the console, and a burst is what SDK pagers get caught by.
// - A 429's quota_limit_value lowers that pace (notes §1.4 "adapt").
// - A 401 gets one forced token refresh and one resend (notes §1.6 item 4).
// - entries:list is a read, so a POST resent after a 5xx is harmless.

namespace triage {
namespace {

using Json = nlohmann::json;

constexpr int kMaxPageSize = 1000;         // notes §1.1
constexpr size_t kMaxFilterChars = 20000;  // notes §1.1, §8
constexpr int64_t kMinuteUs = 60 * kMicrosPerSecond;
// Empty pages with a token mean "not done yet" (notes §1.2); this many in a
// row is a server going round in circles.
constexpr int kMaxEmptyPagesInRow = 1000;

std::string ResourceName(const std::string& project) {
  return project.find('/') == std::string::npos ? "projects/" + project : project;
}

std::string Dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string Str(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// The first ErrorInfo of a Google error body, or null.
Json ErrorInfo(const std::string& body) {
  const Json json = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("error") || !json["error"].is_object()) return nullptr;
  const Json& details = json["error"].value("details", Json::array());
  if (!details.is_array()) return nullptr;
  for (const Json& detail : details) {
    if (detail.is_object() && Str(detail, "@type") == "type.googleapis.com/google.rpc.ErrorInfo") {
      return detail;
    }
  }
  return nullptr;
}

std::string Metadata(const Json& info, const char* key) {
  if (!info.is_object() || !info.contains("metadata") || !info["metadata"].is_object()) return "";
  return Str(info["metadata"], key);
}

// What makes two answers one entry (notes §1.3); "" when it cannot be told.
std::string DedupKey(const Json& entry) {
  const std::string insert_id = Str(entry, "insertId");
  if (insert_id.empty()) return "";
  return Str(entry, "logName") + '\x1f' + Str(entry, "timestamp") + '\x1f' + insert_id;
}

}  // namespace

struct GcpLoggingClient::Page {
  std::vector<std::pair<std::string, std::string>> entries;  // (dedup key, JSON text)
  std::string next_page_token;
};

GcpLoggingClient::GcpLoggingClient(HttpTransport& transport, GcpLoggingOptions options,
                                   TokenSource token, std::function<void(int64_t)> sleep,
                                   std::function<int64_t()> clock, std::function<double()> random)
    : transport_(transport),
      options_(std::move(options)),
      token_(std::move(token)),
      sleep_(std::move(sleep)),
      clock_(std::move(clock)),
      random_(std::move(random)),
      requests_per_minute_(std::max(1, options_.requests_per_minute)) {
  while (!options_.endpoint.empty() && options_.endpoint.back() == '/')
    options_.endpoint.pop_back();
  options_.page_size = std::clamp(options_.page_size, 1, kMaxPageSize);
}

void GcpLoggingClient::Say(const std::string& line) const {
  if (progress_) progress_(line);
}

void GcpLoggingClient::Wait(int64_t micros) {
  if (micros <= 0) return;
  sleep_(micros);
  stats_.waited_us += micros;
}

void GcpLoggingClient::Pace() {
  const int64_t spacing = (kMinuteUs + requests_per_minute_ - 1) / requests_per_minute_;
  if (last_send_us_ >= 0) Wait(last_send_us_ + spacing - clock_());
  last_send_us_ = clock_();
}

void GcpLoggingClient::AdaptToQuota(const HttpResponse& response) {
  const std::string value = Metadata(ErrorInfo(response.body), "quota_limit_value");
  if (value.empty() || value.size() > 9 || value.find_first_not_of("0123456789") != value.npos) {
    return;
  }
  const int limit = std::stoi(value);
  // Keep a sixth of the quota (at least one request) for everyone else.
  const int target = std::max(1, limit - std::max(1, limit / 6));
  if (limit > 0 && target < requests_per_minute_) {
    requests_per_minute_ = target;
    Say("entries:list: quota is " + value + " requests a minute; pacing at " +
        std::to_string(target));
  }
}

Error GcpLoggingClient::Explain(const std::string& resource, const std::string& filter,
                                const HttpResponse& response, const RetryDecision& decision) const {
  Error error = decision.error;
  error.message = "entries:list " + resource + ": " + error.message;
  switch (response.status) {
    case 400:
      error.message += "; filter:\n" + filter;
      break;
    case 401:
      error.message += "; refused again after a token refresh: check the credential";
      break;
    case 403: {
      if (decision.rate_limited) break;
      const Json info = ErrorInfo(response.body);
      std::string permission = Metadata(info, "permission");
      if (permission.empty()) permission = "logging.logEntries.list";
      error.message += "; the caller needs permission " + permission + " on " + resource +
                       " (role roles/logging.viewer, Logs Viewer)";
      if (info.is_object() && Str(info, "reason") == "SERVICE_DISABLED") {
        error.message += ", and the Cloud Logging API enabled in the project";
      }
      break;
    }
    case 404:
      error.message += "; is " + resource + " the right project ID?";
      break;
    default:
      break;
  }
  if (decision.rate_limited) {
    error.kind = ErrorKind::kRateLimited;
    error.message += "; partial: quota, " + std::to_string(stats_.entries) + " entries delivered";
  }
  return error;
}

Result<GcpLoggingClient::Page> GcpLoggingClient::ParsePage(const std::string& name,
                                                           const HttpResponse& response) {
  const Json json = Json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  // A proxy's HTML page must not pass for the last, empty page.
  if (!json.is_object()) {
    return Error{ErrorKind::kHttp, name + ": the answer is not a JSON object", 200};
  }
  const Json entries = json.value("entries", Json::array());
  if (!entries.is_array() && !entries.is_null()) {
    return Error{ErrorKind::kHttp, name + ": the answer is not a list of entries", 200};
  }
  Page page;
  page.next_page_token = Str(json, "nextPageToken");
  for (const Json& entry : entries.is_array() ? entries : Json::array()) {
    if (!entry.is_object()) {
      return Error{ErrorKind::kHttp, name + ": an entry is not a JSON object", 200};
    }
    page.entries.emplace_back(DedupKey(entry), Dump(entry));
  }
  return page;
}

Result<GcpLoggingClient::Page> GcpLoggingClient::FetchPage(const std::string& resource,
                                                           const std::string& filter,
                                                           const std::string& page_token) {
  Json body = {{"resourceNames", Json::array({resource})},
               {"filter", filter},
               {"orderBy", "timestamp asc"},
               {"pageSize", options_.page_size}};
  if (!page_token.empty()) body["pageToken"] = page_token;
  HttpRequest request{"POST", options_.endpoint + "/v2/entries:list", {}, Dump(body)};
  const std::string name = "entries:list " + resource;
  bool refresh = false, refreshed = false;
  for (int attempt = 1;;) {
    Result<std::string> token = token_(refresh);
    if (!token) {
      return Error{token.error().kind, name + ": no access token: " + token.error().message, 0};
    }
    request.headers = {{"Authorization", "Bearer " + token.value()},
                       {"Content-Type", "application/json"},
                       {"User-Agent", options_.user_agent}};
    Pace();
    const HttpResponse response = transport_.Send(request);
    ++stats_.requests;
    if (response.status == 401 && !refreshed) {
      refresh = refreshed = true;
      Say(name + ": HTTP 401: refreshing the token and resending once");
      continue;
    }
    refresh = false;
    const RetryDecision decision =
        DecideRetry({"POST", true, attempt}, response, clock_(), random_(), options_.retry);
    if (decision.kind == RetryKind::kStop) return Explain(resource, filter, response, decision);
    if (decision.kind == RetryKind::kDone) {
      if (response.status != 200) {
        return Error{ErrorKind::kHttp,
                     name + ": HTTP " + std::to_string(response.status) + " not understood",
                     response.status};
      }
      return ParsePage(name, response);
    }
    if (response.status == 429) AdaptToQuota(response);
    Say(name + ": " + decision.reason);
    Wait(decision.wait_us);
    ++attempt;
  }
}

namespace {

// One progress line: "projects/p: page 3, 2500 entries, 0 duplicates, 4
// requests, 1250 entries/min".
std::string ProgressLine(const std::string& resource, const ListStats& stats, int64_t elapsed_us) {
  const int64_t minutes_x1000 = elapsed_us * 1000 / kMinuteUs;
  return resource + ": page " + std::to_string(stats.pages) + ", " + std::to_string(stats.entries) +
         " entries, " + std::to_string(stats.duplicates) + " duplicates, " +
         std::to_string(stats.requests) + " requests" +
         (minutes_x1000 > 0
              ? ", " + std::to_string(stats.entries * 1000 / minutes_x1000) + " entries/min"
              : "");
}

}  // namespace

bool GcpLoggingClient::Deliver(Page& page, int64_t max_entries,
                               std::unordered_set<std::string>& seen,
                               const std::function<void(std::string_view)>& on_entry) {
  for (auto& [key, text] : page.entries) {
    if (max_entries > 0 && stats_.entries >= max_entries) return false;
    if (!key.empty() && !seen.insert(std::move(key)).second) {
      ++stats_.duplicates;
      continue;
    }
    on_entry(text);
    ++stats_.entries;
  }
  return true;
}

Result<ListStats> GcpLoggingClient::ListEntries(
    const LoggingQuery& query, const std::function<void(std::string_view entry_json)>& on_entry) {
  stats_ = ListStats{};
  const std::string filter = BuildFilter(query);
  if (query.projects.empty()) {
    return Error{ErrorKind::kUsage, "entries:list: no project to read", 0};
  }
  if (filter.size() > kMaxFilterChars) {
    return Error{ErrorKind::kUsage,
                 "entries:list: the filter has " + std::to_string(filter.size()) +
                     " characters, more than the 20000 allowed",
                 0};
  }
  const int64_t started_us = clock_();
  std::unordered_set<std::string> seen;
  for (size_t p = 0; p < query.projects.size(); ++p) {
    if (query.projects[p].empty()) {
      return Error{ErrorKind::kUsage, "entries:list: empty project name", 0};
    }
    const std::string resource = ResourceName(query.projects[p]);
    std::string token;
    for (int empty_in_row = 0;;) {
      Result<Page> page = FetchPage(resource, filter, token);
      if (!page) return page.error();
      ++stats_.pages;
      stats_.capped = !Deliver(page.value(), query.max_entries, seen, on_entry);
      Say(ProgressLine(resource, stats_, clock_() - started_us));
      token = page.value().next_page_token;
      const bool more = !token.empty() || p + 1 < query.projects.size();
      if (query.max_entries > 0 && stats_.entries >= query.max_entries && more) {
        stats_.capped = true;
      }
      if (stats_.capped) return stats_;
      if (token.empty()) break;
      empty_in_row = page.value().entries.empty() ? empty_in_row + 1 : 0;
      if (empty_in_row >= kMaxEmptyPagesInRow) {
        return Error{ErrorKind::kHttp,
                     "entries:list " + resource + ": " + std::to_string(empty_in_row) +
                         " empty pages in a row; narrow the time window",
                     0};
      }
    }
  }
  return stats_;
}

}  // namespace triage
