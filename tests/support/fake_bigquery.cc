#include "tests/support/fake_bigquery.h"

#include <map>
#include <mutex>
#include <utility>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "tests/support/loopback_server.h"

namespace triage {
namespace testing {
namespace {

using Json = nlohmann::json;

struct Job {
  Json schema;
  Json rows;
  std::string location;
  int polls_left = 0;
};

std::string CanonicalStatus(int status) {
  switch (status) {
    case 400: return "INVALID_ARGUMENT";
    case 401: return "UNAUTHENTICATED";
    case 403: return "PERMISSION_DENIED";
    case 404: return "NOT_FOUND";
    case 500: return "INTERNAL";
    case 502: return "UNAVAILABLE";
    case 503: return "UNAVAILABLE";
    default: return "UNKNOWN";
  }
}

void SendError(httplib::Response& res, int status, const std::string& reason, const std::string& message) {
  res.status = status;
  if (reason.empty()) {
    res.set_content("<html><body>Server Error</body></html>", "text/html");
    return;
  }
  Json body = {{"error",
                {{"code", status},
                 {"message", message},
                 {"errors", Json::array({{{"reason", reason}, {"message", message}, {"domain", "global"}}})},
                 {"status", CanonicalStatus(status)}}}};
  res.set_content(body.dump(), "application/json");
}

}  // namespace

struct FakeBigQuery::State {
  FakeBigQueryConfig config;
  mutable std::mutex mu;
  std::vector<BigQueryRequestSeen> requests;
  struct Fault {
    int status;
    std::string reason;
    bool dry_runs_too;
  };
  std::vector<Fault> faults;  // next answers, in order
  std::map<std::string, Job> jobs;                  // by job id
  std::map<std::string, std::string> by_request_id; // requestId -> job id
  int dry_runs = 0, queries = 0, results = 0;

  bool Failed(httplib::Response& res, bool dry_run = false) {
    if (faults.empty() || (dry_run && !faults.front().dry_runs_too)) return false;
    const int status = faults.front().status;
    const std::string reason = faults.front().reason;
    faults.erase(faults.begin());
    SendError(res, status, reason, "fault injected: " + (reason.empty() ? std::to_string(status) : reason));
    return true;
  }

