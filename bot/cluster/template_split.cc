#include "bot/cluster/template_split.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace triage {
namespace {

constexpr const char* kVar = "<*>";

using Signatures = std::vector<std::vector<std::string>>;

bool IsPunct(char c) {
  return c == ':' || c == ',' || c == ';' || c == '.' || c == ')' || c == ']' ||
         c == '}' || c == '(' || c == '[' || c == '{' || c == '"' || c == '\'';
}

// The token for a position that varies: <*>, with the punctuation that every
// value shares around it ("<*>:" for "/a/b:" and "/c:").
std::string VariableToken(const Signatures& sigs, const std::vector<size_t>& members,
                          size_t p) {
  const std::string& first = sigs[members[0]][p];
  size_t prefix = 0;
  while (prefix < first.size() && IsPunct(first[prefix])) ++prefix;
  size_t suffix = 0;
  while (suffix < first.size() - prefix && IsPunct(first[first.size() - 1 - suffix])) {
    ++suffix;
  }
  for (size_t m : members) {
    const std::string& w = sigs[m][p];
    size_t k = 0;
    while (k < prefix && k < w.size() && w[k] == first[k]) ++k;
    prefix = k;
    k = 0;
    while (k < suffix && k < w.size() && w[w.size() - 1 - k] == first[first.size() - 1 - k]) ++k;
    suffix = k;
  }
  if (prefix + suffix >= first.size()) return kVar;  // values made of punctuation only
  return first.substr(0, prefix) + kVar + first.substr(first.size() - suffix);
}

// Splits `members` until every position that still differs holds more words
// than the options allow. `general` collects the templates of the groups a
// part was split from.
void DownSplit(const Signatures& sigs, std::vector<size_t> members,
               const SplitOptions& options, std::vector<std::vector<std::string>> general,
               std::vector<TemplateGroup>* out) {
  const size_t width = sigs[members[0]].size();
  size_t best = width;
  size_t best_distinct = 0;
  std::vector<bool> varies(width, false);
  for (size_t p = 0; p < width; ++p) {
    std::map<std::string, int> words;
    for (size_t m : members) {
      words.emplace(sigs[m][p], 0);
      if (words.size() > static_cast<size_t>(options.max_words_per_position)) break;
    }
    if (words.size() <= 1) continue;
    varies[p] = true;
    // Where values were already masked, a word is a value too.
    if (words.count(kVar)) continue;
    if (words.size() <= static_cast<size_t>(options.max_words_per_position) &&
        (best == width || words.size() < best_distinct)) {
      best = p;
      best_distinct = words.size();
    }
  }
  std::vector<std::string> tokens = sigs[members[0]];
  for (size_t p = 0; p < width; ++p) {
    if (varies[p]) tokens[p] = VariableToken(sigs, members, p);
  }
  if (best == width) {
    TemplateGroup group;
    group.members = std::move(members);
    group.tokens = std::move(tokens);
    group.generalizations = std::move(general);
    out->push_back(std::move(group));
    return;
  }
  general.push_back(std::move(tokens));
  std::map<std::string, std::vector<size_t>> parts;
  for (size_t m : members) parts[sigs[m][best]].push_back(m);
  for (auto& [word, part] : parts) DownSplit(sigs, std::move(part), options, general, out);
}

}  // namespace

std::vector<TemplateGroup> SplitTemplates(const Signatures& sigs,
                                          const std::vector<int64_t>& counts,
                                          const SplitOptions& options) {
  std::vector<TemplateGroup> out;
  if (sigs.empty()) return out;
  const size_t width = sigs[0].size();
  // How often each word occurs at each position, over all entries.
  std::vector<std::unordered_map<std::string, int64_t>> freq(width);
  for (size_t i = 0; i < sigs.size(); ++i) {
    for (size_t p = 0; p < width; ++p) {
      if (sigs[i][p] != kVar) freq[p][sigs[i][p]] += counts[i];
    }
  }
  // Each signature's pattern: its words whose frequency is the one most of
  // its words share (ties: the higher frequency).
  std::map<std::vector<std::pair<size_t, std::string>>, std::vector<size_t>> initial;
  for (size_t i = 0; i < sigs.size(); ++i) {
    std::map<int64_t, int> how_many;
    for (size_t p = 0; p < width; ++p) {
      if (sigs[i][p] != kVar) ++how_many[freq[p][sigs[i][p]]];
    }
    int64_t root = 0;
    int root_n = 0;
    for (const auto& [f, n] : how_many) {
      if (n >= root_n) {
        root = f;
        root_n = n;
      }
    }
    std::vector<std::pair<size_t, std::string>> pattern;
    for (size_t p = 0; p < width; ++p) {
      if (sigs[i][p] != kVar && freq[p][sigs[i][p]] == root) pattern.emplace_back(p, sigs[i][p]);
    }
    initial[pattern].push_back(i);
  }
  for (auto& [pattern, members] : initial) DownSplit(sigs, std::move(members), options, {}, &out);
  return out;
}

}  // namespace triage
