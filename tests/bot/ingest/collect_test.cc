// Collector and CollectAndCluster on NDJSON files: the filters (severity,
// window, services), the assignments file with mapped keys, exact counts
// at the watermarks, and input with no valid entry.
#include "bot/ingest/collect.h"

#include <doctest/doctest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/cli_support.h"

namespace triage {
namespace {

using testing::TempDir;

constexpr int64_t kSecond = 1000000;
// 2025-03-10T00:00:00Z
constexpr int64_t kT0 = 1741564800LL * kSecond;

std::string Time(int64_t seconds_after) {
  // RFC 3339 by hand, within the first minute of the hour is enough here:
  // seconds_after < 3600.
  char buf[64];
  std::snprintf(buf, sizeof buf, "2025-03-10T00:%02d:%02dZ", static_cast<int>(seconds_after / 60),
                static_cast<int>(seconds_after % 60));
  return buf;
}

std::string Entry(const std::string& id, int64_t at, const std::string& severity,
                  const std::string& service, const std::string& message) {
  return "{\"insertId\":\"" + id + "\",\"timestamp\":\"" + Time(at) + "\",\"severity\":\"" +
         severity + "\",\"resource\":{\"type\":\"cloud_run_revision\",\"labels\":{\"service_name\":\"" +
         service + "\"}},\"jsonPayload\":{\"message\":\"" + message + "\"}}\n";
}

std::string Db(int n) { return "database connection refused by host db-" + std::to_string(n); }
std::string Pay(int n) {
  return "payment gateway timeout after " + std::to_string(n) + " seconds for order";
}

// Six entries: db errors at 0, 10, 20, 30 s (svc-a), a payment warning at
// 40 s (svc-b), an INFO at 50 s.
std::string Corpus() {
  return Entry("d1", 0, "ERROR", "svc-a", Db(1)) + Entry("d2", 10, "ERROR", "svc-a", Db(2)) +
         Entry("d3", 20, "ERROR", "svc-a", Db(3)) + Entry("d4", 30, "ERROR", "svc-a", Db(4)) +
         Entry("p1", 40, "WARNING", "svc-b", Pay(5)) + Entry("i1", 50, "INFO", "svc-a", "started ok");
}

const Cluster* Find(const CollectResult& r, const std::string& needle) {
  for (const Cluster& c : r.clusters)
    if (c.template_text.find(needle) != std::string::npos) return &c;
  return nullptr;
}

TEST_CASE("collect: the default floor drops INFO, and every entry is counted once") {
  TempDir dir;
  CollectOptions o;
  o.input = dir.Write("in.ndjson", Corpus());
  Result<CollectResult> r = CollectAndCluster(o);
  REQUIRE(r);
  CHECK(r.value().read.entries == 6);
  CHECK(r.value().filtered_out == 1);
  CHECK(r.value().clustered == 5);
  REQUIRE(r.value().clusters.size() == 2);
  const Cluster* db = Find(r.value(), "database");
  const Cluster* pay = Find(r.value(), "payment");
  REQUIRE(db != nullptr);
  REQUIRE(pay != nullptr);
  CHECK(db->count == 4);
  CHECK(db->first_seen_us == kT0);
  CHECK(db->last_seen_us == kT0 + 30 * kSecond);
  CHECK(pay->count == 1);
  CHECK(pay->service == "svc-b");
}

TEST_CASE("collect: window (since inclusive, until exclusive), services and severity filter") {
  TempDir dir;
  CollectOptions o;
  o.input = dir.Write("in.ndjson", Corpus());
  SUBCASE("window") {
    o.filter.since_us = kT0 + 10 * kSecond;
    o.filter.until_us = kT0 + 30 * kSecond;
    Result<CollectResult> r = CollectAndCluster(o);
    REQUIRE(r);
    CHECK(r.value().clustered == 2);  // d2 and d3
    CHECK(r.value().filtered_out == 4);
    REQUIRE(r.value().clusters.size() == 1);
    CHECK(r.value().clusters[0].first_seen_us == kT0 + 10 * kSecond);
    CHECK(r.value().clusters[0].last_seen_us == kT0 + 20 * kSecond);
  }
  SUBCASE("services") {
    o.filter.services = {"svc-b", "svc-c"};
    Result<CollectResult> r = CollectAndCluster(o);
    REQUIRE(r);
    CHECK(r.value().clustered == 1);
    REQUIRE(r.value().clusters.size() == 1);
    CHECK(r.value().clusters[0].service == "svc-b");
  }
  SUBCASE("severity") {
    o.filter.min_severity = Severity::kError;
    Result<CollectResult> r = CollectAndCluster(o);
    REQUIRE(r);
    CHECK(r.value().clustered == 4);
    CHECK(r.value().filtered_out == 2);
    o.filter.min_severity = Severity::kDefault;
    Result<CollectResult> all = CollectAndCluster(o);
    REQUIRE(all);
    CHECK(all.value().clustered == 6);
  }
}

TEST_CASE("collect: PassesFilter lets lines without severity or time through unless asked") {
  EntryFilter f;
  f.min_severity = Severity::kError;
  f.since_us = kT0;
  LogEntry text;
  text.message = "a plain line";
  CHECK(PassesFilter(f, text));
  f.severity_explicit = true;
  CHECK_FALSE(PassesFilter(f, text));
  LogEntry old;
  old.has_severity = true;
  old.severity = Severity::kCritical;
  old.timestamp_us = kT0 - 1;
  CHECK_FALSE(PassesFilter(f, old));
  old.timestamp_us = kT0;
  CHECK(PassesFilter(f, old));
}

TEST_CASE("collect: WriteAssignments writes every clustered id with its key, mapped when asked") {
  TempDir dir;
  CollectOptions o;
  o.input = dir.Write("in.ndjson", Corpus() + Entry("has,comma", 45, "ERROR", "svc-a", Db(9)));
  o.keep_assignments = true;
  Result<CollectResult> r = CollectAndCluster(o);
  REQUIRE(r);
  const Cluster* db = Find(r.value(), "database");
  const Cluster* pay = Find(r.value(), "payment");
  REQUIRE(db != nullptr);
  REQUIRE(pay != nullptr);
  std::string path = dir.Path("assign.csv");
  REQUIRE(WriteAssignments(r.value(), path, {{db->key, "merged-problem"}}));
  std::string want = "id,key\nd1,merged-problem\nd2,merged-problem\nd3,merged-problem\n"
                     "d4,merged-problem\np1," + pay->key + "\n\"has,comma\",merged-problem\n";
  CHECK(testing::ReadFile(path) == want);
  // Unmapped, the cluster's own key; and written twice gives the same file.
  REQUIRE(WriteAssignments(r.value(), path));
  CHECK(testing::ReadFile(path).find("d1," + db->key + "\n") != std::string::npos);

  SUBCASE("not kept, or not writable: errors") {
    CollectOptions plain;
    plain.input = o.input;
    Result<CollectResult> no = CollectAndCluster(plain);
    REQUIRE(no);
    CHECK_FALSE(WriteAssignments(no.value(), path));
    CHECK_FALSE(WriteAssignments(r.value(), dir.Path("no/dir/a.csv")));
  }
}

TEST_CASE("collect: occurrences at or before each watermark, and CountAfter") {
  TempDir dir;
  CollectOptions o;
  o.input = dir.Write("in.ndjson", Corpus());
  // Unsorted with a duplicate: kept sorted and unique.
  o.count_before = {kT0 + 20 * kSecond, kT0 + 10 * kSecond, kT0 + 10 * kSecond};
  Result<CollectResult> r = CollectAndCluster(o);
  REQUIRE(r);
  const OccurrencesBefore& b = r.value().before;
  CHECK(b.times == std::vector<int64_t>{kT0 + 10 * kSecond, kT0 + 20 * kSecond});
  const Cluster* db = Find(r.value(), "database");
  const Cluster* pay = Find(r.value(), "payment");
  REQUIRE(db != nullptr);
  REQUIRE(pay != nullptr);
  // d1 (0 s) and d2 (exactly at 10 s) are at or before the first; d3 (at
  // 20 s) joins them at the second. The payment entry is after both.
  REQUIRE(b.at_or_before.count(db->key) == 1);
  CHECK(b.at_or_before.at(db->key) == std::vector<int64_t>{2, 3});
  CHECK(b.at_or_before.count(pay->key) == 0);

  CHECK(CountAfter(b, {db->key}, db->count, kT0 + 10 * kSecond) == 2);
  CHECK(CountAfter(b, {db->key}, db->count, kT0 + 20 * kSecond) == 1);
  CHECK(CountAfter(b, {pay->key}, pay->count, kT0 + 10 * kSecond) == 1);
  CHECK(CountAfter(b, {db->key, pay->key}, db->count + pay->count, kT0 + 20 * kSecond) == 2);
  // A time that is not a watermark counts everything as after it.
  CHECK(CountAfter(b, {db->key}, db->count, kT0 + 15 * kSecond) == 4);
  // Never below zero when the total given is smaller.
  CHECK(CountAfter(b, {db->key}, 1, kT0 + 20 * kSecond) == 0);
}

TEST_CASE("collect: input with only malformed entries is an error; a missing file too") {
  TempDir dir;
  CollectOptions o;
  o.input = dir.Write("bad.ndjson", "{not json\n{\"also\": \n");
  Result<CollectResult> r = CollectAndCluster(o);
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == ErrorKind::kInput);
  CHECK(r.error().message.find("no valid log entry") != std::string::npos);
  CHECK(r.error().message.find("bad.ndjson") != std::string::npos);

