#include "bot/ingest/entry_parse.h"

#include <simdjson.h>

#include <cstdlib>

#include "bot/cluster/normalize.h"
#include "bot/base/severity.h"
#include "bot/ingest/stack_trace.h"
#include "bot/base/text.h"
#include "bot/base/time_util.h"

namespace triage {
namespace {

using simdjson::dom::element;

std::string_view Str(element e, const char* key) {
  std::string_view v;
  if (e[key].get(v) == simdjson::SUCCESS) return v;
  return {};
}

std::string_view FirstStr(element e, std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    std::string_view v = Str(e, key);
    if (!v.empty()) return v;
  }
  return {};
}

// Lines and statuses come as numbers or as strings ("line": "748").
int64_t Int(element e, const char* key) {
  element v;
  if (e[key].get(v) != simdjson::SUCCESS) return 0;
  int64_t i;
  if (v.get(i) == simdjson::SUCCESS) return i;
  double d;
  if (v.get(d) == simdjson::SUCCESS) return static_cast<int64_t>(d);
  std::string_view s;
  if (v.get(s) == simdjson::SUCCESS) return std::atoll(std::string(s.substr(0, 18)).c_str());
  return 0;
}

bool Obj(element e, const char* key, element* out) {
  return e[key].get(*out) == simdjson::SUCCESS && out->is_object();
}

void SetLocation(std::string_view module, std::string_view function, int64_t line,
                 LogEntry* entry) {
  if (module.empty() && function.empty()) return;
  if (!entry->location.module.empty() || !entry->location.function.empty()) return;
  entry->location.module = std::string(module);
  entry->location.function = std::string(function);
  entry->location.line = static_cast<int>(line);
}

void ReadSourceLocation(element loc, LogEntry* entry) {
  std::string_view function = Str(loc, "function");
  std::string_view file = Str(loc, "file");
  // A function name already says where; the file is only a fallback.
  SetLocation(function.empty() ? file : std::string_view(), function, Int(loc, "line"), entry);
}

// Pino's numeric levels, and names in the payload when the agent did not
// map them to the entry's severity.
void ReadPayloadSeverity(element payload, LogEntry* entry) {
  if (entry->has_severity) return;
  for (const char* key : {"severity", "level", "levelname"}) {
    element v;
    if (payload[key].get(v) != simdjson::SUCCESS) continue;
    std::string_view s;
    int64_t n;
    if (v.get(s) == simdjson::SUCCESS) {
      if (auto sev = ParseSeverity(s)) {
        entry->severity = *sev;
        entry->has_severity = true;
        return;
      }
    } else if (v.get(n) == simdjson::SUCCESS && n >= 10 && n <= 60) {
      static constexpr Severity kPino[] = {Severity::kDebug, Severity::kDebug,
                                           Severity::kInfo, Severity::kWarning,
                                           Severity::kError, Severity::kCritical};
      entry->severity = kPino[n / 10 - 1];
      entry->has_severity = true;
      return;
    }
  }
}

void ReadJsonPayload(element payload, LogEntry* entry) {
  // The call site the application declared wins over one read from a trace.
  element loc;
  if (Obj(payload, "logging.googleapis.com/sourceLocation", &loc)) ReadSourceLocation(loc, entry);
  element labels;
  if (Obj(payload, "labels", &labels)) {
    SetLocation(Str(labels, "module"), Str(labels, "function"), Int(labels, "line"), entry);
  }
  std::string_view logger = FirstStr(payload, {"logger", "logger_name", "name", "module"});
  element context;
  if (logger.empty() && Obj(payload, "context", &context)) logger = Str(context, "name");
  SetLocation(logger, FirstStr(payload, {"funcName", "function", "func"}),
              Int(payload, "lineno"), entry);

  std::string_view message =
      FirstStr(payload, {"message", "msg", "log", "text", "event", "error", "description"});
  std::string_view stack = FirstStr(payload, {"stack_trace", "stack", "exception", "traceback",
                                              "exc_info", "stacktrace"});
  element err;
  std::string_view err_type;
  if (Obj(payload, "err", &err) || Obj(payload, "error", &err)) {
    if (message.empty()) message = Str(err, "message");
    if (stack.empty()) stack = Str(err, "stack");
    err_type = FirstStr(err, {"type", "name"});
  }
  if (message.empty()) message = stack;
  SetMessageFromText(message, entry);
  if (!stack.empty() && stack.data() != message.data()) {
    TraceInfo trace = ReadStackTrace(stack.substr(0, 64 * 1024));
    if (entry->exception.empty()) entry->exception = trace.exception;
    SetLocation(trace.location.module, trace.location.function, trace.location.line, entry);
  }
  if (entry->exception.empty()) entry->exception = std::string(err_type);
  ReadPayloadSeverity(payload, entry);
}

// Request logs: the route is the problem for a 5xx; for any other status
// the route varies (scanners, clients) and is shown, not clustered on.
void ReadHttpRequest(element http, std::string_view platform_text, LogEntry* entry) {
  std::string_view method = Str(http, "requestMethod");
  int64_t status = Int(http, "status");
  std::string_view url = Str(http, "requestUrl");
  size_t scheme = url.find("://");
  std::string_view path = url;
  if (scheme != std::string_view::npos) {
    size_t slash = url.find('/', scheme + 3);
    path = slash == std::string_view::npos ? "/" : url.substr(slash);
  }
  path = path.substr(0, path.find_first_of("?#"));
  std::string status_text = status > 0 ? std::to_string(status) : "-";
  std::string m = std::string(method.empty() ? "-" : method) + " " + status_text;
  entry->literal_tokens = 2;
  if (status >= 500) {
    // One token per segment, so that a segment with many values (a slug)
    // becomes a variable without merging other routes.
    std::string route = NormalizeRoute(path.substr(0, 512));
    for (size_t start = 0; start < route.size();) {
      size_t next = route.find('/', start + 1);
      if (next == std::string::npos) next = route.size();
      m += " " + route.substr(start, next - start);
      ++entry->literal_tokens;
      start = next;
    }
  }
  if (!platform_text.empty()) m += " " + std::string(FirstLine(platform_text));
  entry->message = std::string(CutUtf8(m, kMaxMessageBytes));
  entry->text = std::string(method) + " " + std::string(url.substr(0, 2048)) + " " + status_text;
  if (!platform_text.empty()) entry->text += "\n" + std::string(platform_text.substr(0, 2048));
  entry->http_status = static_cast<int>(status);
  entry->group_key = "http";
  entry->location = Location();
  entry->location.module = "http";
  entry->location.function = std::string(method) + " " + std::string(path.substr(0, 512));
}

void ReadProtoPayload(element proto, LogEntry* entry) {
  std::string_view method = Str(proto, "methodName");
  std::string_view service = Str(proto, "serviceName");
  element status;
  std::string_view status_message;
  if (Obj(proto, "status", &status)) status_message = Str(status, "message");
  std::string text = std::string(method.empty() ? "audit" : method);
  if (!status_message.empty()) text += ": " + std::string(status_message);
  SetMessageFromText(text, entry);
  SetLocation(service, method, 0, entry);
}

}  // namespace

