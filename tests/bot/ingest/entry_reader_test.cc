#include "bot/ingest/entry_reader.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace triage {
namespace {

constexpr size_t kChunk = 1 << 20;  // the reader's read size

// `data` in an anonymous temporary file, positioned at its start.
class TempInput {
 public:
  explicit TempInput(std::string_view data) : file_(std::tmpfile()) {
    REQUIRE(file_ != nullptr);
    REQUIRE(std::fwrite(data.data(), 1, data.size(), file_) == data.size());
    std::rewind(file_);
  }
  ~TempInput() { std::fclose(file_); }
  TempInput(const TempInput&) = delete;
  TempInput& operator=(const TempInput&) = delete;
  std::FILE* get() const { return file_; }

 private:
  std::FILE* file_;
};

struct ReadResult {
  std::vector<LogEntry> entries;
  ReadStats stats;
  std::optional<Error> error;
  // The ids joined by ',' ("a,b"): compared as one string, printed whole.
  std::string ids() const {
    std::string out;
    for (const LogEntry& e : entries) out += (out.empty() ? "" : ",") + e.id;
    return out;
  }
};

// Reads `data` to the end, or to the first error.
ReadResult ReadAll(std::string_view data, InputFormat format = InputFormat::kAuto,
                   const std::string& source = "input.json") {
  TempInput in(data);
  EntryReader reader(in.get(), source, format);
  ReadResult r;
  for (int guard = 0; guard < 1000; ++guard) {
    Result<std::optional<LogEntry>> next = reader.Next();
    if (!next) {
      r.error = next.error();
      break;
    }
    if (!next.value()) {
      // The end stays the end.
      Result<std::optional<LogEntry>> again = reader.Next();
      CHECK(again.has_value());
      if (again) CHECK_FALSE(again.value().has_value());
      break;
    }
    r.entries.push_back(std::move(*next.value()));
  }
  r.stats = reader.stats();
  return r;
}

TEST_CASE("ParseInputFormat") {
  CHECK(ParseInputFormat("auto") == InputFormat::kAuto);
  CHECK(ParseInputFormat("gcp-json") == InputFormat::kGcpJson);
  CHECK(ParseInputFormat("json") == InputFormat::kGcpJson);
  CHECK(ParseInputFormat("ndjson") == InputFormat::kNdjson);
  CHECK(ParseInputFormat("jsonl") == InputFormat::kNdjson);
  CHECK(ParseInputFormat("lines") == InputFormat::kLines);
  CHECK(ParseInputFormat("text") == InputFormat::kLines);
  for (const char* bad : {"", "bogus", "JSON", "Lines", "csv", " auto"}) {
    INFO("bad: " << std::string(bad));
    CHECK_FALSE(ParseInputFormat(bad).has_value());
  }
}

TEST_CASE("EntryReader: JSON inputs of every shape") {
  struct Case {
    const char* name;
    const char* input;
    InputFormat format;
  };
  const Case cases[] = {
      {"pretty array", "[\n  {\n    \"insertId\": \"a\",\n    \"textPayload\": \"one\"\n  },\n"
                       "  {\n    \"insertId\": \"b\",\n    \"textPayload\": \"two\"\n  }\n]\n",
       InputFormat::kAuto},
      {"compact array", R"([{"insertId":"a","textPayload":"one"},{"insertId":"b","textPayload":"two"}])",
       InputFormat::kAuto},
      {"array, format given", R"([{"insertId":"a","textPayload":"one"},{"insertId":"b","textPayload":"two"}])",
       InputFormat::kGcpJson},
      {"NDJSON", "{\"insertId\":\"a\",\"textPayload\":\"one\"}\n"
                 "{\"insertId\":\"b\",\"textPayload\":\"two\"}\n",
       InputFormat::kAuto},
      {"NDJSON, CRLF, no final newline", "{\"insertId\":\"a\",\"textPayload\":\"one\"}\r\n"
                                         "{\"insertId\":\"b\",\"textPayload\":\"two\"}",
       InputFormat::kNdjson},
      {"stream of pretty objects", "{\n  \"insertId\": \"a\",\n  \"textPayload\": \"one\"\n}\n"
                                   "{\n  \"insertId\": \"b\",\n  \"textPayload\": \"two\"\n}\n",
       InputFormat::kAuto},
      {"UTF-8 BOM before an array", "\xEF\xBB\xBF[{\"insertId\":\"a\",\"textPayload\":\"one\"},"
                                    "{\"insertId\":\"b\",\"textPayload\":\"two\"}]",
       InputFormat::kAuto},
      {"UTF-8 BOM before NDJSON", "\xEF\xBB\xBF{\"insertId\":\"a\",\"textPayload\":\"one\"}\n"
                                  "{\"insertId\":\"b\",\"textPayload\":\"two\"}\n",
       InputFormat::kAuto},
  };
  for (const Case& c : cases) {
    INFO("c.name: " << std::string(c.name));
    ReadResult r = ReadAll(c.input, c.format);
    REQUIRE_FALSE(r.error.has_value());
    CHECK(r.ids() == "a,b");
    REQUIRE(r.entries.size() == 2);
    CHECK(r.entries[0].message == "one");
    CHECK(r.entries[1].message == "two");
    CHECK(r.stats.entries == 2);
    CHECK(r.stats.malformed == 0);
    CHECK(r.stats.first_malformed_offset == -1);
    CHECK(r.stats.bytes == static_cast<int64_t>(std::string_view(c.input).size()));
  }
}

TEST_CASE("EntryReader: --format lines") {
  ReadResult r = ReadAll("first line\r\nsecond {not json}\n\n[last]", InputFormat::kLines);
  REQUIRE_FALSE(r.error.has_value());
  CHECK(r.ids() == "1,2,3,4");
  REQUIRE(r.entries.size() == 4);
  CHECK(r.entries[0].message == "first line");
  CHECK(r.entries[0].text.empty());  // same as the message: not copied
  CHECK(r.entries[1].message == "second {not json}");
  CHECK(r.entries[2].message == "");
  CHECK(r.entries[3].message == "[last]");
  CHECK_FALSE(r.entries[0].has_severity);
  CHECK(r.entries[0].timestamp_us == 0);
  CHECK(r.stats.entries == 4);
  CHECK(r.stats.malformed == 0);

  SUBCASE("a long line is cut") {
    ReadResult big = ReadAll(std::string(10000, 'x') + "\n", InputFormat::kLines);
    REQUIRE(big.entries.size() == 1);
    CHECK(big.entries[0].message == std::string(kMaxMessageBytes, 'x'));
    CHECK(big.entries[0].text == std::string(kMaxSampleBytes, 'x'));
  }
}

TEST_CASE("EntryReader: empty input is no entries and no error") {
  struct Case {
    const char* input;
    InputFormat format;
  };
  const Case cases[] = {
      {"", InputFormat::kAuto},      {"", InputFormat::kGcpJson}, {"", InputFormat::kNdjson},
      {"", InputFormat::kLines},     {" \n\t\r\n", InputFormat::kAuto},
      {"\xEF\xBB\xBF", InputFormat::kAuto}, {"[]", InputFormat::kAuto},
      {"[ \n ]", InputFormat::kAuto},
  };
  for (const Case& c : cases) {
    INFO("c.input: " << std::string(c.input));
    ReadResult r = ReadAll(c.input, c.format);
    CHECK_FALSE(r.error.has_value());
    CHECK(r.entries.empty());
    CHECK(r.stats.malformed == 0);
  }
}

TEST_CASE("EntryReader: input that is not JSON entries is an error") {
  struct Case {
    std::string input;
    InputFormat format;
    std::string source;
    std::string want;
  };
  const Case cases[] = {
      {"hello", InputFormat::kAuto, "input.json",
       "input.json: byte 0: not JSON log entries: expected '[' or '{', found 'h' "
       "(for plain text use --format lines)"},
      {"  \n\thello", InputFormat::kAuto, "input.json",
       "input.json: byte 4: not JSON log entries: expected '[' or '{', found 'h' "
       "(for plain text use --format lines)"},
      {"\xEF\xBB\xBF" "2025-01-01 ERROR x", InputFormat::kAuto, "-",
       "stdin: byte 3: not JSON log entries: expected '[' or '{', found '2' "
       "(for plain text use --format lines)"},
      {"hello", InputFormat::kGcpJson, "in.json",
       "in.json: byte 0: not JSON log entries: expected '[' (a JSON array of log entries), "
       "found 'h' (for plain text use --format lines)"},
      {"[{}]", InputFormat::kNdjson, "in.ndjson",
       "in.ndjson: byte 0: not JSON log entries: expected '{' (one JSON object per line), "
       "found '[' (for plain text use --format lines)"},
  };
  for (const Case& c : cases) {
    INFO("c.input: " << std::string(c.input));
    ReadResult r = ReadAll(c.input, c.format, c.source);
    REQUIRE(r.error.has_value());
    CHECK(r.error->kind == ErrorKind::kInput);
    CHECK(r.error->message == c.want);
    CHECK(r.entries.empty());
  }
}

TEST_CASE("EntryReader: a malformed element among good ones is skipped") {
  const std::string input = R"([{"insertId":"a"}, {"bad": }, {"insertId":"b"}])";
  ReadResult r = ReadAll(input);
  REQUIRE_FALSE(r.error.has_value());
  CHECK(r.ids() == "a,b");
  CHECK(r.stats.entries == 2);
  CHECK(r.stats.malformed == 1);
  CHECK(r.stats.first_malformed_offset == static_cast<int64_t>(input.find("{\"bad\"")));
  CHECK_FALSE(r.stats.first_malformed_reason.empty());
}

TEST_CASE("EntryReader: elements that are not objects are malformed") {
  const std::string input = R"([1, "x", {"insertId":"a"}, null])";
  ReadResult r = ReadAll(input);
  REQUIRE_FALSE(r.error.has_value());
  CHECK(r.ids() == "a");
  CHECK(r.stats.malformed == 3);
  CHECK(r.stats.first_malformed_offset == 1);
  CHECK(r.stats.first_malformed_reason == "not an object");
}

TEST_CASE("EntryReader: truncated arrays keep the good entries") {
  SUBCASE("last element cut") {
    const std::string input = R"([{"insertId":"a"},{"insertId":"b"},{"insertId":"c","textPay)";
    ReadResult r = ReadAll(input);
    REQUIRE_FALSE(r.error.has_value());
    CHECK(r.ids() == "a,b");
    CHECK(r.stats.malformed == 1);
    CHECK(r.stats.first_malformed_offset == static_cast<int64_t>(input.find("{\"insertId\":\"c\"")));
    CHECK(r.stats.first_malformed_reason == "the input ends inside this entry");
  }
  SUBCASE("cut inside a string after a backslash") {
    const std::string input = R"([{"insertId":"a"},{"textPayload":"x\)";
    ReadResult r = ReadAll(input);
    CHECK(r.ids() == "a");
    CHECK(r.stats.malformed == 1);
    CHECK(r.stats.first_malformed_offset == 18);
  }
  SUBCASE("no closing bracket") {
    const std::string input = R"([{"insertId":"a"},{"insertId":"b"})";
    ReadResult r = ReadAll(input);
    CHECK(r.ids() == "a,b");
    CHECK(r.stats.malformed == 1);
    CHECK(r.stats.first_malformed_offset == static_cast<int64_t>(input.size()));
    CHECK(r.stats.first_malformed_reason == "the JSON array is not closed");
  }
}

