// Reads multi-line error text (Python tracebacks, Java and Node stack
// traces, Go panics): which line names the problem, the exception type, and
// the innermost frame of the application's own code.
#ifndef TRIAGE_BOT_INGEST_STACK_TRACE_H_
#define TRIAGE_BOT_INGEST_STACK_TRACE_H_

#include <string>
#include <string_view>

#include "bot/base/types.h"

namespace triage {

struct TraceInfo {
  std::string message;    // the line to cluster on
  std::string exception;  // "KeyError", "java.lang.NullPointerException"
  Location location;      // empty when no frame was found
};

// Works on any text; a single line gives itself as the message.
TraceInfo ReadStackTrace(std::string_view text);

// The exception type that starts `line` ("ValueError: ...",
// "java.io.IOException: ..."), or "" when the line does not start with one.
std::string ExceptionTypeOf(std::string_view line);

}  // namespace triage

#endif  // TRIAGE_BOT_INGEST_STACK_TRACE_H_
