#include "bot/ingest/entry_reader.h"

#include <cstring>

#include "bot/base/text.h"

namespace triage {
namespace {

constexpr size_t kChunk = 1 << 20;

bool IsWs(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

}  // namespace

std::optional<InputFormat> ParseInputFormat(std::string_view name) {
  if (name == "auto") return InputFormat::kAuto;
  if (name == "gcp-json" || name == "json") return InputFormat::kGcpJson;
  if (name == "ndjson" || name == "jsonl") return InputFormat::kNdjson;
  if (name == "lines" || name == "text") return InputFormat::kLines;
  return std::nullopt;
}

EntryReader::EntryReader(std::FILE* file, std::string source, InputFormat format)
    : file_(file), source_(source == "-" ? "stdin" : std::move(source)), format_(format) {}

EntryReader::~EntryReader() = default;

bool EntryReader::Fill() {
  if (eof_) return false;
  Compact();
  size_t old = buf_.size();
  buf_.resize(old + kChunk);
  size_t got = std::fread(&buf_[old], 1, kChunk, file_);
  buf_.resize(old + got);
  stats_.bytes += static_cast<int64_t>(got);
  if (got == 0) eof_ = true;
  return got > 0;
}

void EntryReader::Compact() {
  if (pos_ == 0) return;
  buf_.erase(0, pos_);
  buf_offset_ += static_cast<int64_t>(pos_);
  pos_ = 0;
}

void EntryReader::CountMalformed(int64_t offset, const std::string& reason) {
  ++stats_.malformed;
  if (stats_.first_malformed_offset < 0) {
    stats_.first_malformed_offset = offset;
    stats_.first_malformed_reason = reason;
  }
}

Result<bool> EntryReader::Start() {
  started_ = true;
  if (format_ == InputFormat::kLines) {
    Fill();
    if (buf_.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = 3;
    return true;
  }
  // Skip white space and a UTF-8 byte order mark, then look at one byte.
  for (;;) {
    if (pos_ == buf_.size() && !Fill()) break;
    if (buf_.compare(pos_, 3, "\xEF\xBB\xBF") == 0) pos_ += 3;
    while (pos_ < buf_.size() && IsWs(buf_[pos_])) ++pos_;
    if (pos_ < buf_.size()) break;
  }
  if (pos_ == buf_.size()) {
    done_ = true;  // empty input: no entries, not an error
    return true;
  }
  char c = buf_[pos_];
  int64_t offset = buf_offset_ + static_cast<int64_t>(pos_);
  if (c == '[' && format_ != InputFormat::kNdjson) {
    in_array_ = true;
    format_ = InputFormat::kGcpJson;
    ++pos_;
    return true;
  }
  if (c == '{' && format_ == InputFormat::kNdjson) return true;
  if (c == '{') {
    // NDJSON when the first line is a whole object; else a stream of
    // pretty-printed objects.
    size_t nl;
    while ((nl = buf_.find('\n', pos_)) == std::string::npos && Fill()) {
    }
    std::string_view first(buf_.data() + pos_,
                           (nl == std::string::npos ? buf_.size() : nl) - pos_);
    while (!first.empty() && IsWs(first.back())) first.remove_suffix(1);
    format_ = !first.empty() && first.back() == '}' ? InputFormat::kNdjson
                                                   : InputFormat::kGcpJson;
    return true;
  }
  std::string expected = format_ == InputFormat::kGcpJson   ? "'[' (a JSON array of log entries)"
                         : format_ == InputFormat::kNdjson ? "'{' (one JSON object per line)"
                                                           : "'[' or '{'";
  return Error{ErrorKind::kInput,
               source_ + ": byte " + std::to_string(offset) + ": not JSON log entries: expected " +
                   expected + ", found '" + std::string(1, c) +
                   "' (for plain text use --format lines)"};
}

// One JSON value at the top level of the array or stream, found by tracking
// nesting outside strings; the value is parsed afterwards on its own.
std::optional<std::string_view> EntryReader::NextJsonValue() {
  for (;;) {
    while (pos_ < buf_.size() && (IsWs(buf_[pos_]) || buf_[pos_] == ',')) ++pos_;
    if (pos_ < buf_.size()) break;
    if (!Fill()) return std::nullopt;
  }
  if (in_array_ && buf_[pos_] == ']') {
    ++pos_;
    done_ = true;
    return std::nullopt;
  }
  // Scan from pos_ without moving it: Fill() compacts the buffer up to pos_,
  // so the value's start moves to 0 and i is kept relative to it.
  size_t i = pos_;
  int depth = 0;
  bool in_string = false;
  for (;;) {
    if (i == buf_.size()) {
      size_t scanned = i - pos_;
      if (!Fill()) {
        // The input ended inside a value (a truncated file).
        if (scanned > 0) {
          CountMalformed(buf_offset_ + static_cast<int64_t>(pos_),
                         "the input ends inside this entry");
        }
        pos_ = buf_.size();
        return std::nullopt;
      }
      i = pos_ + scanned;
      continue;
    }
    if (in_string) {
      // Jump to the next quote; it closes the string unless an odd number of
      // backslashes precedes it.
      const void* q = std::memchr(buf_.data() + i, '"', buf_.size() - i);
      if (q == nullptr) {
        i = buf_.size();
        continue;
      }
      size_t quote = static_cast<const char*>(q) - buf_.data();
      size_t slashes = 0;
      while (quote - slashes > pos_ && buf_[quote - slashes - 1] == '\\') ++slashes;
      i = quote + 1;
      if (slashes % 2 == 0) in_string = false;
      continue;
    }
    char c = buf_[i];
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth == 0) break;  // the array's closing bracket after a scalar
      if (--depth == 0) {
        ++i;
        break;
      }
    } else if (depth == 0 && (c == ',' || IsWs(c))) {
      break;
    }
    ++i;
  }
  // A stray closing bracket at the top level is a value of its own (a broken
  // one), so that reading always moves on.
  if (i == pos_) ++i;
  size_t start = pos_;
  value_offset_ = buf_offset_ + static_cast<int64_t>(start);
  pos_ = i;
  return std::string_view(buf_.data() + start, i - start);
}

std::optional<std::string_view> EntryReader::NextLine() {
  for (;;) {
    const char* start = buf_.data() + pos_;
    line_offset_ = buf_offset_ + static_cast<int64_t>(pos_);
    const void* nl = std::memchr(start, '\n', buf_.size() - pos_);
    if (nl != nullptr) {
      size_t len = static_cast<const char*>(nl) - start;
      std::string_view line(start, len);
      pos_ += len + 1;
      ++line_number_;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      return line;
    }
    if (!Fill()) {
      if (pos_ == buf_.size()) return std::nullopt;
      line_offset_ = buf_offset_ + static_cast<int64_t>(pos_);
      std::string_view line(buf_.data() + pos_, buf_.size() - pos_);
      pos_ = buf_.size();
      ++line_number_;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      return line;
    }
  }
}

Result<std::optional<LogEntry>> EntryReader::Next() {
  if (!started_) {
    Result<bool> ok = Start();
    if (!ok) return ok.error();
  }
  std::string reason;
  for (;;) {
    if (done_) return std::optional<LogEntry>();
    if (format_ == InputFormat::kLines) {
      std::optional<std::string_view> line = NextLine();
      if (!line) return std::optional<LogEntry>();
      LogEntry entry;
      entry.id = std::to_string(line_number_);
      entry.message = std::string(CutUtf8(*line, kMaxMessageBytes));
      // The sample falls back to the message; a second copy only if longer.
      if (line->size() > kMaxMessageBytes) entry.text = std::string(CutUtf8(*line, kMaxSampleBytes));
      ++stats_.entries;
      return std::optional<LogEntry>(std::move(entry));
    }
    int64_t offset;
    std::optional<std::string_view> value;
    if (format_ == InputFormat::kNdjson) {
      value = NextLine();
      if (!value) return std::optional<LogEntry>();
      offset = line_offset_;
      size_t k = 0;
      while (k < value->size() && IsWs((*value)[k])) ++k;
      if (k == value->size()) continue;  // blank line
    } else {
      value = NextJsonValue();
      if (!value) {
        if (!done_ && in_array_) {
          done_ = true;
          if (stats_.malformed == 0) CountMalformed(buf_offset_, "the JSON array is not closed");
        }
        return std::optional<LogEntry>();
      }
      offset = value_offset_;
    }
    LogEntry entry;
    if (parser_.Parse(*value, &entry, &reason)) {
      if (entry.id.empty()) entry.id = "@" + std::to_string(offset);
      ++stats_.entries;
      return std::optional<LogEntry>(std::move(entry));
    }
    CountMalformed(offset, reason);
  }
}

}  // namespace triage
