// GitHubClient against GitHub's own answers: the exchanges that the npm
// package @octokit/fixtures recorded from api.github.com (raw-fixture.json:
// status, headers as GitHub cased them, body; tokens are placeholders),
// replayed in recorded order on loopback through the real curl transport.
// .ci/run installs the package into tests/fixtures/octokit/.
#include "clients/github_client.h"

#include <doctest/doctest.h>
#include <httplib.h>

#include <cctype>
#include <cstdint>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/base/time_util.h"
#include "clients/curl_transport.h"
#include "tests/support/loopback_server.h"

namespace triage {
namespace {

using Json = nlohmann::ordered_json;  // GitHub's key order, for the bodies served

const std::string kScenarios = GARDENER_SOURCE_DIR
    "/tests/fixtures/octokit/node_modules/@octokit/fixtures/scenarios/api.github.com/";
constexpr char kInstall[] =
    "npm install --no-audit --no-fund --no-package-lock --ignore-scripts "
    "--prefix tests/fixtures/octokit (from the source tree; .ci/run does it)";
constexpr char kRecordedOrigin[] = "https://api.github.com";

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// One recorded exchange.
struct Exchange {
  std::string method;  // "GET"
  std::string path;    // "/repos/o/r/issues", no query
  std::string query;   // as recorded: "per_page=3&page=2", or ""
  // The query the replay requires: the recorded one, or the client's own
  // for a request the client builds itself; nullopt accepts any.
  std::optional<std::string> expected_query;
  Json request_body;  // null when none was recorded
  std::string token;  // the recording's placeholder token
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  Json response;  // "" for none (204)

