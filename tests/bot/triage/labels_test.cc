#include "bot/triage/labels.h"

#include <doctest/doctest.h>

namespace triage {
namespace {

TEST_CASE("labels: priority from a label, else from the title") {
  CHECK(PriorityFromLabels({"bug", "P3", "P1"}) == 1);
  CHECK(PriorityFromLabels({"p4"}) == 4);
  CHECK_FALSE(PriorityFromLabels({"bug", "P7", "Px", "priority"}).has_value());
  CHECK(PriorityFromTitle("GCP-regression | P2 | Session Middleware") == 2);
  CHECK_FALSE(PriorityFromTitle("GCP-staging-P2-SessionMiddleware-high-frequency-warnings").has_value());
  CHECK_FALSE(PriorityFromTitle("a | P9 | b").has_value());
  CHECK(IsPriorityLabel("P0"));
  CHECK_FALSE(IsPriorityLabel("P10"));
  CHECK(PriorityLabel(5) == "P5");
}

TEST_CASE("labels: a retitle changes the priority part of the bot's titles only") {
  CHECK(RetitlePriority("GCP-error | P3 | Redis timeout | in cache", 1) == "GCP-error | P1 | Redis timeout | in cache");
  CHECK(RetitlePriority("Redis times out | sometimes", 1) == "Redis times out | sometimes");
  CHECK(RegressionTitle("GCP-error | P1 | Redis timeout") == "GCP-regression | P1 | Redis timeout");
  CHECK(RegressionTitle("Redis times out") == "Redis times out");
}

TEST_CASE("labels: a relabel keeps one P label and adds the extras") {
  CHECK(Relabel({"P3", "bug", "P5", "gcp-log-gardener"}, 1, {kRegressionCategory}) ==
        std::vector<std::string>{"GCP-regression", "P1", "bug", "gcp-log-gardener"});
  CHECK(Relabel({}, 6, {}) == std::vector<std::string>{"P6"});
}

TEST_CASE("labels: a new issue's labels: bot, priority, category, config's and rules'") {
  Problem p;
  p.triage.priority = 2;
  p.triage.category = "GCP-error";
  p.triage.labels = {"payments", "GCP-error"};
  CHECK(IssueLabels(p, "gcp-log-gardener", {"triage", "payments"}) ==
        std::vector<std::string>{"GCP-error", "P2", "gcp-log-gardener", "payments", "triage"});
}

}  // namespace
}  // namespace triage
