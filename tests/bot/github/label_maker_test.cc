// LabelMaker over real HTTP against the fake GitHub: the labels are listed
// once, only the missing ones are created (names compared without case),
// and each new label gets the colour of its kind.
#include "bot/github/label_maker.h"

#include <doctest/doctest.h>

#include <map>
#include <string>

#include "tests/support/github_session.h"

namespace triage {
namespace {

using testing::EndpointKind;

std::map<std::string, std::string> ColorsByName(const testing::FakeGitHub& github) {
  std::map<std::string, std::string> out;
  for (const testing::FakeLabel& l : github.Labels("octo/repo")) out[l.name] = l.color;
  return out;
}

TEST_CASE("label maker: lists once, creates only what is missing, case-insensitively") {
  testing::GitHubSession s;
  s.github.SeedLabel("octo/repo", {"gcp-regression", "000000", "", 0});
  s.github.SeedLabel("octo/repo", {"p2", "111111", "", 0});
  LabelMaker maker(*s.client, "gcp-log-gardener");

  REQUIRE(maker.Ensure({"GCP-regression", "P2", "gcp-log-gardener"}));
  CHECK(s.github.Count(EndpointKind::kListLabels) == 1);
  CHECK(s.github.Count(EndpointKind::kCreateLabel) == 1);
  std::map<std::string, std::string> colors = ColorsByName(s.github);
  CHECK(colors.size() == 3);
  CHECK(colors.at("gcp-regression") == "000000");  // left as it was
  CHECK(colors.at("p2") == "111111");
  CHECK(colors.count("gcp-log-gardener") == 1);

  // A second call neither lists again nor recreates what it made.
  REQUIRE(maker.Ensure({"gcp-log-gardener", "GCP-LOG-GARDENER", "GCP-auth"}));
  CHECK(s.github.Count(EndpointKind::kListLabels) == 1);
  CHECK(s.github.Count(EndpointKind::kCreateLabel) == 2);
  CHECK(ColorsByName(s.github).count("GCP-auth") == 1);

  // Nothing wanted and everything known: no request at all.
  s.github.ClearRequests();
  REQUIRE(maker.Ensure({}));
  REQUIRE(maker.Ensure({"p2"}));
  CHECK(s.github.Requests().empty());
}

TEST_CASE("label maker: colours by kind, and a description on what it creates") {
  testing::GitHubSession s;
  LabelMaker maker(*s.client, "my-bot");
  REQUIRE(maker.Ensure({"P0", "P1", "P3", "P6", "my-bot", "GCP-regression"}));
  std::map<std::string, std::string> colors = ColorsByName(s.github);
  CHECK(colors.at("P0") == "b60205");
  CHECK(colors.at("P1") == "d93f0b");
  CHECK(colors.at("P3") == "fbca04");
  CHECK(colors.at("P6") == "ededed");
  CHECK(colors.at("my-bot") == "5319e7");
  CHECK(colors.at("GCP-regression") == "1d76db");
  // Priorities differ from each other and from the other kinds.
  CHECK(colors.at("P0") != colors.at("P1"));
  CHECK(colors.at("my-bot") != colors.at("GCP-regression"));
  for (const testing::FakeLabel& l : s.github.Labels("octo/repo")) {
    CAPTURE(l.name);
    CHECK(l.description == "Filed by gcp-log-gardener");
  }
}

TEST_CASE("label maker: a failed list or create is an error, and a failed list is retried next time") {
  testing::GitHubSession s;
  LabelMaker maker(*s.client, "gcp-log-gardener");
  s.github.FailNext("GET", "/repos/octo/repo/labels", {testing::FaultKind::kStatus, 404, false}, 1);
  CHECK_FALSE(maker.Ensure({"P1"}));
  CHECK(s.github.Count(EndpointKind::kCreateLabel) == 0);
  REQUIRE(maker.Ensure({"P1"}));
  CHECK(s.github.Count(EndpointKind::kListLabels) == 2);
  CHECK(ColorsByName(s.github).count("P1") == 1);

  s.github.FailNext("POST", "/repos/octo/repo/labels", {testing::FaultKind::kStatus, 422, false}, 1);
  CHECK_FALSE(maker.Ensure({"P2"}));
  CHECK(ColorsByName(s.github).count("P2") == 0);
}

}  // namespace
}  // namespace triage
