// Reads YAML for the configuration schema (config.cc): typed values, keys
// checked against a list, and every error kept with its position instead
// of stopping at the first. Internal to rules/; yaml-cpp's types are only
// declared here, its header is included by the .cc files that walk nodes.
#ifndef TRIAGE_RULES_YAML_READER_H_
#define TRIAGE_RULES_YAML_READER_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bot/base/types.h"
#include "rules/rule_set.h"

namespace YAML {
class Node;
}

namespace triage {
namespace yaml_reader {

using Keys = std::vector<const char*>;

// "'text'" for a message, cut at 60 bytes with "...".
std::string Quote(const std::string& s);

// Collects errors as "<source>:<line>:<column>: <what>" into `errors`,
// which must outlive the reader. Each typed read returns nullopt, after
// noting the error, when the node is not of its type.
class Reader {
 public:
  Reader(std::string source, std::vector<std::string>* errors);
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // Parses `text` and hands its root to `read`. A syntax error, or a
  // yaml-cpp exception thrown while reading, becomes one error with its
  // position; what `read` noted before it stays.
  void Read(const std::string& text, const std::function<void(const YAML::Node& root)>& read);

  // An empty value ("window:") is placed at its key, not where yaml-cpp
  // marks it (the next token, often on a later line).
  void Fail(const YAML::Node& at, const std::string& what);

  // Calls `on_key` for every key of `map`; unknown and repeated keys are
  // errors. Returns false when `map` is not a mapping (null is an empty one).
  bool ForEachKey(const YAML::Node& map, const std::string& context, const Keys& allowed,
                  const std::function<void(const std::string&, const YAML::Node&)>& on_key);

  std::optional<std::string> String(const YAML::Node& n, const std::string& what);
  // A text or a list of texts.
  std::optional<std::vector<std::string>> Strings(const YAML::Node& n, const std::string& what);
  std::optional<double> Number(const YAML::Node& n, const std::string& what, double min,
                               double max);
  std::optional<int64_t> Integer(const YAML::Node& n, const std::string& what, int64_t min,
                                 int64_t max);
  std::optional<bool> Bool(const YAML::Node& n, const std::string& what);
  std::optional<int> Priority(const YAML::Node& n, const std::string& what);  // P0..P6
  std::optional<Severity> Sev(const YAML::Node& n, const std::string& what);
  std::optional<int64_t> Duration(const YAML::Node& n, const std::string& what);  // > 0
  // A text that LabelProblem (config.h) accepts.
  std::optional<std::string> Label(const YAML::Node& n, const std::string& what);
  // A text that compiles as RE2; the error quotes RE2's message.
  std::optional<Pattern> Regex(const YAML::Node& n, const std::string& what);

  const std::string& source() const { return source_; }

 private:
  std::string source_;
  std::vector<std::string>* errors_;
  // The value ForEachKey is reading, and its key's line and column (-1:
  // none), for Fail.
  const YAML::Node* value_ = nullptr;
  int key_line_ = -1;
  int key_column_ = -1;
};

// The errors as one message, a line each; control characters from the
// file (a key with a line break) are written as \xNN.
std::string JoinErrors(const std::vector<std::string>& errors);

}  // namespace yaml_reader
}  // namespace triage

#endif  // TRIAGE_RULES_YAML_READER_H_
