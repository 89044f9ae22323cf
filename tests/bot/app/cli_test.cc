#include "bot/app/cli.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/cli_support.h"

namespace triage {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using testing::ReadFile;
using testing::Run;
using testing::RunArgs;
using testing::TempDir;
using Strings = std::vector<std::string>;

// Five entries around 2025-01-01T00:00Z: two of one problem in checkout, one
// an hour before the others, one INFO, one WARNING in cart.
const char kEntries[] =
    R"({"insertId":"e1","timestamp":"2025-01-01T00:30:00Z","severity":"ERROR","resource":{"labels":{"service_name":"checkout"}},"jsonPayload":{"message":"payment failed for order 42"}})"
    "\n"
    R"({"insertId":"e2","timestamp":"2025-01-01T00:45:00Z","severity":"ERROR","resource":{"labels":{"service_name":"checkout"}},"jsonPayload":{"message":"payment failed for order 43"}})"
    "\n"
    R"({"insertId":"e3","timestamp":"2024-12-31T23:00:00Z","severity":"ERROR","resource":{"labels":{"service_name":"cart"}},"jsonPayload":{"message":"cache miss storm"}})"
    "\n"
    R"({"insertId":"e4","timestamp":"2025-01-01T00:50:00Z","severity":"INFO","resource":{"labels":{"service_name":"cart"}},"jsonPayload":{"message":"started"}})"
    "\n"
    R"({"insertId":"e5","timestamp":"2025-01-01T00:55:00Z","severity":"WARNING","resource":{"labels":{"service_name":"cart"}},"jsonPayload":{"message":"slow query took 1234 ms"}})"
    "\n";

json ParseJsonOut(const Run& r) {
  INFO("stdout: " << r.out);
  INFO("stderr: " << r.err);
  REQUIRE(r.code == 0);
  REQUIRE(json::accept(r.out));
  return json::parse(r.out);
}

// The clusters' templates in order, joined by " | ".
std::string Templates(const json& out) {
  std::string t;
  for (const json& c : out.at("clusters")) {
    t += (t.empty() ? "" : " | ") + c.at("template").get<std::string>();
  }
  return t;
}

// The version is CMakeLists.txt's project version, and the commit git's
// (or "unknown" where the tree is not a git checkout).
TEST_CASE("cli: --version prints the project's version and the commit") {
  std::string cmake = ReadFile(std::string(GARDENER_SOURCE_DIR) + "/CMakeLists.txt");
  std::smatch m;
  REQUIRE(std::regex_search(cmake, m, std::regex(R"(project\(gcp_log_gardener VERSION ([0-9.]+))")));
  const std::regex line("gcp-log-gardener " + std::regex_replace(m[1].str(), std::regex(R"(\.)"), R"(\.)") +
                        R"( \(commit ([0-9a-f]{12}|unknown)\)\n)");
  for (const Strings& args : {Strings{"--version"}, Strings{"cluster", "--version"}}) {
    Run r = RunArgs(args);
    CHECK(r.code == 0);
    CHECK_MESSAGE(std::regex_match(r.out, line), r.out);
    CHECK(r.err == "");
  }
}

TEST_CASE("cli: --help prints usage on stdout") {
  SUBCASE("top level") {
    Run r = RunArgs({"--help"});
    CHECK(r.code == 0);
    CHECK(r.err == "");
    CHECK(r.out.find("Usage: gcp-log-gardener [OPTIONS] SUBCOMMAND") != std::string::npos);
    CHECK(r.out.find("cluster") != std::string::npos);
  }
  SUBCASE("cluster") {
    Run r = RunArgs({"cluster", "--help"});
    CHECK(r.code == 0);
    CHECK(r.err == "");
    CHECK(r.out.find("--input") != std::string::npos);
    CHECK(r.out.find("--min-severity") != std::string::npos);
    CHECK(r.out.find("--assignments") != std::string::npos);
  }
}

// CLI11's help() on a subcommand names only the subcommand unless given
// the parent's name, so the usage line reads "Usage: cluster [OPTIONS]".
TEST_CASE("cli: cluster --help names the program in its usage line") {
  Run r = RunArgs({"cluster", "--help"});
  CHECK(r.out.find("Usage: gcp-log-gardener cluster [OPTIONS]") != std::string::npos);
}

TEST_CASE("cli: usage errors exit 2 with one line on stderr") {
  struct Case {
    Strings args;
    std::string err;
  };
  const Case cases[] = {
      {{}, "gcp-log-gardener: A subcommand is required (see gcp-log-gardener --help)\n"},
      {{"cluster"},
       "gcp-log-gardener cluster: --input is required (see gcp-log-gardener cluster --help)\n"},
      {{"cluster", "-i", "x", "--bogus"},
       "gcp-log-gardener cluster: The following argument was not expected: --bogus "
       "(see gcp-log-gardener cluster --help)\n"},
      {{"cluster", "-i", "x", "--format", "bogus"},
       "gcp-log-gardener: --format: expected auto, gcp-json, ndjson or lines, got 'bogus'\n"},
      {{"cluster", "-i", "x", "--min-severity", "LOUD"},
       "gcp-log-gardener: --min-severity: unknown severity 'LOUD'\n"},
      {{"cluster", "-i", "x", "--since", "yesterday"},
       "gcp-log-gardener: --since: expected an RFC 3339 time or a duration like 24h, got 'yesterday'\n"},
      {{"cluster", "-i", "x", "--until", "5x"},
       "gcp-log-gardener: --until: expected an RFC 3339 time or a duration like 24h, got '5x'\n"},
      {{"cluster", "-i", "x", "--now", "noon"},
       "gcp-log-gardener: --now: expected an RFC 3339 time, got 'noon'\n"},
  };
  for (const Case& c : cases) {
    Run r = RunArgs(c.args);
    CAPTURE(r.err);
    CHECK(r.code == 2);
    CHECK(r.out == "");
    CHECK(r.err == c.err);
  }
}

TEST_CASE("cli: a missing input file names the path") {
  TempDir dir;
  const std::string path = dir.Path("no-such-file.json");
  Run r = RunArgs({"cluster", "--input", path});
  CHECK(r.code == 2);
  CHECK(r.out == "");
  CHECK(r.err == "gcp-log-gardener: " + path + ": cannot open: No such file or directory\n");
}

TEST_CASE("cli: text that is not JSON points at --format lines") {
  TempDir dir;
  const std::string path = dir.Write("app.log", "hello\n");
  Run r = RunArgs({"cluster", "-i", path});
  CHECK(r.code == 2);
  CHECK(r.err == "gcp-log-gardener: " + path +
                     ": byte 0: not JSON log entries: expected '[' or '{', found 'h' "
                     "(for plain text use --format lines)\n");
}

TEST_CASE("cli: cluster --json") {
  TempDir dir;
  const std::string input = dir.Write("entries.ndjson", kEntries);
  json out = ParseJsonOut(RunArgs({"cluster", "-i", input, "--json"}));
  REQUIRE(out.at("clusters").is_array());
  // Largest first; INFO is below the default floor of WARNING.
  CHECK(Templates(out) ==
        "payment failed for order <*> | cache miss storm | slow query took <*> ms");
  for (const json& c : out.at("clusters")) {
    const std::string key = c.at("key").get<std::string>();
    CHECK(key.size() == 16);
    CHECK(key.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(c.at("fingerprints") == json::array({key}));
  }
  const json& first = out.at("clusters").at(0);
  CHECK(first.at("count") == 2);
  CHECK(first.at("service") == "checkout");
  CHECK(first.at("max_severity") == "ERROR");
  CHECK(first.at("first_seen") == "2025-01-01T00:30:00.000000Z");
  CHECK(first.at("last_seen") == "2025-01-01T00:45:00.000000Z");
  CHECK(out.at("clusters").at(1).at("count") == 1);
  CHECK(out.at("clusters").at(2).at("count") == 1);
  CHECK(out.at("stats") == json{{"clustered", 4}, {"clusters", 3}, {"entries_read", 5},
                                {"filtered_out", 1}, {"malformed", 0}});
}

TEST_CASE("cli: --since with --now keeps the window") {
  TempDir dir;
  const std::string input = dir.Write("entries.ndjson", kEntries);
  json out = ParseJsonOut(RunArgs(
      {"cluster", "-i", input, "--json", "--since", "1h", "--now", "2025-01-01T01:00:00Z"}));
  // e3 (23:00, before the window) and e4 (INFO) are out.
  CHECK(Templates(out) == "payment failed for order <*> | slow query took <*> ms");
  CHECK(out.at("stats").at("filtered_out") == 2);
  CHECK(out.at("stats").at("clustered") == 3);

  SUBCASE("--until is exclusive") {
    json w = ParseJsonOut(RunArgs({"cluster", "-i", input, "--json", "--since",
                                   "2025-01-01T00:30:00Z", "--until", "2025-01-01T00:45:00Z"}));
    CHECK(Templates(w) == "payment failed for order <*>");
    CHECK(w.at("clusters").at(0).at("count") == 1);
    CHECK(w.at("stats").at("filtered_out") == 4);
  }
  SUBCASE("without --now the clock given to RunCli is used") {
    json late = ParseJsonOut(RunArgs({"cluster", "-i", input, "--json", "--since", "1h"}));
    CHECK(late.at("clusters").empty());
    CHECK(late.at("stats").at("filtered_out") == 5);
  }
}

TEST_CASE("cli: --service filters") {
  TempDir dir;
  const std::string input = dir.Write("entries.ndjson", kEntries);
  json one = ParseJsonOut(RunArgs({"cluster", "-i", input, "--json", "--service", "checkout"}));
  CHECK(Templates(one) == "payment failed for order <*>");
  CHECK(one.at("stats").at("filtered_out") == 3);

  json two = ParseJsonOut(RunArgs(
      {"cluster", "-i", input, "--json", "--service", "cart", "--service", "checkout"}));
  CHECK(two.at("stats").at("clustered") == 4);

  json none = ParseJsonOut(RunArgs({"cluster", "-i", input, "--json", "--service", "nope"}));
  CHECK(none.at("clusters").empty());
  CHECK(none.at("stats").at("filtered_out") == 5);
}

TEST_CASE("cli: --assignments writes id,key per clustered entry") {
  TempDir dir;
  const std::string input = dir.Write("entries.ndjson", kEntries);
  const std::string csv = dir.Path("assign.csv");
  json out = ParseJsonOut(RunArgs({"cluster", "-i", input, "--json", "--assignments", csv}));
  const std::string pay = out.at("clusters").at(0).at("key").get<std::string>();
  const std::string cache = out.at("clusters").at(1).at("key").get<std::string>();
  const std::string slow = out.at("clusters").at(2).at("key").get<std::string>();
  CHECK(pay != cache);
  CHECK(cache != slow);
  CHECK(ReadFile(csv) == "id,key\n"
                         "e1," + pay + "\n"
                         "e2," + pay + "\n"
                         "e3," + cache + "\n"
                         "e5," + slow + "\n");
}

TEST_CASE("cli: --format lines") {
  TempDir dir;
  const std::string input = dir.Write("app.log", "disk full on /dev/sda1\nconnection refused\r\n");
  SUBCASE("no --min-severity: every line is clustered") {
    const std::string csv = dir.Path("a.csv");
    json out = ParseJsonOut(
        RunArgs({"cluster", "-i", input, "--format", "lines", "--json", "--assignments", csv}));
    CHECK(out.at("stats").at("clustered") == 2);
    CHECK(out.at("stats").at("filtered_out") == 0);
    CHECK(out.at("clusters").size() == 2);
    std::string rows = ReadFile(csv);
    CHECK(rows.rfind("id,key\n1,", 0) == 0);
    CHECK(rows.find("\n2,") != std::string::npos);
  }
  SUBCASE("--min-severity ERROR drops lines, which have no severity") {
    json out = ParseJsonOut(RunArgs(
        {"cluster", "-i", input, "--format", "lines", "--json", "--min-severity", "ERROR"}));
    CHECK(out.at("clusters").empty());
    CHECK(out.at("stats") == json{{"clustered", 0}, {"clusters", 0}, {"entries_read", 2},
                                  {"filtered_out", 2}, {"malformed", 0}});
  }
}

TEST_CASE("cli: table output and --output") {
  TempDir dir;
  const std::string input = dir.Write("entries.ndjson", kEntries);
  Run r = RunArgs({"cluster", "-i", input, "--service", "cart"});
  CHECK(r.code == 0);
  CHECK(r.out.rfind("   COUNT  SEVERITY  KEY               TEMPLATE (call site)\n", 0) == 0);
  CHECK(r.out.find("\n2 clusters from 2 entries (5 read, 3 filtered out, 0 malformed)\n") !=
        std::string::npos);

  const std::string out_path = dir.Path("out.json");
  Run w = RunArgs({"cluster", "-i", input, "--json", "-o", out_path});
  CHECK(w.code == 0);
  CHECK(w.out == "");
  CHECK(json::parse(ReadFile(out_path)).at("stats").at("clustered") == 4);
}

TEST_CASE("cli: malformed entries are skipped and reported") {
  TempDir dir;
  const std::string text = R"([{"insertId":"a","severity":"ERROR","textPayload":"x"}, {"bad": }])";
  const std::string input = dir.Write("mixed.json", text);
  Run r = RunArgs({"cluster", "-i", input, "--json"});
  CHECK(r.code == 0);
  CHECK(r.err.rfind("gcp-log-gardener: " + input + ": skipped 1 malformed entry (first at byte " +
                        std::to_string(text.find("{\"bad\"")) + ": ",
                    0) == 0);
  CHECK(json::parse(r.out).at("stats").at("malformed") == 1);

  const std::string all_bad = dir.Write("bad.json", R"([{"bad": }])");
  Run b = RunArgs({"cluster", "-i", all_bad});
  CHECK(b.code == 2);
  CHECK(b.err.rfind("gcp-log-gardener: " + all_bad + ": byte 1: no valid log entry: ", 0) == 0);
}

}  // namespace
}  // namespace triage
