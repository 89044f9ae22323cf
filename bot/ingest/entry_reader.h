// Streams log entries out of a file or stdin: a JSON array of LogEntry
// objects (`gcloud logging read --format=json`), NDJSON, or plain text lines.
// Memory stays at one entry plus a read buffer whatever the input size.
#ifndef TRIAGE_BOT_INGEST_ENTRY_READER_H_
#define TRIAGE_BOT_INGEST_ENTRY_READER_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "bot/ingest/entry_parse.h"
#include "bot/base/result.h"
#include "bot/base/types.h"

namespace triage {

enum class InputFormat { kAuto, kGcpJson, kNdjson, kLines };

// "auto", "gcp-json", "ndjson", "lines".
std::optional<InputFormat> ParseInputFormat(std::string_view name);

struct ReadStats {
  int64_t entries = 0;     // parsed and handed out
  int64_t malformed = 0;   // skipped: not a JSON object, or broken JSON
  int64_t bytes = 0;
  // Where the first malformed entry starts, and why it was skipped.
  int64_t first_malformed_offset = -1;
  std::string first_malformed_reason;
};

class EntryReader {
 public:
  // Reads from `file`, which must outlive the reader; `source` names it in
  // messages ("-" is shown as "stdin").
  EntryReader(std::FILE* file, std::string source, InputFormat format);
  ~EntryReader();
  EntryReader(const EntryReader&) = delete;
  EntryReader& operator=(const EntryReader&) = delete;

  // The next entry, nullopt at the end. An Error means the input cannot be
  // read as the format at all (it names the source and the byte offset);
  // single broken entries are skipped and counted instead.
  Result<std::optional<LogEntry>> Next();

  const ReadStats& stats() const { return stats_; }
  const std::string& source() const { return source_; }

 private:
  bool Fill();                                   // reads more; false at EOF
  Result<bool> Start();                          // detects the format
  std::optional<std::string_view> NextJsonValue();  // array or stream mode
  std::optional<std::string_view> NextLine();
  void Compact();
  void CountMalformed(int64_t offset, const std::string& reason);

  std::FILE* file_;
  std::string source_;
  InputFormat format_;
  bool started_ = false;
  bool eof_ = false;
  bool done_ = false;
  bool in_array_ = false;
  std::string buf_;
  size_t pos_ = 0;             // next unread byte in buf_
  int64_t buf_offset_ = 0;     // file offset of buf_[0]
  int64_t value_offset_ = 0;   // file offset of the last JSON value
  int64_t line_offset_ = 0;    // file offset of the last line
  int64_t line_number_ = 0;    // for lines and NDJSON
  ReadStats stats_;
  EntryParser parser_;
};

}  // namespace triage

#endif  // TRIAGE_BOT_INGEST_ENTRY_READER_H_
