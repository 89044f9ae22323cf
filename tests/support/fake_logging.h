// A fake of Cloud Logging's entries:list on 127.0.0.1 (notes §6, a subset):
// bearer token, body checks, a small filter evaluator (comparisons, AND,
// OR, NOT, parentheses, value lists, `--` comments), opaque page tokens
// bound to the request, empty and overlapping pages, a per-minute quota on
// a logical clock, Google's error bodies and one-shot faults.
#ifndef TRIAGE_TESTS_SUPPORT_FAKE_LOGGING_H_
#define TRIAGE_TESTS_SUPPORT_FAKE_LOGGING_H_

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "bot/base/severity.h"
#include "bot/base/time_util.h"
#include "tests/support/loopback_server.h"

namespace triage {
namespace testing {

namespace fake_logging_internal {

using Json = nlohmann::json;
using Predicate = std::function<bool(const Json& entry)>;

inline std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Parses the filter into a predicate; throws std::runtime_error with
// Google's wording for what it cannot parse.
class FilterParser {
 public:
  explicit FilterParser(const std::string& text) : text_(text) {}

  Predicate Parse() {
    Skip();
    if (pos_ == text_.size()) return [](const Json&) { return true; };
    Predicate p = Expr();
    if (pos_ != text_.size()) Fail("unexpected text");
    return p;
  }

 private:
  struct Token {
    enum Kind { kEnd, kWord, kString, kOp, kOpen, kClose } kind = kEnd;
    std::string text;
  };

  [[noreturn]] void Fail(const std::string& why) const {
    throw std::runtime_error("Unparseable filter: " + why + " at character " +
                             std::to_string(pos_));
  }

