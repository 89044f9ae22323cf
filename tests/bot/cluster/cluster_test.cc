#include "bot/cluster/cluster.h"
#include "bot/cluster/normalize.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace triage {
namespace {

LogEntry Entry(const std::string& id, const std::string& message, int64_t t_us = 0,
               const std::string& function = "", int line = 0) {
  LogEntry e;
  e.id = id;
  e.message = message;
  e.text = message;
  e.timestamp_us = t_us;
  e.severity = Severity::kWarning;
  e.has_severity = true;
  e.service = "svc";
  e.revision = "svc-001";
  e.location.module = function.empty() ? "" : "app.mod";
  e.location.function = function;
  e.location.line = line;
  return e;
}

std::vector<Cluster> Run(const std::vector<LogEntry>& entries, std::vector<uint32_t>* ids = nullptr) {
  Clusterer clusterer;
  std::vector<uint32_t> groups;
  for (const LogEntry& e : entries) groups.push_back(clusterer.Add(e));
  std::vector<uint32_t> group_cluster;
  std::vector<Cluster> clusters = clusterer.Finish(&group_cluster);
  if (ids) {
    ids->clear();
    for (uint32_t g : groups) ids->push_back(group_cluster[g]);
  }
  return clusters;
}

const Cluster* Find(const std::vector<Cluster>& clusters, const std::string& needle) {
  for (const Cluster& c : clusters) {
    if (c.template_text.find(needle) != std::string::npos) return &c;
  }
  return nullptr;
}

TEST_CASE("entries that differ in values are one cluster with counts and times") {
  const int64_t h = 3600LL * 1000000;
  std::vector<LogEntry> entries = {
      Entry("a", "timeout after 120ms on conn 7", 10 * h + 5, "send", 10),
      Entry("b", "timeout after 98ms on conn 9", 11 * h + 7, "send", 12),
      Entry("c", "timeout after 300ms on conn 1", 10 * h + 9, "send", 10),
  };
  entries[1].severity = Severity::kError;
  entries[1].revision = "svc-002";
  auto clusters = Run(entries);
  REQUIRE(clusters.size() == 1);
  const Cluster& c = clusters[0];
  CHECK(c.count == 3);
  CHECK(c.template_text == "timeout after <*> on conn <*>");
  CHECK(c.severity_counts.at(Severity::kWarning) == 2);
  CHECK(c.severity_counts.at(Severity::kError) == 1);
  CHECK(c.max_severity == Severity::kError);
  CHECK(c.first_seen_us == 10 * h + 5);
  CHECK(c.last_seen_us == 11 * h + 7);
  CHECK(c.revisions == std::vector<std::string>{"svc-001", "svc-002"});
  CHECK(c.call_sites == std::vector<std::string>{"app.mod.send:10", "app.mod.send:12"});
  CHECK(c.hourly.at(10 * h) == 2);
  CHECK(c.hourly.at(11 * h) == 1);
  REQUIRE(!c.samples.empty());
  CHECK(c.samples.front().id == "a");
  CHECK(c.samples.back().id == "b");
  CHECK(std::find(c.fingerprints.begin(), c.fingerprints.end(), c.key) != c.fingerprints.end());
  CHECK(c.key.size() == 16);
}

TEST_CASE("a fingerprint survives deploys, other traffic and order") {
  auto key_of = [](std::vector<LogEntry> entries) {
    auto clusters = Run(entries);
    const Cluster* c = Find(clusters, "permissive authentication");
    REQUIRE(c != nullptr);
    return c->key;
  };
  LogEntry before = Entry("1", "permissive authentication for connection main_6a878502", 1, "_handle_main_mode", 741);
  LogEntry after = Entry("2", "permissive authentication for connection main_855ac634", 2, "_handle_main_mode", 748);
  after.revision = "svc-099";
  std::string alone = key_of({before});
  CHECK(key_of({after}) == alone);
  std::vector<LogEntry> busy = {before, after};
  for (int i = 0; i < 50; ++i) {
    busy.push_back(Entry("n" + std::to_string(i), "cache miss for key k" + std::to_string(i), 3, "get", 5));
    busy.push_back(Entry("m" + std::to_string(i), "worker " + std::string(1, 'a' + i % 26) + "x started", 3, "boot", 9));
  }
  CHECK(key_of(busy) == alone);
  std::mt19937 rng(7);
  std::shuffle(busy.begin(), busy.end(), rng);
  CHECK(key_of(busy) == alone);
}

TEST_CASE("what differs in kind stays apart") {
  std::vector<LogEntry> entries = {
      Entry("1", "operation failed", 0, "load_cart"),
      Entry("2", "operation failed", 0, "save_cart"),
      Entry("3", "operation failed", 0, "load_cart"),
  };
  entries[2].exception = "KeyError";
  LogEntry other_service = entries[0];
  other_service.service = "other";
  entries.push_back(other_service);
  auto clusters = Run(entries);
  CHECK(clusters.size() == 4);
  std::vector<std::string> keys;
  for (const Cluster& c : clusters) keys.push_back(c.key);
  std::sort(keys.begin(), keys.end());
  CHECK(std::unique(keys.begin(), keys.end()) == keys.end());
}

TEST_CASE("one problem whatever the length of its values, and its old keys stay") {
  std::vector<LogEntry> entries;
  // Values that vary in length, each length with more than three values.
  const char* names[] = {"Mary", "Ann Lee", "Kim", "Li Wei", "Park", "Jo Kim", "Lee", "Mary Park"};
  const char* errors[] = {"connection reset by peer", "no healthy upstream", "unexpected EOF",
                          "tls handshake failure"};
  for (int i = 0; i < 16; ++i) {
    entries.push_back(Entry("c" + std::to_string(i),
                            "Order o" + std::to_string(i) + " rejected for customer " +
                                names[i % 8] + ": address incomplete",
                            i, "check_address", 40));
    entries.push_back(Entry("q" + std::to_string(i),
                            std::string("search failed: upstream said \"") + errors[i % 4] + "\"",
                            i, "query", 7));
  }
  std::vector<uint32_t> ids;
  auto clusters = Run(entries, &ids);
  CHECK(clusters.size() == 2);
  for (size_t i = 2; i < ids.size(); ++i) CHECK(ids[i] == ids[i % 2]);
  // The key a message had when quoted texts were masked word by word (a
  // cluster of that message alone) is among the fingerprints of the problem
  // it is in now, so an issue filed under it still finds the problem.
  std::string old_sig;
  NormalizeMessage(entries[1].message, &old_sig, 0, nullptr, false);
  CHECK(old_sig == "search failed: upstream said \"connection reset by peer\"");
  const std::string old_key = TemplateFingerprint("svc\x1f" "app.mod.query\x1f\x1f", old_sig);
  const Cluster& q = clusters[ids[1]];
  CHECK(q.template_text == "search failed: upstream said \"<*> <*>\"");
  CHECK(q.key != old_key);
  CHECK(std::find(q.fingerprints.begin(), q.fingerprints.end(), old_key) != q.fingerprints.end());
}

TEST_CASE("request logs: any route for a 4xx, one route per 5xx") {
  auto request = [](const std::string& id, const std::string& route, int status) {
    LogEntry e;
    e.id = id;
    e.group_key = "http";
    e.http_status = status;
    e.message = "GET " + std::to_string(status) + (status >= 500 ? " " + route : "");
    e.literal_tokens = status >= 500 ? 3 : 2;
    e.location.module = "http";
    e.location.function = "GET " + route;
    return e;
  };
  std::vector<uint32_t> ids;
  auto clusters = Run({request("1", "/api/stats", 404), request("2", "/api/performance", 404),
                       request("3", "/v1/carts/<*>", 500), request("4", "/v1/users/<*>", 500),
                       request("5", "/v1/carts/<*>", 500)},
                      &ids);
  CHECK(clusters.size() == 3);
  CHECK(ids[0] == ids[1]);
  CHECK(ids[2] == ids[4]);
  CHECK(ids[2] != ids[3]);
  const Cluster* not_found = Find(clusters, "GET 404");
  REQUIRE(not_found != nullptr);
  CHECK(not_found->call_sites.size() == 2);
}

TEST_CASE("clusters come largest first and every entry is assigned") {
  std::vector<LogEntry> entries;
  for (int i = 0; i < 5; ++i) entries.push_back(Entry("a" + std::to_string(i), "alpha " + std::to_string(i)));
  for (int i = 0; i < 9; ++i) entries.push_back(Entry("b" + std::to_string(i), "beta " + std::to_string(i)));
  std::vector<uint32_t> ids;
  auto clusters = Run(entries, &ids);
  REQUIRE(clusters.size() == 2);
  CHECK(clusters[0].count == 9);
  CHECK(clusters[0].template_text == "beta <*>");
  CHECK(ids[0] == 1);
  CHECK(ids[5] == 0);
}

TEST_CASE("samples are bounded") {
  std::vector<LogEntry> entries;
  for (int i = 0; i < 100; ++i) {
    entries.push_back(Entry(std::to_string(i), "login failed for " + std::string(1, 'a' + i % 26) + "user" + std::string(1, 'a' + i / 26), i + 1));
  }
  ClusterOptions options;
  auto clusters = Run(entries);
  REQUIRE(clusters.size() == 1);
  CHECK(clusters[0].samples.size() <= options.max_samples);
  CHECK(clusters[0].fingerprints.size() <= options.max_fingerprints + 3);
  CHECK(clusters[0].samples.back().id == "99");
}

}  // namespace
}  // namespace triage

namespace triage {
namespace {

// A word variable the masks miss (letters only, all different) must not
// make memory grow with the entries.
TEST_CASE("a crowded position is masked, so groups stay bounded") {
  Clusterer clusterer;
  std::mt19937 rng(11);
  for (int i = 0; i < 20000; ++i) {
    std::string word;
    for (int k = 0; k < 10; ++k) word.push_back(static_cast<char>('a' + rng() % 26));
    LogEntry e;
    e.id = std::to_string(i);
    e.message = "login failed for " + word + " from office";
    clusterer.Add(e);
  }
  ClusterOptions defaults;
  CHECK(clusterer.group_count() <= defaults.max_groups_per_bucket + 1);
  std::vector<uint32_t> group_cluster;
  std::vector<Cluster> clusters = clusterer.Finish(&group_cluster);
  REQUIRE(clusters.size() == 1);
  CHECK(clusters[0].count == 20000);
  CHECK(clusters[0].template_text == "login failed for <*> from office");
}

}  // namespace
}  // namespace triage
