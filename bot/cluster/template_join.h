// Joins templates of one call site that differ in length but not in what
// they say: a name of one word or three, a list of one item or five, an
// upstream's error of any wording after a stable prefix. Templates are split
// per token count first (template_split.h); this is the pass that does not
// count tokens, in the spirit of Brain's and LILAC's handling of
// variable-length parameters.
#ifndef TRIAGE_BOT_CLUSTER_TEMPLATE_JOIN_H_
#define TRIAGE_BOT_CLUSTER_TEMPLATE_JOIN_H_

#include <cstddef>
#include <string>
#include <vector>

namespace triage {

struct JoinOptions {
  // Templates of one call site that share a prefix ending in ':' and go on
  // in more than this many different ways are one problem with a variable
  // tail (the cause quoted after "failed:"). The same threshold as
  // SplitOptions::max_words_per_position: a few endings tell problems apart.
  size_t max_tails_per_prefix = 3;
};

struct JoinedTemplate {
  std::vector<size_t> members;      // indexes into the input, ascending
  std::vector<std::string> tokens;  // the joined template
};

// A run of variable tokens ("<*> <*>:", "<*>, <*>") as one "<*>" that keeps
// the punctuation after the run: "customer <*> <*>: x" -> "customer <*>: x".
std::vector<std::string> CollapseVariableRuns(const std::vector<std::string>& tokens);

// Partitions the templates of one bucket. Templates equal once their runs of
// variables are collapsed are joined; with `call_site` (an application frame
// or logger names the place), so are templates that share a prefix ending
// in ':' and have more than max_tails_per_prefix endings. A template joined
// with no other keeps its tokens. Depends on the set of templates only, not
// their order.
std::vector<JoinedTemplate> JoinTemplates(const std::vector<std::vector<std::string>>& templates,
                                          bool call_site, const JoinOptions& options);

}  // namespace triage

#endif  // TRIAGE_BOT_CLUSTER_TEMPLATE_JOIN_H_