  void Skip() {
    while (pos_ < text_.size()) {
      if (std::isspace(static_cast<unsigned char>(text_[pos_]))) {
        ++pos_;
      } else if (text_.compare(pos_, 2, "--") == 0) {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else {
        break;
      }
    }
  }

  Token Next(bool consume) {
    Skip();
    const size_t start = pos_;
    Token token;
    if (pos_ == text_.size()) return token;
    const char c = text_[pos_];
    if (c == '(' || c == ')') {
      token = {c == '(' ? Token::kOpen : Token::kClose, std::string(1, c)};
      ++pos_;
    } else if (c == '"') {
      token.kind = Token::kString;
      for (++pos_; pos_ < text_.size() && text_[pos_] != '"'; ++pos_) {
        if (text_[pos_] != '\\') {
          token.text += text_[pos_];
          continue;
        }
        if (++pos_ == text_.size()) break;
        const char e = text_[pos_];
        token.text += e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
      }
      if (pos_ == text_.size()) Fail("unterminated string");
      ++pos_;
    } else if (std::string("=!<>:").find(c) != std::string::npos) {
      token.kind = Token::kOp;
      token.text = c;
      if (++pos_ < text_.size() && text_[pos_] == '=') token.text += text_[pos_++];
      if (token.text == "!") Fail("syntax error, token '!'");
    } else {
      token.kind = Token::kWord;
      while (pos_ < text_.size() && !std::isspace(static_cast<unsigned char>(text_[pos_])) &&
             std::string("()\"=!<>:").find(text_[pos_]) == std::string::npos) {
        token.text += text_[pos_++];
      }
    }
    if (!consume) pos_ = start;
    return token;
  }

  bool IsWord(const Token& t, const char* word) { return t.kind == Token::kWord && t.text == word; }

  // AND binds loosest; adjacent terms are ANDed.
  Predicate Expr() {
    Predicate left = Term();
    for (Token t = Next(false); t.kind != Token::kEnd && t.kind != Token::kClose; t = Next(false)) {
      if (IsWord(t, "AND")) Next(true);
      Predicate right = Term();
      left = [left, right](const Json& e) { return left(e) && right(e); };
    }
    return left;
  }

  Predicate Term() {
    Predicate left = Factor();
    while (IsWord(Next(false), "OR")) {
      Next(true);
      Predicate right = Factor();
      left = [left, right](const Json& e) { return left(e) || right(e); };
    }
    return left;
  }

  Predicate Factor() {
    Token t = Next(true);
    if (IsWord(t, "NOT") || (t.kind == Token::kWord && t.text == "-")) {
      Predicate inner = Factor();
      return [inner](const Json& e) { return !inner(e); };
    }
    if (t.kind == Token::kOpen) {
      Predicate inner = Expr();
      if (Next(true).kind != Token::kClose) Fail("missing ')'");
      return inner;
    }
    if (t.kind != Token::kWord) Fail("syntax error, token '" + t.text + "'");
    Token op = Next(true);
    if (op.kind != Token::kOp) Fail("global restrictions are not supported by the fake");
    return Comparison(t.text, op.text, Values());
  }

  std::vector<std::string> Values() {
    Token t = Next(true);
    if (t.kind == Token::kString || t.kind == Token::kWord) return {t.text};
    if (t.kind != Token::kOpen) Fail("a value is missing");
    std::vector<std::string> values;
    for (;;) {
      Token v = Next(true);
      if (v.kind != Token::kString && v.kind != Token::kWord) Fail("a value is missing");
      values.push_back(v.text);
      Token sep = Next(true);
      if (sep.kind == Token::kClose) return values;
      if (!IsWord(sep, "OR")) Fail("only OR lists of values are supported by the fake");
    }
  }

  static const Json* Find(const Json& entry, const std::string& path) {
    const Json* at = &entry;
    for (size_t start = 0; start <= path.size();) {
      size_t dot = path.find('.', start);
      if (dot == std::string::npos) dot = path.size();
      if (!at->is_object() || !at->contains(path.substr(start, dot - start))) return nullptr;
      at = &(*at)[path.substr(start, dot - start)];
      start = dot + 1;
    }
    return at;
  }

  // -1, 0, 1; or -2 when the entry lacks the field.
  static int Compare(const std::string& field, const Json* value, const std::string& literal) {
    if (field == "severity") {
      const int a = static_cast<int>(
          ParseSeverity(value && value->is_string() ? value->get<std::string>() : "DEFAULT")
              .value_or(Severity::kDefault));
      const std::optional<Severity> b = ParseSeverity(literal);
      if (!b) throw std::runtime_error("Unparseable filter: invalid severity " + literal);
      return a < static_cast<int>(*b) ? -1 : a > static_cast<int>(*b) ? 1 : 0;
    }
    if (field == "timestamp") {
      const std::optional<int64_t> a =
          ParseRfc3339(value && value->is_string() ? value->get<std::string>() : "");
      const std::optional<int64_t> b = ParseRfc3339(literal);
      if (!b) throw std::runtime_error("Unparseable filter: invalid timestamp " + literal);
      if (!a) return -2;
      return *a < *b ? -1 : *a > *b ? 1 : 0;
    }
    if (value == nullptr) return -2;
    const std::string a = Lower(value->is_string() ? value->get<std::string>() : value->dump());
    const std::string b = Lower(literal);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  Predicate Comparison(const std::string& field, const std::string& op,
                       const std::vector<std::string>& values) {
    for (const std::string& v : values) Compare(field, nullptr, v);  // throws if invalid
    return [field, op, values](const Json& entry) {
      const Json* value = Find(entry, field);
      for (const std::string& literal : values) {
        if (op == ":") {
          if (value && Lower(value->is_string() ? value->get<std::string>() : value->dump())
                               .find(Lower(literal)) != std::string::npos) {
            return true;
          }
          continue;
        }
        const int c = Compare(field, value, literal);
        if (c == -2) continue;  // absent: every comparison is false
        if ((op == "=" && c == 0) || (op == "!=" && c != 0) || (op == "<" && c < 0) ||
            (op == "<=" && c <= 0) || (op == ">" && c > 0) || (op == ">=" && c >= 0)) {
          return true;
        }
      }
      return false;
    };
  }

  const std::string& text_;
  size_t pos_ = 0;
};

inline std::string GoogleError(int code, const std::string& status, const std::string& message,
                               Json details = Json::array()) {
  Json error = {{"code", code}, {"message", message}, {"status", status}};
  if (!details.empty()) error["details"] = std::move(details);
  return Json{{"error", error}}.dump();
}

}  // namespace fake_logging_internal

// What the fake saw of one request.
struct FakeLoggingRequest {
  std::string authorization;
  std::string user_agent;
  std::string content_type;
  std::string body;
  int64_t at_us = 0;  // the logical clock when it arrived
  int status = 0;     // what the fake answered
};

class FakeLogging {
 public:
  using Json = nlohmann::json;

