#include "bot/ingest/entry_parse.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "bot/base/time_util.h"

namespace triage {
namespace {

constexpr int64_t kSep15 = 1757903979LL * kMicrosPerSecond;  // 2025-09-15T02:39:39Z

LogEntry MustParse(const std::string& json) {
  EntryParser parser;
  LogEntry entry;
  std::string error;
  bool ok = parser.Parse(json, &entry, &error);
  INFO("json: " << json);
  INFO("error: " << error);
  REQUIRE(ok);
  return entry;
}

// The route in a request log's message, its segments joined again: the
// message may keep a route as one token or as one token per segment.
std::string RouteIn(const std::string& message, const std::string& prefix) {
  REQUIRE(message.rfind(prefix, 0) == 0);
  std::string route;
  for (char c : message.substr(prefix.size())) {
    if (c == ' ') continue;
    route.push_back(c);
  }
  return route;
}

void CheckLocation(const Location& got, const std::string& module,
                   const std::string& function, int line) {
  CHECK(got.module == module);
  CHECK(got.function == function);
  CHECK(got.line == line);
}

TEST_CASE("EntryParser: jsonPayload message with call-site labels") {
  LogEntry e = MustParse(R"({
    "insertId": "abc123",
    "timestamp": "2025-09-15T02:39:39.115247Z",
    "receiveTimestamp": "2025-09-15T02:39:40Z",
    "severity": "ERROR",
    "resource": {"type": "cloud_run_revision",
                 "labels": {"service_name": "checkout", "revision_name": "checkout-00042-abc",
                            "location": "europe-west1"}},
    "jsonPayload": {"message": "payment failed for order 42",
                    "labels": {"module": "billing.charge", "function": "capture",
                               "line": "748"}}
  })");
  CHECK(e.id == "abc123");
  CHECK(e.timestamp_us == kSep15 + 115247);
  CHECK(e.severity == Severity::kError);
  CHECK(e.has_severity);
  CHECK(e.service == "checkout");
  CHECK(e.revision == "checkout-00042-abc");
  CHECK(e.message == "payment failed for order 42");
  CHECK(e.text == "payment failed for order 42");
  CHECK(e.exception == "");
  CHECK(e.group_key == "");
  CHECK(e.http_status == 0);
  CheckLocation(e.location, "billing.charge", "capture", 748);
}

TEST_CASE("EntryParser: where the call site comes from") {
  struct Case {
    const char* name;
    const char* json;
    const char* module;
    const char* function;
    int line;
  };
  const Case cases[] = {
      {"context.name as logger",
       R"({"jsonPayload": {"message": "m", "context": {"name": "CartService"}}})",
       "CartService", "", 0},
      {"logger, funcName and lineno",
       R"({"jsonPayload": {"message": "m", "logger": "app.orders", "funcName": "place",
                           "lineno": 17}})",
       "app.orders", "place", 17},
      {"top-level sourceLocation with a function ignores the file",
       R"({"sourceLocation": {"file": "app/main.py", "line": "31", "function": "handler"},
           "jsonPayload": {"message": "m", "logger": "other"}})",
       "", "handler", 31},
      {"top-level sourceLocation with a file only",
       R"({"sourceLocation": {"file": "worker.go", "line": 12}, "textPayload": "m"})",
       "worker.go", "", 12},
      {"sourceLocation in the payload wins over labels",
       R"({"jsonPayload": {"message": "m",
           "logging.googleapis.com/sourceLocation": {"file": "/app/x.py", "line": "5",
                                                     "function": "mod.fn"},
           "labels": {"module": "labelled", "function": "f", "line": 1}}})",
       "", "mod.fn", 5},
      {"labels win over the logger",
       R"({"jsonPayload": {"message": "m", "logger": "lg",
                           "labels": {"module": "md", "function": "fn", "line": 9}}})",
       "md", "fn", 9},
      {"no call site", R"({"jsonPayload": {"message": "m"}})", "", "", 0},
  };
  for (const Case& c : cases) {
    INFO("c.name: " << std::string(c.name));
    LogEntry e = MustParse(c.json);
    CHECK(e.message == "m");
    CheckLocation(e.location, c.module, c.function, c.line);
  }
}

