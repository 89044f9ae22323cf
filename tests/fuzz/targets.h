// The bodies of the fuzz targets: untrusted text in (log entries, issue
// text from GitHub, a user's YAML), checked both for crashes and for the
// promises the code makes about its output. Shared by the libFuzzer entry
// points (tests/fuzz/fuzz_*.cc) and the corpus replay test.
#ifndef TRIAGE_TESTS_FUZZ_TARGETS_H_
#define TRIAGE_TESTS_FUZZ_TARGETS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace triage::fuzz {

// Each target returns "" when every invariant it checks held, else one line
// naming the broken one. A crash (or a sanitizer report) is a failure too.

// Entry reading: the first byte picks the format (auto, gcp-json, ndjson,
// lines), or with bit 2 set EntryParser alone on one entry; the entries
// read are then clustered.
std::string FuzzEntryParse(const uint8_t* data, size_t size);

// Normalisation and clustering of messages: the first byte sets literal
// tokens, services and whether records are lines or NUL-separated texts
// that may hold stack traces.
std::string FuzzCluster(const uint8_t* data, size_t size);

// The whole input is a user's configuration, loaded over rules/default.yml.
std::string FuzzConfig(const uint8_t* data, size_t size);

// EscapeInline, InlineCode and CodeBlock; the first byte picks one.
std::string FuzzMarkdown(const uint8_t* data, size_t size);

// An issue body and a comment rendered from the default templates around
// a problem whose text fields come from the input (NUL-separated).
std::string FuzzRender(const uint8_t* data, size_t size);

// ParseMarker over issue text (first byte 0 mod 4), FormatMarker of a
// marker built from the input (odd), EditMarker over text (2 mod 4).
std::string FuzzMarker(const uint8_t* data, size_t size);

struct FuzzTarget {
  std::string_view name;  // the folder under tests/fuzz/corpus/
  std::string (*run)(const uint8_t* data, size_t size);
};

inline constexpr FuzzTarget kFuzzTargets[] = {
    {"entry_parse", FuzzEntryParse}, {"cluster", FuzzCluster}, {"config", FuzzConfig},
    {"markdown", FuzzMarkdown},      {"render", FuzzRender},   {"marker", FuzzMarker},
};

// For the libFuzzer entry points: prints `problem` and aborts unless it is
// "", so that libFuzzer saves the input as a crash.
void AbortOnProblem(const std::string& problem);

}  // namespace triage::fuzz

#endif  // TRIAGE_TESTS_FUZZ_TARGETS_H_
