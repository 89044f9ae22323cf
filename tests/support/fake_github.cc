#include "tests/support/fake_github.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "tests/support/fake_github_internal.h"

namespace triage {
namespace testing {
namespace internal {
namespace {

constexpr char kRateDocs[] = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api";
constexpr char kUserAgentRequired[] =
    "Request forbidden by administrative rules. Please make sure your request "
    "has a User-Agent header (https://docs.github.com/en/rest/overview/"
    "resources-in-the-rest-api#user-agent-required). Check "
    "https://developer.github.com for other possible causes.\n";
constexpr char kSecondaryMessage[] =
    "You have exceeded a secondary rate limit. Please wait a few minutes "
    "before you try again. If you reach out to GitHub Support for help, "
    "please include the request ID ";
constexpr char kContentMessage[] =
    "You have exceeded a secondary rate limit and have been temporarily "
    "blocked from content creation. Please retry your request again later. "
    "If you reach out to GitHub Support for help, please include the "
    "request ID ";

std::string PercentDecode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// '*' matches any run of characters within one path segment.
bool GlobMatch(const char* p, const char* t) {
  if (*p == '\0') return *t == '\0';
  if (*p == '*') {
    for (const char* s = t;; ++s) {
      if (GlobMatch(p + 1, s)) return true;
      if (*s == '\0' || *s == '/') return false;
    }
  }
  return *t != '\0' && *t == *p && GlobMatch(p + 1, t + 1);
}

// GitHub's 502 comes from its front end as HTML, not JSON.
Answer ServerError(int status) {
  if (status == 502 || status == 504) {
    Answer a;
    a.status = status;
    a.content_type = "text/html";
    a.body = "<html><body><h1>" + std::to_string(status) + " Server Error</h1></body></html>\n";
    return a;
  }
  return Error(status, status == 503 ? "Service Unavailable" : "Server Error");
}

// cpp-httplib gives handlers no access to their socket, so find it: the one
// socket of this process whose local port is the server's and whose peer
// port is the client's. shutdown() sends FIN at once; cpp-httplib's own
// write then fails (httplib::Server ignores SIGPIPE) and it closes the fd.
bool ShutdownConnection(int local_port, int remote_port) {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return false;
  bool found = false;
  while (dirent* entry = readdir(dir)) {
    char* end = nullptr;
    long fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0') continue;
    sockaddr_in local{}, peer{};
    socklen_t len = sizeof local;
    if (getsockname(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&local), &len) != 0 ||
        local.sin_family != AF_INET || ntohs(local.sin_port) != local_port) {
      continue;
    }
    len = sizeof peer;
    if (getpeername(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&peer), &len) != 0 ||
        ntohs(peer.sin_port) != remote_port) {
      continue;
    }
    found = shutdown(static_cast<int>(fd), SHUT_RDWR) == 0;
    break;
  }
  closedir(dir);
  return found;
}

std::string DescribeFault(const Fault& f) {
  std::string what = f.kind == FaultKind::kStatus     ? std::to_string(f.status)
                     : f.kind == FaultKind::kDrop     ? "drop"
                     : f.kind == FaultKind::kTruncate ? "truncate"
                                                      : "hang";
  return f.after_write ? "stored+" + what : what;
}

// --------------------------------------------------------------- routing

bool ParsePositive(const std::string& s, int64_t* out) {
  if (s.empty() || s.size() > 15 ||
      !std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return false;
  }
  *out = std::stoll(s);
  return *out > 0;
}

// `seg` are the decoded path segments after the leading '/'. A trailing
// slash leaves an empty last segment, which matches nothing: 404 as GitHub.
Route Classify(const std::string& method, const std::vector<std::string>& seg) {
  using K = EndpointKind;
  Route r;
  const size_t n = seg.size();
  auto at = [&](size_t i, const char* s) { return i < n && seg[i] == s; };
  auto pick = [&](const char* m, K k) {
    if (method == m) r.kind = k;
  };
  if (n == 1 && at(0, "rate_limit")) pick("GET", K::kRateLimit);
  if (n == 1 && at(0, "user")) pick("GET", K::kGetUser);
  if (n == 2 && at(0, "search") && at(1, "issues")) pick("GET", K::kSearchIssues);
  if (n < 4 || !at(0, "repos")) return r;
  r.repo = seg[1] + "/" + seg[2];
  int64_t id = 0;
  if (n == 4 && at(3, "issues")) {
    pick("GET", K::kListIssues);
    pick("POST", K::kCreateIssue);
  } else if (n == 4 && at(3, "labels")) {
    pick("GET", K::kListLabels);
    pick("POST", K::kCreateLabel);
  } else if (n == 5 && at(3, "labels")) {
    r.label = seg[4];
    pick("GET", K::kGetLabel);
  } else if (n == 6 && at(3, "collaborators") && at(5, "permission")) {
    r.label = seg[4];
    pick("GET", K::kGetPermission);
  } else if (n == 7 && at(3, "issues") && at(4, "comments") && ParsePositive(seg[5], &id) &&
             at(6, "reactions")) {
    r.comment_id = id;
    pick("POST", K::kAddReaction);
  } else if (n == 6 && at(3, "issues") && at(4, "comments") && ParsePositive(seg[5], &id)) {
    r.comment_id = id;
    pick("PATCH", K::kUpdateComment);
  } else if (n >= 5 && at(3, "issues") && ParsePositive(seg[4], &id)) {
    r.number = static_cast<int>(id);
    if (n == 5) pick("GET", K::kGetIssue), pick("PATCH", K::kUpdateIssue);
    if (n == 6 && at(5, "comments")) pick("GET", K::kListComments), pick("POST", K::kCreateComment);
    if (n == 6 && at(5, "labels")) pick("POST", K::kAddLabels), pick("PUT", K::kSetLabels);
    if (n == 7 && at(5, "labels")) r.label = seg[6], pick("DELETE", K::kRemoveLabel);
  }
  return r;
}

bool IsContentCreation(EndpointKind k) {
  return k == EndpointKind::kCreateIssue || k == EndpointKind::kCreateComment;
}

}  // namespace

Fake::Fake(FakeGitHubOptions o) : opts(std::move(o)), now(opts.start_time) {
  core = {"core", 3600, opts.core_limit, 0, now + 3600, opts.primary_limit_status};
  search = {"search", 60, opts.search_limit, 0, now + 60, opts.primary_limit_status};
  for (const std::string& name : opts.repos) RepoNamed(name);
}

// ------------------------------------------------------ auth and rate limits

void Fake::Refresh(Bucket& b) {
  if (now >= b.reset) b.used = 0, b.reset = now + b.window;
}

std::string Fake::RequestId(int64_t s) const { return "FAKE:" + std::to_string(s); }

std::optional<Answer> Fake::Gate(const Call& call, Bucket& bucket, int64_t s) {
  if (call.req.get_header_value("User-Agent").empty()) {
    Answer a;
    a.status = 403;
    a.content_type = "text/plain; charset=utf-8";
    a.body = kUserAgentRequired;
    return a;
  }
  const std::string auth = call.req.get_header_value("Authorization");
  if (auth.empty()) return Error(401, "Requires authentication");
  const size_t space = auth.find(' ');
  const std::string scheme = Lower(auth.substr(0, space));
  if ((scheme != "bearer" && scheme != "token") || space == std::string::npos ||
      Trim(auth.substr(space + 1)) != opts.token) {
    return Error(401, "Bad credentials");
  }
  // /rate_limit does not count against the primary limit (notes 2.11).
  if (call.route.kind == EndpointKind::kRateLimit) return std::nullopt;
  if (std::optional<Answer> refused = Secondary(call)) return refused;
  if (bucket.used >= bucket.limit) {
    return Error(bucket.status,
                 "API rate limit exceeded for user ID " + std::to_string(UserId(opts.login)) + ".",
                 kRateDocs);
  }
  if (IsContentCreation(call.route.kind) && ContentLimited()) {
    return Error(403, kContentMessage + RequestId(s) + ".", kRateDocs);
  }
  ++bucket.used;
  return std::nullopt;
}

std::optional<Answer> Fake::Secondary(const Call& call) {
  if (!secondary || (secondary->writes_only && call.req.method == "GET")) return std::nullopt;
  const bool by_count = secondary->requests > 0;
  if (by_count ? secondary_left <= 0 : now >= secondary_until) {
    secondary.reset();
    return std::nullopt;
  }
  Answer a = Error(secondary->status, kSecondaryMessage + RequestId(seq) + ".", kRateDocs);
  if (secondary->retry_after) {
    a.headers.push_back(
        {"retry-after",
         std::to_string(by_count ? 60 : std::max<int64_t>(1, secondary_until - now))});
  }
  if (by_count && --secondary_left == 0) secondary.reset();
  return a;
}

bool Fake::ContentLimited() {
  while (!creations.empty() && creations.front() <= now - 3600) creations.pop_front();
  const int last_minute = static_cast<int>(
      std::count_if(creations.begin(), creations.end(), [&](int64_t t) { return t > now - 60; }));
  return (opts.content_per_minute > 0 && last_minute >= opts.content_per_minute) ||
         (opts.content_per_hour > 0 && static_cast<int>(creations.size()) >= opts.content_per_hour);
}

// ---------------------------------------------------------------- faults

std::optional<Fault> Fake::PickFault(RecordedRequest& rec) {
  std::optional<Fault> fault;
  if (kill_after_seq >= 0 && rec.seq > kill_after_seq) {
    rec.fault = "killed";
    return Fault{FaultKind::kDrop, 0, false};
  }
  if (auto it = nth.find(rec.seq); it != nth.end()) {
    fault = it->second;
    nth.erase(it);
  }
  for (auto it = scripted.begin(); !fault && it != scripted.end(); ++it) {
    if ((!it->method.empty() && it->method != rec.method) ||
        !GlobMatch(it->glob.c_str(), rec.path.c_str())) {
      continue;
    }
    fault = it->fault;
    if (--it->times <= 0) scripted.erase(it);
    break;
  }
  if (!fault && random_rate > 0 && !random_kinds.empty()) {
    const uint64_t draw = rng() % 1000000;
    if (draw < static_cast<uint64_t>(random_rate * 1000000)) {
      fault = random_kinds[rng() % random_kinds.size()];
    }
  }
  if (fault) rec.fault = DescribeFault(*fault);
  return fault;
}

// ----------------------------------------------------------------- entry

void Fake::Handle(const httplib::Request& req, httplib::Response& res) {
  std::unique_lock<std::mutex> lock(mu);
  now += opts.seconds_per_request;
  RecordedRequest rec;
  rec.seq = ++seq;
  rec.method = req.method;
  const size_t qmark = req.target.find('?');
  rec.path = req.target.substr(0, qmark);
  rec.query = qmark == std::string::npos ? "" : req.target.substr(qmark + 1);
  for (const auto& [k, v] : req.params) rec.params.emplace(k, v);
  for (const auto& [k, v] : req.headers) {
    if (k != "REMOTE_ADDR" && k != "REMOTE_PORT" && k != "LOCAL_ADDR" && k != "LOCAL_PORT") {
      rec.headers.push_back({Lower(k), v});
    }
  }
  rec.body = req.body;
  std::vector<std::string> segments = Split(rec.path, '/');
  segments.erase(segments.begin());  // before the leading '/'
  for (std::string& s : segments) s = PercentDecode(s);
  Call call{req, rec.path, rec.query, Classify(req.method, segments)};
  rec.kind = call.route.kind;
  Bucket& bucket = rec.kind == EndpointKind::kSearchIssues ? search : core;
  Refresh(bucket);

  const std::optional<Fault> fault = PickFault(rec);
  Answer answer = ServerError(fault && fault->status >= 400 ? fault->status : 500);
  if (!fault || fault->after_write) {
    std::optional<Answer> refused = Gate(call, bucket, rec.seq);
    answer = refused ? *refused : Dispatch(call);
  }
  if (fault && fault->after_write && fault->kind == FaultKind::kStatus) {
    answer = ServerError(fault->status >= 400 ? fault->status : 500);
  }
  answer.headers.push_back({"x-ratelimit-limit", std::to_string(bucket.limit)});
  answer.headers.push_back(
      {"x-ratelimit-remaining", std::to_string(std::max(0, bucket.limit - bucket.used))});
  answer.headers.push_back({"x-ratelimit-used", std::to_string(bucket.used)});
  answer.headers.push_back({"x-ratelimit-reset", std::to_string(bucket.reset)});
  answer.headers.push_back({"x-ratelimit-resource", bucket.resource});
  answer.headers.push_back({"x-github-request-id", RequestId(rec.seq)});
  answer.headers.push_back({"x-github-api-version-selected", "2022-11-28"});
  res.status = answer.status;
  for (const auto& [k, v] : answer.headers) res.set_header(k, v);

  const bool answered = !fault || fault->kind == FaultKind::kStatus;
  rec.status = answered ? answer.status : 0;
  log.push_back(rec);
  if (answered) {
    res.set_content(answer.body, answer.content_type);
  } else if (fault->kind == FaultKind::kTruncate) {
    // The status line and headers go out, then the provider refuses to
    // write the body and cpp-httplib closes the connection.
    res.set_content_provider(std::max<size_t>(1, answer.body.size()), answer.content_type,
                             [](size_t, size_t, httplib::DataSink&) { return false; });
  } else {
    if (fault->kind == FaultKind::kHang) {
      const uint64_t generation = hang_generation;
      hung_cv.wait(lock, [&] { return stopping || hang_generation != generation; });
    }
    if (!ShutdownConnection(req.local_port, req.remote_port)) {
      // Answer after all, and say so in the log (other requests may have
      // been logged while this one hung).
      for (RecordedRequest& r : log) {
        if (r.seq == rec.seq) r.fault += " (socket not found)", r.status = answer.status;
      }
    }
    res.set_content(answer.body, answer.content_type);
  }
}

}  // namespace internal

