// Runs a GoogleSQL statement on ZetaSQL's reference implementation (the
// test tool in tests/fixtures/zetasql) over entries in the Log Analytics
// schema, and gives its answer in BigQuery's f/v shape. For the Log
// Analytics tests and the fake BigQuery's rows.
#ifndef TRIAGE_TESTS_SUPPORT_FAKE_BIGQUERY_ZETASQL_H_
#define TRIAGE_TESTS_SUPPORT_FAKE_BIGQUERY_ZETASQL_H_

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/stat.h>

namespace triage {
namespace testing {

inline const std::string& ZetaSqlFolder() {
  static const std::string kFolder = std::string(GARDENER_SOURCE_DIR) + "/tests/fixtures/zetasql";
  return kFolder;
}

inline const char* kZetaSqlInstall =
    "npm install --no-audit --no-fund --no-package-lock --ignore-scripts --prefix tests/fixtures/zetasql";

// True when the engine is installed; else says why in *why.
inline bool ZetaSqlInstalled(std::string* why) {
  struct stat st;
  const std::string binary =
      ZetaSqlFolder() + "/node_modules/@fivetrandevelopers/zetasql/lib/zetasql/remote_server.so";
  if (stat(binary.c_str(), &st) != 0) {
    *why = "missing " + binary + ": install the test tool with " + kZetaSqlInstall;
    return false;
  }
  if (std::system("node --version > /dev/null 2>&1") != 0) {
    *why = "node is not on PATH";
    return false;
  }
  return true;
}

// `request` as evaluate.js takes it ({"sql"|"body", "params", "table",
// "entries"}); the answer object, or {"error": ...}.
inline nlohmann::json EvaluateOnZetaSql(const nlohmann::json& request, const std::string& dir) {
  static int serial = 0;
  const std::string stem = dir + "/zetasql-" + std::to_string(++serial);
  {
    std::ofstream out(stem + ".json");
    out << request.dump();
  }
  const std::string command =
      "node '" + ZetaSqlFolder() + "/evaluate.js' '" + stem + ".json' > '" + stem + ".out' 2> '" + stem + ".err'";
  const int status = std::system(command.c_str());
  std::ifstream in(stem + ".out");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  nlohmann::json answer = nlohmann::json::parse(text, nullptr, false);
  if (!answer.is_object()) {
    std::ifstream err(stem + ".err");
    std::string why((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
    return {{"error", "evaluate.js exited with " + std::to_string(status) + ": " + why}};
  }
  return answer;
}

}  // namespace testing
}  // namespace triage

#endif  // TRIAGE_TESTS_SUPPORT_FAKE_BIGQUERY_ZETASQL_H_
