#include "bot/github/marker.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <set>

#include "bot/base/time_util.h"

namespace triage {
namespace {

using nlohmann::json;

constexpr std::string_view kOpen = "<!-- gcp-log-gardener:v1 ";
constexpr std::string_view kClose = " -->";
constexpr size_t kMaxFingerprints = 256;
constexpr size_t kMaxIssues = 5000;  // the dashboard's list, far below the body limit
constexpr const char* kKindNames[] = {"issue", "evidence", "notice", "reply", "dashboard"};

bool IsToken(const std::string& s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           c == '.' || c == '_' || c == '-';
  });
}

// A GitHub login, as the API spells bots too ("name[bot]").
bool IsLogin(const std::string& s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           c == '-' || c == '_' || c == '[' || c == ']';
  });
}

// The key, run and fingerprints of a marker; false when any is malformed.
bool ReadIdentity(const json& j, Marker* m) {
  m->key = j.value("key", "");
  m->run_id = j.value("run", "");
  if (!IsToken(m->key) || (!m->run_id.empty() && !IsToken(m->run_id))) return false;
  const json& fps = j.value("fingerprints", json::array());
  if (!fps.is_array() || fps.size() > kMaxFingerprints) return false;
  std::set<std::string> unique{m->key};
  for (const json& fp : fps) {
    if (!fp.is_string() || !IsToken(fp.get<std::string>())) return false;
    unique.insert(fp.get<std::string>());
  }
  // FormatMarker writes at most kMaxFingerprints: more would not read back.
  if (unique.size() > kMaxFingerprints) return false;
  m->fingerprints.assign(unique.begin(), unique.end());
  return true;
}

// The evidence state: watermark, priority, the kept comment, flags.
bool ReadEvidence(const json& j, Marker* m) {
  for (auto [name, slot] : {std::pair{"watermark", &m->watermark_us},
                            std::pair{"window_end", &m->window_end_us},
                            std::pair{"retry_from", &m->retry_from_us}}) {
    std::string text = j.value(name, "");
    if (text.empty()) continue;
    auto us = ParseRfc3339(text);
    if (!us) return false;
    *slot = *us;
  }
  const json& priority = j.value("priority", json(-1));
  if (!priority.is_number_integer() || priority.get<int64_t>() < -1 || priority.get<int64_t>() > 6) {
    return false;
  }
  m->priority = static_cast<int>(priority.get<int64_t>());
  const json& evidence = j.value("evidence", json());
  if (!evidence.is_null()) {
    if (!evidence.is_object() || !evidence.value("id", json()).is_number_integer()) return false;
    m->evidence_id = evidence["id"].get<int64_t>();
    auto at = ParseRfc3339(evidence.value("at", ""));
    if (m->evidence_id <= 0 || !at) return false;
    m->evidence_at_us = *at;
  }
  for (auto [name, slot] : {std::pair{"muted", &m->muted}, std::pair{"pinned", &m->pinned}}) {
    const json& flag = j.value(name, json());
    if (flag.is_null()) continue;
    if (!flag.is_boolean()) return false;
    *slot = flag.get<bool>();
  }
  return true;
}

// The lists: folded windows, the dashboard's issues; and whom a reply refused.
bool ReadLists(const json& j, Marker* m) {
  const json& folded = j.value("folded", json::array());
  if (!folded.is_array() || folded.size() > kMaxFoldedWindows) return false;
  for (const json& w : folded) {
    if (!w.is_array() || w.size() != 3 || !w[0].is_string() || !w[1].is_string() ||
        !w[2].is_number_integer() || w[2].get<int64_t>() < 0) {
      return false;
    }
    auto from = ParseRfc3339(w[0].get<std::string>());
    auto to = ParseRfc3339(w[1].get<std::string>());
    if (!from || !to) return false;
    m->folded.push_back(EvidenceWindow{*from, *to, w[2].get<int64_t>()});
  }
  const json& issues = j.value("issues", json::array());
  if (!issues.is_array() || issues.size() > kMaxIssues) return false;
  for (const json& n : issues) {
    if (!n.is_number_integer() || n.get<int64_t>() <= 0 || n.get<int64_t>() > INT32_MAX) return false;
    m->issues.push_back(static_cast<int>(n.get<int64_t>()));
  }
  const json& refused = j.value("refused", json());
  if (!refused.is_null()) {
    if (!refused.is_string() || !IsLogin(refused.get<std::string>())) return false;
    m->refused = refused.get<std::string>();
  }
  return true;
}

