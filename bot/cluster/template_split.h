// Decides which masked signatures of one call site and length are one
// template. Words that belong to a template occur together, so they share a
// frequency; the words a signature shares the most common frequency with form
// its pattern (the idea of Brain, Yu et al. 2023). Within a pattern, a
// position that takes many values is a variable; one that takes a few is a
// word that tells problems apart, and splits the group.
#ifndef TRIAGE_BOT_CLUSTER_TEMPLATE_SPLIT_H_
#define TRIAGE_BOT_CLUSTER_TEMPLATE_SPLIT_H_

#include <cstdint>
#include <string>
#include <vector>

namespace triage {

struct SplitOptions {
  // A position with more distinct words than this, within a group, is a
  // variable. The same for every data set: no tuning per input.
  int max_words_per_position = 3;
};

struct TemplateGroup {
  std::vector<size_t> members;       // indexes into the input
  std::vector<std::string> tokens;   // the template, variables as <*>
  // The broader templates this group was split from, broadest first: a later
  // run that sees more (or fewer) values in a position may stop there.
  std::vector<std::vector<std::string>> generalizations;
};

// `signatures` all have the same number of tokens; `counts` weigh them.
// Every input index ends up in exactly one group. Deterministic: the result
// depends on the set of inputs and counts, not on their order.
std::vector<TemplateGroup> SplitTemplates(
    const std::vector<std::vector<std::string>>& signatures,
    const std::vector<int64_t>& counts, const SplitOptions& options);

}  // namespace triage

#endif  // TRIAGE_BOT_CLUSTER_TEMPLATE_SPLIT_H_
