// Text hygiene for untrusted log text: valid UTF-8 out, whatever comes in.
#ifndef TRIAGE_BOT_BASE_TEXT_H_
#define TRIAGE_BOT_BASE_TEXT_H_

#include <string>
#include <string_view>

#include "bot/base/result.h"

namespace triage {

// Replaces invalid UTF-8 sequences, lone surrogates encoded in UTF-8,
// control characters other than tab and newline (C1 too), U+2028 and
// U+2029, and bidirectional controls (U+061C, U+200E, U+200F,
// U+202A-U+202E, U+2066-U+2069) with U+FFFD.
std::string SanitizeText(std::string_view text);

// SanitizeText, then cut to at most `max_bytes` on a character boundary.
std::string SanitizeAndCut(std::string_view text, size_t max_bytes);

// The longest prefix of `text` of at most `max_bytes` that does not end
// inside a UTF-8 sequence. No copy.
std::string_view CutUtf8(std::string_view text, size_t max_bytes);

// The number of Unicode code points in UTF-8 `text`, GitHub's measure of an
// issue body or comment: every byte that does not continue a sequence.
size_t CountCodePoints(std::string_view text);

// The longest prefix of UTF-8 `text` of at most `max` code points. No copy.
std::string_view CutCodePoints(std::string_view text, size_t max);

// The first line of `text`, without a trailing '\r'.
std::string_view FirstLine(std::string_view text);

// `text` with ASCII letters in lower case; other bytes as they are.
std::string Lower(std::string_view text);

// The bytes of the file at `path`; an error of `kind` saying
// "<path>: cannot open" or "<path>: read error".
Result<std::string> ReadFile(const std::string& path, ErrorKind kind = ErrorKind::kInput);

}  // namespace triage

#endif  // TRIAGE_BOT_BASE_TEXT_H_