// ------------------------------------------------------------ public API

struct FakeGitHub::Impl : internal::Fake {
  using Fake::Fake;
};

using internal::Bucket;
using internal::Repo;
using internal::SameName;
using Json = nlohmann::json;

std::string RecordedRequest::Header(const std::string& name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return "";
}

FakeGitHub::FakeGitHub() : FakeGitHub(FakeGitHubOptions()) {}

FakeGitHub::FakeGitHub(FakeGitHubOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {
  Impl* impl = impl_.get();
  httplib::Server& server = impl->server;
  // GitHub keeps connections alive; one request per connection is an option
  // because curl silently resends a request whose reused connection died.
  server.set_keep_alive_max_count(impl->opts.keep_alive ? 1000 : 1);
  server.set_tcp_nodelay(true);  // no 40 ms Nagle and delayed-ACK stall per answer
  auto handler = [impl](const httplib::Request& req, httplib::Response& res) {
    impl->Handle(req, res);
  };
  server.Get(".*", handler);
  server.Post(".*", handler);
  server.Patch(".*", handler);
  server.Put(".*", handler);
  server.Delete(".*", handler);
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        res.status = 500;
        res.set_content(Json{{"message", "fake github bug: " + what}}.dump(), "application/json");
      });
  const int port = server.bind_to_any_port("127.0.0.1");
  if (port <= 0) throw std::runtime_error("fake github: cannot bind 127.0.0.1");
  impl->base_url = "http://127.0.0.1:" + std::to_string(port);
  impl->thread = std::thread([impl] { impl->server.listen_after_bind(); });
  // stop() is a no-op until the accept loop runs, so wait for it here.
  while (!server.is_running()) std::this_thread::yield();
}

