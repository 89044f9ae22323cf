#include "bot/ingest/stack_trace.h"

#include <cstdlib>
#include <vector>

namespace triage {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::vector<std::string_view> Lines(std::string_view text, size_t max_lines) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size() && lines.size() < max_lines) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

// Library code, not the application's: skipped when choosing the frame.
bool IsLibraryPath(std::string_view file) {
  for (std::string_view marker : {"site-packages/", "dist-packages/",
                                  "/lib/python", "node_modules/", "node:internal",
                                  "/usr/local/go/src/", "/usr/lib/go"}) {
    if (file.find(marker) != std::string_view::npos) return true;
  }
  return false;
}

bool IsLibraryClass(std::string_view name) {
  for (std::string_view prefix : {"java.", "javax.", "jdk.", "sun.", "kotlin.",
                                  "scala.", "runtime.", "net/http.", "panic("}) {
    if (StartsWith(name, prefix)) return true;
  }
  return false;
}

// The module name of a Python file: "/app/ledger/feeds/bankfeed.py" ->
// "ledger/feeds/bankfeed".
std::string PythonModule(std::string_view file) {
  if (EndsWith(file, ".py")) file.remove_suffix(3);
  for (std::string_view root : {"/app/", "/srv/", "/workspace/", "/src/"}) {
    size_t pos = file.find(root);
    if (pos != std::string_view::npos) return std::string(file.substr(pos + root.size()));
  }
  size_t slash = file.rfind('/');
  return std::string(slash == std::string_view::npos ? file : file.substr(slash + 1));
}

bool ReadPython(const std::vector<std::string_view>& lines, TraceInfo* info) {
  bool seen = false;
  Location inner_app, inner_any;
  std::string_view exception_line;
  for (std::string_view raw : lines) {
    std::string_view line = Trim(raw);
    if (StartsWith(line, "Traceback (most recent call last)")) {
      // In a chain ("During handling of the above exception...") the last
      // traceback is the exception that was raised; the earlier are causes.
      seen = true;
      exception_line = {};
      continue;
    }
    if (!seen) continue;
    if (StartsWith(line, "File \"")) {
      size_t q = line.find('"', 6);
      if (q == std::string_view::npos) continue;
      std::string_view file = line.substr(6, q - 6);
      Location loc;
      loc.module = PythonModule(file);
      size_t ln = line.find(", line ", q);
      if (ln != std::string_view::npos) {
        loc.line = std::atoi(std::string(line.substr(ln + 7, 9)).c_str());
      }
      size_t in = line.find(", in ", q);
      if (in != std::string_view::npos) loc.function = std::string(line.substr(in + 5));
      inner_any = loc;
      if (!IsLibraryPath(file)) inner_app = loc;
      continue;
    }
    // The exception line is flush left; code lines under a frame are indented.
    if (!raw.empty() && raw[0] != ' ' && raw[0] != '\t' &&
        !ExceptionTypeOf(line).empty() && exception_line.empty()) {
      exception_line = line;
    }
  }
  if (!seen || exception_line.empty()) return false;
  info->message = std::string(exception_line);
  info->exception = ExceptionTypeOf(exception_line);
  info->location = inner_app.function.empty() ? inner_any : inner_app;
  return true;
}

