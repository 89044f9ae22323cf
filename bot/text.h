// Text hygiene for untrusted log text: valid UTF-8 out, whatever comes in.
#ifndef TRIAGE_BOT_TEXT_H_
#define TRIAGE_BOT_TEXT_H_

#include <string>
#include <string_view>

namespace triage {

// Replaces invalid UTF-8 sequences, lone surrogates encoded in UTF-8 and
// control characters other than tab and newline with U+FFFD.
std::string SanitizeText(std::string_view text);

// SanitizeText, then cut to at most `max_bytes` on a character boundary.
std::string SanitizeAndCut(std::string_view text, size_t max_bytes);

// The longest prefix of `text` of at most `max_bytes` that does not end
// inside a UTF-8 sequence. No copy.
std::string_view CutUtf8(std::string_view text, size_t max_bytes);

// The first line of `text`, without a trailing '\r'.
std::string_view FirstLine(std::string_view text);

}  // namespace triage

#endif  // TRIAGE_BOT_TEXT_H_