  // One page of `job` from row `offset`, in jobs.query's answer shape.
  Json Page(const std::string& project, const std::string& id, const Job& job, size_t offset) const {
    const size_t total = job.rows.size();
    const size_t size = config.page_rows == 0 ? total : config.page_rows;
    Json page = {{"kind", "bigquery#queryResponse"},
                 {"jobComplete", true},
                 {"schema", job.schema},
                 {"totalRows", std::to_string(total)},
                 {"totalBytesProcessed", std::to_string(config.dry_run_bytes)},
                 {"totalBytesBilled", std::to_string(config.dry_run_bytes)},
                 {"cacheHit", false}};
    Json rows = Json::array();
    for (size_t i = offset; i < total && i < offset + size; ++i) rows.push_back(job.rows[i]);
    if (!rows.empty()) page["rows"] = rows;
    if (offset + size < total) page["pageToken"] = "page-" + std::to_string(offset + size);
    if (!(config.omit_job_reference && offset + size >= total && offset == 0)) {
      page["jobReference"] = {{"projectId", project}, {"jobId", id}, {"location", job.location}};
    }
    return page;
  }
};

FakeBigQuery::FakeBigQuery(FakeBigQueryConfig config) : state_(std::make_unique<State>()) {
  state_->config = std::move(config);
  State* s = state_.get();
  auto record = [s](const httplib::Request& req) {
    BigQueryRequestSeen seen{req.method, req.path, "", req.body, req.get_header_value("Authorization")};
    for (const auto& [k, v] : req.params) seen.query += (seen.query.empty() ? "" : "&") + k + "=" + v;
    s->requests.push_back(std::move(seen));
  };
  server_ = std::make_unique<LoopbackServer>([s, record](httplib::Server& server) {
    server.Post(R"(/bigquery/v2/projects/([^/]+)/queries)", [s, record](const httplib::Request& req,
                                                                        httplib::Response& res) {
      std::lock_guard<std::mutex> lock(s->mu);
      record(req);
      const std::string project = req.matches[1];
      const Json body = Json::parse(req.body, nullptr, false);
      if (!body.is_object() || req.get_header_value("Authorization").rfind("Bearer ", 0) != 0) {
        SendError(res, 401, "unauthorized", "no credential");
        return;
      }
      const bool dry = body.value("dryRun", false);
      dry ? ++s->dry_runs : ++s->queries;
      if (s->Failed(res, dry)) return;
      if (body.value("useLegacySql", true) != false) {
        SendError(res, 400, "invalidQuery", "legacy SQL: useLegacySql was not false");
        return;
      }
      if (dry) {
        Json answer = {{"kind", "bigquery#queryResponse"},
                       {"jobComplete", true},
                       {"totalBytesProcessed", std::to_string(s->config.dry_run_bytes)},
                       {"schema", {{"fields", Json::array()}}},
                       {"jobReference", {{"projectId", project}, {"location", body.value("location", "US")}}}};
        res.set_content(answer.dump(), "application/json");
        return;
      }
      const std::string request_id = body.value("requestId", "");
      std::string id;
      auto known = s->by_request_id.find(request_id);
      if (!request_id.empty() && known != s->by_request_id.end()) {
        id = known->second;  // a resend: the same job, run once
      } else {
        const std::string text = s->config.answer ? s->config.answer(req.body) : s->config.fixed_answer;
        const Json answer = Json::parse(text, nullptr, false);
        if (!answer.is_object() || answer.contains("error")) {
          SendError(res, 400, "invalidQuery",
                    answer.is_object() ? answer["error"].dump() : std::string("the engine's answer is not JSON"));
          return;
        }
        id = "job_" + std::to_string(s->jobs.size() + 1);
        Job job{answer.value("schema", Json::object()), answer.value("rows", Json::array()),
                body.value("location", "US"), s->config.polls_before_complete};
        s->jobs[id] = std::move(job);
        if (!request_id.empty()) s->by_request_id[request_id] = id;
      }
      Job& job = s->jobs[id];
      if (job.polls_left > 0) {
        --job.polls_left;
        Json answer = {{"kind", "bigquery#queryResponse"},
                       {"jobComplete", false},
                       {"jobReference", {{"projectId", project}, {"jobId", id}, {"location", job.location}}}};
        res.set_content(answer.dump(), "application/json");
        return;
      }
      res.set_content(s->Page(project, id, job, 0).dump(), "application/json");
    });
    server.Get(R"(/bigquery/v2/projects/([^/]+)/queries/([^/]+))", [s, record](const httplib::Request& req,
                                                                               httplib::Response& res) {
      std::lock_guard<std::mutex> lock(s->mu);
      record(req);
      ++s->results;
      if (s->Failed(res)) return;
      const std::string project = req.matches[1];
      const std::string id = req.matches[2];
      auto it = s->jobs.find(id);
      if (it == s->jobs.end()) {
        SendError(res, 404, "notFound", "Not found: Job " + project + ":" + id);
        return;
      }
      Job& job = it->second;
      if (req.has_param("location") && req.get_param_value("location") != job.location) {
        SendError(res, 404, "notFound", "Not found: Job " + id + " in location " + req.get_param_value("location"));
        return;
      }
      if (job.polls_left > 0) {
        --job.polls_left;
        Json answer = {{"kind", "bigquery#getQueryResultsResponse"},
                       {"jobComplete", false},
                       {"jobReference", {{"projectId", project}, {"jobId", id}, {"location", job.location}}}};
        res.set_content(answer.dump(), "application/json");
        return;
      }
      size_t offset = 0;
      const std::string token = req.has_param("pageToken") ? req.get_param_value("pageToken") : "";
      if (!token.empty()) {
        if (token.rfind("page-", 0) != 0) {
          SendError(res, 400, "invalid", "bad page token");
          return;
        }
        offset = std::stoul(token.substr(5));
      }
      Json page = s->Page(project, id, job, offset);
      page["kind"] = "bigquery#getQueryResultsResponse";
      res.set_content(page.dump(), "application/json");
    });
  });
}

FakeBigQuery::~FakeBigQuery() = default;

std::string FakeBigQuery::Endpoint() const { return server_->Url(""); }

void FakeBigQuery::FailNext(int status, const std::string& reason, int times, bool dry_runs_too) {
  std::lock_guard<std::mutex> lock(state_->mu);
  for (int i = 0; i < times; ++i) state_->faults.push_back({status, reason, dry_runs_too});
}

std::vector<BigQueryRequestSeen> FakeBigQuery::Requests() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->requests;
}

int FakeBigQuery::DryRuns() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->dry_runs;
}
int FakeBigQuery::Queries() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->queries;
}
int FakeBigQuery::Results() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->results;
}

}  // namespace testing
}  // namespace triage