  std::string Header(const std::string& name) const {
    for (const auto& [k, v] : headers) {
      if (Lower(k) == name) return v;
    }
    return "";
  }
};

std::vector<Exchange> LoadScenario(const std::string& name) {
  const std::string path = kScenarios + name + "/raw-fixture.json";
  std::ifstream in(path);
  if (!in) FAIL("missing " << path << ": install GitHub's recordings with " << kInstall);
  const Json all = Json::parse(in, nullptr, false);
  REQUIRE_MESSAGE(all.is_array(), path << " is not a JSON array");
  std::vector<Exchange> out;
  for (const Json& e : all) {
    Exchange x;
    x.method = e.at("method").get<std::string>();
    for (char& c : x.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const std::string target = e.at("path").get<std::string>();
    const size_t mark = target.find('?');
    x.path = target.substr(0, mark);
    x.query = mark == std::string::npos ? "" : target.substr(mark + 1);
    x.expected_query = x.query;
    if (e.contains("body") && !(e["body"].is_string() && e["body"].get<std::string>().empty())) {
      x.request_body = e["body"];
    }
    const std::string auth = e.at("reqheaders").value("authorization", "");
    x.token = auth.substr(auth.find(' ') + 1);
    x.status = e.at("status").get<int>();
    const Json& raw = e.at("rawHeaders");
    for (size_t i = 0; i + 1 < raw.size(); i += 2) {
      x.headers.emplace_back(raw[i].get<std::string>(), raw[i + 1].get<std::string>());
    }
    x.response = e.at("response");
    out.push_back(std::move(x));
  }
  return out;
}

// The one exchange of `method` whose path ends with `suffix`.
Exchange Find(const std::vector<Exchange>& all, const std::string& method,
              const std::string& suffix) {
  std::vector<const Exchange*> found;
  for (const Exchange& x : all) {
    if (x.method == method && x.path.size() >= suffix.size() &&
        x.path.compare(x.path.size() - suffix.size(), suffix.size(), suffix) == 0) {
      found.push_back(&x);
    }
  }
  REQUIRE_MESSAGE(found.size() == 1, found.size() << " exchanges " << method << " *" << suffix);
  return *found.front();
}

// Each scenario first creates its repository: POST /orgs/<org>/repos.
std::string RepositoryOf(const std::vector<Exchange>& all) {
  const Exchange create = Find(all, "POST", "/repos");
  const std::string org = create.path.substr(6, create.path.size() - 6 - 6);  // /orgs/X/repos
  return org + "/" + create.request_body.at("name").get<std::string>();
}

// "Tue, 19 Jul 2022 04:37:39 GMT" (the Date header), in microseconds.
int64_t HttpDateUs(const std::string& date) {
  static const std::string kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
  REQUIRE(date.size() == 29);
  const size_t month = kMonths.find(date.substr(8, 3)) / 3 + 1;
  const std::optional<int64_t> us =
      ParseRfc3339(date.substr(12, 4) + "-" + (month < 10 ? "0" : "") + std::to_string(month) +
                   "-" + date.substr(5, 2) + "T" + date.substr(17, 8) + "Z");
  REQUIRE(us);
  return *us;
}

int64_t SecondsHeader(const Exchange& x, const std::string& name) {
  return std::stoll(x.Header(name)) * kMicrosPerSecond;
}

// The label a recorded POST .../labels asked for.
GitHubLabel RequestedLabel(const Exchange& x) {
  return {x.request_body.at("name").get<std::string>(),
          x.request_body.at("color").get<std::string>(), ""};
}

// A recorded answer turned into a primary rate limit (derived, not
// recorded): status 403 and x-ratelimit-remaining 0, every other header,
// x-ratelimit-reset and Date included, as GitHub sent them.
Exchange Exhausted(Exchange x) {
  x.status = 403;
  for (auto& [name, value] : x.headers) {
    if (Lower(name) == "x-ratelimit-remaining") value = "0";
  }
  return x;
}

struct Seen {
  std::string method, path, query, authorization;
  httplib::Params params;  // the query, decoded
  std::string body;
};

// Serves `script` in order: request n gets exchange n's status, headers
// (framing ones aside; the recorded origin turned into ours when `rewrite`)
// and body, if it has the same method, path and expected query and sends
// every recorded body field unchanged; otherwise 400, noted as a mismatch.
class Replay {
 public:
  explicit Replay(std::vector<Exchange> script, bool rewrite = true)
      : script_(std::move(script)), rewrite_(rewrite) {
    REQUIRE(server_.port() > 0);
  }
  std::string base_url() const { return server_.Url(""); }
  std::vector<Seen> seen() const {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }
  std::string mismatches() const {
    std::lock_guard<std::mutex> lock(mu_);
    return mismatches_;
  }

 private:
  void Serve(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mu_);
    const size_t mark = req.target.find('?');
    seen_.push_back({req.method, req.target.substr(0, mark),
                     mark == std::string::npos ? "" : req.target.substr(mark + 1),
                     req.get_header_value("Authorization"), req.params, req.body});
    const std::string problem = Mismatch(seen_.back());
    if (!problem.empty()) {
      mismatches_ += "request " + std::to_string(seen_.size()) + ": " + problem + "\n";
      res.status = 400;
      res.set_content(Json{{"message", "replay: " + problem}}.dump(), "application/json");
      return;
    }
    const Exchange& x = script_[seen_.size() - 1];
    res.status = x.status;
    for (auto [name, value] : x.headers) {
      const std::string lower = Lower(name);
      if (lower == "content-length" || lower == "content-type" || lower == "connection" ||
          lower == "transfer-encoding" || lower == "content-encoding") {
        continue;
      }
      for (size_t at; rewrite_ && (at = value.find(kRecordedOrigin)) != std::string::npos;) {
        value.replace(at, sizeof kRecordedOrigin - 1, base_url());
      }
      res.set_header(name, value);
    }
    if (x.response.is_string() && x.response.get<std::string>().empty()) return;
    res.set_content(x.response.is_string() ? x.response.get<std::string>() : x.response.dump(),
                    x.Header("content-type"));
  }

  std::string Mismatch(const Seen& got) const {
    const std::string asked = got.method + " " + got.path + "?" + got.query;
    if (seen_.size() > script_.size()) return asked + " after the end of the recording";
    const Exchange& x = script_[seen_.size() - 1];
    if (got.method != x.method || got.path != x.path ||
        (x.expected_query && got.query != *x.expected_query)) {
      return "expected " + x.method + " " + x.path + "?" + x.expected_query.value_or("*") +
             ", got " + asked;
    }
    if (x.request_body.is_null()) return "";
    const Json sent = Json::parse(got.body, nullptr, false);
    for (const auto& [key, value] : x.request_body.items()) {
      if (!sent.is_object() || !sent.contains(key) || sent[key] != value) {
        return "body field " + key + ": recorded " + value.dump() + ", sent " + got.body;
      }
    }
    return "";
  }

  const std::vector<Exchange> script_;
  const bool rewrite_;
  mutable std::mutex mu_;
  std::vector<Seen> seen_;
  std::string mismatches_;
  LoopbackServer server_{[this](httplib::Server& server) {
    const auto serve = [this](const httplib::Request& req, httplib::Response& res) {
      Serve(req, res);
    };
    server.Get(".*", serve).Post(".*", serve).Patch(".*", serve).Delete(".*", serve);
  }};
};

// A client aimed at `replay` as the recording's repository and token, with
// a clock that starts at the first answer's Date and moves only by sleeps.
struct Harness {
  Harness(const Replay& replay, const std::vector<Exchange>& all, const Exchange& first)
      : now_us(HttpDateUs(first.Header("date"))),
        client(
            *transport, Options(replay, all, first), [this](int64_t us) { now_us += us; },
            [this] { return now_us; }, [] { return 0.5; }) {}