  // `clock` is the logical time in microseconds that the per-minute quota
  // counts in; it is read on the server's thread. Serves from construction
  // (ok() tells whether it could bind) to destruction.
  explicit FakeLogging(std::function<int64_t()> clock = [] { return int64_t{0}; })
      : clock_(std::move(clock)), server_([this](httplib::Server& s) {
          s.Post("/v2/entries:list",
                 [this](const httplib::Request& q, httplib::Response& r) { Handle(q, r); });
        }) {}

  bool ok() const { return server_.port() > 0; }
  std::string endpoint() const { return server_.Url(""); }

  // A project known to the fake, with no entries yet; AddEntry adds it too.
  void AddProject(const std::string& project) {
    std::lock_guard<std::mutex> lock(mu_);
    entries_[project];
  }
  void AddEntry(const std::string& project, Json entry) {
    std::lock_guard<std::mutex> lock(mu_);
    entries_[project].push_back(std::move(entry));
  }
  // Answers 403 PERMISSION_DENIED with an IAM ErrorInfo for this project.
  void DenyProject(const std::string& project) {
    std::lock_guard<std::mutex> lock(mu_);
    denied_.insert(project);
  }
  // Every other bearer token gets 401 UNAUTHENTICATED.
  void SetValidToken(const std::string& token) {
    std::lock_guard<std::mutex> lock(mu_);
    valid_token_ = token;
  }
  // Requests a project may make per logical minute (default 60); a 429
  // names the limit and, if `retry_info`, the wait to the next minute.
  void SetQuotaPerMinute(int quota, bool retry_info = true) {
    std::lock_guard<std::mutex> lock(mu_);
    quota_ = quota;
    retry_info_ = retry_info;
  }
  // Pages of a read (1-based, counted along the token chain) answered with
  // no entries and a token to the same place.
  void SetEmptyPages(std::set<int> ordinals) {
    std::lock_guard<std::mutex> lock(mu_);
    empty_pages_ = std::move(ordinals);
  }
  // Each page after the first repeats the last `count` entries of the one
  // before: the client must drop them.
  void SetOverlap(int count) {
    std::lock_guard<std::mutex> lock(mu_);
    overlap_ = count;
  }
  // The next `times` authorised requests answer `status` (500 INTERNAL,
  // 503 UNAVAILABLE, 504 DEADLINE_EXCEEDED).
  void FailNext(int status, int times = 1) {
    std::lock_guard<std::mutex> lock(mu_);
    for (int i = 0; i < times; ++i) faults_.push_back(status);
  }

  void ClearFaults() {
    std::lock_guard<std::mutex> lock(mu_);
    faults_.clear();
  }

  std::vector<FakeLoggingRequest> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }
  int CountStatus(int status) const {
    std::lock_guard<std::mutex> lock(mu_);
    return static_cast<int>(std::count_if(seen_.begin(), seen_.end(),
                                          [status](const auto& r) { return r.status == status; }));
  }

 private:
  struct Cursor {
    std::string request_key;  // the request without its token
    size_t offset = 0;
    int ordinal = 1;  // the page this token asks for
  };

  void Reply(httplib::Response& r, int status, const std::string& body) {
    r.status = status;
    r.set_content(body, "application/json; charset=UTF-8");
    seen_.back().status = status;
  }
  void ReplyError(httplib::Response& r, int code, const std::string& status,
                  const std::string& message, Json details = Json::array()) {
    Reply(r, code, fake_logging_internal::GoogleError(code, status, message, std::move(details)));
  }