FakeGitHub::~FakeGitHub() { Stop(); }

std::string FakeGitHub::base_url() const { return impl_->base_url; }

void FakeGitHub::Stop() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (impl_->stopped) return;
    impl_->stopped = impl_->stopping = true;
  }
  impl_->hung_cv.notify_all();
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

int64_t FakeGitHub::Now() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->now;
}

void FakeGitHub::SetNow(int64_t epoch_seconds) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->now = epoch_seconds;
}

void FakeGitHub::Advance(int64_t seconds) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->now += seconds;
}

int FakeGitHub::SeedIssue(const std::string& repo_name, FakeIssue issue) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  Impl& m = *impl_;
  Repo& repo = m.RepoNamed(repo_name);
  issue.number = static_cast<int>(repo.issues.size()) + 1;
  issue.id = m.next_id++;
  if (issue.created_at == 0) issue.created_at = m.now;
  if (issue.updated_at == 0) issue.updated_at = issue.created_at;
  if (issue.state == "closed" && issue.closed_at == 0) issue.closed_at = issue.updated_at;
  issue.labels = m.EnsureLabels(repo, issue.labels);
  for (FakeComment& c : issue.comments) {
    c.id = m.next_id++;
    if (c.created_at == 0) c.created_at = issue.created_at;
    if (c.updated_at == 0) c.updated_at = c.created_at;
  }
  repo.issues.push_back(issue);
  m.Index(repo, issue, m.now);
  return issue.number;
}

