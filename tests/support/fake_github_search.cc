#include <algorithm>
#include <cctype>
#include <functional>
#include <string>
#include <vector>

#include "tests/support/fake_github_internal.h"

namespace triage {
namespace testing {
namespace internal {

// ------------------------------------------------------------------ text

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool SameName(const std::string& a, const std::string& b) { return Lower(a) == Lower(b); }

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t pos; (pos = s.find(sep, start)) != std::string::npos; start = pos + 1) {
    parts.push_back(s.substr(start, pos - start));
  }
  parts.push_back(s.substr(start));
  return parts;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// ---------------------------------------------------------------- search

namespace {

constexpr size_t kMaxSearchText = 256;

// Lower-cased runs of letters and digits: GitHub splits "gcp-fp-1a" into
// three words, so only a quoted phrase keeps them together.
std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> words;
  std::string cur;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c >= 0x80) {
      cur += static_cast<char>(std::tolower(c));
    } else if (!cur.empty()) {
      words.push_back(cur);
      cur.clear();
    }
  }
  if (!cur.empty()) words.push_back(cur);
  return words;
}

std::string StripHtmlComments(const std::string& s) {
  std::string out;
  size_t pos = 0;
  for (size_t open; (open = s.find("<!--", pos)) != std::string::npos;) {
    out += s.substr(pos, open - pos);
    size_t close = s.find("-->", open + 4);
    if (close == std::string::npos) return out;
    pos = close + 3;
  }
  return out + s.substr(pos);
}

std::string Unquote(const std::string& s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
  return s;
}

// Splits on blanks outside double quotes.
std::vector<std::string> Tokens(const std::string& q) {
  std::vector<std::string> tokens;
  std::string cur;
  bool quoted = false;
  for (char c : q) {
    if (c == '"') quoted = !quoted;
    if (!quoted && std::isspace(static_cast<unsigned char>(c))) {
      if (!cur.empty()) tokens.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) tokens.push_back(cur);
  return tokens;
}

bool ApplyQualifier(const std::string& key, const std::string& raw_value, bool negated,
                    SearchQuery* q) {
  const std::string value = Unquote(raw_value);
  const std::string low = Lower(value);
  if (key == "label" && negated) {
    q->not_labels.push_back(value);
  } else if (key == "label") {
    q->labels.push_back(Split(value, ','));
  } else if (negated) {
    return false;
  } else if (key == "repo") {
    q->repos.push_back(value);
  } else if ((key == "is" || key == "type") && (low == "issue" || low == "pr")) {
    q->pull_requests = low == "pr";
  } else if ((key == "is" || key == "state") && (low == "open" || low == "closed")) {
    q->state = low;
  } else if (key == "in") {
    for (const std::string& f : Split(low, ',')) {
      q->in_title |= f == "title";
      q->in_body |= f == "body";
      q->in_comments |= f == "comments";
    }
  } else if (key == "author") {
    q->author = value;
  } else if (key == "reason") {
    q->reason = low == "not planned" ? "not_planned" : low;
  } else {
    return false;
  }
  return true;
}

bool ContainsRun(const std::vector<std::string>& hay, const std::vector<std::string>& needle) {
  return std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) != hay.end();
}

bool MatchesText(const SearchQuery& q, const FakeIssue& issue, bool index_html_comments) {
  const bool all = !q.in_title && !q.in_body && !q.in_comments;
  auto clean = [&](const std::string& s) { return index_html_comments ? s : StripHtmlComments(s); };
  std::vector<std::vector<std::string>> fields;
  if (all || q.in_title) fields.push_back(Words(issue.title));
  if (all || q.in_body) fields.push_back(Words(clean(issue.body)));
  if (all || q.in_comments) {
    for (const FakeComment& c : issue.comments) fields.push_back(Words(clean(c.body)));
  }
  auto any_field = [&](const std::function<bool(const std::vector<std::string>&)>& f) {
    return std::any_of(fields.begin(), fields.end(), f);
  };
  for (const auto& term : q.terms) {
    for (const std::string& word : term) {
      if (!any_field([&](const auto& f) { return ContainsRun(f, {word}); })) return false;
    }
  }
  for (const auto& phrase : q.phrases) {
    if (!any_field([&](const auto& f) { return ContainsRun(f, phrase); })) return false;
  }
  return true;
}

}  // namespace

