#include "bot/cluster/template_split.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace triage {
namespace {

using Sigs = std::vector<std::vector<std::string>>;

std::vector<std::string> Template(const std::vector<TemplateGroup>& groups, size_t member) {
  for (const TemplateGroup& g : groups) {
    if (std::find(g.members.begin(), g.members.end(), member) != g.members.end()) return g.tokens;
  }
  return {};
}

TEST_CASE("a position with many words is a variable") {
  Sigs sigs = {{"Invalid", "user", "admin", "from", "<*>"},
               {"Invalid", "user", "oracle", "from", "<*>"},
               {"Invalid", "user", "test", "from", "<*>"},
               {"Invalid", "user", "guest", "from", "<*>"},
               {"Invalid", "user", "pi", "from", "<*>"}};
  auto groups = SplitTemplates(sigs, {3, 1, 2, 1, 1}, SplitOptions());
  REQUIRE(groups.size() == 1);
  CHECK(groups[0].tokens == std::vector<std::string>{"Invalid", "user", "<*>", "from", "<*>"});
  CHECK(groups[0].members.size() == 5);
}

TEST_CASE("a position with a few words tells problems apart") {
  Sigs sigs = {{"dependency", "redis", "unhealthy"},
               {"dependency", "cart-api", "unhealthy"},
               {"dependency", "search-svc", "unhealthy"}};
  auto groups = SplitTemplates(sigs, {50, 30, 20}, SplitOptions());
  CHECK(groups.size() == 3);
  for (const TemplateGroup& g : groups) {
    REQUIRE(g.generalizations.size() == 1);
    CHECK(g.generalizations[0] == std::vector<std::string>{"dependency", "<*>", "unhealthy"});
  }
}

TEST_CASE("different events of one length stay apart") {
  Sigs sigs = {{"Receiving", "block", "<*>"}, {"Deleting", "block", "<*>"},
               {"Verified", "block", "<*>"}, {"Receiving", "block", "<*>", }};
  sigs.pop_back();
  auto groups = SplitTemplates(sigs, {10, 7, 3}, SplitOptions());
  CHECK(groups.size() == 3);
  CHECK(Template(groups, 0)[0] == "Receiving");
  CHECK(Template(groups, 1)[0] == "Deleting");
}

TEST_CASE("punctuation shared by every value stays around the variable") {
  Sigs sigs;
  for (const char* path : {"/a/b:", "/c:", "/d/e/f:", "/g:", "/h:"}) {
    sigs.push_back({"Error", "loading", path, "missing"});
  }
  auto groups = SplitTemplates(sigs, {1, 1, 1, 1, 1}, SplitOptions());
  REQUIRE(groups.size() == 1);
  CHECK(groups[0].tokens[2] == "<*>:");
}

TEST_CASE("the result does not depend on the input order") {
  Sigs sigs = {{"a", "x", "1"}, {"a", "y", "1"}, {"b", "x", "2"}, {"a", "z", "3"}};
  std::vector<int64_t> counts = {4, 2, 7, 1};
  auto forward = SplitTemplates(sigs, counts, SplitOptions());
  Sigs reversed(sigs.rbegin(), sigs.rend());
  std::vector<int64_t> rcounts(counts.rbegin(), counts.rend());
  auto backward = SplitTemplates(reversed, rcounts, SplitOptions());
  REQUIRE(forward.size() == backward.size());
  for (size_t i = 0; i < sigs.size(); ++i) {
    CHECK(Template(forward, i) == Template(backward, sigs.size() - 1 - i));
  }
}

TEST_CASE("every input lands in exactly one group") {
  Sigs sigs;
  for (int i = 0; i < 40; ++i) {
    sigs.push_back({"w" + std::to_string(i % 7), "k" + std::to_string(i % 3), "v" + std::to_string(i)});
  }
  auto groups = SplitTemplates(sigs, std::vector<int64_t>(sigs.size(), 1), SplitOptions());
  std::vector<int> seen(sigs.size(), 0);
  for (const TemplateGroup& g : groups) {
    for (size_t m : g.members) ++seen[m];
  }
  CHECK(std::all_of(seen.begin(), seen.end(), [](int n) { return n == 1; }));
  CHECK(SplitTemplates({}, {}, SplitOptions()).empty());
}

}  // namespace
}  // namespace triage