TEST_CASE("EntryParser: severity") {
  struct Case {
    const char* json;
    Severity want;
  };
  const Case cases[] = {
      {R"({"textPayload": "x"})", Severity::kDefault},
      {R"({"severity": "ERROR", "textPayload": "x"})", Severity::kError},
      {R"({"severity": "warning", "textPayload": "x"})", Severity::kWarning},
      {R"({"severity": 500, "textPayload": "x"})", Severity::kError},
      {R"({"severity": 400, "textPayload": "x"})", Severity::kWarning},
      {R"({"severity": "LOUD", "textPayload": "x"})", Severity::kDefault},
      {R"({"severity": 450, "textPayload": "x"})", Severity::kDefault},
      // pino: numeric levels in the payload, no severity on the entry.
      {R"({"jsonPayload": {"msg": "x", "level": 10}})", Severity::kDebug},
      {R"({"jsonPayload": {"msg": "x", "level": 20}})", Severity::kDebug},
      {R"({"jsonPayload": {"msg": "x", "level": 30}})", Severity::kInfo},
      {R"({"jsonPayload": {"msg": "x", "level": 40}})", Severity::kWarning},
      {R"({"jsonPayload": {"msg": "x", "level": 50}})", Severity::kError},
      {R"({"jsonPayload": {"msg": "x", "level": 60}})", Severity::kCritical},
      {R"({"jsonPayload": {"msg": "x", "level": 70}})", Severity::kDefault},
      {R"({"jsonPayload": {"msg": "x", "level": "warn"}})", Severity::kWarning},
      {R"({"jsonPayload": {"msg": "x", "levelname": "CRITICAL"}})", Severity::kCritical},
      // The entry's own severity wins over the payload's.
      {R"({"severity": "INFO", "jsonPayload": {"msg": "x", "level": 50}})", Severity::kInfo},
  };
  for (const Case& c : cases) {
    INFO("c.json: " << std::string(c.json));
    LogEntry e = MustParse(c.json);
    CHECK(e.severity == c.want);
    CHECK(e.has_severity);  // an entry without one is DEFAULT
  }
}

TEST_CASE("EntryParser: pino payload") {
  LogEntry e = MustParse(R"j({"jsonPayload": {"level": 50, "time": 1757903979115,
      "msg": "upstream timed out", "err": {"type": "FetchError", "message": "ignored",
      "stack": "FetchError: request failed\n    at fetchProducts (/app/chunks/2291.js:1:1589)"}}})j");
  CHECK(e.severity == Severity::kError);
  CHECK(e.message == "upstream timed out");
  CHECK(e.exception == "FetchError");
  CheckLocation(e.location, "2291.js", "fetchProducts", 1);
}

TEST_CASE("EntryParser: message and a separate stack trace") {
  LogEntry e = MustParse(R"j({"severity": "ERROR", "jsonPayload": {"message": "charge failed",
      "stack_trace": "java.lang.IllegalStateException: no card\n\tat com.x.Pay.charge(Pay.java:3)"}})j");
  CHECK(e.message == "charge failed");
  CHECK(e.text == "charge failed");
  CHECK(e.exception == "java.lang.IllegalStateException");
  CHECK(e.location.module == "com.x.Pay");
  CHECK(e.location.function == "charge");
}

TEST_CASE("EntryParser: textPayload with a Python traceback") {
  const std::string trace =
      "Traceback (most recent call last):\n"
      "  File \"/app/ledger/feeds/bankfeed.py\", line 212, in fetch_statement\n"
      "    resp = session.get(url)\n"
      "  File \"/usr/local/lib/python3.11/site-packages/requests/api.py\", line 73, in get\n"
      "    return request(\"get\", url)\n"
      "TimeoutError: read timed out\n";
  const nlohmann::json json = {{"severity", "ERROR"}, {"textPayload", trace}};
  LogEntry e = MustParse(json.dump());
  CHECK(e.message == "TimeoutError: read timed out");
  CHECK(e.text == trace);
  CHECK(e.exception == "TimeoutError");
  CheckLocation(e.location, "ledger/feeds/bankfeed", "fetch_statement", 212);
}

