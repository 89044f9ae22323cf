// Issues people filed by hand before the bot existed: the terms to search
// for a problem's issue, and how alike a candidate is. Pure.
#ifndef TRIAGE_BOT_TRIAGE_ADOPT_H_
#define TRIAGE_BOT_TRIAGE_ADOPT_H_

#include <string>
#include <vector>

#include "bot/base/types.h"

namespace triage {

// The words of `text` that can tell problems apart, lower case, sorted,
// unique: identifiers whole and split at case changes, '_' and '-'
// ("SessionMiddleware" gives sessionmiddleware, session, middleware);
// without numbers, words under 3 letters, common English and the words of
// the bot's own titles (gcp, p2, staging, warnings ...).
std::vector<std::string> Terms(const std::string& text);

// The terms of a problem: its summary, template, exception and function.
std::vector<std::string> ProblemTerms(const Problem& problem);

// The one term to search GitHub for: the longest of the problem's own
// words (not a split part), "" when it has none.
std::string SearchTerm(const Problem& problem);

// The words to search for, one a search, most telling first: SearchTerm,
// then the problem's longest terms that are no part of an earlier word;
// at most `n`.
std::vector<std::string> SearchWords(const Problem& problem, size_t n);

struct Similarity {
  double score = 0;                    // shared terms / the title's terms
  std::vector<std::string> shared;
};

// How much of an issue title's terms the problem has, over the whole title,
// a word meeting its plural or other tense ("payment", "payments"). A
// single shared term never counts as alike: one word in common is chance.
Similarity TitleSimilarity(const std::vector<std::string>& problem_terms, const std::string& title);

// The share of terms at or above which an issue is adopted.
constexpr double kAdoptThreshold = 0.5;

}  // namespace triage

#endif  // TRIAGE_BOT_TRIAGE_ADOPT_H_
