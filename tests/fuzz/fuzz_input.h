// Helpers the fuzz targets share: reading structured values out of the
// fuzzer's bytes, and quoting hostile text in a one-line failure message.
#ifndef TRIAGE_TESTS_FUZZ_FUZZ_INPUT_H_
#define TRIAGE_TESTS_FUZZ_FUZZ_INPUT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace triage::fuzz {

// Reads the input front to back; past its end every read gives 0 or "".
class Bytes {
 public:
  Bytes(const uint8_t* data, size_t size)
      : rest_(reinterpret_cast<const char*>(data), size) {}

  uint8_t Byte() {
    if (rest_.empty()) return 0;
    const auto b = static_cast<uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    return b;
  }

  // Eight bytes, little end first (fewer when the input runs out).
  uint64_t Word() {
    uint64_t w = 0;
    for (int i = 0; i < 8; ++i) w |= uint64_t{Byte()} << (8 * i);
    return w;
  }

  // The text up to the next `separator`, which is consumed, or all the rest.
  std::string_view Piece(char separator) {
    const size_t at = rest_.find(separator);
    const std::string_view piece = rest_.substr(0, at);
    rest_.remove_prefix(at == std::string_view::npos ? rest_.size() : at + 1);
    return piece;
  }

  std::string_view rest() const { return rest_; }
  bool empty() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

// `text` with bytes outside printable ASCII as \xNN, cut after `max` bytes,
// in double quotes: failure messages stay one readable line.
inline std::string Quote(std::string_view text, size_t max = 160) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (size_t i = 0; i < text.size() && i < max; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  out += text.size() > max ? "\"..." : "\"";
  return out;
}

// Where `a` and `b` first differ (the shorter one's size when one is the
// other's start): failure messages show the two from a little before it.
inline size_t FirstDifference(std::string_view a, std::string_view b) {
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  return i;
}

// The times a LogEntry or marker can hold: RFC 3339 with a four-digit
// year, 0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z, the range
// FormatRfc3339 writes back as it was read.
constexpr int64_t kEarliestTimeUs = -62167219200 * int64_t{1000000};
constexpr int64_t kLatestTimeUs = 253402300800 * int64_t{1000000} - 1;

inline int64_t TimeFrom(uint64_t word) {
  const auto span = static_cast<uint64_t>(kLatestTimeUs - kEarliestTimeUs) + 1;
  return kEarliestTimeUs + static_cast<int64_t>(word % span);
}

}  // namespace triage::fuzz

#endif  // TRIAGE_TESTS_FUZZ_FUZZ_INPUT_H_
