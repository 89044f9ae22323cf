#include "bot/template_split.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace triage {
namespace {

constexpr const char* kVar = "<*>";

using Signatures = std::vector<std::vector<std::string>>;

// Splits `members` until every position that still differs holds more words
// than the options allow.
void DownSplit(const Signatures& sigs, std::vector<size_t> members,
               const SplitOptions& options, std::vector<TemplateGroup>* out) {
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
    if (words.size() <= static_cast<size_t>(options.max_words_per_position) &&
        (best == width || words.size() < best_distinct)) {
      best = p;
      best_distinct = words.size();
    }
  }
  if (best == width) {
    TemplateGroup group;
    group.members = std::move(members);
    group.tokens = sigs[group.members[0]];
    for (size_t p = 0; p < width; ++p) {
      if (varies[p]) group.tokens[p] = kVar;
    }
    out->push_back(std::move(group));
    return;
  }
  std::map<std::string, std::vector<size_t>> parts;
  for (size_t m : members) parts[sigs[m][best]].push_back(m);
  for (auto& [word, part] : parts) DownSplit(sigs, std::move(part), options, out);
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
  for (auto& [pattern, members] : initial) DownSplit(sigs, std::move(members), options, &out);
  return out;
}

}  // namespace triage
