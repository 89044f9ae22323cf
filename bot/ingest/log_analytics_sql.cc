#include "bot/ingest/log_analytics_sql.h"

#include <algorithm>
#include <utility>

#include "bot/base/severity.h"
#include "bot/base/time_util.h"

namespace triage {
namespace {

// GoogleSQL's RE2 has no look-around and no back-references, so a message
// is masked token by token: split on the clusterer's white space, each
// token mapped on its own, joined again in order. A token is replaced only
// when the clusterer turns every token of its class into the same thing in
// every context:
//  - brackets before, a core of letters, digits, '_', '.', '-' holding a
//    digit, punctuation after (not ending in ':', which can make a token a
//    key): the core becomes "0" when it starts with a digit (a date part to
//    its neighbour), "x0" otherwise; the brackets and punctuation stay. A
//    core that starts with a digit may also hold ':', '/', '+' (times,
//    dates, host:port), but not end in them or in '.';
//  - a path ("/checkout/3f2a", "/v2/search?q=x&page=2"): two slashes or
//    more, no ':' or ',' and not ending in '.': it becomes "/0/", or "/a/"
//    when it holds no digit;
//  - KEY=VALUE with a key of letters, '_', '.', '-' and a value of letters,
//    digits, '_', '-' holding a digit: the value becomes "0".
// Values that span tokens (bot/cluster/normalize.cc) read a token's
// neighbours, so the mask also keeps what those rules read of a token, and
// a token whose replacement would change it stays as it is:
//  - whether it holds a digit ("1190 bytes (1.16 KB)" drops the bracket
//    only after a number): hence "/a/" for a path without one;
//  - whether it is an item of a bare list ("a, b, c"): 2 to 40 bytes,
//    ending in ',', none of "=:()";
//  - whether it can end a restated quantity: at most 6 bytes, ending in ')';
//  - a token that opens with '<' after quotes may start an HTML or XML
//    body, depending on its core: it is never replaced.
// Tokens over 96 bytes stay (the clusterer masks them whole), and so does a
// text with a line break (a stack trace is read from it) or over 2048 bytes
// (the clusterer cuts messages at 4096 bytes). Everything else stays as it
// is, which is finer than the clusterer and therefore safe.
constexpr const char* kTokens = R"(r'[^ \t\n\r\x0b\x0c]+')";
constexpr const char* kDigitFirst =
    R"(r"""^([(\[{<'"`]*)[0-9](?:[0-9A-Za-z_.:/+-]*[0-9A-Za-z_])?((?:[)\]}>'"`,;:.!?]*[)\]}>'"`,;.!?])?)$""")";
constexpr const char* kLetterFirst =
    R"(r"""^([(\[{<'"`]*)[A-Za-z_.-][A-Za-z_.-]*[0-9][0-9A-Za-z_.-]*((?:[)\]}>'"`,;:.!?]*[)\]}>'"`,;.!?])?)$""")";
constexpr const char* kPath = R"(r"""^/[A-Za-z0-9_.~%+?&=/-]*/(?:[A-Za-z0-9_.~%+?&=/-]*[A-Za-z0-9_~%+?&=/-])?$""")";
constexpr const char* kKeyValue = R"(r"""^([A-Za-z_.-]+=)[0-9A-Za-z_-]*[0-9][0-9A-Za-z_-]*$""")";
constexpr const char* kBodyOpen = R"(r"""^['"]*<""")";

// Token t replaced: the expression for m.
std::string MapToken(SqlMask mask) {
  if (mask == SqlMask::kCoarse) return "IF(REGEXP_CONTAINS(t, r'[0-9]'), '0', t)";
  return std::string("IF(BYTE_LENGTH(t) > 96 OR REGEXP_CONTAINS(t, ") + kBodyOpen + "), t, IF(REGEXP_CONTAINS(t, " +
         kPath + "), IF(REGEXP_CONTAINS(t, r'[0-9]'), '/0/', '/a/'), " +
         "REGEXP_REPLACE(REGEXP_REPLACE(REGEXP_REPLACE(t, " + kDigitFirst + R"(, r'\10\2'), )" + kLetterFirst +
         R"(, r'\1x0\2'), )" + kKeyValue + R"(, r'\10'))))";
}

// What the span rules read of a token, as one SQL value of text x.
std::string SpanFacts(const std::string& x) {
  return "CONCAT(CAST(REGEXP_CONTAINS(" + x + ", r'[0-9]') AS STRING), CAST(BYTE_LENGTH(" + x +
         ") BETWEEN 2 AND 40 AND ENDS_WITH(" + x + ", ',') AND NOT REGEXP_CONTAINS(" + x +
         ", r'[=:()]') AS STRING), CAST(BYTE_LENGTH(" + x + ") <= 6 AND ENDS_WITH(" + x + ", ')') AS STRING))";
}

// The token that goes into the key: m, or t when m would change what the
// span rules read of it.
std::string KeptToken(SqlMask mask) {
  if (mask == SqlMask::kCoarse) return "m";
  return "IF(" + SpanFacts("t") + " = " + SpanFacts("m") + ", m, t)";
}

// A text as a key part: "m" + its masked tokens, or "r" + the text itself.
std::string Masked(const std::string& s, const std::string& guard, SqlMask mask) {
  return "IF(" + s + " IS NULL, NULL, IF(" + guard + " AND STRPOS(" + s + ", '\\n') = 0 AND BYTE_LENGTH(" +
         s + ") <= 2048, CONCAT('m', ARRAY_TO_STRING(ARRAY(SELECT " + KeptToken(mask) + " FROM (SELECT t, o, " +
         MapToken(mask) + " AS m FROM UNNEST(REGEXP_EXTRACT_ALL(" + s + ", " + kTokens +
         ")) AS t WITH OFFSET AS o) ORDER BY o), ' ')), CONCAT('r', " + s + ")))";
}

// A JSON value that the parser reads as text: masked when it is a string,
// as JSON text otherwise (which never starts with "m" or "r").
std::string Text(const std::string& json, const std::string& guard, SqlMask mask) {
  return "IF(JSON_TYPE(" + json + ") = 'string', " + Masked("JSON_VALUE(" + json + ")", guard, mask) +
         ", TO_JSON_STRING(" + json + "))";
}

std::string Raw(const std::string& json) { return "TO_JSON_STRING(" + json + ")"; }

std::string Member(const std::string& json, const std::string& key) {
  return json + "['" + key + "']";
}

// Everything the entry parser reads that decides the clusterer's key and a
// row's call site, severity and service; the message texts masked.
std::vector<std::string> KeyParts(SqlMask mask) {
  std::vector<std::string> parts;
  for (const char* label : {"service_name", "function_name", "module_id", "job_name", "container_name"}) {
    parts.push_back(Raw(Member("resource.labels", label)));
  }
  parts.push_back("TO_JSON_STRING(source_location)");
  // A request: method, status and path make its message and call site.
  parts.push_back("CAST(http_request IS NULL AS STRING)");
  parts.push_back("http_request.request_method");
  parts.push_back("CAST(http_request.status AS STRING)");
  parts.push_back(
      "REGEXP_EXTRACT(IF(STRPOS(http_request.request_url, '://') > 0, "
      "IFNULL(REGEXP_EXTRACT(SUBSTR(http_request.request_url, STRPOS(http_request.request_url, '://') + 3), "
      "r'/[\\s\\S]*'), '/'), http_request.request_url), r'^[^?#]*')");
  const std::string short_request =
      "(http_request IS NULL OR BYTE_LENGTH(IFNULL(http_request.request_method, '')) + "
      "BYTE_LENGTH(IFNULL(http_request.request_url, '')) <= 1024)";
  parts.push_back(Masked("text_payload", short_request, mask));

  const std::string p = "json_payload";
  parts.push_back("JSON_TYPE(" + p + ")");
  parts.push_back(Raw(Member(p, "logging.googleapis.com/sourceLocation")));
  for (const char* key : {"module", "function", "line"}) parts.push_back(Raw(Member(Member(p, "labels"), key)));
  for (const char* key : {"logger", "logger_name", "name", "module", "funcName", "function", "func", "lineno",
                          "severity", "level", "levelname", "stack_trace", "stack", "exception", "traceback",
                          "exc_info", "stacktrace"}) {
    parts.push_back(Raw(Member(p, key)));
  }
  parts.push_back(Raw(Member(Member(p, "context"), "name")));
  for (const char* key : {"message", "msg", "log", "text", "event", "error", "description"}) {
    parts.push_back(Text(Member(p, key), "TRUE", mask));
  }
  for (const char* object : {"err", "error"}) {
    parts.push_back(Text(Member(Member(p, object), "message"), "TRUE", mask));
    for (const char* key : {"stack", "type", "name"}) parts.push_back(Raw(Member(Member(p, object), key)));
  }

  const std::string q = "proto_payload";
  parts.push_back("JSON_TYPE(" + q + ")");
  parts.push_back(Raw(Member(q, "methodName")));
  parts.push_back(Raw(Member(q, "serviceName")));
  const std::string method = "JSON_VALUE(" + Member(q, "methodName") + ")";
  parts.push_back(Text(Member(Member(q, "status"), "message"),
                       "(" + method + " IS NULL OR (STRPOS(" + method + ", '\\n') = 0 AND BYTE_LENGTH(" +
                           method + ") <= 1024))",
                       mask));
  return parts;
}

// The entry in the entries:list shape, with what the parser reads.
constexpr const char* kEntry =
    "TO_JSON_STRING(JSON_OBJECT("
    "'insertId', insert_id, "
    "'timestamp', FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%E6SZ', timestamp, 'UTC'), "
    "'severity', severity, "
    "'resource', JSON_OBJECT('type', resource.type, 'labels', resource.labels), "
    "'textPayload', text_payload, "
    "'jsonPayload', json_payload, "
    "'protoPayload', proto_payload, "
    "'httpRequest', IF(http_request IS NULL, NULL, JSON_OBJECT("
    "'requestMethod', http_request.request_method, 'requestUrl', http_request.request_url, "
    "'status', http_request.status)), "
    "'sourceLocation', IF(source_location IS NULL, NULL, JSON_OBJECT("
    "'file', source_location.file, 'line', source_location.line, 'function', source_location.function))))";

constexpr const char* kRevision =
    "COALESCE(IF(JSON_TYPE(resource.labels.revision_name) = 'string' AND "
    "JSON_VALUE(resource.labels.revision_name) != '', JSON_VALUE(resource.labels.revision_name), NULL), "
    "IF(JSON_TYPE(resource.labels.version_id) = 'string' AND JSON_VALUE(resource.labels.version_id) != '', "
    "JSON_VALUE(resource.labels.version_id), NULL))";

}  // namespace

Result<AnalyticsQuery> BuildAnalyticsQuery(const SourceConfig& source, const EntryFilter& filter,
                                           int64_t since_us, int64_t until_us, SqlMask mask) {
  // The name goes into the statement, so it is checked, never trusted:
  // letters, digits, '-', '.', ':' and '_' only.
  if (!IsLinkedDatasetName(source.dataset)) {
    return Error{ErrorKind::kConfig, "source.dataset must be the linked dataset as PROJECT.DATASET, got \"" +
                                         source.dataset + "\""};
  }
  if (!source.filter.empty()) {
    return Error{ErrorKind::kConfig,
                 "source.filter is Logging query language and cannot apply to a Log Analytics query; "
                 "remove it or use source.kind: entries_list"};
  }
  AnalyticsQuery q;
  q.max_groups = source.max_groups;
  q.parameters.push_back({"since", "TIMESTAMP", false, {FormatRfc3339(since_us)}});
  q.parameters.push_back({"until", "TIMESTAMP", false, {FormatRfc3339(until_us)}});
  // Severities below the floor, as names and numbers; the bot checks each
  // row's severity again as the parser reads it.
  QueryParameter below{"below_floor", "STRING", true, {}};
  for (int s = 0; s < static_cast<int>(filter.min_severity); s += 100) {
    below.values.push_back(SeverityName(static_cast<Severity>(s)));
    below.values.push_back(std::to_string(s));
  }
  // The other spellings the parser reads (bot/base/severity.cc).
  for (auto [alias, severity] : {std::pair{"TRACE", Severity::kDebug}, std::pair{"WARN", Severity::kWarning},
                                 std::pair{"ERR", Severity::kError}, std::pair{"FATAL", Severity::kCritical}}) {
    if (severity < filter.min_severity) below.values.push_back(alias);
  }
  std::sort(below.values.begin(), below.values.end());
  q.parameters.push_back(below);
  q.parameters.push_back({"services", "STRING", true, filter.services});
  if (!source.resource_type.empty()) q.parameters.push_back({"resource_type", "STRING", false, {source.resource_type}});

  std::string key = "TO_JSON_STRING(STRUCT(";
  std::vector<std::string> parts = KeyParts(mask);
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) key += ",\n      ";
    key += parts[i] + " AS k" + std::to_string(i);
  }
  key += "))";

  std::string services = "ARRAY_LENGTH(@services) = 0";
  for (const char* label : {"service_name", "function_name", "module_id", "job_name", "container_name"}) {
    services += " OR JSON_VALUE(" + Member("resource.labels", label) + ") IN UNNEST(@services)";
  }

  std::string& s = q.sql;
  s = "-- " + std::string("gcp-log-gardener: one row per group of entries with one signature\n");
  s += "WITH entries AS (\n  SELECT timestamp, severity, insert_id,\n    " + key + " AS k,\n    " + kRevision +
       " AS revision,\n    " + kEntry + " AS entry\n";
  s += "  FROM `" + source.dataset + "._AllLogs`\n";
  s += "  WHERE timestamp >= @since AND timestamp < @until\n";
  s += "    AND (severity IS NULL OR UPPER(severity) NOT IN UNNEST(@below_floor))\n";
  s += "    AND (" + services + ")\n";
  if (!source.resource_type.empty()) s += "    AND resource.type = @resource_type\n";
  q.keys_sql = s + ")\nSELECT insert_id, k FROM entries\n";
  s += "),\nhours AS (\n  SELECT k, severity, TIMESTAMP_TRUNC(timestamp, HOUR, 'UTC') AS hour, COUNT(*) AS n,\n"
       "    MIN(timestamp) AS first_seen, MAX(timestamp) AS last_seen,\n"
       "    ARRAY_AGG(STRUCT(timestamp AS t, insert_id AS id, entry) ORDER BY timestamp, insert_id LIMIT 1)[OFFSET(0)] AS earliest,\n"
       "    ARRAY_AGG(STRUCT(timestamp AS t, insert_id AS id, entry) ORDER BY timestamp DESC, insert_id LIMIT 1)[OFFSET(0)] AS latest,\n"
       "    ARRAY_AGG(DISTINCT revision IGNORE NULLS) AS revisions\n"
       "  FROM entries\n  GROUP BY k, severity, hour\n)\n";
  s += "SELECT severity, SUM(n) AS n, MIN(first_seen) AS first_seen, MAX(last_seen) AS last_seen,\n"
       "  ARRAY_AGG(STRUCT(hour, n) ORDER BY hour) AS hours,\n"
       "  ARRAY_CONCAT_AGG(revisions) AS revisions,\n"
       "  ARRAY_AGG(earliest ORDER BY earliest.t, earliest.id LIMIT 1)[OFFSET(0)].entry AS earliest,\n"
       "  ARRAY_AGG(latest ORDER BY latest.t DESC, latest.id LIMIT 1)[OFFSET(0)].entry AS latest\n"
       "FROM hours\nGROUP BY k, severity\nORDER BY n DESC, k\n";
  s += "LIMIT " + std::to_string(source.max_groups + 1) + "\n";
  return q;
}

namespace {

// A parameter's value in a comment line: quoted, with what would end the
// line or the quotes escaped.
std::string QuotedValue(const std::string& v) {
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

std::string DescribeAnalyticsQuery(const AnalyticsQuery& query) {
  std::string out = query.sql;
  out += "\n-- parameters (parameterMode NAMED):\n";
  for (const QueryParameter& p : query.parameters) {
    out += "--   @" + p.name + " " + (p.array ? "ARRAY<" + p.type + ">" : p.type) + " = ";
    if (p.array) out += "[";
    for (size_t i = 0; i < p.values.size(); ++i) {
      if (i) out += ", ";
      out += QuotedValue(p.values[i]);
    }
    if (p.array) out += "]";
    out += "\n";
  }
  return out;
}

}  // namespace triage
