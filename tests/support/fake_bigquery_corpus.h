// Log entries in the entries:list shape, generated from a seed, for the
// Log Analytics tests and benchmark: templates with variable parts, and a
// fuzzed share of token soup (digit runs, punctuation, key=value, paths,
// brackets, dates, long tokens), as text, JSON, request, audit and
// multi-line entries. The same seed gives the same entries.
#ifndef TRIAGE_TESTS_SUPPORT_FAKE_BIGQUERY_CORPUS_H_
#define TRIAGE_TESTS_SUPPORT_FAKE_BIGQUERY_CORPUS_H_

#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace triage {
namespace testing {

class LogCorpus {
 public:
  explicit LogCorpus(uint64_t seed) : rng_(seed) {}

  // The `index`th entry (its insertId is "g-<index>").
  std::string Entry(size_t index) {
    using Json = nlohmann::json;
    Json e;
    e["insertId"] = "g-" + std::to_string(index);
    // Three hours of 2025-03-10, microseconds apart.
    const int64_t us = 1741564800000000LL + static_cast<int64_t>(Pick(3 * 3600)) * 1000000 + Pick(1000000);
    e["timestamp"] = Rfc3339(us);
    static const char* kServices[] = {"cart-api", "shop-web", "ledger-worker", "search-svc"};
    Json labels = {{"service_name", kServices[Pick(4)]},
                   {"revision_name", std::string(kServices[Pick(4)]) + "-0001" + std::to_string(Pick(3))}};
    e["resource"] = {{"type", "cloud_run_revision"}, {"labels", labels}};
    static const char* kSeverities[] = {"DEFAULT", "DEBUG", "INFO", "NOTICE", "WARNING", "ERROR", "CRITICAL",
                                        "ALERT", "EMERGENCY"};
    const bool no_severity = Pick(20) == 0;
    if (!no_severity) e["severity"] = kSeverities[4 + Pick(Pick(3) == 0 ? 5 : 3)];
    switch (Pick(10)) {
      case 0: {  // a request
        static const char* kMethods[] = {"GET", "POST", "PUT", "DELETE"};
        static const int kStatuses[] = {200, 404, 429, 500, 502, 503};
        e["httpRequest"] = {{"requestMethod", kMethods[Pick(4)]},
                            {"requestUrl", "https://shop.example.com" + Path() + (Pick(2) ? "?q=" + Word() : "")},
                            {"status", kStatuses[Pick(6)]}};
        if (Pick(2)) e["textPayload"] = Message();
        break;
      }
      case 1: {  // an audit entry
        e["protoPayload"] = {{"@type", "type.googleapis.com/google.cloud.audit.AuditLog"},
                             {"serviceName", "storage.googleapis.com"},
                             {"methodName", Pick(2) ? "storage.objects.get" : "storage.objects.create"},
                             {"status", {{"code", 7}, {"message", Message()}}}};
        break;
      }
      case 2: {  // a stack trace
        e["textPayload"] = Trace();
        break;
      }
      case 3:
      case 4:
      case 5: {  // structured
        Json p;
        static const char* kMessageKeys[] = {"message", "msg", "log", "event", "error"};
        p[kMessageKeys[Pick(5)]] = Pick(8) == 0 ? Trace() : Message();
        if (Pick(2)) p["logger"] = std::string("app.") + Word();
        if (Pick(2)) p["funcName"] = Word();
        if (Pick(3) == 0) p["lineno"] = static_cast<int>(10 + Pick(3));
        if (Pick(6) == 0) p["err"] = {{"type", Pick(2) ? "RangeError" : "TypeError"}, {"message", Message()}};
        if (Pick(8) == 0) p["stack"] = Trace();
        if (no_severity && Pick(2)) p["level"] = 40 + 10 * static_cast<int>(Pick(2));
        if (Pick(10) == 0) p["message_count"] = Pick(5);  // noise the parser ignores
        e["jsonPayload"] = p;
        break;
      }
      default:
        e["textPayload"] = Message();
    }
    if (Pick(4) == 0) {
      e["sourceLocation"] = {{"file", "app/" + Word() + ".py"}, {"line", std::to_string(10 + Pick(4))},
                             {"function", Word()}};
    }
    return e.dump();
  }

 private:
  uint64_t Pick(uint64_t n) { return n == 0 ? 0 : rng_() % n; }

  static std::string Rfc3339(int64_t us) {
    std::time_t s = static_cast<std::time_t>(us / 1000000);
    std::tm tm{};
    gmtime_r(&s, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(us % 1000000));
    return buf;
  }