  // One good entry after a bad line, read as NDJSON: read, with the bad
  // one counted.
  o.format = InputFormat::kNdjson;
  o.input = dir.Write("mixed.ndjson", "{not json\n" + Entry("d1", 0, "ERROR", "svc-a", Db(1)));
  Result<CollectResult> mixed = CollectAndCluster(o);
  REQUIRE(mixed);
  CHECK(mixed.value().read.entries == 1);
  CHECK(mixed.value().read.malformed == 1);

  o.input = dir.Path("missing.ndjson");
  Result<CollectResult> missing = CollectAndCluster(o);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message.find("missing.ndjson: cannot open") != std::string::npos);
}

TEST_CASE("collect: a Collector fed directly, with counted groups filtered as their earliest") {
  CollectOptions o;
  o.filter.since_us = kT0;
  Collector c(o);
  REQUIRE(c.Start());
  LogEntry e;
  e.id = "x";
  e.has_severity = true;
  e.severity = Severity::kError;
  e.service = "svc";
  e.message = Db(1);
  e.timestamp_us = kT0 + kSecond;
  c.Add(e);
  LogEntry early = e;
  early.timestamp_us = kT0 - kSecond;
  CountedGroup counted;
  counted.count = 7;
  c.AddCounted(early, e, counted);
  ReadStats read;
  read.entries = 8;
  Result<CollectResult> r = c.Finish(read);
  REQUIRE(r);
  CHECK(r.value().clustered == 1);
  CHECK(r.value().filtered_out == 7);
  CHECK(r.value().read.entries == 8);
}

}  // namespace
}  // namespace triage
