// Internals of FakeGitHub shared by its sources: fake_github.cc (server,
// clock, auth, limits, faults, public API), fake_github_handlers.cc
// (endpoints, JSON) and fake_github_search.cc (search queries).
#ifndef TRIAGE_TESTS_SUPPORT_FAKE_GITHUB_INTERNAL_H_
#define TRIAGE_TESTS_SUPPORT_FAKE_GITHUB_INTERNAL_H_

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <httplib.h>

#include "tests/support/fake_github.h"

namespace triage {
namespace testing {
namespace internal {

using Headers = std::vector<std::pair<std::string, std::string>>;

inline constexpr char kDocs[] = "https://docs.github.com/rest";

// Text (fake_github_search.cc).
std::string Lower(std::string s);
bool SameName(const std::string& a, const std::string& b);  // case-insensitive
std::vector<std::string> Split(const std::string& s, char sep);
std::string Trim(const std::string& s);  // blanks and tabs
bool HasLabel(const FakeIssue& issue, const std::string& name);

// A stable id for a login, so the same user always has the same id
// (fake_github_handlers.cc).
int64_t UserId(const std::string& login);

struct Answer {
  int status = 200;
  std::string body;
  std::string content_type = "application/json; charset=utf-8";
  Headers headers;
};

// GitHub's error shapes (fake_github_handlers.cc).
Answer Error(int status, const std::string& message, const std::string& docs = kDocs);
Answer Invalid(const std::string& resource, const std::string& field, const std::string& code,
               const std::string& message = "");

struct Route {
  EndpointKind kind = EndpointKind::kOther;
  std::string repo;  // "owner/name"
  int number = 0;
  int64_t comment_id = 0;
  std::string label;  // decoded; also the login of a permission request
};

// The request as the handlers need it.
struct Call {
  const httplib::Request& req;
  std::string path;   // raw
  std::string query;  // raw
  Route route;
};

struct SearchQuery {
  std::vector<std::string> repos;
  std::optional<bool> pull_requests;  // is:issue -> false, is:pr -> true
  std::string state;
  std::string reason;
  std::string author;
  std::vector<std::vector<std::string>> labels;  // AND of (comma) ORs
  std::vector<std::string> not_labels;
  bool in_title = false, in_body = false, in_comments = false;  // none = all
  std::vector<std::vector<std::string>> terms;                  // each word anywhere
  std::vector<std::vector<std::string>> phrases;                // words adjacent
  size_t text_length = 0;
};

// GitHub's search syntax, as far as the fake understands it: unknown
// qualifiers are searched as text (fake_github_search.cc).
SearchQuery ParseSearch(const std::string& text);
bool MatchesSearch(const SearchQuery& q, const FakeIssue& issue, bool index_html_comments);

struct Snapshot {
  int64_t visible_at = 0;
  FakeIssue issue;
};

struct Repo {
  std::string name;
  std::vector<FakeLabel> labels;
  std::vector<FakeIssue> issues;               // issues[number - 1]
  std::map<int, std::vector<Snapshot>> index;  // what search sees, by number
  bool issues_disabled = false;
  std::map<std::string, std::string> roles;    // lower-case login -> role ("" = unknown)
};

struct Bucket {
  const char* resource;
  int64_t window;
  int limit = 0;
  int used = 0;
  int64_t reset = 0;
  int status = 403;
};

struct Scripted {
  std::string method;
  std::string glob;
  Fault fault;
  int times = 1;
};

using SearchHit = std::pair<const Repo*, const FakeIssue*>;

struct PageParams {
  int page = 1;
  int per_page = 30;
};

// The state and behaviour behind FakeGitHub. Every member function expects
// `mu` held, except Handle, which takes it.
struct Fake {
  explicit Fake(FakeGitHubOptions o);

  FakeGitHubOptions opts;
  mutable std::mutex mu;
  std::condition_variable hung_cv;
  bool stopping = false;
  uint64_t hang_generation = 0;
  int64_t now;
  int64_t seq = 0;
  int64_t next_id = 1001;
  std::map<std::string, Repo> repos;
  Bucket core, search;
  std::optional<SecondaryLimit> secondary;
  int64_t secondary_until = 0;
  int secondary_left = 0;
  std::deque<int64_t> creations;  // times of content creations, oldest first
  std::map<int64_t, Fault> nth;   // by absolute sequence number
  std::vector<Scripted> scripted;
  double random_rate = 0;
  std::mt19937_64 rng;
  std::vector<Fault> random_kinds;
  int64_t kill_after_seq = -1;
  std::vector<RecordedRequest> log;
  std::string base_url;
  httplib::Server server;
  std::thread thread;
  bool stopped = false;