int64_t FakeGitHub::SeedComment(const std::string& repo_name, int number, FakeComment comment) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  Impl& m = *impl_;
  Repo* repo = m.FindRepo(repo_name);
  FakeIssue* issue = repo ? Impl::FindIssue(*repo, number) : nullptr;
  if (issue == nullptr) return 0;
  comment.id = m.next_id++;
  if (comment.created_at == 0) comment.created_at = m.now;
  if (comment.updated_at == 0) comment.updated_at = comment.created_at;
  issue->comments.push_back(comment);
  m.Index(*repo, *issue, m.now);
  return comment.id;
}

void FakeGitHub::SetRole(const std::string& repo_name, const std::string& login,
                         const std::string& role) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->RepoNamed(repo_name).roles[internal::Lower(login)] = role;
}

void FakeGitHub::SeedLabel(const std::string& repo_name, FakeLabel label) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  Repo& repo = impl_->RepoNamed(repo_name);
  label.id = impl_->next_id++;
  for (FakeLabel& l : repo.labels) {
    if (SameName(l.name, label.name)) {
      l = label;
      return;
    }
  }
  repo.labels.push_back(label);
}

void FakeGitHub::SetIssuesDisabled(const std::string& repo_name, bool disabled) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->RepoNamed(repo_name).issues_disabled = disabled;
}