TEST_CASE("EntryReader: brackets, braces and quotes inside strings") {
  const std::string input =
      R"([{"insertId":"a","textPayload":"x ] } { [ \" , \\"},)"
      R"({"insertId":"b","textPayload":"\"]"},)"
      R"({"insertId":"c","jsonPayload":{"message":"m","tags":["]","}",{"k":"{"}]}}])";
  ReadResult r = ReadAll(input);
  REQUIRE_FALSE(r.error.has_value());
  CHECK(r.ids() == "a,b,c");
  REQUIRE(r.entries.size() == 3);
  CHECK(r.entries[0].message == R"(x ] } { [ " , \)");
  CHECK(r.entries[1].message == R"("])");
  CHECK(r.entries[2].message == "m");
  CHECK(r.stats.malformed == 0);
}

TEST_CASE("EntryReader: entries without insertId are named by byte offset") {
  ReadResult r = ReadAll(R"([{"textPayload":"x"}, {}])");
  CHECK(r.ids() == "@1,@22");
  ReadResult nd = ReadAll("{\"textPayload\":\"x\"}\n{}\n");
  CHECK(nd.ids() == "@0,@20");
}

TEST_CASE("EntryReader: an entry larger than the read chunk") {
  SUBCASE("array element with an escape split across chunks") {
    const std::string prefix = R"([{"insertId":"big","textPayload":")";
    std::string input = prefix;
    input.append(kChunk - 1 - prefix.size(), 'x');
    input += "\\\"";  // the backslash is the last byte of the first chunk
    input.append(kChunk, 'y');
    input += R"("},{"insertId":"after","textPayload":"z"}])";
    REQUIRE(input[kChunk - 1] == '\\');
    ReadResult r = ReadAll(input);
    REQUIRE_FALSE(r.error.has_value());
    CHECK(r.ids() == "big,after");
    REQUIRE(r.entries.size() == 2);
    CHECK(r.entries[0].message == std::string(kMaxMessageBytes, 'x'));
    CHECK(r.entries[0].text == std::string(kMaxSampleBytes, 'x'));
    CHECK(r.entries[1].message == "z");
    CHECK(r.stats.malformed == 0);
    CHECK(r.stats.bytes == static_cast<int64_t>(input.size()));
  }
  SUBCASE("NDJSON line") {
    std::string input = R"({"insertId":"big","textPayload":")";
    input.append(kChunk + kChunk / 2, 'x');
    input += "\"}\n{\"insertId\":\"after\"}\n";
    ReadResult r = ReadAll(input);
    REQUIRE_FALSE(r.error.has_value());
    CHECK(r.ids() == "big,after");
    CHECK(r.stats.malformed == 0);
  }
}

