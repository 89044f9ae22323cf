#include "bot/triage/adopt.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <set>
#include <string>

#include "bot/base/text.h"

namespace triage {
namespace {

// Words that say nothing about which problem it is.
const std::set<std::string>& Noise() {
  static const std::set<std::string> words{
      "the", "and", "for", "not", "was", "are", "has", "have", "with", "from", "this", "that",
      "into", "via", "per", "but", "all", "any", "its", "out", "off", "too", "use", "used",
      "gcp", "staging", "prod", "production", "dev", "issue", "issues", "bug", "error", "errors",
      "warning", "warnings", "critical", "log", "logs", "high", "low", "frequency", "regression",
      "active", "race", "condition", "auth", "escalated", "none", "null", "fail", "fails",
      "failed", "failing", "returns", "returned", "when", "sometimes"};
  return words;
}

bool Keep(const std::string& w) {
  if (w.size() < 3 || Noise().count(w)) return false;
  return std::none_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "SessionMiddleware" -> Session, Middleware; "HTTPError" -> HTTP, Error.
std::vector<std::string> CaseParts(const std::string& word) {
  std::vector<std::string> parts;
  std::string part;
  for (size_t i = 0; i < word.size(); ++i) {
    char c = word[i];
    bool upper = std::isupper(static_cast<unsigned char>(c));
    bool next_lower = i + 1 < word.size() && std::islower(static_cast<unsigned char>(word[i + 1]));
    bool prev_lower = i > 0 && std::islower(static_cast<unsigned char>(word[i - 1]));
    if (upper && !part.empty() && (prev_lower || next_lower)) {
      parts.push_back(part);
      part.clear();
    }
    part += c;
  }
  if (!part.empty()) parts.push_back(part);
  return parts;
}

// Words of `text`: runs of letters, digits and '_' or '-' inside a word.
std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> words;
  std::string w;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      w += c;
    } else if (!w.empty()) {
      words.push_back(w);
      w.clear();
    }
  }
  if (!w.empty()) words.push_back(w);
  return words;
}

// A word and its plural or tense meet: "payments", "payment"; "capturing",
// "captured", "capture". Crude, the same on both sides.
std::string Stem(std::string w) {
  auto ends = [&](const char* e) {
    size_t n = std::char_traits<char>::length(e);
    return w.size() > n + 2 && w.compare(w.size() - n, n, e) == 0;
  };
  if (ends("ies")) {
    w.replace(w.size() - 3, 3, "y");
  } else if (ends("s") && !ends("ss")) {
    w.pop_back();
  }
  if (ends("ing")) {
    w.resize(w.size() - 3);
  } else if (ends("ed")) {
    w.resize(w.size() - 2);
  }
  if (ends("e")) w.pop_back();
  return w;
}

}  // namespace

std::vector<std::string> Terms(const std::string& text) {
  std::set<std::string> terms;
  for (const std::string& word : Words(text)) {
    std::string whole = Lower(word);
    if (Keep(whole)) terms.insert(whole);
    std::string token;
    for (char c : word + "_") {
      if (c != '_') {
        token += c;
        continue;
      }
      for (const std::string& part : CaseParts(token)) {
        if (Keep(Lower(part))) terms.insert(Lower(part));
      }
      token.clear();
    }
  }
  return {terms.begin(), terms.end()};
}

std::vector<std::string> ProblemTerms(const Problem& p) {
  std::string text = p.triage.summary + " " + p.cluster.template_text + " " + p.cluster.exception;
  for (const Location& loc : p.cluster.locations) text += " " + loc.function;
  return Terms(text);
}

std::string SearchTerm(const Problem& p) {
  std::string best;
  for (const std::string& word : Words(p.cluster.template_text + " " + p.triage.summary)) {
    std::string w = Lower(word);
    if (Keep(w) && w.find('_') == std::string::npos && w.size() > best.size()) best = word;
  }
  return best;
}

std::vector<std::string> SearchWords(const Problem& p, size_t n) {
  std::vector<std::string> words;
  std::string first = SearchTerm(p);
  if (!first.empty()) words.push_back(first);
  std::vector<std::string> terms = ProblemTerms(p);
  std::stable_sort(terms.begin(), terms.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const std::string& t : terms) {
    if (words.size() >= n) break;
    // A part of a word already asked for finds nothing new.
    bool asked = std::any_of(words.begin(), words.end(),
                             [&](const std::string& w) { return Lower(w).find(t) != std::string::npos; });
    if (!asked) words.push_back(t);
  }
  if (words.size() > n) words.resize(n);
  return words;
}

Similarity TitleSimilarity(const std::vector<std::string>& problem_terms, const std::string& title) {
  Similarity s;
  std::set<std::string> problem;
  for (const std::string& t : problem_terms) problem.insert(Stem(t));
  std::set<std::string> seen;  // the title's stems
  for (const std::string& t : Terms(title)) {
    std::string stem = Stem(t);
    if (!seen.insert(stem).second) continue;
    if (problem.count(stem)) s.shared.push_back(t);
  }
  if (s.shared.size() < 2) return s;
  s.score = double(s.shared.size()) / double(seen.size());
  return s;
}

}  // namespace triage