  std::string Word() {
    static const char* kWords[] = {"cart", "user", "order", "payment", "failed", "timeout", "retry",
                                   "connect", "db", "cache", "Dec", "Mon", "Jan", "token", "session",
                                   "deadbeef", "abcdef12", "Error", "WARN", "id", "key", "value"};
    return kWords[Pick(sizeof kWords / sizeof kWords[0])];
  }

  std::string Digits() {
    std::string s;
    size_t n = 1 + Pick(Pick(4) == 0 ? 30 : 6);
    for (size_t i = 0; i < n; ++i) s.push_back(static_cast<char>('0' + Pick(10)));
    return s;
  }

  std::string Hex(size_t n) {
    std::string s;
    for (size_t i = 0; i < n; ++i) s.push_back("0123456789abcdef"[Pick(16)]);
    return s;
  }

  std::string Path() {
    std::string p;
    size_t n = 1 + Pick(4);
    for (size_t i = 0; i < n; ++i) {
      switch (Pick(4)) {
        case 0: p += "/" + Digits(); break;
        case 1: p += "/v" + std::to_string(1 + Pick(3)); break;
        default: p += "/" + Word();
      }
    }
    return p;
  }

  // One variable part, in the shapes logs use.
  std::string Variable() {
    switch (Pick(24)) {
      case 0: return Digits();
      case 1: return Hex(8 + Pick(24));
      case 2: return Hex(8) + "-" + Hex(4) + "-" + Hex(4) + "-" + Hex(4) + "-" + Hex(12);
      case 3: return Word() + "=" + Digits();
      case 4: return Word() + "=" + Word();
      case 5: return Word() + ":" + Digits();
      case 6: return "10." + Digits() + "." + Digits() + ".1";
      case 7: return "db-" + Digits() + ".internal:" + Digits();
      case 8: return "(" + Digits() + ")";
      case 9: return Digits() + ",";
      case 10: return Digits() + ".";
      case 11: return Digits() + ":";
      case 12: return "'" + Word() + Digits() + "'";
      case 13: return Path();
      case 14: return "https://api.example.com" + Path();
      case 15: return Word() + "@mail.example.com";
      case 16: return Digits() + "ms";
      case 17: return "usr_" + Hex(10);
      case 18: return std::string(97 + Pick(20), 'x') + Digits();
      case 19: return Word() + "_id: " + Digits() + (Pick(2) ? "," : ")");
      case 20: return Word() + "=" + Digits() + "," + Word() + "=" + Digits();
      case 21: return "[" + Digits() + "]" + (Pick(2) ? ";" : "");
      case 22: return Word() + Digits() + (Pick(2) ? ":" : "");
      default: return Soup();
    }
  }

  // Token soup: characters the masks treat specially, in random order.
  std::string Soup() {
    static const char kChars[] = "0123456789aZ_-.,;:!?()[]{}<>'\"`=/@";
    std::string s;
    size_t n = 1 + Pick(10);
    for (size_t i = 0; i < n; ++i) s.push_back(kChars[Pick(sizeof kChars - 1)]);
    return s;
  }

  std::string Message() {
    static const char* kTemplates[] = {
        "payment %v failed for user %v", "connection to %v refused after %v retries",
        "cache miss for key %v", "request %v took %v", "Dec %v %v job finished", "%v", "%v %v %v",
        "user_id: %v status: %v", "invalid token %v", "order %v: %v items, total %v", "%v %v"};
    std::string t = kTemplates[Pick(sizeof kTemplates / sizeof kTemplates[0])];
    std::string out;
    for (size_t i = 0; i < t.size(); ++i) {
      if (t[i] == '%' && i + 1 < t.size() && t[i + 1] == 'v') {
        out += Variable();
        ++i;
      } else {
        out.push_back(t[i]);
      }
    }
    if (Pick(10) == 0) out += "  \t" + Variable();  // other white space
    return out;
  }

  std::string Trace() {
    switch (Pick(3)) {
      case 0:
        return "Traceback (most recent call last):\n  File \"/app/" + Word() + ".py\", line " + Digits() +
               ", in " + Word() + "\n    raise ValueError(x)\nValueError: " + Message();
      case 1:
        return "java.lang.IllegalStateException: " + Message() + "\n\tat com.shop." + Word() + ".run(" +
               Word() + ".java:" + Digits() + ")\n\tat java.lang.Thread.run(Thread.java:829)";
      default:
        return "TypeError: " + Message() + "\n    at " + Word() + " (/app/server.js:" + Digits() + ":" +
               Digits() + ")";
    }
  }

  std::mt19937_64 rng_;
};

}  // namespace testing
}  // namespace triage

#endif  // TRIAGE_TESTS_SUPPORT_FAKE_BIGQUERY_CORPUS_H_