std::optional<Marker> FromJson(const json& j) {
  if (!j.is_object()) return std::nullopt;
  Marker m;
  std::string kind = j.value("kind", "");
  auto k = std::find(std::begin(kKindNames), std::end(kKindNames), kind);
  if (k == std::end(kKindNames)) return std::nullopt;
  m.kind = static_cast<MarkerKind>(k - std::begin(kKindNames));
  if (!ReadIdentity(j, &m) || !ReadEvidence(j, &m) || !ReadLists(j, &m)) return std::nullopt;
  return m;
}

}  // namespace

std::string FormatMarker(const Marker& m) {
  json fps = json::array();
  for (const std::string& fp : m.fingerprints) {
    if (IsToken(fp) && fps.size() < kMaxFingerprints) fps.push_back(fp);
  }
  json j = {{"kind", kKindNames[static_cast<int>(m.kind)]},
            {"key", IsToken(m.key) ? m.key : ""},
            {"fingerprints", fps},
            {"priority", m.priority}};
  if (m.watermark_us != 0) j["watermark"] = FormatRfc3339(m.watermark_us);
  if (IsToken(m.run_id)) j["run"] = m.run_id;
  if (m.evidence_id > 0) j["evidence"] = {{"id", m.evidence_id}, {"at", FormatRfc3339(m.evidence_at_us)}};
  if (m.muted) j["muted"] = *m.muted;
  if (m.pinned) j["pinned"] = *m.pinned;
  if (m.window_end_us != 0) j["window_end"] = FormatRfc3339(m.window_end_us);
  if (m.retry_from_us != 0) j["retry_from"] = FormatRfc3339(m.retry_from_us);
  if (!m.folded.empty()) {
    json folded = json::array();
    const size_t skip = m.folded.size() > kMaxFoldedWindows ? m.folded.size() - kMaxFoldedWindows : 0;
    for (size_t i = skip; i < m.folded.size(); ++i) {
      const EvidenceWindow& w = m.folded[i];
      folded.push_back({FormatRfc3339(w.from_us), FormatRfc3339(w.to_us), std::max<int64_t>(w.count, 0)});
    }
    j["folded"] = folded;
  }
  if (IsLogin(m.refused)) j["refused"] = m.refused;
  if (!m.issues.empty()) {
    json issues = json::array();
    for (int n : m.issues) {
      if (n > 0 && issues.size() < kMaxIssues) issues.push_back(n);
    }
    j["issues"] = issues;
  }
  return std::string(kOpen) + j.dump() + std::string(kClose);
}

std::optional<Marker> ParseMarker(std::string_view text) {
  std::optional<Marker> last;
  for (size_t at = text.find(kOpen); at != std::string_view::npos; at = text.find(kOpen, at + 1)) {
    size_t start = at + kOpen.size();
    size_t end = text.find(kClose, start);
    if (end == std::string_view::npos) break;
    json j = json::parse(text.substr(start, end - start), nullptr, false);
    if (j.is_discarded()) continue;
    // Anyone can write a marker in a comment: a field of the wrong type
    // makes it not well-formed, never an exception.
    try {
      if (auto m = FromJson(j)) last = std::move(m);
    } catch (const json::exception&) {
    }
  }
  return last;
}

std::optional<std::string> EditMarker(const std::string& text, const Marker& fallback,
                                      const std::function<void(Marker*)>& edit) {
  size_t at = text.rfind(kOpen);
  size_t end = at == std::string::npos ? at : text.find(kClose, at);
  if (end == std::string::npos) return std::nullopt;
  auto old = ParseMarker(std::string_view(text).substr(at));
  Marker m = old ? *old : fallback;
  edit(&m);
  return text.substr(0, at) + FormatMarker(m) + text.substr(end + kClose.size());
}

}  // namespace triage