void FakeGitHub::CatchUpSearchIndex() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  for (auto& [name, repo] : impl_->repos) {
    for (const FakeIssue& issue : repo.issues) impl_->Index(repo, issue, impl_->now);
  }
}

std::vector<FakeIssue> FakeGitHub::Issues(const std::string& repo_name) const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  const Repo* repo = impl_->FindRepo(repo_name);
  return repo ? repo->issues : std::vector<FakeIssue>{};
}

std::optional<FakeIssue> FakeGitHub::Issue(const std::string& repo_name, int number) const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  Repo* repo = impl_->FindRepo(repo_name);
  FakeIssue* issue = repo ? Impl::FindIssue(*repo, number) : nullptr;
  if (issue == nullptr) return std::nullopt;
  return *issue;
}

std::vector<FakeLabel> FakeGitHub::Labels(const std::string& repo_name) const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  const Repo* repo = impl_->FindRepo(repo_name);
  return repo ? repo->labels : std::vector<FakeLabel>{};
}

int FakeGitHub::CountIssues(const std::string& repo,
                            const std::function<bool(const FakeIssue&)>& pred) const {
  std::vector<FakeIssue> issues = Issues(repo);
  return static_cast<int>(std::count_if(issues.begin(), issues.end(), pred));
}

std::map<std::string, int> FakeGitHub::Duplicates(
    const std::string& repo, const std::function<std::string(const FakeIssue&)>& key) const {
  std::map<std::string, int> counts;
  for (const FakeIssue& issue : Issues(repo)) {
    const std::string k = key(issue);
    if (!k.empty()) ++counts[k];
  }
  for (auto it = counts.begin(); it != counts.end();) {
    it = it->second > 1 ? std::next(it) : counts.erase(it);
  }
  return counts;
}

std::vector<RecordedRequest> FakeGitHub::Requests() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->log;
}

int FakeGitHub::Count(EndpointKind kind) const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return static_cast<int>(std::count_if(impl_->log.begin(), impl_->log.end(),
                                        [&](const RecordedRequest& r) { return r.kind == kind; }));
}

void FakeGitHub::ClearRequests() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->log.clear();
}

void FakeGitHub::ExhaustPrimary(RateResource resource, int status, int64_t reset_at) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  Bucket& b = resource == RateResource::kSearch ? impl_->search : impl_->core;
  b.used = b.limit;
  b.reset = reset_at;
  b.status = status;
}

void FakeGitHub::StartSecondaryLimit(SecondaryLimit limit) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->secondary = limit;
  impl_->secondary_until = impl_->now + limit.seconds;
  impl_->secondary_left = limit.requests;
}

void FakeGitHub::FailNth(int n, Fault fault) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->nth[impl_->seq + n] = fault;
}

void FakeGitHub::FailNext(const std::string& method, const std::string& path_glob, Fault fault,
                          int times) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->scripted.push_back({method, path_glob, fault, times});
}

void FakeGitHub::SetRandomFaults(double rate, uint64_t seed, std::vector<Fault> kinds) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->random_rate = rate;
  impl_->rng.seed(seed);
  impl_->random_kinds = std::move(kinds);
}

void FakeGitHub::KillAfter(int k) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->kill_after_seq = impl_->seq + k;
}

void FakeGitHub::Revive() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->kill_after_seq = -1;
}

void FakeGitHub::ReleaseHung() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    ++impl_->hang_generation;
  }
  impl_->hung_cv.notify_all();
}

void FakeGitHub::ClearFaults() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->nth.clear();
  impl_->scripted.clear();
  impl_->random_rate = 0;
  impl_->kill_after_seq = -1;
}

}  // namespace testing
}  // namespace triage
