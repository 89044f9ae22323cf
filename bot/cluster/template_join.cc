#include "bot/cluster/template_join.h"

#include <algorithm>
#include <map>

namespace triage {
namespace {

constexpr const char* kVar = "<*>";

// "<*>", "<*>,", "(<*>": a value with its punctuation, nothing else.
bool IsVariableToken(const std::string& token) {
  size_t at = token.find(kVar);
  if (at == std::string::npos) return false;
  for (size_t i = 0; i < token.size(); ++i) {
    if (i >= at && i < at + 3) continue;
    char c = token[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        static_cast<unsigned char>(c) >= 0x80) {
      return false;
    }
  }
  return true;
}

// The first "word:" after the first token: where a message says what failed
// and starts saying why. 0 when there is none.
size_t PrefixLength(const std::vector<std::string>& tokens) {
  for (size_t i = 1; i + 1 < tokens.size(); ++i) {
    const std::string& t = tokens[i];
    if (t.size() >= 3 && t.back() == ':' && !IsVariableToken(t)) return i + 1;
  }
  return 0;
}

}  // namespace

std::vector<std::string> CollapseVariableRuns(const std::vector<std::string>& tokens) {
  std::vector<std::string> out;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (!IsVariableToken(tokens[i])) {
      out.push_back(tokens[i]);
      continue;
    }
    size_t j = i;
    while (j + 1 < tokens.size() && IsVariableToken(tokens[j + 1])) ++j;
    // Quotes and brackets around a value vary with it; a separator after
    // the run stays.
    std::string token = kVar;
    for (char c : tokens[j].substr(tokens[j].rfind(kVar) + 3)) {
      if (c == ',' || c == ';' || c == ':') token.push_back(c);
    }
    out.push_back(std::move(token));
    i = j;
  }
  return out;
}

std::vector<JoinedTemplate> JoinTemplates(const std::vector<std::vector<std::string>>& templates,
                                          bool call_site, const JoinOptions& options) {
  // Equal once collapsed.
  std::map<std::vector<std::string>, std::vector<size_t>> collapsed;
  for (size_t i = 0; i < templates.size(); ++i) {
    collapsed[CollapseVariableRuns(templates[i])].push_back(i);
  }
  // Equal up to "failed:", with many endings.
  std::map<std::vector<std::string>, std::vector<const std::vector<std::string>*>> by_prefix;
  if (call_site) {
    for (const auto& [tokens, members] : collapsed) {
      size_t n = PrefixLength(tokens);
      if (n == 0) continue;
      by_prefix[std::vector<std::string>(tokens.begin(), tokens.begin() + n)].push_back(&tokens);
    }
  }
  std::map<std::vector<std::string>, std::vector<size_t>> joined;
  for (const auto& [prefix, classes] : by_prefix) {
    if (classes.size() <= options.max_tails_per_prefix) continue;
    std::vector<std::string> tokens = prefix;
    tokens.push_back(kVar);
    for (const std::vector<std::string>* c : classes) {
      std::vector<size_t>& members = collapsed[*c];
      joined[tokens].insert(joined[tokens].end(), members.begin(), members.end());
      members.clear();
    }
  }
  for (auto& [tokens, members] : collapsed) {
    if (members.empty()) continue;
    auto& slot = joined[members.size() == 1 ? templates[members[0]] : tokens];
    slot.insert(slot.end(), members.begin(), members.end());
  }
  std::vector<JoinedTemplate> out;
  for (auto& [tokens, members] : joined) {
    JoinedTemplate t;
    std::sort(members.begin(), members.end());
    t.members = std::move(members);
    t.tokens = t.members.size() == 1 ? templates[t.members[0]] : tokens;
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace triage
