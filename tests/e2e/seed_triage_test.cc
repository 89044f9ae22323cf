// The dry run with examples/netra-staging.yml against the seed level of
// ../shared/data/netra-staging/truth.json: the seeds' clusters (merges by
// rule included), priorities and categories.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "bot/app/cli.h"
#include "tests/support/cli_support.h"

namespace triage {
namespace {

using nlohmann::json;

const std::string kTruth = std::string(GARDENER_SHARED_DIR) + "/data/netra-staging/truth.json";
const std::string kSource = GARDENER_SOURCE_DIR;

struct DryRun {
  std::map<std::string, std::string> key_of;   // insertId -> problem key
  std::map<std::string, json> problem_of_key;  // key -> the --json item
};

DryRun RunScenario(const std::string& file, const std::string& now) {
  char path[] = "/tmp/seed-triage-XXXXXX";
  int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  close(fd);
  std::vector<std::string> args{"gcp-log-gardener", "run", "--dry-run", "--json",
                                "--config", kSource + "/examples/netra-staging.yml",
                                "--input", kSource + "/examples/netra-staging/" + file,
                                "--assignments", path, "--now", now};
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  int64_t clock = 0;
  int code = RunCli(static_cast<int>(argv.size()), argv.data(), out, err, 0,
                    testing::FakeEnvironment({}, &clock));  // no token: plans against nothing
  REQUIRE_MESSAGE(code == 0, err.str());
  DryRun run;
  json parsed = json::parse(out.str());
  for (const json& p : parsed["clusters"]) {
    run.problem_of_key[p["key"].get<std::string>()] = p;
  }
  std::ifstream csv(path);
  std::string line;
  std::getline(csv, line);
  while (std::getline(csv, line)) {
    size_t comma = line.find(',');
    run.key_of[line.substr(0, comma)] = line.substr(comma + 1);
  }
  std::remove(path);
  return run;
}

std::string Text(const json& v) { return v.is_string() ? v.get<std::string>() : ""; }

TEST_CASE("seed scenarios: the dry run gives the seeds' clusters, priorities and categories") {
  std::ifstream in(kTruth);
  REQUIRE_MESSAGE(in.good(), "missing " << kTruth);
  json truth = json::parse(in);
  std::vector<std::string> disagreements;
  int clusters = 0, priorities = 0, categories = 0;
  for (const json& scenario : truth["scenarios"]) {
    std::string file = scenario["file"];
    CAPTURE(file);
    DryRun run = RunScenario(file, scenario["seed_facts"]["seed_generated"]);
    std::set<std::string> keys_used;
    for (const json& cluster : scenario["clusters"]) {
      std::string id = cluster["id"];
      CAPTURE(id);
      std::set<std::string> keys;
      for (const json& member : cluster["members"]) keys.insert(run.key_of[member.get<std::string>()]);
      // Every entry of a seed cluster in one problem, and no other in it.
      REQUIRE(keys.size() == 1);
      const std::string& key = *keys.begin();
      CAPTURE(key);
      CHECK(keys_used.insert(key).second);
      REQUIRE(run.problem_of_key.count(key) == 1);
      const json& problem = run.problem_of_key[key];
      CHECK(problem["count"] == cluster["count"]);
      ++clusters;
      std::string seed_priority = Text(cluster["seed_priority"]);
      std::string seed_category = Text(cluster["seed_category"]);
      if (!seed_priority.empty()) {
        ++priorities;
        if (problem["priority"] != seed_priority) {
          disagreements.push_back(id + " priority " + Text(problem["priority"]) + " (seed " + seed_priority + ")");
        }
      }
      if (!seed_category.empty()) {
        ++categories;
        if (problem["category"] != seed_category) {
          disagreements.push_back(id + " category " + Text(problem["category"]) + " (seed " + seed_category + ")");
        }
      }
    }
    CHECK(keys_used.size() == run.problem_of_key.size());  // no problem the seeds lack
  }
  std::string listed;
  for (const std::string& d : disagreements) listed += "\n  " + d;
  MESSAGE(clusters << " clusters; " << priorities << " seed priorities, " << categories
                   << " seed categories; disagreements: " << disagreements.size() << listed);
  // Each is explained in the README ("Where the example disagrees with the seeds").
  CHECK(disagreements == std::vector<std::string>{
      "2025-09-12T2330/c4 priority P4 (seed P3)",
      "2025-09-14T0300/c2 priority P3 (seed P4)",
      "2025-09-14T0300/c3 priority P3 (seed P6)",
      "2025-09-15T0010/c1 priority P2 (seed P1)",
      "2025-09-15T0010/c6 category GCP-auth (seed GCP-active-dev)",
      "2025-09-15T0241/c3 priority P2 (seed P3)",
      "2025-09-15T0241/c3 category GCP-regression (seed GCP-escalated)",
  });
}

}  // namespace
}  // namespace triage