SearchQuery ParseSearch(const std::string& text) {
  SearchQuery q;
  for (const std::string& token : Tokens(text)) {
    if (token == "AND") continue;
    const size_t colon = token.find(':');
    if (token[0] != '"' && colon != std::string::npos) {
      const bool negated = token[0] == '-';
      const std::string key = Lower(token.substr(negated ? 1 : 0, colon - (negated ? 1 : 0)));
      if (ApplyQualifier(key, token.substr(colon + 1), negated, &q)) continue;
    }
    q.text_length += token.size() + (q.text_length > 0 ? 1 : 0);
    std::vector<std::string> words = Words(Unquote(token));
    if (words.empty()) continue;
    (token[0] == '"' ? q.phrases : q.terms).push_back(words);
  }
  return q;
}

bool HasLabel(const FakeIssue& issue, const std::string& name) {
  return std::any_of(issue.labels.begin(), issue.labels.end(),
                     [&](const std::string& l) { return SameName(l, name); });
}

bool MatchesSearch(const SearchQuery& q, const FakeIssue& issue, bool index_html_comments) {
  if (q.pull_requests && *q.pull_requests != issue.pull_request) return false;
  if (!q.state.empty() && q.state != issue.state) return false;
  if (!q.reason.empty() && q.reason != issue.state_reason) return false;
  if (!q.author.empty() && !SameName(q.author, issue.user_login)) return false;
  for (const auto& any_of : q.labels) {
    if (std::none_of(any_of.begin(), any_of.end(),
                     [&](const std::string& l) { return HasLabel(issue, l); })) {
      return false;
    }
  }
  for (const std::string& l : q.not_labels) {
    if (HasLabel(issue, l)) return false;
  }
  return MatchesText(q, issue, index_html_comments);
}

// --------------------------------------------------------------- endpoint

Answer Fake::Search(const Call& call) {
  const std::string text = call.req.get_param_value("q");
  if (Trim(text).empty()) return Invalid("Search", "q", "missing");
  const SearchQuery q = ParseSearch(text);
  if (q.text_length > kMaxSearchText) {
    return Invalid("Search", "q", "invalid", "The search is longer than 256 characters.");
  }
  if (opts.search_requires_is_issue && !q.pull_requests) {
    return Invalid("Search", "q", "invalid", "Query must include 'is:issue' or 'is:pull-request'");
  }
  std::vector<const Repo*> scope;
  for (const std::string& name : q.repos) {
    const Repo* r = FindRepo(name);
    if (r == nullptr) {
      return Invalid("Search", "q", "invalid",
                     "The listed users and repositories cannot be searched either because "
                     "the resources do not exist or you do not have permission to view them.");
    }
    scope.push_back(r);
  }
  if (q.repos.empty()) {
    for (const auto& [name, r] : repos) scope.push_back(&r);
  }
  // Search sees the newest snapshot of each issue that is already visible,
  // so a fresh issue is missing and an edited one shows its old state.
  std::vector<SearchHit> hits;
  for (const Repo* r : scope) {
    for (const auto& [number, versions] : r->index) {
      const FakeIssue* seen = nullptr;
      for (const Snapshot& s : versions) {
        if (s.visible_at <= now) seen = &s.issue;
      }
      if (seen != nullptr && MatchesSearch(q, *seen, opts.index_html_comments)) {
        hits.push_back({r, seen});
      }
    }
  }
  const std::string sort = call.req.get_param_value("sort");
  const bool asc = call.req.get_param_value("order") == "asc";
  auto key = [&](const FakeIssue* is) -> int64_t {
    if (sort == "created") return is->created_at;
    if (sort == "updated") return is->updated_at;
    if (sort == "comments") return static_cast<int64_t>(is->comments.size());
    return is->number;  // "best match": newest first, deterministically
  };
  std::stable_sort(hits.begin(), hits.end(), [&](const auto& a, const auto& b) {
    if (key(a.second) != key(b.second)) {
      return asc && !sort.empty() ? key(a.second) < key(b.second) : key(a.second) > key(b.second);
    }
    return a.second->number > b.second->number;
  });
  return SearchAnswer(call, hits);
}

}  // namespace internal
}  // namespace testing
}  // namespace triage
