#include "bot/cluster/normalize.h"

#include <doctest/doctest.h>

#include <string>

namespace triage {
namespace {

std::string Sig(const std::string& message, size_t literal = 0) {
  std::string sig;
  NormalizeMessage(message, &sig, literal);
  return sig;
}

TEST_CASE("variable parts become <*>") {
  struct Case {
    const char* message;
    const char* signature;
  } cases[] = {
      {"took 17.60ms", "took <*>"},
      {"at 24.5% of quota", "at <*> of quota"},
      {"user 3f2a7c1e-9b1d-4c3e-8f00-0123456789ab logged in", "user <*> logged in"},
      {"from 10.1.2.3:5432 to db", "from <*> to db"},
      {"conn main_6a878502 closed", "conn <*> closed"},
      {"run demo_run_1757719525043_353_4b15eea4 done", "run <*> done"},
      {"Created user ***@gmail.com", "Created user <*>"},
      {"mask=ffffffff set", "mask=<*> set"},
      {"fetch https://example.com/a failed", "fetch <*> failed"},
      {"open /var/lib/app/data.db failed", "open <*> failed"},
      {"at Sun Jul 10 03:55:15 2005", "at <*>"},
      {"connect to db-1.internal:5432", "connect to <*>"},
      {"resolved api.example.org", "resolved <*>"},
      {"session (uid=0) ruser= end", "session (uid=<*>) ruser=<*> end"},
      {"from 1.2.3.4 () at", "from <*> at"},
      {"(env: staging, user_id: 42, domain_type: consumer)", "(env: <*>, user_id: <*>, domain_type: <*>)"},
      {"num=4,flags=0x1,total=3", "num=<*>,flags=<*>,total=<*>"},
      {"IRQs 1 2 3 4 5 end", "IRQs <*> end"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.message);
    CHECK(Sig(c.message) == c.signature);
  }
}

TEST_CASE("what tells problems apart is kept") {
  CHECK(Sig("dependency redis unhealthy") == "dependency redis unhealthy");
  CHECK(Sig("No module named 'dev_launcher'") == "No module named 'dev_launcher'");
  CHECK(Sig("KeyError: 'currency'") == "KeyError: 'currency'");
  CHECK(Sig("name 's' is not defined") == "name 's' is not defined");
  CHECK(Sig("Error routing message: x") != Sig("Error sending message: x"));
}

TEST_CASE("the same message with other values has the same signature") {
  CHECK(Sig("Thread ID mismatch: run_id 'demo_run_1_2_aa' thread 'demo_thread_1_1_bb'") ==
        Sig("Thread ID mismatch: run_id 'demo_run_9_8_cc' thread 'demo_thread_9_7_dd'"));
  CHECK(Sig("LOW BUFFER UTILIZATION: 24.5% - from 0.3s to ~0.5s") ==
        Sig("LOW BUFFER UTILIZATION: -4.2% - from 0.3s to ~0.6s"));
}

TEST_CASE("literal tokens are kept as they are") {
  CHECK(Sig("GET 503 /v1/carts/<*>", 3) == "GET 503 /v1/carts/<*>");
  CHECK(Sig("GET 503", 0) == "GET <*>");
}

TEST_CASE("routes keep their words and versions, not their ids") {
  CHECK(NormalizeRoute("/v1/carts/3f2a7c1e-9b1d-4c3e-8f00-0123456789ab/items") ==
        "/v1/carts/<*>/items");
  CHECK(NormalizeRoute("/account/orders/12345") == "/account/orders/<*>");
  CHECK(NormalizeRoute("/") == "/");
}

TEST_CASE("token count and limits") {
  std::string sig;
  CHECK(NormalizeMessage("", &sig) == 0);
  CHECK(sig.empty());
  CHECK(NormalizeMessage("  a   b\tc\n", &sig) == 3);
  CHECK(sig == "a b c");
  std::string many;
  for (int i = 0; i < 500; ++i) many += "w" + std::string(1, static_cast<char>('a' + i % 26)) + " ";
  CHECK(NormalizeMessage(many, &sig) == kMaxTokens);
  CHECK(Sig(std::string(100000, 'x')) == "<*>");
}

TEST_CASE("SplitSignature inverts the join") {
  CHECK(SplitSignature("a <*> c") == std::vector<std::string>{"a", "<*>", "c"});
  CHECK(SplitSignature("").empty());
}

TEST_CASE("values that span tokens are one <*>") {
  // A body after the prefix ends the signature, however long.
  std::string html = "Payment gateway returned an error page: status=502 body=<!DOCTYPE html>";
  for (int i = 0; i < 500; ++i) html += " <p>line " + std::to_string(i) + " of the page</p>";
  CHECK(Sig(html) == "Payment gateway returned an error page: status=<*> body=<*>");
  CHECK(Sig("Unexpected response from warehouse API: {\"error\": {\"code\": 409}}") ==
        "Unexpected response from warehouse API: <*>");
  CHECK(Sig("bad reply from billing: {\n  \"items\": []\n}") == "bad reply from billing: <*>");
  // Not a body: a brace in prose, and a body with nothing before it.
  CHECK(Sig("MotionEvent { action=ACTION_DOWN, x=3 }") == "MotionEvent { action=ACTION_DOWN, x=<*> }");
  CHECK(Sig("{\"event\": \"x\"}") != "<*>");
  // A quoted text keeps its first word; the rest is one value.
  CHECK(Sig("upstream said \"no healthy upstream\"") == "upstream said \"no <*>\"");
  CHECK(Sig("upstream said \"connection reset by peer\", giving up") ==
        "upstream said \"connection <*>\", giving up");
  CHECK(Sig("upstream said \"HTTP/1.1 500 Internal Server Error\"") == "upstream said \"<*> <*>\"");
  // Lists: in brackets, or three and more bare items.
  CHECK(Sig("unknown flags [dark_mode, beta_checkout, new_search] for acme") ==
        "unknown flags [<*>] for acme");
  CHECK(Sig("for tenants: acme, globex, initech (queue full)") == "for tenants: <*> (queue full)");
  CHECK(Sig("close, retrying later") == "close, retrying later");
  // A quantity restated in other units says nothing new.
  CHECK(Sig("close, 2126 bytes (2.07 KB) sent, 816 bytes received") ==
        Sig("close, 2126 bytes sent, 816 bytes (0.80 KB) received"));
}

TEST_CASE("without spans, the signature is the one tokens give") {
  std::string sig;
  bool used = true;
  NormalizeMessage("dependency redis unhealthy", &sig, 0, &used);
  CHECK_FALSE(used);
  NormalizeMessage("upstream said \"no healthy upstream\"", &sig, 0, &used);
  CHECK(used);
  NormalizeMessage("upstream said \"no healthy upstream\"", &sig, 0, &used, false);
  CHECK(sig == "upstream said \"no healthy upstream\"");
  CHECK_FALSE(used);
}

}  // namespace
}  // namespace triage
