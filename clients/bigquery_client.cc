#include "clients/bigquery_client.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <set>
#include <string>
#include <utility>

// What BigQuery's REST reference says, and this file follows:
// - jobs.query defaults to legacy SQL: useLegacySql is always sent false.
// - A query not done within timeoutMs answers jobComplete: false with a
//   jobReference; jobs.getQueryResults is then polled, and paged with
//   pageToken. With jobCreationMode JOB_CREATION_OPTIONAL a short query may
//   come back without a jobReference; it cannot then be paged or polled.
// - requestId makes a resent jobs.query run once.
// - Errors carry errors[].reason. Transient: rateLimitExceeded (a 403, not a
//   429), backendError, internalError, badGateway, and a 5xx without a
//   reason. Everything else needs a person: invalidQuery, accessDenied,
//   notFound, billingNotEnabled, bytesBilledLimitExceeded, quotaExceeded...

namespace triage {
namespace {

using Json = nlohmann::json;

std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

std::string Str(const Json& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

// "123" or 123: BigQuery sends int64 as strings.
int64_t Int(const Json& j, const char* key) {
  if (!j.is_object()) return 0;
  auto it = j.find(key);
  if (it == j.end()) return 0;
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_string()) {
    try {
      return std::stoll(it->get<std::string>());
    } catch (...) {
      return 0;
    }
  }
  return 0;
}

std::string Percent(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

Json ParameterJson(const BigQueryParameter& p) {
  Json type = {{"type", p.type}};
  Json value = Json::object();
  if (p.array) {
    type = {{"type", "ARRAY"}, {"arrayType", {{"type", p.type}}}};
    Json values = Json::array();
    for (const std::string& v : p.values) values.push_back({{"value", v}});
    value["arrayValues"] = values;
  } else {
    value["value"] = p.values.empty() ? "" : p.values[0];
  }
  return {{"name", p.name}, {"parameterType", type}, {"parameterValue", value}};
}

const std::set<std::string>& TransientReasons() {
  static const std::set<std::string> kReasons = {"rateLimitExceeded", "backendError", "internalError",
                                                 "badGateway"};
  return kReasons;
}

// A cell: {"v": null | "text" | [{"v": ...}] | {"f": [{"v": ...}]}}.
BigQueryValue Cell(const Json& v) {
  BigQueryValue out;
  if (v.is_string()) {
    out.kind = BigQueryValue::Kind::kScalar;
    out.text = v.get<std::string>();
  } else if (v.is_array()) {
    out.kind = BigQueryValue::Kind::kArray;
    for (const Json& item : v) out.items.push_back(Cell(item.is_object() ? item.value("v", Json()) : Json()));
  } else if (v.is_object() && v.contains("f")) {
    out.kind = BigQueryValue::Kind::kRecord;
    for (const Json& f : v["f"]) out.items.push_back(Cell(f.is_object() ? f.value("v", Json()) : Json()));
  } else if (v.is_boolean() || v.is_number()) {
    out.kind = BigQueryValue::Kind::kScalar;
    out.text = v.dump();
  }
  return out;
}

}  // namespace

std::string QueryRequestBody(const BigQueryJob& job, bool dry_run) {
  Json params = Json::array();
  for (const BigQueryParameter& p : job.parameters) params.push_back(ParameterJson(p));
  Json body = {{"query", job.sql},
               {"useLegacySql", false},
               {"parameterMode", "NAMED"},
               {"queryParameters", params},
               {"dryRun", dry_run},
               {"timeoutMs", job.timeout_ms},
               {"maxResults", job.max_results},
               {"formatOptions", {{"useInt64Timestamp", true}}},
               {"jobCreationMode", "JOB_CREATION_OPTIONAL"},
               {"labels", {{"tool", "gcp-log-gardener"}}}};
  if (!job.location.empty()) body["location"] = job.location;
  if (job.maximum_bytes_billed > 0) body["maximumBytesBilled"] = std::to_string(job.maximum_bytes_billed);
  if (!job.request_id.empty() && !dry_run) body["requestId"] = job.request_id;
  return Dump(body);
}

BigQueryClient::BigQueryClient(HttpTransport& transport, BigQueryOptions options, TokenSource token,
                               std::function<void(int64_t micros)> sleep, std::function<int64_t()> clock,
                               std::function<double()> random)
    : transport_(transport),
      options_(std::move(options)),
      token_(std::move(token)),
      sleep_(std::move(sleep)),
      clock_(std::move(clock)),
      random_(std::move(random)) {}

Result<std::string> BigQueryClient::Send(const std::string& method, const std::string& url,
                                         const std::string& body) {
  HttpRequest request{method, url, {}, body};
  bool refresh = false, refreshed = false;
  for (int attempt = 1;; ++attempt) {
    Result<std::string> token = token_(refresh);
    if (!token) return Error{token.error().kind, "BigQuery: no access token: " + token.error().message, 0};
    refresh = false;
    request.headers = {{"Authorization", "Bearer " + token.value()},
                       {"Content-Type", "application/json"},
                       {"User-Agent", options_.user_agent}};
    const HttpResponse response = transport_.Send(request);
    ++stats_.requests;
    if (response.status == 200) return response.body;
    if (response.status == 401 && !refreshed) {
      refresh = refreshed = true;
      --attempt;
      continue;
    }
    const Json json = Json::parse(response.body, nullptr, false);
    const Json error = json.is_object() ? json.value("error", Json::object()) : Json::object();
    std::string reason, message = Str(error, "message");
    if (error.is_object() && error.contains("errors") && error["errors"].is_array() && !error["errors"].empty()) {
      reason = Str(error["errors"][0], "reason");
      if (message.empty()) message = Str(error["errors"][0], "message");
    }
    const bool transient = response.status == 0 || TransientReasons().count(reason) > 0 ||
                           (response.status >= 500 && reason.empty());
    if (transient && attempt < options_.retry.max_attempts) {
      sleep_(BackoffUs(attempt, random_(), options_.retry));
      continue;
    }
    std::string what = response.status == 0 ? "no answer (" + response.transport_error + ")"
                                             : "HTTP " + std::to_string(response.status) +
                                                   (reason.empty() ? "" : " " + reason) +
                                                   (message.empty() ? "" : ": " + message);
    Error e{ErrorKind::kHttp, "BigQuery: " + what, response.status};
    if (response.status == 0) e.kind = ErrorKind::kTransport;
    if (transient) {
      e.message += "; still failing after " + std::to_string(attempt) + " attempts, run again later";
      if (reason == "rateLimitExceeded") e.kind = ErrorKind::kRateLimited;
    } else if (reason == "invalidQuery" || reason == "invalid") {
      e.message += "; BigQuery refused the statement: see it with `gcp-log-gardener query --config FILE`, "
                   "and check that source.dataset is a Log Analytics linked dataset";
    } else if (reason == "notFound") {
      e.message += "; is source.dataset the linked dataset (PROJECT.DATASET, made by `gcloud logging links "
                   "create`) and source.location its location?";
    } else if (reason == "billingNotEnabled") {
      e.message += "; enable billing on " + url_project_ + " or set source.billing_project to a project "
                   "with billing";
    } else if (reason == "bytesBilledLimitExceeded") {
      e.message += "; the query would bill more than source.max_bytes_billed: shorten the window "
                   "(--since) or raise the cap";
    } else if (reason == "quotaExceeded") {
      e.kind = ErrorKind::kRateLimited;
      e.message += "; a BigQuery quota is spent: run again later or raise the quota";
    } else if (reason == "accessDenied" || response.status == 401 || response.status == 403) {
      e.kind = ErrorKind::kAuth;
      e.message += "; grant the credential roles/bigquery.jobUser on the billing project (" + url_project_ +
                   ") and roles/bigquery.dataViewer on the linked dataset";
    }
    return e;
  }
}

Result<int64_t> BigQueryClient::DryRun(const BigQueryJob& job) {
  url_project_ = job.project;
  Result<std::string> body =
      Send("POST", options_.endpoint + "/bigquery/v2/projects/" + Percent(job.project) + "/queries",
           QueryRequestBody(job, true));
  if (!body) return body.error();
  const Json json = Json::parse(body.value(), nullptr, false);
  if (!json.is_object() || !json.contains("totalBytesProcessed")) {
    return Error{ErrorKind::kHttp, "BigQuery dry run: the answer says nothing of totalBytesProcessed", 200};
  }
  stats_.total_bytes_processed = Int(json, "totalBytesProcessed");
  return stats_.total_bytes_processed;
}

Result<BigQueryStats> BigQueryClient::Query(const BigQueryJob& job, const RowSink& on_row) {
  url_project_ = job.project;
  const std::string base = options_.endpoint + "/bigquery/v2/projects/" + Percent(job.project) + "/queries";
  Result<std::string> body = Send("POST", base, QueryRequestBody(job, false));
  const int64_t start_us = clock_();
  std::vector<BigQueryField> schema;
  std::string job_id, location = job.location;
  for (;;) {
    if (!body) return body.error();
    const Json json = Json::parse(body.value(), nullptr, false);
    if (!json.is_object()) return Error{ErrorKind::kHttp, "BigQuery: the answer is not a JSON object", 200};
    if (json.contains("jobReference") && json["jobReference"].is_object()) {
      job_id = Str(json["jobReference"], "jobId");
      if (!Str(json["jobReference"], "location").empty()) location = Str(json["jobReference"], "location");
      stats_.job_id = job_id;
    }
    const bool complete = json.value("jobComplete", false) == true;
    std::string page_token = Str(json, "pageToken");
    if (!complete) {
      ++stats_.polls;
      if (job_id.empty()) {
        return Error{ErrorKind::kHttp, "BigQuery: the job is not done and the answer names no job to poll", 200};
      }
      if (clock_() - start_us > options_.max_wait_us) {
        return Error{ErrorKind::kHttp, "BigQuery: job " + job_id + " not done after " +
                                           std::to_string(options_.max_wait_us / 1000000) +
                                           " s; shorten the window", 200};
      }
      page_token.clear();  // poll for the first page
    } else {
      ++stats_.pages;
      stats_.total_bytes_processed = Int(json, "totalBytesProcessed");
      stats_.total_bytes_billed = Int(json, "totalBytesBilled");
      stats_.cache_hit = json.value("cacheHit", false) == true;
      if (schema.empty() && json.contains("schema")) {
        for (const Json& f : json["schema"].value("fields", Json::array())) {
          schema.push_back({Str(f, "name"), Str(f, "type"), Str(f, "mode")});
        }
      }
      for (const Json& row : json.value("rows", Json::array())) {
        BigQueryRow cells;
        if (row.is_object() && row.contains("f") && row["f"].is_array()) {
          for (const Json& f : row["f"]) cells.push_back(Cell(f.is_object() ? f.value("v", Json()) : Json()));
        }
        ++stats_.rows;
        Result<Ok> taken = on_row(schema, std::move(cells));
        if (!taken) return taken.error();
      }
      if (page_token.empty()) return stats_;
      if (job_id.empty()) {
        return Error{ErrorKind::kHttp, "BigQuery: more pages, but the answer names no job to page through", 200};
      }
    }
    std::string url = base + "/" + Percent(job_id) + "?timeoutMs=" + std::to_string(job.timeout_ms) +
                      "&maxResults=" + std::to_string(job.max_results) +
                      "&formatOptions.useInt64Timestamp=true";
    if (!location.empty()) url += "&location=" + Percent(location);
    if (!page_token.empty()) url += "&pageToken=" + Percent(page_token);
    body = Send("GET", url, "");
  }
}

}  // namespace triage
