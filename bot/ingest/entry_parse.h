// Turns one LogEntry object, as Cloud Logging's API and `gcloud logging read
// --format=json` give it, into our LogEntry: the message of whichever
// payload it has, its call site, service, revision, time and severity.
#ifndef TRIAGE_BOT_INGEST_ENTRY_PARSE_H_
#define TRIAGE_BOT_INGEST_ENTRY_PARSE_H_

#include <memory>
#include <string>
#include <string_view>

#include "bot/base/types.h"

namespace triage {

// Messages longer than this are cut before clustering; samples keep more.
constexpr size_t kMaxMessageBytes = 4096;
constexpr size_t kMaxSampleBytes = 8192;

// Reuses its buffers between entries; not thread-safe, not copyable.
class EntryParser {
 public:
  EntryParser();
  ~EntryParser();
  EntryParser(const EntryParser&) = delete;
  EntryParser& operator=(const EntryParser&) = delete;

  // Parses `json` (one object). On failure returns false and sets *error to
  // a short reason; *entry is then unspecified.
  bool Parse(std::string_view json, LogEntry* entry, std::string* error);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Fills entry->message, text, exception and location from plain text that
// may hold a stack trace. Used for textPayload and `--format lines`.
void SetMessageFromText(std::string_view text, LogEntry* entry);

}  // namespace triage

#endif  // TRIAGE_BOT_INGEST_ENTRY_PARSE_H_
