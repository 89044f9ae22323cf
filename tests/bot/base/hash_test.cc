#include "bot/base/hash.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <set>
#include <string>

namespace triage {
namespace {

// Fingerprints name issues across runs and releases: they must be
// SHA-256 itself, not whatever hash a compiler ships. Known answers from
// FIPS 180-2 (the "abc" and one-million-'a' examples) and of "".
TEST_CASE("Fingerprint is the first 16 hex digits of SHA-256") {
  CHECK(Fingerprint("") == "e3b0c44298fc1c14");
  CHECK(Fingerprint("abc") == "ba7816bf8f01cfea");
  CHECK(Fingerprint(std::string(1000000, 'a')) == "cdc76e5c9914fb92");
}

TEST_CASE("Fingerprint hashes every byte, NUL and high bytes included") {
  const std::string with_nul("a\0b", 3);
  CHECK(Fingerprint(with_nul) == "59b271ae1bbcb1d3");
  CHECK(Fingerprint(with_nul) != Fingerprint("a"));
  CHECK(Fingerprint("\xFF") != Fingerprint("\xFE"));
  // Only the bytes in the view count, not what follows them.
  const std::string longer = "abcdef";
  CHECK(Fingerprint(std::string_view(longer).substr(0, 3)) == Fingerprint("abc"));
}

TEST_CASE("Fingerprint is 16 lower-case hex digits, and differs for near texts") {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string fingerprint = Fingerprint("GET /orders/" + std::to_string(i) + " 500");
    CAPTURE(fingerprint);
    REQUIRE(fingerprint.size() == 16);
    CHECK(fingerprint.find_first_not_of("0123456789abcdef") == std::string::npos);
    seen.insert(fingerprint);
  }
  CHECK(seen.size() == 1000);
}

// FNV-1a's published test values (offset basis for "").
TEST_CASE("Fnv1a64 is 64-bit FNV-1a") {
  CHECK(Fnv1a64("") == 0xcbf29ce484222325ull);
  CHECK(Fnv1a64("a") == 0xaf63dc4c8601ec8cull);
  CHECK(Fnv1a64("foobar") == 0x85944171f73967e8ull);
  CHECK(Fnv1a64(std::string("a\0b", 3)) == 0xe5d29919042666b2ull);
  CHECK(Fnv1a64("ab") != Fnv1a64("ba"));
}

}  // namespace
}  // namespace triage