TEST_CASE("EntryParser: protoPayload (audit logs)") {
  SUBCASE("method and status") {
    LogEntry e = MustParse(R"({"severity": "ERROR", "protoPayload": {
        "@type": "type.googleapis.com/google.cloud.audit.AuditLog",
        "methodName": "google.cloud.run.v1.Services.ReplaceService",
        "serviceName": "run.googleapis.com",
        "status": {"code": 7, "message": "Permission denied on resource"}}})");
    CHECK(e.message == "google.cloud.run.v1.Services.ReplaceService: Permission denied on resource");
    CheckLocation(e.location, "run.googleapis.com", "google.cloud.run.v1.Services.ReplaceService", 0);
  }
  SUBCASE("no method, no status") {
    LogEntry e = MustParse(R"({"protoPayload": {"serviceName": "run.googleapis.com"}})");
    CHECK(e.message == "audit");
    CheckLocation(e.location, "run.googleapis.com", "", 0);
  }
}

TEST_CASE("EntryParser: request logs") {
  SUBCASE("5xx: the route is part of the message, host and query are not") {
    LogEntry e = MustParse(R"({"severity": "ERROR", "httpRequest": {"requestMethod": "GET",
        "requestUrl": "https://shop.example.com/v1/carts/current/items?session=abc#frag",
        "status": 503, "latency": "1.2s"},
        "sourceLocation": {"function": "ignored"}})");
    CHECK(RouteIn(e.message, "GET 503 ") == "/v1/carts/current/items");
    CHECK(e.message.find("shop.example.com") == std::string::npos);
    CHECK(e.text == "GET https://shop.example.com/v1/carts/current/items?session=abc#frag 503");
    CHECK(e.group_key == "http");
    CHECK(e.http_status == 503);
    CheckLocation(e.location, "http", "GET /v1/carts/current/items", 0);
  }
  SUBCASE("5xx: ids in the route are masked in the message only") {
    LogEntry e = MustParse(R"({"httpRequest": {"requestMethod": "DELETE",
        "requestUrl": "https://shop.example.com/v1/carts/3f2a9c1e-7b4d-4c1a-9e2f-0a1b2c3d4e5f/items",
        "status": 502}})");
    CHECK(RouteIn(e.message, "DELETE 502 ") == "/v1/carts/<*>/items");
    CheckLocation(e.location, "http",
                  "DELETE /v1/carts/3f2a9c1e-7b4d-4c1a-9e2f-0a1b2c3d4e5f/items", 0);
  }
  SUBCASE("4xx: no route in the message") {
    LogEntry e = MustParse(R"({"severity": "WARNING", "httpRequest": {"requestMethod": "GET",
        "requestUrl": "https://shop.example.com/wp-login.php?x=1", "status": 404}})");
    CHECK(e.message == "GET 404");
    CHECK(e.group_key == "http");
    CHECK(e.http_status == 404);
    CheckLocation(e.location, "http", "GET /wp-login.php", 0);
  }
  SUBCASE("platform text, a status as a string, a bare host") {
    LogEntry e = MustParse(R"({"httpRequest": {"requestMethod": "POST",
        "requestUrl": "https://api.example.com", "status": "500"},
        "textPayload": "The request failed because the instance crashed.\nsecond line"})");
    CHECK(e.message == "POST 500 / The request failed because the instance crashed.");
    CHECK(e.text ==
          "POST https://api.example.com 500\n"
          "The request failed because the instance crashed.\nsecond line");
    CHECK(e.http_status == 500);
  }
  SUBCASE("no method, no status") {
    LogEntry e = MustParse(R"({"httpRequest": {"requestUrl": "/health"}})");
    CHECK(e.message == "- -");
    CHECK(e.http_status == 0);
    CHECK(e.group_key == "http");
  }
}

TEST_CASE("EntryParser: timestamps") {
  struct Case {
    const char* json;
    int64_t want;
  };
  const Case cases[] = {
      {R"({"timestamp": "2025-09-15T02:39:39Z", "receiveTimestamp": "2025-09-15T02:39:41Z"})",
       kSep15},
      {R"({"receiveTimestamp": "2025-09-15T02:39:41.5Z"})", kSep15 + 2500000},
      {R"({"timestamp": "2025-09-15T04:39:39+02:00"})", kSep15},
      {R"({"timestamp": "not a time"})", 0},
      {R"({"timestamp": 1757903979})", 0},
      {R"({})", 0},
  };
  for (const Case& c : cases) {
    INFO("c.json: " << std::string(c.json));
    CHECK(MustParse(c.json).timestamp_us == c.want);
  }
}