  std::string NewToken(Cursor cursor) {
    const std::string token = "CrQB" + std::to_string(1000003 * (++token_serial_)) + "AhE";
    tokens_[token] = std::move(cursor);
    return token;
  }

  void Handle(const httplib::Request& q, httplib::Response& r) {
    std::lock_guard<std::mutex> lock(mu_);
    const int64_t now = clock_();
    seen_.push_back({q.get_header_value("Authorization"), q.get_header_value("User-Agent"),
                     q.get_header_value("Content-Type"), q.body, now, 0});
    if (q.get_header_value("Authorization") != "Bearer " + valid_token_) {
      return ReplyError(r, 401, "UNAUTHENTICATED",
                        "Request had invalid authentication credentials. Expected OAuth 2 access "
                        "token, login cookie or other valid authentication credential.");
    }
    if (!faults_.empty()) {
      const int code = faults_.front();
      faults_.pop_front();
      const char* status = code == 503   ? "UNAVAILABLE"
                           : code == 504 ? "DEADLINE_EXCEEDED"
                                         : "INTERNAL";
      return ReplyError(r, code, status, "The service encountered an internal error.");
    }
    Json body = Json::parse(q.body, nullptr, false);
    if (!body.is_object())
      return ReplyError(r, 400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
    const Json names = body.value("resourceNames", Json::array());
    if (!names.is_array() || names.size() != 1 || !names[0].is_string() ||
        names[0].get<std::string>().rfind("projects/", 0) != 0) {
      return ReplyError(r, 400, "INVALID_ARGUMENT",
                        "The fake takes one projects/P in resourceNames.");
    }
    const Json size = body.value("pageSize", Json(50));
    if (!size.is_number_integer() || size.get<int64_t>() < 0 || size.get<int64_t>() > 1000) {
      return ReplyError(r, 400, "INVALID_ARGUMENT",
                        "Invalid page size: must be between 0 and 1000.");
    }
    const std::string order = body.value("orderBy", std::string("timestamp asc"));
    if (order != "timestamp asc" && order != "timestamp desc") {
      return ReplyError(r, 400, "INVALID_ARGUMENT", "Invalid orderBy: " + order);
    }
    const std::string filter = body.value("filter", std::string());
    if (filter.size() > 20000) {
      return ReplyError(r, 400, "INVALID_ARGUMENT", "The filter is longer than 20000 characters.");
    }
    const size_t bad = filter.find("BAD");
    if (bad != std::string::npos) {
      return ReplyError(r, 400, "INVALID_ARGUMENT",
                        "Unparseable filter: syntax error at line 1, column " +
                            std::to_string(bad) + ", token 'BAD'");
    }
    const std::string project = names[0].get<std::string>().substr(9);
    if (denied_.count(project)) {
      Json info = {{"@type", "type.googleapis.com/google.rpc.ErrorInfo"},
                   {"reason", "IAM_PERMISSION_DENIED"},
                   {"domain", "iam.googleapis.com"},
                   {"metadata", {{"permission", "logging.logEntries.list"}}}};
      return ReplyError(
          r, 403, "PERMISSION_DENIED",
          "Permission 'logging.logEntries.list' denied on resource (or it may not exist).",
          Json::array({info}));
    }
    if (!entries_.count(project)) {
      return ReplyError(r, 404, "NOT_FOUND", "Project '" + project + "' not found.");
    }
    const int64_t minute = now / 60000000;
    if (++used_[{project, minute}] > quota_) {
      --used_[{project, minute}];
      return ReplyError(r, 429, "RESOURCE_EXHAUSTED", QuotaMessage(), QuotaDetails(now));
    }
    fake_logging_internal::Predicate match;
    try {
      match = fake_logging_internal::FilterParser(filter).Parse();
    } catch (const std::exception& e) {
      return ReplyError(r, 400, "INVALID_ARGUMENT", e.what());
    }
    Json key = body;
    key.erase("pageToken");
    Cursor cursor{key.dump(), 0, 1};
    const std::string token = body.value("pageToken", std::string());
    if (!token.empty()) {
      auto it = tokens_.find(token);
      if (it == tokens_.end() || it->second.request_key != cursor.request_key) {
        return ReplyError(r, 400, "INVALID_ARGUMENT",
                          "Invalid page token, or one used with another request.");
      }
      cursor = it->second;
    }
    Reply(r, 200, Page(project, match, order, size.get<int>() == 0 ? 50 : size.get<int>(), cursor));
  }

  std::string Page(const std::string& project, const fake_logging_internal::Predicate& match,
                   const std::string& order, int size, const Cursor& cursor) {
    std::vector<const Json*> matching;
    for (const Json& e : entries_[project]) {
      if (match(e)) matching.push_back(&e);
    }
    const auto sort_key = [](const Json* e) {
      return std::make_pair(ParseRfc3339(e->value("timestamp", "")).value_or(0),
                            e->value("insertId", ""));
    };
    std::stable_sort(matching.begin(), matching.end(), [&](const Json* a, const Json* b) {
      return order == "timestamp asc" ? sort_key(a) < sort_key(b) : sort_key(b) < sort_key(a);
    });
    Json answer = Json::object();
    if (empty_pages_.count(cursor.ordinal)) {
      answer["nextPageToken"] = NewToken({cursor.request_key, cursor.offset, cursor.ordinal + 1});
      return answer.dump();
    }
    const size_t end = std::min(matching.size(), cursor.offset + static_cast<size_t>(size));
    for (size_t i = cursor.offset; i < end; ++i) answer["entries"].push_back(*matching[i]);
    if (end < matching.size()) {
      const size_t back = std::min<size_t>(overlap_, end - cursor.offset - 1);
      answer["nextPageToken"] = NewToken({cursor.request_key, end - back, cursor.ordinal + 1});
    }
    return answer.dump();
  }

  std::string QuotaMessage() const {
    return "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute' "
           "of service 'logging.googleapis.com' for consumer 'project_number:123456789012'.";
  }

  Json QuotaDetails(int64_t now) const {
    Json details = Json::array();
    details.push_back({{"@type", "type.googleapis.com/google.rpc.ErrorInfo"},
                       {"reason", "RATE_LIMIT_EXCEEDED"},
                       {"domain", "googleapis.com"},
                       {"metadata",
                        {{"consumer", "projects/123456789012"},
                         {"quota_metric", "logging.googleapis.com/read_requests"},
                         {"quota_limit", "ReadRequestsPerMinutePerProject"},
                         {"quota_limit_value", std::to_string(quota_)},
                         {"quota_location", "global"},
                         {"service", "logging.googleapis.com"}}}});
    if (retry_info_) {
      const int64_t to_next_minute = 60000000 - now % 60000000;
      details.push_back(
          {{"@type", "type.googleapis.com/google.rpc.RetryInfo"},
           {"retryDelay", std::to_string((to_next_minute + 999999) / 1000000) + "s"}});
    }
    details.push_back(
        {{"@type", "type.googleapis.com/google.rpc.Help"},
         {"links",
          {{{"description", "Request a higher quota limit."},
            {"url", "https://cloud.google.com/docs/quotas/help/request_increase"}}}}});
    return details;
  }

  mutable std::mutex mu_;
  std::function<int64_t()> clock_;
  std::map<std::string, std::vector<Json>> entries_;
  std::set<std::string> denied_;
  std::string valid_token_ = "ya29.fake-token";
  int quota_ = 60;
  bool retry_info_ = true;
  std::set<int> empty_pages_;
  int overlap_ = 0;
  std::deque<int> faults_;
  std::map<std::pair<std::string, int64_t>, int> used_;
  std::map<std::string, Cursor> tokens_;
  int64_t token_serial_ = 0;
  std::vector<FakeLoggingRequest> seen_;
  LoopbackServer server_;  // last: stopped before the state above goes
};

}  // namespace testing
}  // namespace triage

#endif  // TRIAGE_TESTS_SUPPORT_FAKE_LOGGING_H_