  static GitHubOptions Options(const Replay& replay, const std::vector<Exchange>& all,
                               const Exchange& first) {
    GitHubOptions options;
    options.api_url = replay.base_url();
    options.repository = RepositoryOf(all);
    options.token = first.token;
    return options;
  }

  std::unique_ptr<HttpTransport> transport = NewCurlTransport();
  int64_t now_us;
  GitHubClient client;
};

// A string field; "" for null, as the client reads it.
std::string Str(const Json& object, const char* key) {
  const Json& value = object.at(key);
  return value.is_null() ? "" : value.get<std::string>();
}

// What the client must make of a recorded issue.
void CheckIssue(const GitHubIssue& got, const Json& recorded) {
  INFO("issue #" << recorded.at("number"));
  CHECK(got.number == recorded.at("number").get<int>());
  CHECK(got.title == recorded.at("title").get<std::string>());
  CHECK(got.body == Str(recorded, "body"));
  CHECK(got.state == recorded.at("state").get<std::string>());
  CHECK(got.user_login == recorded.at("user").at("login").get<std::string>());
  CHECK(got.user_type == recorded.at("user").at("type").get<std::string>());
  CHECK(got.html_url == recorded.at("html_url").get<std::string>());
  CHECK(got.comments == recorded.at("comments").get<int>());
  CHECK(got.created_at_us == ParseRfc3339(recorded.at("created_at").get<std::string>()));
  CHECK(got.labels.size() == recorded.at("labels").size());
}

TEST_CASE("octokit fixtures: paginate-issues: ListIssues follows each recorded Link once") {
  const std::vector<Exchange> all = LoadScenario("paginate-issues");
  std::vector<Exchange> pages;
  for (const Exchange& x : all) {
    if (x.method == "GET") pages.push_back(x);
  }
  REQUIRE(pages.size() == 5);
  // The first page is the client's own request; the others are GitHub's
  // Link URLs (https://api.github.com/repositories/<id>/issues?...&page=n).
  pages.front().expected_query = "state=open&sort=created&direction=asc&per_page=100";
  std::vector<Json> recorded;
  for (const Exchange& page : pages) {
    for (const Json& issue : page.response) recorded.push_back(issue);
  }

  SUBCASE("every page, in order, each once") {
    Replay replay(pages);
    Harness h(replay, all, pages.front());
    Result<std::vector<GitHubIssue>> issues = h.client.ListIssues("", "open");
    REQUIRE_MESSAGE(issues, issues.error().message);
    CHECK_MESSAGE(replay.mismatches().empty(), replay.mismatches());
    const std::vector<Seen> seen = replay.seen();
    REQUIRE(seen.size() == pages.size());
    for (size_t i = 1; i < seen.size(); ++i) {
      CHECK(seen[i].path + "?" + seen[i].query == pages[i].path + "?" + pages[i].query);
    }
    for (const Seen& s : seen) CHECK(s.authorization == "Bearer " + pages.front().token);
    CHECK(issues.value().size() == 13);  // "Test issue 13" down to "Test issue 1"
    REQUIRE(issues.value().size() == recorded.size());
    for (size_t i = 0; i < recorded.size(); ++i) CheckIssue(issues.value()[i], recorded[i]);
    CHECK(issues.value().back().title == "Test issue 1");
    const GitHubStats& stats = h.client.stats();
    CHECK(stats.requests == 5);
    CHECK(stats.list_calls == 5);
    CHECK(stats.retries == 0);
    CHECK(stats.waited_us == 0);  // x-ratelimit-remaining 4922..4918: no reason to wait
  }
  SUBCASE("the token does not follow a Link to api.github.com") {
    Replay replay(pages, /*rewrite=*/false);
    Harness h(replay, all, pages.front());
    Result<std::vector<GitHubIssue>> issues = h.client.ListIssues("", "open");
    REQUIRE_FALSE(issues);
    const std::string next = pages.front().Header("link");
    CHECK(issues.error().message ==
          "GET " + pages.front().path + "?" + *pages.front().expected_query + ": next page " +
              next.substr(1, next.find('>') - 1) + " not fetched: the token goes to " +
              replay.base_url() + " only");
    CHECK(replay.seen().size() == 1);
  }
}

TEST_CASE("octokit fixtures: search-issues: SearchIssues returns the recorded results") {
  const std::vector<Exchange> all = LoadScenario("search-issues");
  Exchange search = Find(all, "GET", "/search/issues");
  search.expected_query = std::nullopt;  // the client writes its own q; checked below
  // The recorded q is "sesame repo:<org>/<repo>": the term without the qualifier.
  const std::string term = search.query.substr(2, search.query.find("%20") - 2);
  REQUIRE(term == "sesame");
  const Json& items = search.response.at("items");
  REQUIRE(items.size() == search.response.at("total_count").get<size_t>());

  SUBCASE("as recorded") {
    Replay replay({search});
    Harness h(replay, all, search);
    Result<std::vector<GitHubIssue>> issues = h.client.SearchIssues(term, 30);
    REQUIRE_MESSAGE(issues, issues.error().message);
    CHECK_MESSAGE(replay.mismatches().empty(), replay.mismatches());
    const std::vector<Seen> seen = replay.seen();
    REQUIRE(seen.size() == 1);
    CHECK(seen[0].params.find("q")->second == "repo:" + RepositoryOf(all) + " is:issue " + term);
    CHECK(seen[0].params.find("per_page")->second == "30");
    REQUIRE(issues.value().size() == 2);
    for (size_t i = 0; i < items.size(); ++i) CheckIssue(issues.value()[i], items[i]);
    CHECK(issues.value()[1].title == "The doors don\xE2\x80\x99t open");  // UTF-8 kept
    CHECK(h.client.stats().search_calls == 1);
    CHECK(h.client.stats().waited_us == 0);  // x-ratelimit-remaining 29 of 30
  }
  SUBCASE("made a 403 with x-ratelimit-remaining 0: waits until x-ratelimit-reset + 1 s") {
    Replay replay({Exhausted(search), search});
    Harness h(replay, all, search);
    Result<std::vector<GitHubIssue>> issues = h.client.SearchIssues(term, 30);
    REQUIRE_MESSAGE(issues, issues.error().message);
    CHECK(issues.value().size() == items.size());
    const int64_t wait = SecondsHeader(search, "x-ratelimit-reset") + kMicrosPerSecond -
                         HttpDateUs(search.Header("date"));
    CHECK(h.client.stats().waited_us == wait);
    CHECK(wait == 61 * kMicrosPerSecond);  // the search limit resets each minute
    CHECK(h.client.stats().retries == 1);
    CHECK(h.client.stats().requests == 2);
  }
}

TEST_CASE("octokit fixtures: add-labels-to-issue: CreateIssue reads the recorded 201") {
  const std::vector<Exchange> all = LoadScenario("add-labels-to-issue");
  const Exchange create = Find(all, "POST", "/issues");
  // The scenario then adds labels (POST .../issues/1/labels, 200): the
  // client has no such call (UpdateIssue replaces labels with a PATCH).
  REQUIRE(Find(all, "POST", "/issues/1/labels").status == 200);
  Replay replay({create});
  Harness h(replay, all, create);
  const std::string title = create.request_body.at("title").get<std::string>();
  Result<GitHubIssue> issue = h.client.CreateIssue(title, "", {}, nullptr);
  REQUIRE_MESSAGE(issue, issue.error().message);
  CHECK_MESSAGE(replay.mismatches().empty(), replay.mismatches());
  CheckIssue(issue.value(), create.response);
  CHECK(issue.value().number == 1);
  CHECK(issue.value().labels.empty());
  CHECK(h.client.stats().writes == 1);
  CHECK(h.client.stats().requests == 1);
}

TEST_CASE("octokit fixtures: labels: ListLabels and CreateLabel read the recorded answers") {
  const std::vector<Exchange> all = LoadScenario("labels");
  Exchange list = Find(all, "GET", "/labels");
  list.expected_query = "per_page=100";
  const Exchange create = Find(all, "POST", "/labels");
  const Json& recorded = list.response;

  SUBCASE("as recorded") {
    Replay replay({list, create});
    Harness h(replay, all, list);
    Result<std::vector<GitHubLabel>> labels = h.client.ListLabels();
    REQUIRE_MESSAGE(labels, labels.error().message);
    CHECK(labels.value().size() == 9);  // a new repository's default labels
    REQUIRE(labels.value().size() == recorded.size());
    for (size_t i = 0; i < recorded.size(); ++i) {
      const Json& want = recorded[i];
      CHECK(labels.value()[i].name == want.at("name").get<std::string>());
      CHECK(labels.value()[i].color == want.at("color").get<std::string>());
      CHECK(labels.value()[i].description == Str(want, "description"));
    }
    Result<Ok> created = h.client.CreateLabel(RequestedLabel(create));
    REQUIRE_MESSAGE(created, created.error().message);
    CHECK_MESSAGE(replay.mismatches().empty(), replay.mismatches());
    // Nothing more sent, key order aside.
    CHECK(nlohmann::json::parse(replay.seen().at(1).body) ==
          nlohmann::json::parse(create.request_body.dump()));
    CHECK(h.client.stats().requests == 2);
    CHECK(h.client.stats().writes == 1);
  }
  SUBCASE("made a 403 with x-ratelimit-remaining 0: stops, and writes stop too") {
    // The core limit resets an hour after the recorded Date: past the
    // client's 15 minutes of patience.
    Replay replay({Exhausted(list)});
    Harness h(replay, all, list);
    Result<std::vector<GitHubLabel>> labels = h.client.ListLabels();
    REQUIRE_FALSE(labels);
    const int64_t reset = SecondsHeader(list, "x-ratelimit-reset");
    const int64_t wait = reset + kMicrosPerSecond - HttpDateUs(list.Header("date"));
    CHECK(wait == 3511 * kMicrosPerSecond);
    CHECK(labels.error().kind == ErrorKind::kRateLimited);
    CHECK(labels.error().message ==
          "GET " + list.path + "?per_page=100: primary rate limit: must wait " +
              std::to_string(wait / kMicrosPerSecond) + " s (until x-ratelimit-reset " +
              FormatRfc3339(reset) + "), more than the 900 s allowed; rerun after " +
              FormatRfc3339(reset));
    Result<Ok> created = h.client.CreateLabel(RequestedLabel(create));
    REQUIRE_FALSE(created);
    CHECK(created.error().kind == ErrorKind::kRateLimited);
    CHECK(replay.seen().size() == 1);  // the write was refused unsent
    CHECK(h.client.stats().waited_us == 0);
  }
}

TEST_CASE("octokit fixtures: errors: CreateLabel surfaces the recorded 422") {
  const std::vector<Exchange> all = LoadScenario("errors");
  const Exchange invalid = Find(all, "POST", "/labels");
  REQUIRE(invalid.status == 422);
  Replay replay({invalid});
  Harness h(replay, all, invalid);
  Result<Ok> created = h.client.CreateLabel(RequestedLabel(invalid));
  REQUIRE_FALSE(created);
  CHECK_MESSAGE(replay.mismatches().empty(), replay.mismatches());
  const Json& body = invalid.response;
  const Json& error = body.at("errors").at(0);
  CHECK(created.error().kind == ErrorKind::kHttp);
  CHECK(created.error().http_status == 422);
  CHECK(created.error().message ==
        "POST " + invalid.path + ": HTTP 422: " + body.at("message").get<std::string>() + "; " +
            error.at("resource").get<std::string>() + "." + error.at("field").get<std::string>() +
            ": " + error.at("code").get<std::string>());
  CHECK(created.error().message.find("HTTP 422: Validation Failed; Label.color: invalid") !=
        std::string::npos);
  CHECK(h.client.stats().requests == 1);  // a 422 is not retried
  CHECK(h.client.stats().writes == 0);
  CHECK(h.client.writes_left() == GitHubOptions{}.max_writes);
}

}  // namespace
}  // namespace triage