  Repo& RepoNamed(const std::string& name) {
    Repo& r = repos[name];
    r.name = name;
    return r;
  }

  Repo* FindRepo(const std::string& name) {
    auto it = repos.find(name);
    return it == repos.end() ? nullptr : &it->second;
  }

  static FakeIssue* FindIssue(Repo& repo, int number) {
    if (number < 1 || number > static_cast<int>(repo.issues.size())) return nullptr;
    return &repo.issues[number - 1];
  }

  static const FakeLabel* FindLabel(const Repo& repo, const std::string& name) {
    for (const FakeLabel& l : repo.labels) {
      if (SameName(l.name, name)) return &l;
    }
    return nullptr;
  }

  // The repository's spelling of each name, creating missing labels the way
  // GitHub does on issue writes; duplicates dropped.
  std::vector<std::string> EnsureLabels(Repo& repo, const std::vector<std::string>& names) {
    std::vector<std::string> out;
    for (const std::string& name : names) {
      const FakeLabel* label = FindLabel(repo, name);
      if (label == nullptr) {
        repo.labels.push_back({name, "ededed", "", next_id++});
        label = &repo.labels.back();
      }
      if (std::none_of(out.begin(), out.end(), [&](const auto& l) { return l == label->name; })) {
        out.push_back(label->name);
      }
    }
    return out;
  }

  void Index(Repo& repo, const FakeIssue& issue, int64_t visible_at) {
    repo.index[issue.number].push_back({visible_at, issue});
  }
  void Reindex(Repo& repo, const FakeIssue& issue) {
    Index(repo, issue, now + opts.search_lag_seconds);
  }

  // The endpoints (fake_github_handlers.cc).
  Answer Dispatch(const Call& call);
  Answer ListIssues(const Call& call, const Repo& repo) const;
  Answer CreateIssue(const Call& call, Repo& repo);
  Answer UpdateIssue(const Call& call, Repo& repo, FakeIssue& issue);
  Answer ListComments(const Call& call, const Repo& repo, const FakeIssue& issue) const;
  Answer CreateComment(const Call& call, Repo& repo, FakeIssue& issue);
  Answer UpdateComment(const Call& call, Repo& repo);
  Answer ChangeIssueLabels(const Call& call, Repo& repo, FakeIssue& issue);
  Answer RemoveIssueLabel(const Call& call, Repo& repo, FakeIssue& issue);
  Answer ListLabels(const Call& call, const Repo& repo) const;
  Answer CreateLabel(const Call& call, Repo& repo);
  Answer GetPermission(const Call& call, const Repo& repo) const;
  Answer AddReaction(const Call& call, Repo& repo);
  // Finds and orders the hits (fake_github_search.cc); SearchAnswer pages
  // and renders them.
  Answer Search(const Call& call);
  Answer SearchAnswer(const Call& call, const std::vector<SearchHit>& hits) const;
  // The request's own URL with page=N, its other parameters kept verbatim.
  std::string PageUrl(const Call& call, int page) const;
  // Items [first, last) of `total` for the page asked, and the Link header:
  // none when everything fits in one page, as GitHub does.
  std::pair<size_t, size_t> Paginate(const Call& call, size_t total, const PageParams& p,
                                     Answer* answer) const;

  // Server, auth, rate limits, faults (fake_github.cc).
  void Refresh(Bucket& b);  // starts a new window once the old one is over
  std::string RequestId(int64_t s) const;
  // A refusal before the handler runs (auth, rate limits), or nullopt; a
  // request let through is counted against `bucket`.
  std::optional<Answer> Gate(const Call& call, Bucket& bucket, int64_t s);
  std::optional<Answer> Secondary(const Call& call);
  bool ContentLimited();
  std::optional<Fault> PickFault(RecordedRequest& rec);
  void Handle(const httplib::Request& req, httplib::Response& res);
};

}  // namespace internal
}  // namespace testing
}  // namespace triage

#endif  // TRIAGE_TESTS_SUPPORT_FAKE_GITHUB_INTERNAL_H_