TEST_CASE("EntryReader: NDJSON with blank and broken lines") {
  const std::string input =
      "{\"insertId\":\"a\"}\n"
      "\n"
      "   \t\n"
      "{\"insertId\": }\n"
      "{\"insertId\":\"c\"}\n";
  ReadResult r = ReadAll(input);
  REQUIRE_FALSE(r.error.has_value());
  CHECK(r.ids() == "a,c");
  CHECK(r.stats.entries == 2);
  CHECK(r.stats.malformed == 1);
  CHECK(r.stats.first_malformed_offset == static_cast<int64_t>(input.find("{\"insertId\": }")));
}

// The offset of a broken NDJSON line is computed from the line's length
// after '\r' was stripped, and assuming a '\n' follows it.
TEST_CASE("EntryReader: NDJSON offsets with CRLF and no final newline") {
  SUBCASE("CRLF") {
    const std::string input = "{\"insertId\":\"a\"}\r\n{broken}\r\n";
    ReadResult r = ReadAll(input);
    CHECK(r.stats.malformed == 1);
    CHECK(r.stats.first_malformed_offset == 18);
  }
  SUBCASE("last line without a newline") {
    const std::string input = "{\"insertId\":\"a\"}\n{broken}";
    ReadResult r = ReadAll(input);
    CHECK(r.stats.malformed == 1);
    CHECK(r.stats.first_malformed_offset == 17);
  }
  SUBCASE("ids of entries without insertId") {
    CHECK(ReadAll("{\"textPayload\":\"x\"}\r\n{}\r\n").ids() == "@0,@21");
    CHECK(ReadAll("{\"textPayload\":\"x\"}\n{}").ids() == "@0,@20");
  }
}

}  // namespace
}  // namespace triage

namespace triage {
namespace {

// Found by mutating a seed file: a closing bracket where a value should start
// once made the reader spin on the same byte.
TEST_CASE("EntryReader: stray closing brackets are skipped, not spun on") {
  ReadResult r = ReadAll("[{\"insertId\":\"a\"}} ] ]");
  CHECK(r.ids() == "a");
  CHECK(r.stats.malformed == 1);
  CHECK(r.stats.first_malformed_offset == 17);
  ReadResult stream = ReadAll("{\"insertId\":\"a\"\n}\n}\n{\"insertId\":\"b\"\n}");
  CHECK(stream.ids() == "a,b");
  CHECK(stream.stats.malformed == 1);
}

}  // namespace
}  // namespace triage
