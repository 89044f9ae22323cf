#include "templates/template_check.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace triage {
namespace template_check {
namespace {

std::string Trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// The path `name` resolves to from the innermost open section outwards,
// as kainjow looks names up; nullopt when the data never holds it.
std::optional<std::string> Resolve(const std::vector<std::string>& scopes,
                                   const std::set<std::string>& paths, const std::string& name) {
  if (name == ".") return scopes.back();
  for (size_t i = scopes.size(); i-- > 0;) {
    const std::string path = scopes[i].empty() ? name : scopes[i] + "." + name;
    if (paths.count(path)) return path;
  }
  return std::nullopt;
}

// Checks one tag's name. Raw output ({{{x}}} or {{&x}}) is for built
// Markdown only, so a template cannot put log text in unescaped.
std::optional<std::string> CheckTag(const std::string& tag, bool triple,
                                    const std::set<std::string>& paths,
                                    std::vector<std::string>& scopes) {
  const char kind = triple ? '&' : tag.empty() ? ' ' : tag[0];
  if (kind == '!' || kind == '=') return std::nullopt;
  const bool typed = std::string_view("#^/&>").find(kind) != std::string_view::npos && !triple;
  const std::string name = Trim(typed ? tag.substr(1) : tag);
  if (kind == '/') {
    if (scopes.size() > 1) scopes.pop_back();
    return std::nullopt;
  }
  if (kind == '>') return "partials are not supported: '" + name + "'";
  const std::optional<std::string> path = Resolve(scopes, paths, name);
  if (!path) return "unknown variable '" + name + "'";
  const bool raw_ok = name == "marker" ||
                      (name.size() > 3 && name.compare(name.size() - 3, 3, "_md") == 0);
  if (kind == '&' && !raw_ok) {
    return "'" + name + "' is text: write it in double braces so that it is escaped";
  }
  if (kind == '#' || kind == '^') scopes.push_back(*path);
  return std::nullopt;
}

struct Tag {
  size_t begin = 0;     // of the opening delimiter
  size_t end = 0;       // just past the closing one
  std::string content;  // trimmed, sigil included
  bool triple = false;  // {{{x}}}
};

// The tags of an accepted template, in order, as kainjow parses them
// (set-delimiter tags included).
std::vector<Tag> Tags(const std::string& text) {
  std::vector<Tag> tags;
  std::string open = "{{";
  std::string close = "}}";
  for (size_t pos = text.find(open); pos != std::string::npos; pos = text.find(open, pos)) {
    Tag tag;
    tag.begin = pos;
    tag.triple = open == "{{" && text.compare(pos + 2, 1, "{") == 0;
    const size_t start = pos + open.size() + (tag.triple ? 1 : 0);
    const std::string end = tag.triple ? "}}}" : close;
    const size_t stop = text.find(end, start);
    if (stop == std::string::npos) break;
    tag.content = Trim(text.substr(start, stop - start));
    tag.end = pos = stop + end.size();
    if (!tag.triple && tag.content.size() > 2 && tag.content[0] == '=') {
      const std::string inner = Trim(tag.content.substr(1, tag.content.size() - 2));
      open = inner.substr(0, inner.find(' '));
      close = Trim(inner.substr(inner.find(' ')));
    }
    tags.push_back(std::move(tag));
  }
  return tags;
}

bool IsBlank(const std::string& text, size_t from, size_t to) {
  return text.find_first_not_of(" \t\r", from) >= to;
}

// Mustache drops a line that holds only a section or comment tag. kainjow
// does so only for sections it renders and leaves an empty line for one it
// skips, which would end a table or a list. So such tags get kMark after
// them, kainjow never drops a line, and DropMarkedLines drops the lines.
constexpr char kMark = '\x01';

}  // namespace

// Checks every name, in sections a run never opens too.
Result<Ok> CheckNames(const TemplateSource& source, const std::set<std::string>& paths) {
  std::vector<std::string> scopes{""};
  for (const Tag& tag : Tags(source.text)) {
    if (std::optional<std::string> what = CheckTag(tag.content, tag.triple, paths, scopes)) {
      const auto line = 1 + std::count(source.text.begin(), source.text.begin() + tag.begin, '\n');
      return Error{ErrorKind::kConfig,
                   source.source_name + ": line " + std::to_string(line) + ": " + *what};
    }
  }
  return Ok{};
}

std::string MarkStandalone(const std::string& text) {
  std::string out;
  size_t copied = 0;
  for (const Tag& tag : Tags(text)) {
    const char kind = tag.triple || tag.content.empty() ? ' ' : tag.content[0];
    if (std::string_view("#^/!=").find(kind) == std::string_view::npos) continue;
    const size_t line_start = tag.begin == 0 ? 0 : text.rfind('\n', tag.begin - 1) + 1;
    const size_t line_end = std::min(text.find('\n', tag.end), text.size());
    if (!IsBlank(text, line_start, tag.begin) || !IsBlank(text, tag.end, line_end)) continue;
    out.append(text, copied, tag.end - copied).push_back(kMark);
    copied = line_end;
  }
  return out.append(text, copied, std::string::npos);
}

std::string DropMarkedLines(const std::string& text) {
  std::string out;
  for (size_t at = 0; at < text.size();) {
    const size_t nl = std::min(text.find('\n', at), text.size());
    const std::string_view line(text.data() + at, nl - at);
    const bool marked = line.find(kMark) != std::string_view::npos;
    if (!marked || line.find_first_not_of(" \t\r\x01") != std::string_view::npos) {
      for (char c : line) {
        if (c != kMark) out.push_back(c);
      }
      if (nl < text.size()) out.push_back('\n');
    }
    at = nl + 1;
  }
  return out;
}

}  // namespace template_check
}  // namespace triage