// "com.x.FacetMapper.toDto(FacetMapper.java:57)" or
// "fetchProducts (/app/chunks/2291.js:1:1589)".
bool ReadAtFrame(std::string_view line, Location* loc) {
  if (!StartsWith(line, "at ")) return false;
  line.remove_prefix(3);
  if (StartsWith(line, "async ")) line.remove_prefix(6);
  size_t paren = line.find('(');
  std::string_view name = Trim(line.substr(0, paren));
  if (name.empty() || IsLibraryClass(name)) return false;
  if (paren != std::string_view::npos) {
    std::string_view where = line.substr(paren + 1);
    if (IsLibraryPath(where)) return false;
  }
  if (paren != std::string_view::npos) {
    // "(FacetMapper.java:57)" or "(/app/x.js:1:1589)": the first number.
    std::string_view where = line.substr(paren + 1);
    size_t colon = where.find(':');
    if (colon != std::string_view::npos) loc->line = std::atoi(std::string(where.substr(colon + 1, 9)).c_str());
  }
  size_t dot = name.rfind('.');
  if (dot != std::string_view::npos && line.find(".java:") != std::string_view::npos) {
    loc->module = std::string(name.substr(0, dot));
    loc->function = std::string(name.substr(dot + 1));
  } else {
    loc->function = std::string(name);
    if (paren != std::string_view::npos) {
      std::string_view where = line.substr(paren + 1);
      size_t colon = where.find(':');
      std::string_view file = where.substr(0, colon);
      size_t slash = file.rfind('/');
      loc->module = std::string(slash == std::string_view::npos ? file : file.substr(slash + 1));
    }
  }
  return true;
}

// Go: "goroutine 7 [running]:" then pairs of "pkg.Func(args)" and
// "\t/path/file.go:123 +0x1f".
bool ReadGoFrame(const std::vector<std::string_view>& lines, Location* loc) {
  bool in_stack = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = Trim(lines[i]);
    if (StartsWith(line, "goroutine ") && EndsWith(line, ":")) {
      in_stack = true;
      continue;
    }
    if (!in_stack || line.empty() || lines[i][0] == '\t') continue;
    if (IsLibraryClass(line) || StartsWith(line, "created by ")) continue;
    size_t paren = line.rfind('(');
    std::string_view name = line.substr(0, paren);
    size_t slash = name.rfind('/');
    std::string_view tail = slash == std::string_view::npos ? name : name.substr(slash + 1);
    size_t dot = tail.find('.');
    if (dot == std::string_view::npos) continue;
    loc->module = std::string(name.substr(0, name.size() - tail.size() + dot));
    loc->function = std::string(tail.substr(dot + 1));
    return true;
  }
  return false;
}

}  // namespace

std::string ExceptionTypeOf(std::string_view line) {
  line = Trim(line);
  if (StartsWith(line, "Exception in thread ")) {
    size_t close = line.find('"', 21);
    if (close != std::string_view::npos) line = Trim(line.substr(close + 1));
  }
  size_t end = 0;
  while (end < line.size()) {
    char c = line[end];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '$';
    if (!ok) break;
    ++end;
  }
  if (end == 0 || end >= line.size() || line[end] != ':') return "";
  std::string_view name = line.substr(0, end);
  size_t dot = name.rfind('.');
  std::string_view last = dot == std::string_view::npos ? name : name.substr(dot + 1);
  for (std::string_view suffix : {"Error", "Exception", "Exit", "Interrupt",
                                  "Warning", "Throwable", "Failure", "Fault"}) {
    if (EndsWith(last, suffix)) return std::string(name);
  }
  return "";
}

TraceInfo ReadStackTrace(std::string_view text) {
  TraceInfo info;
  std::vector<std::string_view> lines = Lines(text, 400);
  if (ReadPython(lines, &info)) return info;
  std::string_view first = Trim(lines.empty() ? text : lines[0]);
  info.message = std::string(first);
  info.exception = ExceptionTypeOf(first);
  if (StartsWith(first, "panic: ")) info.exception = "panic";
  // A first line that only opens a block ("Unhandled Rejection at: Promise {")
  // says little: add the first line that names an exception.
  for (size_t i = 1; i < lines.size() && i < 8 && info.exception.empty(); ++i) {
    std::string_view line = Trim(lines[i]);
    if (StartsWith(line, "<rejected> ")) line.remove_prefix(11);
    std::string type = ExceptionTypeOf(line);
    if (StartsWith(line, "Caused by: ")) type = ExceptionTypeOf(line.substr(11));
    if (!type.empty()) {
      info.exception = type;
      info.message += " ";
      info.message += std::string(line);
    }
  }
  for (std::string_view raw : lines) {
    if (ReadAtFrame(Trim(raw), &info.location)) return info;
  }
  ReadGoFrame(lines, &info.location);
  return info;
}

}  // namespace triage
