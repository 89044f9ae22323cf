#include "bot/cluster/template_join.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

namespace triage {
namespace {

std::vector<std::string> Tokens(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string t; in >> t;) out.push_back(t);
  return out;
}

std::vector<std::vector<std::string>> Templates(std::initializer_list<const char*> texts) {
  std::vector<std::vector<std::string>> out;
  for (const char* t : texts) out.push_back(Tokens(t));
  return out;
}

TEST_CASE("a run of variables is one") {
  CHECK(CollapseVariableRuns(Tokens("customer <*> <*> <*>: address incomplete")) ==
        Tokens("customer <*>: address incomplete"));
  CHECK(CollapseVariableRuns(Tokens("tenants: <*>, <*> (queue full)")) ==
        Tokens("tenants: <*> (queue full)"));
  CHECK(CollapseVariableRuns(Tokens("said \"<*> <*>\"")) == Tokens("said <*>"));
  // Words between values stay, and so does a key with its value.
  CHECK(CollapseVariableRuns(Tokens("<*> bytes <*> sent")) == Tokens("<*> bytes <*> sent"));
  CHECK(CollapseVariableRuns(Tokens("id=<*> <*>")) == Tokens("id=<*> <*>"));
}

TEST_CASE("templates that differ only in the length of a value are joined") {
  auto joined = JoinTemplates(Templates({"Order <*> rejected for customer <*>: address incomplete",
                                         "Order <*> rejected for customer <*> <*>: address incomplete",
                                         "Order <*> blocked for customer <*>: address incomplete"}),
                              false, JoinOptions());
  REQUIRE(joined.size() == 2);
  std::sort(joined.begin(), joined.end(),
            [](const JoinedTemplate& a, const JoinedTemplate& b) { return a.members < b.members; });
  CHECK(joined[0].members == std::vector<size_t>{0, 1});
  CHECK(joined[0].tokens == Tokens("Order <*> rejected for customer <*>: address incomplete"));
  CHECK(joined[1].members == std::vector<size_t>{2});
}

TEST_CASE("a template joined with no other keeps its text") {
  auto joined = JoinTemplates(Templates({"said \"<*> <*>\" twice"}), true, JoinOptions());
  REQUIRE(joined.size() == 1);
  CHECK(joined[0].tokens == Tokens("said \"<*> <*>\" twice"));
}

TEST_CASE("many endings after 'failed:' at one call site are one problem") {
  auto many = Templates({"fetching rates failed: upstream returned <*>",
                         "fetching rates failed: connection reset by peer",
                         "fetching rates failed: no healthy upstream",
                         "fetching rates failed: unexpected EOF",
                         "loading config failed: file missing"});
  auto joined = JoinTemplates(many, true, JoinOptions());
  REQUIRE(joined.size() == 2);
  for (const JoinedTemplate& j : joined) {
    if (j.members.size() == 4) CHECK(j.tokens == Tokens("fetching rates failed: <*>"));
  }
  // Without a call site the text is all there is: no join.
  CHECK(JoinTemplates(many, false, JoinOptions()).size() == 5);
  // A few endings tell problems apart.
  many.erase(many.begin());
  CHECK(JoinTemplates(many, true, JoinOptions()).size() == 4);
}

TEST_CASE("the join does not depend on the order of the templates") {
  auto a = Templates({"x <*> y", "x <*> <*> y", "z failed: a b", "z failed: c", "z failed: d e f",
                      "z failed: g", "w"});
  auto b = a;
  std::reverse(b.begin(), b.end());
  auto texts = [](const std::vector<JoinedTemplate>& joined) {
    std::vector<std::vector<std::string>> out;
    for (const JoinedTemplate& j : joined) out.push_back(j.tokens);
    std::sort(out.begin(), out.end());
    return out;
  };
  CHECK(texts(JoinTemplates(a, true, JoinOptions())) == texts(JoinTemplates(b, true, JoinOptions())));
  CHECK(JoinTemplates(a, true, JoinOptions()).size() == 3);
}

}  // namespace
}  // namespace triage
