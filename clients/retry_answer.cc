#include "clients/retry_answer.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "bot/base/time_util.h"

namespace triage {
namespace retry_answer {
namespace {

constexpr int64_t kSecondUs = 1000000;

std::string Str(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// "Issue.title: title is too long; Label.name: already_exists" (GH §2.13).
std::string GitHubErrors(const nlohmann::json& object) {
  auto errors = object.find("errors");
  if (errors == object.end() || !errors->is_array()) return "";
  std::string out;
  for (const nlohmann::json& e : *errors) {
    std::string where = e.is_object() ? Str(e, "resource") : "";
    std::string field = e.is_object() ? Str(e, "field") : "";
    if (!field.empty()) where += (where.empty() ? "" : ".") + field;
    std::string what = e.is_string() ? e.get<std::string>() : "";
    if (e.is_object()) what = Str(e, "message").empty() ? Str(e, "code") : Str(e, "message");
    if (what.empty()) continue;
    out += (out.empty() ? "" : "; ") + (where.empty() ? what : where + ": " + what);
  }
  return out;
}

// A protobuf JSON duration: "30s", "1.5s".
std::optional<int64_t> ParseProtoDuration(const std::string& text) {
  double seconds = 0;
  int used = 0;
  if (std::sscanf(text.c_str(), "%lf%n", &seconds, &used) != 1 || text.substr(used) != "s" ||
      !(seconds >= 0 && seconds < 1e7)) {
    return std::nullopt;
  }
  return static_cast<int64_t>(seconds * kSecondUs);
}

void ReadGoogleError(const nlohmann::json& error, BodyFacts* facts) {
  facts->message = Str(error, "message");
  facts->google_status = Str(error, "status");
  auto details = error.find("details");
  if (details == error.end() || !details->is_array()) return;
  for (const nlohmann::json& detail : *details) {
    if (detail.is_object() && Str(detail, "@type") == "type.googleapis.com/google.rpc.RetryInfo") {
      facts->retry_delay_us = ParseProtoDuration(Str(detail, "retryDelay"));
    }
  }
}

}  // namespace

std::string OneLine(std::string text) {
  std::replace_if(text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  if (text.size() <= 300) return text;
  size_t cut = 297;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "...";
}

BodyFacts ReadBody(const std::string& body) {
  BodyFacts facts;
  const nlohmann::json json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return facts;  // also a body that is not JSON
  auto error = json.find("error");
  if (error != json.end() && error->is_object()) {
    ReadGoogleError(*error, &facts);
  } else if (error != json.end() && error->is_string()) {
    const std::string description = Str(json, "error_description");
    facts.message = error->get<std::string>() + (description.empty() ? "" : ": " + description);
  } else {
    const std::string errors = GitHubErrors(json);
    facts.message = Str(json, "message");
    if (!errors.empty()) facts.message += (facts.message.empty() ? "" : "; ") + errors;
  }
  facts.message = OneLine(std::move(facts.message));
  return facts;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<int64_t> ParseSeconds(std::string_view text) {
  text = Trim(text);
  if (text.empty() || text.size() > 12 || text.find_first_not_of("0123456789") != text.npos) {
    return std::nullopt;
  }
  return std::stoll(std::string(text)) * kSecondUs;
}

std::optional<int64_t> RetryAfterUs(std::string_view text, int64_t now_us) {
  if (std::optional<int64_t> wait = ParseSeconds(text)) return wait;
  text = Trim(text);
  static constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
  const size_t month = text.size() == 29 ? kMonths.find(text.substr(8, 3)) : kMonths.npos;
  if (month == kMonths.npos || month % 3 != 0 || text.substr(25) != " GMT") return std::nullopt;
  const size_t month_number = month / 3 + 1;
  const std::string month_digits = (month_number < 10 ? "0" : "") + std::to_string(month_number);
  const std::string rfc3339 = std::string(text.substr(12, 4)) + "-" + month_digits + "-" +
                              std::string(text.substr(5, 2)) + "T" +
                              std::string(text.substr(17, 8)) + "Z";
  std::optional<int64_t> at = ParseRfc3339(rfc3339);
  if (!at) return std::nullopt;
  return std::max<int64_t>(*at - now_us, 0);
}

}  // namespace retry_answer
}  // namespace triage