void SetMessageFromText(std::string_view text, LogEntry* entry) {
  entry->text = std::string(CutUtf8(text, kMaxSampleBytes));
  if (text.find('\n') == std::string_view::npos) {
    entry->message = std::string(CutUtf8(text, kMaxMessageBytes));
    return;
  }
  TraceInfo trace = ReadStackTrace(text.substr(0, 64 * 1024));
  entry->message = std::string(CutUtf8(trace.message, kMaxMessageBytes));
  entry->exception = trace.exception;
  if (entry->location.module.empty() && entry->location.function.empty()) {
    entry->location = trace.location;
  }
}

struct EntryParser::Impl {
  simdjson::dom::parser parser;
};

EntryParser::EntryParser() : impl_(std::make_unique<Impl>()) {}
EntryParser::~EntryParser() = default;

bool EntryParser::Parse(std::string_view json, LogEntry* entry, std::string* error) {
  *entry = LogEntry();
  element root;
  auto err = impl_->parser.parse(json.data(), json.size()).get(root);
  if (err != simdjson::SUCCESS) {
    *error = simdjson::error_message(err);
    return false;
  }
  if (!root.is_object()) {
    *error = "not an object";
    return false;
  }
  entry->id = std::string(Str(root, "insertId"));
  if (auto t = ParseRfc3339(Str(root, "timestamp"))) {
    entry->timestamp_us = *t;
  } else if (auto r = ParseRfc3339(Str(root, "receiveTimestamp"))) {
    entry->timestamp_us = *r;
  }
  element sev;
  if (root["severity"].get(sev) == simdjson::SUCCESS) {
    std::string_view s;
    int64_t n;
    std::optional<Severity> parsed;
    if (sev.get(s) == simdjson::SUCCESS) parsed = ParseSeverity(s);
    else if (sev.get(n) == simdjson::SUCCESS) parsed = ParseSeverity(std::to_string(n));
    if (parsed) {
      entry->severity = *parsed;
      entry->has_severity = true;
    }
  }
  element resource, labels;
  if (Obj(root, "resource", &resource) && Obj(resource, "labels", &labels)) {
    entry->service = std::string(FirstStr(
        labels, {"service_name", "function_name", "module_id", "job_name", "container_name"}));
    entry->revision = std::string(FirstStr(labels, {"revision_name", "version_id"}));
  }
  element loc;
  if (Obj(root, "sourceLocation", &loc)) ReadSourceLocation(loc, entry);

  std::string_view text = Str(root, "textPayload");
  element payload, http;
  if (Obj(root, "httpRequest", &http)) {
    ReadHttpRequest(http, text, entry);
  } else if (Obj(root, "jsonPayload", &payload)) {
    ReadJsonPayload(payload, entry);
  } else if (Obj(root, "protoPayload", &payload)) {
    ReadProtoPayload(payload, entry);
  } else {
    SetMessageFromText(text, entry);
  }
  if (!entry->has_severity) entry->severity = Severity::kDefault;
  entry->has_severity = true;  // an entry without one is DEFAULT, as in the API
  return true;
}

}  // namespace triage
