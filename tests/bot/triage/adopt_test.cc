#include "bot/triage/adopt.h"

#include <doctest/doctest.h>

#include <algorithm>

namespace triage {
namespace {

using Strings = std::vector<std::string>;

Problem SessionProblem() {
  Problem p;
  p.triage.summary = "Session Middleware Configuration Missing";
  p.cluster.template_text =
      "Session access failed (middleware not installed?): SessionMiddleware must be installed to "
      "access request.session";
  p.cluster.locations = {{"logging", "callHandlers", 1706}};
  return p;
}

TEST_CASE("adopt: terms split identifiers and drop noise") {
  CHECK(Terms("GCP-staging-P2-SessionMiddleware-high-frequency-warnings") ==
        Strings{"middleware", "session", "sessionmiddleware"});
  CHECK(Terms("HTTPError in user_execution_context 404 at 12:00") ==
        Strings{"context", "execution", "http", "httperror", "user", "user_execution_context"});
  CHECK(Terms("").empty());
  CHECK(Terms("a b 12 the").empty());
}

TEST_CASE("adopt: the search term is the problem's longest own word") {
  CHECK(SearchTerm(SessionProblem()) == "SessionMiddleware");
  Problem none;
  CHECK(SearchTerm(none) == "");
}

TEST_CASE("adopt: similarity of issue titles people wrote") {
  Strings terms = ProblemTerms(SessionProblem());
  struct Case {
    const char* title;
    double score;
  } cases[] = {
      {"GCP-staging-P2-SessionMiddleware-high-frequency-warnings", 1.0},
      {"Session Middleware Missing", 1.0},
      {"Session Middleware breaks login", 0.5},
      {"Session timeout too short", 0},        // one shared term is chance
      {"SessionMiddleware", 1.0},              // the identifier's parts count too
      {"Dashboard charts render slowly", 0},
  };
  for (const Case& c : cases) {
    CAPTURE(std::string(c.title));
    CHECK(TitleSimilarity(terms, c.title).score == doctest::Approx(c.score));
  }
  CHECK(TitleSimilarity(terms, cases[0].title).shared ==
        Strings{"middleware", "session", "sessionmiddleware"});
  CHECK(TitleSimilarity(terms, cases[2].title).score >= kAdoptThreshold);
  CHECK(TitleSimilarity(terms, cases[3].title).score < kAdoptThreshold);
}

}  // namespace
}  // namespace triage

namespace triage {
namespace {

TEST_CASE("adopt: more than one word to search, most telling first, none a part of another") {
  std::vector<std::string> words = SearchWords(SessionProblem(), 3);
  REQUIRE(words.size() == 3);
  CHECK(words[0] == "SessionMiddleware");
  // "session" and "middleware" are parts of the first: not asked again.
  for (const std::string& w : words) CAPTURE(w);
  CHECK(std::find(words.begin(), words.end(), "session") == words.end());
  CHECK(std::find(words.begin(), words.end(), "middleware") == words.end());
  CHECK(SearchWords(SessionProblem(), 1) == std::vector<std::string>{"SessionMiddleware"});
  CHECK(SearchWords(Problem(), 3).empty());
}

TEST_CASE("adopt: a paraphrase meets the problem's words in another form") {
  Problem p;
  p.triage.summary = "HTTP 502 on POST /api/v1/payments/<*>/capture";
  p.cluster.template_text = "POST 502 /api /v1 /payments /<*> /capture";
  std::vector<std::string> terms = ProblemTerms(p);
  CHECK(TitleSimilarity(terms, "Capture of a payment returns HTTP 502 on POST").score == doctest::Approx(1.0));
  CHECK(TitleSimilarity(terms, "Payments capture fails with HTTP 502").score == doctest::Approx(1.0));
  CHECK(TitleSimilarity(terms, "Checkout shows the wrong currency for payments").score == 0);
  CHECK(TitleSimilarity(terms, "Payments page capture screenshot is blurry").score < kAdoptThreshold);
}

}  // namespace
}  // namespace triage
