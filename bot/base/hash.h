// Hashes we control: fingerprints must not change with the compiler or the
// standard library, so std::hash is never used for them.
#ifndef TRIAGE_BOT_BASE_HASH_H_
#define TRIAGE_BOT_BASE_HASH_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace triage {

// The first 16 hex digits (64 bits) of SHA-256(text).
std::string Fingerprint(std::string_view text);

// FNV-1a, 64 bits: for in-memory tables only.
inline uint64_t Fnv1a64(std::string_view text) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace triage

#endif  // TRIAGE_BOT_BASE_HASH_H_
