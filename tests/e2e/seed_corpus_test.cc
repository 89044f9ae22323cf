// The clustering against the seed scenarios' truth (../shared/data/
// netra-staging/truth.json): template-level groups and fingerprints that
// hold across scenarios, line changes included.
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

#include "bot/ingest/collect.h"

namespace triage {
namespace {

const std::string kData = std::string(GARDENER_SHARED_DIR) + "/data/netra-staging/";

nlohmann::json Truth() {
  std::ifstream in(kData + "truth.json");
  REQUIRE_MESSAGE(in.good(), "missing " << kData << "truth.json");
  return nlohmann::json::parse(in);
}

struct ScenarioRun {
  std::map<std::string, std::string> key_of;                // insertId -> key
  std::map<std::string, std::set<std::string>> fps_of_key;  // key -> fingerprints
};

ScenarioRun ClusterScenario(const std::string& file) {
  char path[] = "/tmp/seed-assign-XXXXXX";
  int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  close(fd);
  CollectOptions options;
  options.input = kData + file;
  options.keep_assignments = true;
  Result<CollectResult> result = CollectAndCluster(options);
  REQUIRE_MESSAGE(result.has_value(), result.error().message);
  Result<Ok> written = WriteAssignments(result.value(), path);
  REQUIRE_MESSAGE(written.has_value(), written.error().message);
  ScenarioRun run;
  for (const Cluster& c : result.value().clusters) {
    run.fps_of_key[c.key] = std::set<std::string>(c.fingerprints.begin(), c.fingerprints.end());
  }
  std::ifstream csv(path);
  std::string line;
  std::getline(csv, line);
  CHECK(line == "id,key");
  while (std::getline(csv, line)) {
    size_t comma = line.find(',');
    run.key_of[line.substr(0, comma)] = line.substr(comma + 1);
  }
  std::remove(path);
  return run;
}

// Pairwise precision and recall of the predicted keys against truth groups.
std::pair<double, double> Pairwise(const std::vector<std::vector<std::string>>& groups,
                                   const std::map<std::string, std::string>& key_of) {
  std::map<std::pair<size_t, std::string>, long> cell;
  std::map<std::string, long> predicted;
  long truth_pairs = 0;
  for (size_t g = 0; g < groups.size(); ++g) {
    long n = static_cast<long>(groups[g].size());
    truth_pairs += n * (n - 1) / 2;
    for (const std::string& id : groups[g]) {
      auto it = key_of.find(id);
      std::string key = it == key_of.end() ? "missing:" + id : it->second;
      ++cell[{g, key}];
      ++predicted[key];
    }
  }
  long both = 0, pred_pairs = 0;
  for (const auto& [k, n] : cell) both += n * (n - 1) / 2;
  for (const auto& [k, n] : predicted) pred_pairs += n * (n - 1) / 2;
  return {pred_pairs ? double(both) / pred_pairs : 1.0, truth_pairs ? double(both) / truth_pairs : 1.0};
}

TEST_CASE("seed scenarios: clusters match the template-level truth") {
  nlohmann::json truth = Truth();
  std::map<std::string, ScenarioRun> runs;
  std::map<std::string, std::vector<std::string>> members_of_group;
  for (const auto& scenario : truth["scenarios"]) {
    std::string file = scenario["file"];
    std::string name = file.substr(0, file.size() - 5);
    runs[name] = ClusterScenario(file);
    std::vector<std::vector<std::string>> groups;
    for (const auto& cluster : scenario["clusters"]) {
      for (const auto& group : cluster["groups"]) {
        groups.push_back(group["members"].get<std::vector<std::string>>());
        members_of_group[group["id"]] = groups.back();
      }
    }
    auto [precision, recall] = Pairwise(groups, runs[name].key_of);
    CAPTURE(name);
    CHECK(precision >= 0.95);
    CHECK(recall >= 0.95);
  }

  SUBCASE("every recurring template keeps a fingerprint") {
    for (const auto& t : truth["template_fingerprint_stability"]) {
      std::set<std::string> common;
      bool first = true;
      for (const auto& occ : t["occurrences"]) {
        const ScenarioRun& run = runs[occ["scenario"].get<std::string>()];
        std::map<std::string, int> votes;
        for (const std::string& id : members_of_group[occ["group"]]) ++votes[run.key_of.at(id)];
        std::string key;
        int best = 0;
        for (const auto& [k, n] : votes) {
          if (n > best) best = n, key = k;
        }
        const std::set<std::string>& fps = run.fps_of_key.at(key);
        if (first) {
          common = fps;
          first = false;
        } else {
          std::set<std::string> both;
          for (const std::string& f : fps) {
            if (common.count(f)) both.insert(f);
          }
          common = both;
        }
      }
      CAPTURE(t["template"].get<std::string>());
      CHECK(!common.empty());
    }
  }
}

}  // namespace
}  // namespace triage
