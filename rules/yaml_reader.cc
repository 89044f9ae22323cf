#include "rules/yaml_reader.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstdlib>
#include <set>
#include <utility>

#include "bot/base/severity.h"
#include "bot/base/text.h"
#include "bot/base/time_util.h"
#include "rules/config.h"

namespace triage {
namespace yaml_reader {
namespace {

std::string JoinKeys(const Keys& keys) {
  std::string out;
  for (const char* k : keys) out += (out.empty() ? "" : ", ") + std::string(k);
  return out;
}

// How a node that is not what was expected is named in the message.
std::string Got(const YAML::Node& n) {
  if (n.IsScalar()) return Quote(n.Scalar());
  return n.IsSequence() ? "a list" : n.IsMap() ? "a mapping" : "nothing";
}

std::string Format(double v) {
  std::string s = std::to_string(v);
  while (s.size() > 1 && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::string OneLine(const std::string& s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// "<source>:<line>:<column>" for a 0-based position; "<source>" when none.
std::string Where(const std::string& source, int line, int column) {
  if (line < 0) return source;
  return source + ":" + std::to_string(line + 1) + ":" + std::to_string(column + 1);
}

}  // namespace

std::string Quote(const std::string& s) {
  std::string cut = s.size() > 60 ? std::string(CutUtf8(s, 60)) + "..." : s;
  return "'" + cut + "'";
}

Reader::Reader(std::string source, std::vector<std::string>* errors)
    : source_(std::move(source)), errors_(errors) {}

void Reader::Read(const std::string& text,
                  const std::function<void(const YAML::Node& root)>& read) {
  const auto fail = [this](const YAML::Exception& e) {
    errors_->push_back(Where(source_, e.mark.line, e.mark.column) + ": " + e.msg);
  };
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    fail(e);
    return;
  }
  try {
    read(root);
  } catch (const YAML::Exception& e) {
    fail(e);
  }
}

void Reader::Fail(const YAML::Node& at, const std::string& what) {
  // yaml-cpp marks an empty value ("window:") where the next token starts,
  // often on a later line: point at its key instead.
  if (at.IsNull() && value_ && value_->is(at)) {
    errors_->push_back(Where(source_, key_line_, key_column_) + ": " + what);
    return;
  }
  const YAML::Mark m = at.Mark();
  errors_->push_back(Where(source_, m.line, m.column) + ": " + what);
}

bool Reader::ForEachKey(const YAML::Node& map, const std::string& context, const Keys& allowed,
                        const std::function<void(const std::string&, const YAML::Node&)>& on_key) {
  if (map.IsNull()) return true;
  if (!map.IsMap()) {
    Fail(map, context + ": expected a mapping with keys " + JoinKeys(allowed));
    return false;
  }
  std::set<std::string> seen;
  for (const auto& kv : map) {
    std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
    bool known = false;
    for (const char* k : allowed) known = known || key == k;
    if (!known) {
      Fail(kv.first, "unknown key " + Quote(key) + " in " + context + " (expected one of: " +
                         JoinKeys(allowed) + ")");
    } else if (!seen.insert(key).second) {
      Fail(kv.first, "key " + Quote(key) + " given twice in " + context);
    } else {
      // A pointer, not a Node: assigning to a Node rebinds the tree.
      const YAML::Node* saved_value = value_;
      const int saved_line = key_line_, saved_column = key_column_;
      value_ = &kv.second;
      key_line_ = kv.first.Mark().line;
      key_column_ = kv.first.Mark().column;
      on_key(key, kv.second);
      value_ = saved_value;
      key_line_ = saved_line;
      key_column_ = saved_column;
    }
  }
  return true;
}

std::optional<std::string> Reader::String(const YAML::Node& n, const std::string& what) {
  if (!n.IsScalar() || (n.Tag() != "!" && n.Scalar().empty())) {
    Fail(n, what + ": expected a text");
    return std::nullopt;
  }
  return n.Scalar();
}

std::optional<std::vector<std::string>> Reader::Strings(const YAML::Node& n,
                                                        const std::string& what) {
  std::vector<std::string> out;
  if (n.IsScalar()) {
    auto s = String(n, what);
    if (!s) return std::nullopt;
    out.push_back(*s);
    return out;
  }
  if (!n.IsSequence()) {
    Fail(n, what + ": expected a text or a list of texts");
    return std::nullopt;
  }
  for (const auto& item : n) {
    auto s = String(item, what);
    if (!s) return std::nullopt;
    out.push_back(*s);
  }
  return out;
}

std::optional<double> Reader::Number(const YAML::Node& n, const std::string& what, double min,
                                     double max) {
  if (n.IsScalar()) {
    const std::string& s = n.Scalar();
    char* end = nullptr;
    errno = 0;
    double v = std::strtod(s.c_str(), &end);
    if (!s.empty() && end == s.c_str() + s.size() && errno == 0 && v >= min && v <= max) return v;
  }
  Fail(n, what + ": expected a number from " + Format(min) + " to " + Format(max));
  return std::nullopt;
}

std::optional<int64_t> Reader::Integer(const YAML::Node& n, const std::string& what,
                                       int64_t min, int64_t max) {
  if (n.IsScalar()) {
    const std::string& s = n.Scalar();
    char* end = nullptr;
    errno = 0;
    long long v = std::strtoll(s.c_str(), &end, 10);
    if (!s.empty() && end == s.c_str() + s.size() && errno == 0 && v >= min && v <= max) return v;
  }
  Fail(n, what + ": expected a whole number from " + std::to_string(min) + " to " +
              std::to_string(max));
  return std::nullopt;
}

std::optional<bool> Reader::Bool(const YAML::Node& n, const std::string& what) {
  if (n.IsScalar()) {
    const std::string& s = n.Scalar();
    if (s == "true" || s == "True" || s == "yes") return true;
    if (s == "false" || s == "False" || s == "no") return false;
  }
  Fail(n, what + ": expected true or false");
  return std::nullopt;
}

std::optional<int> Reader::Priority(const YAML::Node& n, const std::string& what) {
  std::optional<int> p = n.IsScalar() ? ParsePriority(n.Scalar()) : std::nullopt;
  if (!p) Fail(n, what + ": expected a priority P0 to P6, got " + Got(n));
  return p;
}

std::optional<Severity> Reader::Sev(const YAML::Node& n, const std::string& what) {
  std::optional<Severity> s = n.IsScalar() ? ParseSeverity(n.Scalar()) : std::nullopt;
  if (!s) {
    Fail(n, what + ": expected a severity (DEFAULT, DEBUG, INFO, NOTICE, WARNING, ERROR, "
                   "CRITICAL, ALERT, EMERGENCY), got " + Got(n));
  }
  return s;
}

std::optional<int64_t> Reader::Duration(const YAML::Node& n, const std::string& what) {
  std::optional<int64_t> d = n.IsScalar() ? ParseDuration(n.Scalar()) : std::nullopt;
  if (!d || *d <= 0) {
    Fail(n, what + ": expected a duration such as 90m, 24h or 7d, got " + Got(n));
    return std::nullopt;
  }
  return d;
}

std::optional<std::string> Reader::Label(const YAML::Node& n, const std::string& what) {
  auto s = String(n, what);
  if (!s) return std::nullopt;
  std::string problem = LabelProblem(*s);
  if (!problem.empty()) {
    Fail(n, what + ": " + Quote(*s) + " cannot be a GitHub label: " + problem);
    return std::nullopt;
  }
  return s;
}

std::optional<Pattern> Reader::Regex(const YAML::Node& n, const std::string& what) {
  auto s = String(n, what);
  if (!s) return std::nullopt;
  Result<Pattern> p = Pattern::Compile(*s);
  if (!p) {
    Fail(n, what + ": bad regular expression " + Quote(*s) + ": " + p.error().message);
    return std::nullopt;
  }
  return p.value();
}

std::string JoinErrors(const std::vector<std::string>& errors) {
  std::string message;
  for (const std::string& e : errors) message += (message.empty() ? "" : "\n") + OneLine(e);
  return message;
}

}  // namespace yaml_reader
}  // namespace triage
