#include "bot/ingest/stack_trace.h"

#include <doctest/doctest.h>

#include <string>

namespace triage {
namespace {

void CheckLocation(const Location& got, const std::string& module,
                   const std::string& function, int line) {
  CHECK(got.module == module);
  CHECK(got.function == function);
  CHECK(got.line == line);
}

TEST_CASE("ReadStackTrace: Python traceback picks the innermost app frame") {
  const std::string text =
      "Traceback (most recent call last):\n"
      "  File \"/app/ledger/jobs/sync.py\", line 41, in run\n"
      "    statement = feed.fetch_statement(account)\n"
      "  File \"/app/ledger/feeds/bankfeed.py\", line 212, in fetch_statement\n"
      "    resp = self.session.get(url, timeout=30)\n"
      "  File \"/usr/local/lib/python3.11/site-packages/requests/sessions.py\", line 602, in "
      "get\n"
      "    return self.request(\"GET\", url, **kwargs)\n"
      "  File \"/usr/local/lib/python3.11/site-packages/requests/adapters.py\", line 501, in "
      "send\n"
      "    raise ConnectionError(e, request=request)\n"
      "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='bank.example', "
      "port=443): Max retries exceeded\n";
  TraceInfo info = ReadStackTrace(text);
  CHECK(info.message ==
        "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='bank.example', "
        "port=443): Max retries exceeded");
  CHECK(info.exception == "requests.exceptions.ConnectionError");
  CheckLocation(info.location, "ledger/feeds/bankfeed", "fetch_statement", 212);
}

TEST_CASE("ReadStackTrace: in a Python chain the last exception is the one raised") {
  const std::string text =
      "Traceback (most recent call last):\n"
      "  File \"/usr/local/lib/python3.11/site-packages/urllib3/connectionpool.py\", line 703, in "
      "urlopen\n"
      "    httplib_response = self._make_request(\n"
      "socket.timeout: timed out\n"
      "\n"
      "During handling of the above exception, another exception occurred:\n"
      "\n"
      "Traceback (most recent call last):\n"
      "  File \"/app/worker/client.py\", line 41, in get\n"
      "    raise UpstreamError(msg) from exc\n"
      "app.errors.UpstreamError: fetching rates failed\n";
  TraceInfo info = ReadStackTrace(text);
  CHECK(info.message == "app.errors.UpstreamError: fetching rates failed");
  CHECK(info.exception == "app.errors.UpstreamError");
  CheckLocation(info.location, "worker/client", "get", 41);
}

TEST_CASE("ReadStackTrace: Python traceback after a log line, CRLF endings") {
  const std::string text =
      "Unhandled error in worker\r\n"
      "Traceback (most recent call last):\r\n"
      "  File \"/srv/orders/api.py\", line 7, in create_order\r\n"
      "    total = items[\"total\"]\r\n"
      "KeyError: 'total'\r\n";
  TraceInfo info = ReadStackTrace(text);
  CHECK(info.message == "KeyError: 'total'");
  CHECK(info.exception == "KeyError");
  CheckLocation(info.location, "orders/api", "create_order", 7);
}

TEST_CASE("ReadStackTrace: Python traceback with library frames only") {
  const std::string text =
      "Traceback (most recent call last):\n"
      "  File \"/usr/local/lib/python3.12/site-packages/gunicorn/workers/sync.py\", line 135, "
      "in handle\n"
      "    self.handle_request(listener, req, client, addr)\n"
      "  File \"/usr/lib/python3/dist-packages/gunicorn/http/wsgi.py\", line 88, in write\n"
      "    self.sock.sendall(data)\n"
      "BrokenPipeError: [Errno 32] Broken pipe\n";
  TraceInfo info = ReadStackTrace(text);
  CHECK(info.message == "BrokenPipeError: [Errno 32] Broken pipe");
  CHECK(info.exception == "BrokenPipeError");
  // No frame of the application: the innermost frame of all.
  CheckLocation(info.location, "wsgi", "write", 88);
}

TEST_CASE("ReadStackTrace: Python header without an exception line is not Python") {
  const std::string text =
      "Traceback (most recent call last):\n"
      "  File \"/app/x.py\", line 3, in main\n";
  TraceInfo info = ReadStackTrace(text);
  CHECK(info.message == "Traceback (most recent call last):");
  CHECK(info.exception == "");
  CheckLocation(info.location, "", "", 0);
}

TEST_CASE("ReadStackTrace: Java stack trace") {
  SUBCASE("exception on the first line, app frame after library frames") {
    const std::string text =
        "java.lang.IllegalStateException: facet 'brand' is not mapped\n"
        "\tat java.base/java.util.Objects.requireNonNull(Objects.java:233)\n"
        "\tat com.x.FacetMapper.toDto(FacetMapper.java:57)\n"
        "\tat com.x.SearchService.search(SearchService.java:120)\n"
        "Caused by: java.lang.NullPointerException: null\n"
        "\tat com.x.FacetRepo.load(FacetRepo.java:33)\n";
    TraceInfo info = ReadStackTrace(text);
    CHECK(info.message == "java.lang.IllegalStateException: facet 'brand' is not mapped");
    CHECK(info.exception == "java.lang.IllegalStateException");
    CHECK(info.location.module == "com.x.FacetMapper");
    CHECK(info.location.function == "toDto");
  }
  SUBCASE("a plain first line takes its exception from Caused by") {
    const std::string text =
        "Servlet.service() threw exception\n"
        "Caused by: java.sql.SQLTransientConnectionException: pool timed out\n"
        "\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:181)\n"
        "\tat com.x.FacetMapper.toDto(FacetMapper.java:57)\n";
    TraceInfo info = ReadStackTrace(text);
    CHECK(info.message ==
          "Servlet.service() threw exception Caused by: "
          "java.sql.SQLTransientConnectionException: pool timed out");
    CHECK(info.exception == "java.sql.SQLTransientConnectionException");
    // Third-party code outside java.* counts as the application's.
    CHECK(info.location.module == "com.zaxxer.hikari.pool.HikariPool");
    CHECK(info.location.function == "getConnection");
  }
  SUBCASE("Exception in thread") {
    const std::string text =
        "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space\n"
        "\tat java.base/java.util.Arrays.copyOf(Arrays.java:3512)\n"
        "\tat com.x.Exporter.run(Exporter.java:90)\n";
    TraceInfo info = ReadStackTrace(text);
    CHECK(info.message ==
          "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space");
    CHECK(info.exception == "java.lang.OutOfMemoryError");
    CHECK(info.location.module == "com.x.Exporter");
    CHECK(info.location.function == "run");
  }
}

// The frame's line number is on the frame ("FacetMapper.java:57") but is
// not read, unlike Python's; call sites then show no line.
TEST_CASE("ReadStackTrace: Java frame keeps its line number") {
  TraceInfo info = ReadStackTrace(
      "java.lang.IllegalStateException: x\n"
      "\tat com.x.FacetMapper.toDto(FacetMapper.java:57)\n");
  CHECK(info.location.line == 57);
}

TEST_CASE("ReadStackTrace: Go panic") {
  const std::string text =
      "panic: runtime error: invalid memory address or nil pointer dereference\n"
      "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x6b1c2d]\n"
      "\n"
      "goroutine 1 [running]:\n"
      "panic({0x7a1e20?, 0xc0000b8000?})\n"
      "\t/usr/local/go/src/runtime/panic.go:770 +0x132\n"
      "github.com/acme/shop/internal/orders.(*Repo).Save(0x0, {0xc0001a2000, 0x5})\n"
      "\t/app/internal/orders/repo.go:88 +0x1c\n"
      "main.main()\n"
      "\t/app/main.go:20 +0x25\n";
  TraceInfo info = ReadStackTrace(text);
  CHECK(info.message ==
        "panic: runtime error: invalid memory address or nil pointer dereference");
  CHECK(info.exception == "panic");
  CHECK(info.location.module == "github.com/acme/shop/internal/orders");
  CHECK(info.location.function == "(*Repo).Save");
}

TEST_CASE("ReadStackTrace: Go panic skips runtime frames") {
  const std::string text =
      "panic: assignment to entry in nil map\n"
      "\n"
      "goroutine 12 [running]:\n"
      "runtime.mapassign_faststr(0x0?, 0x0?, {0x8c, 0x3})\n"
      "\t/usr/local/go/src/runtime/map_faststr.go:205 +0x3c5\n"
      "main.handle(...)\n"
      "\t/app/main.go:14\n";
  TraceInfo info = ReadStackTrace(text);
  CHECK(info.exception == "panic");
  CHECK(info.location.module == "main");
  CHECK(info.location.function == "handle");
}

TEST_CASE("ReadStackTrace: Node unhandled rejection") {
  const std::string text =
      "Unhandled Rejection at: Promise {\n"
      "  <rejected> FetchError: request failed\n"
      "    at fetchProducts (/app/chunks/2291.js:1:1589)\n"
      "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n"
      "} reason: FetchError: request failed\n";
  TraceInfo info = ReadStackTrace(text);
  CHECK(info.message == "Unhandled Rejection at: Promise { FetchError: request failed");
  CHECK(info.exception == "FetchError");
  CHECK(info.location.function == "fetchProducts");
  CHECK(info.location.module == "2291.js");
}

TEST_CASE("ReadStackTrace: Node error skips node_modules and internal frames") {
  const std::string text =
      "TypeError: Cannot read properties of undefined (reading 'id')\n"
      "    at Object.parse (/app/node_modules/qs/lib/parse.js:10:3)\n"
      "    at async renderCart (/app/src/cart.js:42:17)\n"
      "    at node:internal/process/task_queues:95:5\n";
  TraceInfo info = ReadStackTrace(text);
  CHECK(info.message == "TypeError: Cannot read properties of undefined (reading 'id')");
  CHECK(info.exception == "TypeError");
  CHECK(info.location.function == "renderCart");
  CHECK(info.location.module == "cart.js");
}

TEST_CASE("ReadStackTrace: single line and empty text") {
  struct Case {
    const char* text;
    const char* message;
    const char* exception;
  };
  const Case cases[] = {
      {"connection reset by peer", "connection reset by peer", ""},
      {"  ValueError: bad amount  ", "ValueError: bad amount", "ValueError"},
      {"panic: boom", "panic: boom", "panic"},
      {"first\nsecond line", "first", ""},
      {"", "", ""},
  };
  for (const Case& c : cases) {
    INFO("c.text: " << std::string(c.text));
    TraceInfo info = ReadStackTrace(c.text);
    CHECK(info.message == c.message);
    CHECK(info.exception == c.exception);
    CheckLocation(info.location, "", "", 0);
  }
}

TEST_CASE("ExceptionTypeOf") {
  struct Case {
    const char* line;
    const char* want;
  };
  const Case cases[] = {
      {"ValueError: x", "ValueError"},
      {"java.io.IOException: x", "java.io.IOException"},
      {"  KeyError: 'k'", "KeyError"},
      {"Error: boom", "Error"},
      {"KeyboardInterrupt:", "KeyboardInterrupt"},
      {"SystemExit: 1", "SystemExit"},
      {"com.x.Outer$InnerException: y", "com.x.Outer$InnerException"},
      {"UserWarning: deprecated", "UserWarning"},
      {"Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space",
       "java.lang.OutOfMemoryError"},
      {"Error routing message: x", ""},  // "Error routing" is two words
      {"note: x", ""},                   // not an exception name
      {"com.x.Service: started", ""},
      {"ValueError", ""},                // no colon
      {"ValueError x", ""},
      {": ValueError", ""},
      {"", ""},
  };
  for (const Case& c : cases) {
    INFO("c.line: " << std::string(c.line));
    CHECK(ExceptionTypeOf(c.line) == c.want);
  }
}

}  // namespace
}  // namespace triage
