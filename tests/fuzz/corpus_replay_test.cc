// Runs every seed of the fuzz targets and every input a fuzzer once broke
// them with through the same checks, in the ordinary test run: a crash
// found by fuzzing stays fixed without a fuzzer.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/fuzz/targets.h"

namespace triage::fuzz {
namespace {

namespace fs = std::filesystem;

// Lists the reproducers of bugs not fixed yet, one file name a line ('#'
// starts a comment). They are skipped, and the list must name real files.
constexpr const char* kKnownFailing = "KNOWN_FAILING";

fs::path FuzzDir() { return fs::path(GARDENER_SOURCE_DIR) / "tests" / "fuzz"; }

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path.string());
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::set<std::string> KnownFailing(const fs::path& dir) {
  std::set<std::string> names;
  if (!fs::exists(dir / kKnownFailing)) return names;
  std::istringstream lines(ReadBytes(dir / kKnownFailing));
  for (std::string line; std::getline(lines, line);) {
    line = line.substr(0, line.find('#'));
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    if (!line.empty()) names.insert(line);
  }
  return names;
}

// The inputs in `dir`, sorted so that failures come in the same order.
std::vector<fs::path> Inputs(const fs::path& dir) {
  std::vector<fs::path> files;
  if (!fs::is_directory(dir)) return files;
  for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().filename() != kKnownFailing) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Runs the inputs of tests/fuzz/<kind>/<target> and returns how many ran.
size_t Replay(const FuzzTarget& target, const std::string& kind) {
  const fs::path dir = FuzzDir() / kind / std::string(target.name);
  const std::set<std::string> known = KnownFailing(dir);
  size_t ran = 0;
  for (const fs::path& path : Inputs(dir)) {
    const std::string name = path.filename().string();
    if (known.count(name)) {
      MESSAGE("skipped, listed in " << std::string(kKnownFailing) << ": " << kind << "/"
                                    << std::string(target.name) << "/" << name);
      continue;
    }
    const std::string bytes = ReadBytes(path);
    const std::string problem =
        target.run(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    CHECK_MESSAGE(problem.empty(),
                  kind << "/" << std::string(target.name) << "/" << name << ": " << problem);
    ++ran;
  }
  for (const std::string& name : known) {
    CHECK_MESSAGE(fs::exists(dir / name),
                  std::string(kKnownFailing) << " names a missing file: " << name);
  }
  return ran;
}

TEST_CASE("Fuzz corpus: every seed passes its target's checks") {
  for (const FuzzTarget& target : kFuzzTargets) {
    INFO("target ", std::string(target.name));
    CHECK(Replay(target, "corpus") > 0);
  }
}

TEST_CASE("Fuzz corpus: every saved fuzzer finding passes its target's checks") {
  for (const FuzzTarget& target : kFuzzTargets) Replay(target, "regressions");
}

TEST_CASE("Fuzz corpus: only the known targets have inputs") {
  std::set<std::string> names;
  for (const FuzzTarget& target : kFuzzTargets) names.insert(std::string(target.name));
  for (const std::string kind : {"corpus", "regressions"}) {
    if (!fs::is_directory(FuzzDir() / kind)) continue;
    for (const fs::directory_entry& e : fs::directory_iterator(FuzzDir() / kind)) {
      CHECK_MESSAGE(names.count(e.path().filename().string()),
                    "tests/fuzz/" << kind << "/" << e.path().filename().string()
                                  << " is not a fuzz target");
    }
  }
}

}  // namespace
}  // namespace triage::fuzz
