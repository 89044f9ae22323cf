// Result<T>: a value or an Error, for every operation that can fail in the
// ordinary course of a run (bad input, HTTP errors). Named as std::expected.
#ifndef TRIAGE_BOT_BASE_RESULT_H_
#define TRIAGE_BOT_BASE_RESULT_H_

#include <string>
#include <utility>
#include <variant>

namespace triage {

enum class ErrorKind {
  kInput,
  kConfig,
  kUsage,
  kTransport,    // no answer: refused, reset, timed out
  kHttp,         // an answer that says no (4xx, 5xx after retries)
  kAuth,         // 401, or 403 that is not a rate limit
  kRateLimited,  // a rate limit that outlasts the run's patience
  kBudget,       // the run's write budget is spent
};

struct Error {
  ErrorKind kind = ErrorKind::kInput;
  // Says what failed and where: "input.json: byte 1204: expected ','".
  std::string message;
  int http_status = 0;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}          // NOLINT: implicit
  Result(Error error) : data_(std::move(error)) {}      // NOLINT: implicit

  bool has_value() const { return data_.index() == 0; }
  explicit operator bool() const { return has_value(); }
  T& value() & { return std::get<0>(data_); }
  const T& value() const& { return std::get<0>(data_); }
  T&& value() && { return std::get<0>(std::move(data_)); }
  const Error& error() const { return std::get<1>(data_); }

 private:
  std::variant<T, Error> data_;
};

// For operations that return nothing but may fail.
struct Ok {};

}  // namespace triage

#endif  // TRIAGE_BOT_BASE_RESULT_H_