TEST_CASE("EntryParser: an entry without any field") {
  LogEntry e = MustParse("{}");
  CHECK(e.id == "");
  CHECK(e.timestamp_us == 0);
  CHECK(e.severity == Severity::kDefault);
  CHECK(e.service == "");
  CHECK(e.revision == "");
  CHECK(e.message == "");
  CHECK(e.text == "");
  CHECK(e.exception == "");
  CHECK(e.group_key == "");
  CHECK(e.http_status == 0);
  CheckLocation(e.location, "", "", 0);
}

TEST_CASE("EntryParser: rejects what is not one JSON object") {
  const char* const cases[] = {
      "",
      "{",
      R"({"insertId": })",
      R"({"insertId": "a",})",
      R"({"insertId": "a"} trailing)",
      "[1, 2]",
      R"([{"insertId": "a"}])",
      R"("hello")",
      "42",
      "null",
  };
  EntryParser parser;  // one parser for all: its buffers are reused
  for (const char* json : cases) {
    INFO("json: " << std::string(json));
    LogEntry entry;
    std::string error;
    CHECK_FALSE(parser.Parse(json, &entry, &error));
    CHECK_FALSE(error.empty());
  }
  LogEntry entry;
  std::string error;
  REQUIRE(parser.Parse(R"({"insertId": "after"})", &entry, &error));
  CHECK(entry.id == "after");
}

TEST_CASE("EntryParser: reuse does not leak fields between entries") {
  EntryParser parser;
  LogEntry entry;
  std::string error;
  REQUIRE(parser.Parse(R"({"insertId": "1", "severity": "ERROR", "textPayload": "a",
      "resource": {"labels": {"service_name": "s"}}})", &entry, &error));
  REQUIRE(parser.Parse(R"({"textPayload": "b"})", &entry, &error));
  CHECK(entry.id == "");
  CHECK(entry.severity == Severity::kDefault);
  CHECK(entry.service == "");
  CHECK(entry.message == "b");
}

TEST_CASE("EntryParser: long messages are cut") {
  const std::string big(100 * 1024, 'x');
  LogEntry e = MustParse(R"({"jsonPayload": {"message": ")" + big + R"("}})");
  CHECK(e.message == std::string(kMaxMessageBytes, 'x'));
  CHECK(e.text == std::string(kMaxSampleBytes, 'x'));
}

// 3-byte characters: 4096 is not a multiple of 3, and a plain byte cut
// leaves half a character (invalid UTF-8) at the end of the message.
TEST_CASE("EntryParser: long messages are cut on a character boundary") {
  std::string big;
  for (int i = 0; i < 34000; ++i) big += "\xE4\xB8\xAD";  // 中, ~100 KB
  LogEntry e = MustParse(R"({"jsonPayload": {"message": ")" + big + R"("}})");
  CHECK(e.message.size() <= kMaxMessageBytes);
  CHECK(e.message.size() % 3 == 0);
  CHECK(e.text.size() % 3 == 0);
}

TEST_CASE("EntryParser: escaped NUL and a lone surrogate do not throw") {
  EntryParser parser;
  LogEntry entry;
  std::string error;
  SUBCASE("\\u0000") {
    bool ok = false;
    CHECK_NOTHROW(ok = parser.Parse(R"({"textPayload": "a\u0000b"})", &entry, &error));
    if (ok) {
      CHECK(entry.message == std::string("a\0b", 3));
    } else {
      CHECK_FALSE(error.empty());
    }
  }
  SUBCASE("\\ud800") {
    bool ok = false;
    CHECK_NOTHROW(ok = parser.Parse(R"({"textPayload": "a\ud800b"})", &entry, &error));
    if (!ok) CHECK_FALSE(error.empty());
  }
}

}  // namespace
}  // namespace triage
