#include "bot/cluster/title.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "bot/base/text.h"

namespace triage {
namespace {

struct Case {
  const char* name;
  std::string template_text;
  std::string exception;
  std::vector<Location> locations;
  std::string want;
};

Cluster MakeCluster(const Case& c) {
  Cluster cluster;
  cluster.template_text = c.template_text;
  cluster.exception = c.exception;
  cluster.locations = c.locations;
  cluster.service = "svc";
  cluster.max_severity = Severity::kError;
  return cluster;
}

// What every summary promises, whatever the input.
void CheckPromises(const std::string& got, size_t max_bytes) {
  CHECK(got.size() <= max_bytes);
  CHECK(SanitizeText(got) == got);  // valid UTF-8, no control characters
  CHECK(got.find("<*>") == std::string::npos);
  CHECK(got.find("  ") == std::string::npos);
  if (!got.empty()) {
    CHECK(got.front() != ' ');
    CHECK(got.back() != ' ');
  }
}

void CheckCases(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    INFO("case: " << std::string(c.name));
    std::string got = SummarizeCluster(MakeCluster(c));
    CHECK(got == c.want);
    CheckPromises(got, 100);
  }
}

// Python's root logger, the call site of records that carry none.
Location RootLogger() { return {"logging", "callHandlers", 1706}; }

TEST_CASE("SummarizeCluster: netra-staging templates") {
  CheckCases({
      {"exception phrase first, then the place",
       "Error routing message from <*>: 'function' object has no attribute 'can_handle'", "",
       {{"netra_backend.app.websocket_core.handlers", "route_message", 1271}},
       "Error routing message: 'function' object has no attribute 'can_handle' in "
       "handlers.route_message"},
      {"the root logger is no place; the (...) aside goes when too long",
       "Session access failed (middleware not installed?): SessionMiddleware must be installed "
       "to access request.session",
       "", {RootLogger()},
       "Session access failed: SessionMiddleware must be installed to access request.session"},
      {"mojibake tag, key=value and a key: value list go",
       "[\xC3\xB0\xC5\xB8\xE2\x80\x9D\xE2\x80\x98] GOLDEN PATH AUTH=REDACTED permissive "
       "authentication with circuit breaker for connection <*> - user_id: <*>, "
       "connection_state: <*>, timestamp: <*>",
       "", {{"netra_backend.app.routes.websocket_ssot", "_handle_main_mode", 741}},
       "GOLDEN PATH permissive authentication with circuit breaker in "
       "websocket_ssot._handle_main_mode"},
      {"a detail that is mostly variables leaves the head",
       "[\xC3\xB0\xC5\xB8\xE2\x80\x9D\xC2\xB4] RACE CONDITION DETECTED: Startup phase <*> did "
       "not reach <*> within <*> - this would cause WebSocket <*> errors",
       "",
       {{"netra_backend.app.websocket_core.gcp_initialization_validator",
         "validate_gcp_readiness_for_websocket", 897}},
       "RACE CONDITION DETECTED in "
       "gcp_initialization_validator.validate_gcp_readiness_for_websocket"},
      {"too long with the module: the function alone",
       "SSOT VALIDATION: Multiple manager instances for user <*> - potential duplication", "",
       {{"netra_backend.app.websocket_core.ssot_validation_enhancer",
         "validate_manager_creation", 118}},
       "SSOT VALIDATION: Multiple manager instances - potential duplication in "
       "validate_manager_creation"},
      {"quoted names stay", "Backend health check failed: name 's' is not defined", "",
       {{"netra_backend.app.routes.health", "health_backend", 609}},
       "Backend health check failed: name 's' is not defined in health.health_backend"},
      {"a period swallowed by a variable still ends the sentence",
       "Thread ID mismatch: run_id <*> extracted to <*> but thread_id is <*> This may indicate "
       "inconsistent ID generation.",
       "",
       {{"netra_backend.app.services.user_execution_context", "_validate_id_consistency", 301}},
       "Thread ID mismatch in user_execution_context._validate_id_consistency"},
      {"advice sentences go",
       "WebSocket manager creation failed: Direct instantiation not allowed. Use "
       "get_websocket_manager() factory function.",
       "", {{"netra_backend.app.routes.websocket_ssot", "_create_websocket_manager", 1207}},
       "WebSocket manager creation failed: Direct instantiation not allowed in "
       "_create_websocket_manager"},
      {"emoji and severity word go, an unclosed group runs to the end",
       "\xC3\xB0\xC5\xB8\xC5\xA1\xC2\xA8 ALERT: LOW BUFFER UTILIZATION: <*> - Consider reducing "
       "AUTH_HEALTH_CHECK_TIMEOUT from <*> to <*> for better performance",
       "", {RootLogger()}, "LOW BUFFER UTILIZATION"},
      {"an unclosed group of variables",
       "[?] DATABASE USER AUTO-CREATE: User <*> not found in database (response_time: <*>, "
       "service_status: <*>, action: auto-creating from JWT=REDACTED",
       "", {RootLogger()}, "DATABASE USER AUTO-CREATE: User not found in database"},
      {"a word said twice",
       "[?] OPTIONAL AUTH=REDACTED Optional authentication failed: No module named "
       "'dev_launcher' (type: <*>)",
       "", {RootLogger()},
       "Optional authentication failed: No module named 'dev_launcher'"},
      {"a tag with words stays; a long phrase is cut and keeps its place",
       "[LEGACY MODE] Message loop error: Invalid message type 'legacy_response': Unknown "
       "message type: 'legacy_response'. Valid types: <*>, 'DISCONNECT', 'HEARTBEAT'",
       "", {{"netra_backend.app.routes.websocket_ssot", "_legacy_message_loop", 1619}},
       "[LEGACY MODE] Message loop error: Invalid message type 'legacy_response' in "
       "_legacy_message_loop"},
  });
}

TEST_CASE("SummarizeCluster: Java, Go, Node and Python errors") {
  CheckCases({
      {"Java: the qualified name is shortened",
       "java.lang.NullPointerException: Cannot invoke \"String.length()\" because \"name\" is "
       "null",
       "java.lang.NullPointerException", {{"com.x.FacetMapper", "toDto", 57}},
       "NullPointerException: Cannot invoke \"String.length()\" because \"name\" is null in "
       "FacetMapper.toDto"},
      {"Java: an exception the text does not name goes first", "Failed to map facet <*>",
       "java.lang.NullPointerException", {{"com.x.FacetMapper", "toDto", 57}},
       "NullPointerException: Failed to map facet in FacetMapper.toDto"},
      {"Java: a variable detail leaves the exception",
       "java.lang.IllegalStateException: Expected <*> but got <*>",
       "java.lang.IllegalStateException", {{"com.x.Exporter", "run", 12}},
       "IllegalStateException in Exporter.run"},
      {"Go panic", "panic: runtime error: index out of range [<*>] with length <*>", "panic",
       {{"github.com/acme/shop/internal/orders", "(*Repo).Save", 88}},
       "panic: runtime error: index out of range in orders.(*Repo).Save"},
      {"Go wrapped error",
       "failed to connect to postgres: dial tcp <*>: connect: connection refused", "",
       {{"main", "run", 40}},
       "failed to connect to postgres: dial tcp: connect: connection refused in main.run"},
      {"Go: \"Error\" alone keeps its package", "GET <*>: context deadline exceeded",
       "*url.Error", {},
       "url.Error: GET: context deadline exceeded"},
      {"Node TypeError, file module",
       "TypeError: Cannot read properties of undefined (reading 'id')", "TypeError",
       {{"cart.js", "renderCart", 12}},
       "TypeError: Cannot read properties of undefined (reading 'id') in cart.renderCart"},
      {"Node chunk file: a number is no module", "Failed to fetch products: <*>", "",
       {{"2291.js", "fetchProducts", 1}}, "Failed to fetch products in fetchProducts"},
      {"Node anonymous function", "Unhandled rejection: Error: connect ECONNREFUSED <*>", "",
       {{"/app/src/server.js", "<anonymous>", 3}},
       "Unhandled rejection: Error: connect ECONNREFUSED in server"},
      {"Python KeyError", "KeyError: <*>", "KeyError",
       {{"ledger/feeds/bankfeed", "fetch_statement", 212}},
       "KeyError in bankfeed.fetch_statement"},
      {"Python qualified exception, a unit after a value",
       "Payment provider unreachable after <*> retries",
       "requests.exceptions.ConnectionError", {{"billing.client", "charge", 9}},
       "ConnectionError: Payment provider unreachable in client.charge"},
      {"numbers are values", "ValueError: invalid literal for int() with base 10: '<*>'",
       "ValueError", {}, "ValueError: invalid literal for int()"},
  });
}

TEST_CASE("SummarizeCluster: Loghub templates") {
  CheckCases({
      {"HDFS", "PacketResponder <*> for block blk_<*> terminating", "", {},
       "PacketResponder terminating"},
      {"OpenSSH",
       "error: Received disconnect from <*>: <*>: com.jcraft.jsch.JSchException: Auth fail "
       "[preauth]",
       "", {}, "Received disconnect: JSchException: Auth fail [preauth]"},
      {"Spark", "Block <*> stored as bytes in memory (estimated size <*>, free <*>)", "", {},
       "Block stored as bytes in memory"},
      {"Zookeeper", "Expiring session <*>, timeout of <*>ms exceeded", "", {},
       "Expiring session, timeout exceeded"},
      {"OpenStack: a leading group of variables",
       "[instance: <*>] Took <*>.<*> seconds to spawn the instance on the hypervisor.", "", {},
       "Took to spawn the instance on the hypervisor"},
      {"a key=value list", "Request rejected: status=<*> reason=<*> user_id=<*>", "", {},
       "Request rejected"},
  });
}

TEST_CASE("SummarizeCluster: degenerate input") {
  CheckCases({
      {"all variables, with a place", "<*> <*>: <*>", "",
       {{"netra_backend.app.websocket_core.handlers", "route_message", 1}},
       "Errors in handlers.route_message"},
      {"all variables, no place", "<*>=<*> <*>", "", {}, "Errors from svc"},
      {"empty template, known exception", "", "java.lang.IllegalStateException",
       {{"com.x.Exporter", "run", 12}}, "IllegalStateException in Exporter.run"},
      {"control characters and invalid UTF-8",
       "Upload\tfailed:\x01 disk \xFF full \xEF\xBF\xBD caf\xC3", "", {},
       "Upload failed: disk full caf\xEF\xBF\xBD"},
      {"only the first line", "Import failed: bad header\nTraceback (most recent call last):",
       "", {}, "Import failed: bad header"},
      {"real emoji", "\xF0\x9F\x94\x91 Token refresh failed: invalid_grant", "", {},
       "Token refresh failed: invalid_grant"},
      {"CJK words are words, not decoration",
       "\xE6\x95\xB0\xE6\x8D\xAE\xE5\xBA\x93\xE8\xBF\x9E\xE6\x8E\xA5\xE5\xA4\xB1"
       "\xE8\xB4\xA5: <*>",
       "", {},
       "\xE6\x95\xB0\xE6\x8D\xAE\xE5\xBA\x93\xE8\xBF\x9E\xE6\x8E\xA5\xE5\xA4\xB1"
       "\xE8\xB4\xA5"},
  });
  CHECK(SummarizeCluster(Cluster()) == "");
  Cluster warnings;
  warnings.template_text = "<*>";
  warnings.max_severity = Severity::kWarning;
  CHECK(SummarizeCluster(warnings) == "Warnings");
}

TEST_CASE("SummarizeCluster: request logs") {
  struct HttpCase {
    std::string template_text;
    std::string method;
    int status;
    std::vector<Location> locations;
    std::string want;
  };
  const HttpCase cases[] = {
      {"GET 404", "GET", 404,
       {{"http", "GET /api/performance", 0}, {"http", "GET /api/stats", 0}},
       "HTTP 404 on GET requests"},
      {"GET 404", "GET", 404, {{"http", "GET /api/users/12345/avatar", 0}},
       "HTTP 404 on GET /api/users/*/avatar"},
      {"POST 503 /api /v1 /orders /<*>", "POST", 503, {}, "HTTP 503 on POST /api/v1/orders"},
      {"POST 503 /api/v1/<*>", "POST", 503, {}, "HTTP 503 on POST /api/v1"},
      {"POST 503 /api /v1 /pay The request failed because the instance could not start "
       "successfully.",
       "POST", 503, {},
       "HTTP 503 on POST /api/v1/pay: The request failed because the instance could not start "
       "successfully"},
      {"- 502", "", 502, {}, "HTTP 502 responses"},
  };
  for (const HttpCase& c : cases) {
    INFO("template: " << c.template_text);
    Cluster cluster;
    cluster.template_text = c.template_text;
    cluster.http_method = c.method;
    cluster.http_status = c.status;
    cluster.locations = c.locations;
    std::string got = SummarizeCluster(cluster);
    CHECK(got == c.want);
    CheckPromises(got, 100);
  }
}

TEST_CASE("SummarizeCluster cuts long text at a word boundary") {
  Cluster words;
  for (int i = 0; i < 260; ++i) words.template_text += "r\xC3\xA9seau indisponible ";  // 5 KB
  std::string got = SummarizeCluster(words);
  CHECK(got ==
        "r\xC3\xA9seau indisponible r\xC3\xA9seau indisponible r\xC3\xA9seau indisponible "
        "r\xC3\xA9seau indisponible r\xC3\xA9seau");
  CheckPromises(got, 100);

  Cluster one_word;  // no space to cut at: cut between characters
  for (int i = 0; i < 1700; ++i) one_word.template_text += "\xE4\xB8\xAD";  // 中
  got = SummarizeCluster(one_word);
  CHECK(got.size() == 99);
  CHECK(got == one_word.template_text.substr(0, 99));
  CheckPromises(got, 100);

  Case place = {"", "Error routing message from <*>: 'function' object has no attribute", "",
                {{"netra_backend.app.websocket_core.handlers", "route_message", 1}}, ""};
  CHECK(SummarizeCluster(MakeCluster(place), 30) == "Error routing message");
  CHECK(SummarizeCluster(MakeCluster(place), 0) == "");
  for (size_t max = 0; max <= 120; ++max) {
    CAPTURE(max);
    CheckPromises(SummarizeCluster(MakeCluster(place), max), max);
    CheckPromises(SummarizeCluster(words, max), max);
  }
}

TEST_CASE("FormatTitle") {
  struct TitleCase {
    std::string category;
    int priority;
    std::string summary;
    std::string want;
  };
  const TitleCase cases[] = {
      {"GCP-regression", 1, "WebSocket Message Routing AttributeError in handlers",
       "GCP-regression | P1 | WebSocket Message Routing AttributeError in handlers"},
      {"GCP-auth", 2, "Login\nfailed\tfor\x01  admin\r\n", "GCP-auth | P2 | Login failed for admin"},
      {"GCP-active-dev", 9, "clamped", "GCP-active-dev | P6 | clamped"},
      {"GCP-active-dev", -1, "clamped", "GCP-active-dev | P0 | clamped"},
      {"GCP-regression", 3, "", "GCP-regression | P3"},
      {"GCP-regression", 3, "\r\n\t", "GCP-regression | P3"},
      {"", 4, "no category", "P4 | no category"},
      {"GCP-auth", 2, "bad \xFF byte", "GCP-auth | P2 | bad \xEF\xBF\xBD byte"},
  };
  for (const TitleCase& c : cases) {
    INFO("summary: " << c.summary);
    CHECK(FormatTitle(c.category, c.priority, c.summary) == c.want);
  }
}

TEST_CASE("FormatTitle stays within 256 bytes") {
  const std::string head = "GCP-regression | P1 | ";  // 22 bytes: 234 for the summary
  std::string words;
  for (int i = 0; i < 60; ++i) words += "abcd ";
  std::string got = FormatTitle("GCP-regression", 1, words);
  CHECK(got.size() == kMaxTitleBytes);  // 47 words of 4 and 46 spaces fill it
  CHECK(got == head + words.substr(0, 234));

  std::string fits(234, 'x');
  CHECK(FormatTitle("GCP-regression", 1, fits) == head + fits);
  CHECK(FormatTitle("GCP-regression", 1, fits + "y") == head + fits);  // one word: cut

  std::string keys;
  for (int i = 0; i < 100; ++i) keys += "\xF0\x9F\x94\x91";  // 🔑, 4 bytes, no spaces
  got = FormatTitle("GCP-regression", 1, keys);
  CHECK(got == head + keys.substr(0, 232));  // 234 would split the 59th key
  CHECK(SanitizeText(got) == got);

  std::string accents;
  for (int i = 0; i < 100; ++i) accents += "\xC3\xA9t\xC3\xA9 ";  // "été ", 6 bytes
  got = FormatTitle("GCP-regression", 1, accents);
  CHECK(got == head + accents.substr(0, 6 * 39 - 1));  // 39 words, 38 spaces
  CHECK(got.size() <= kMaxTitleBytes);

  got = FormatTitle(std::string(300, 'c'), 1, "summary");
  CHECK(got == std::string(256, 'c'));
}

}  // namespace
}  // namespace triage

namespace triage {
namespace {

TEST_CASE("SummarizeCluster: units, brackets and places from the sample services") {
  CheckCases({
      {"a unit goes with its value", "Memory limit of <*> MiB exceeded with <*> MiB used.", "", {},
       "Memory limit exceeded used"},
      {"a bracket whose partner went with a variable goes too",
       "health probe for pubsub got no answer (<*> tries); marking degraded", "",
       {{"app.health", "check_pubsub", 88}},
       "health probe for pubsub got no answer; marking degraded in health.check_pubsub"},
      {"Go: the package path leaves the function", "coupon <*> rejected for user <*>: expired at <*>",
       "", {{"", "github.com/shop/cart-api/internal/promo.(*Engine).Apply", 77}},
       "coupon rejected: expired in promo.(*Engine).Apply"},
      {"a route file is no module name", "proxy to cart-api failed", "Error",
       {{"[...path].js", "proxyRequest", 1}}, "Error: proxy to cart-api failed in proxyRequest"},
  });
}

}  // namespace
}  // namespace triage
