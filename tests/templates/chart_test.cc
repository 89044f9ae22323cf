#include "templates/chart.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <numeric>
#include <string>

#include "bot/base/time_util.h"

namespace triage {
namespace {

// 2025-09-15T00:00:00Z.
constexpr int64_t kMidnight = 1757894400LL * kMicrosPerSecond;
constexpr int64_t kHour = kMicrosPerHour;

#define B1 "\u2581"
#define B2 "\u2582"
#define B8 "\u2588"

TEST_CASE("Chart: one bar per hour, empty hours lowest, peak in the caption") {
  const std::map<int64_t, int64_t> hourly = {{kMidnight, 1}, {kMidnight + 2 * kHour, 15}};
  const HourlyChart chart = MakeHourlyChart(hourly, kMidnight + 60, kMidnight + 3 * kHour);
  CHECK(chart.bars == B2 B1 B8);
  CHECK(chart.caption == "peak 15/h at 2025-09-15T02:00Z");
  CHECK(chart.first_hour_us == kMidnight);
  CHECK(chart.hours_per_bar == 1);
  CHECK(chart.counts == std::vector<int64_t>{1, 0, 15});
  CHECK(ChartLine(chart) == "`" B2 B1 B8 "` peak 15/h at 2025-09-15T02:00Z");
}

TEST_CASE("Chart: bar heights grow with the count") {
  std::map<int64_t, int64_t> hourly;
  for (int i = 0; i < 8; ++i) hourly[kMidnight + i * kHour] = i;
  const HourlyChart chart = MakeHourlyChart(hourly, 0, 0);
  CHECK(chart.bars == "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588");
  // A single entry beside a large peak still shows above an empty hour.
  const HourlyChart sparse = MakeHourlyChart({{kMidnight, 1}, {kMidnight + kHour, 1000}}, 0, 0);
  CHECK(sparse.bars == B2 B8);
}

TEST_CASE("Chart: window bounds") {
  const std::map<int64_t, int64_t> hourly = {{kMidnight - kHour, 50},
                                             {kMidnight + kHour, 3},
                                             {kMidnight + 2 * kHour, 9}};
  SUBCASE("counts outside the window are left out") {
    const HourlyChart chart = MakeHourlyChart(hourly, kMidnight, kMidnight + 2 * kHour - 1);
    CHECK(chart.counts == std::vector<int64_t>{0, 3});
    CHECK(chart.caption == "peak 3/h at 2025-09-15T01:00Z");
  }
  SUBCASE("an end on an hour start keeps that hour only when it has entries") {
    // As when the end is the last entry's time rather than an exclusive bound.
    CHECK(MakeHourlyChart(hourly, kMidnight, kMidnight + 2 * kHour).counts ==
          std::vector<int64_t>{0, 3, 9});
    CHECK(MakeHourlyChart({{kMidnight, 1}}, kMidnight, kMidnight + kHour).counts.size() == 1);
    CHECK(MakeHourlyChart({{kMidnight + kHour, 1}}, kMidnight, kMidnight + kHour).counts ==
          std::vector<int64_t>{0, 1});
  }
  SUBCASE("a 0 bound takes the first or last hour") {
    CHECK(MakeHourlyChart(hourly, 0, 0).counts == std::vector<int64_t>{50, 0, 3, 9});
    CHECK(MakeHourlyChart(hourly, kMidnight, 0).counts == std::vector<int64_t>{0, 3, 9});
  }
  SUBCASE("nothing at all") {
    const HourlyChart none = MakeHourlyChart({}, 0, 0);
    CHECK(none.bars.empty());
    CHECK(none.caption == "no occurrences");
    CHECK(ChartLine(none) == "no occurrences");
    const HourlyChart quiet = MakeHourlyChart({}, kMidnight, kMidnight + 3 * kHour);
    CHECK(quiet.bars == B1 B1 B1);
    CHECK(quiet.caption == "no occurrences");
  }
}

TEST_CASE("Chart: long windows are summed into at most max_bars bars") {
  std::map<int64_t, int64_t> hourly;
  for (int i = 0; i < 120; ++i) hourly[kMidnight + i * kHour] = 1;
  hourly[kMidnight + 7 * kHour] = 10;
  const HourlyChart chart = MakeHourlyChart(hourly, kMidnight, kMidnight + 120 * kHour);
  CHECK(chart.hours_per_bar == 3);
  CHECK(chart.counts.size() == 40);
  CHECK(chart.counts[2] == 12);
  CHECK(chart.caption == "peak 12 in 3 h from 2025-09-15T06:00Z; 1 bar = 3 h");
  for (int hours = 1; hours <= 500; hours += 7) {
    CAPTURE(hours);
    const HourlyChart c = MakeHourlyChart(hourly, kMidnight, kMidnight + hours * kHour - 1);
    CHECK(c.counts.size() <= static_cast<size_t>(kMaxChartBars));
    CHECK(c.counts.size() * c.hours_per_bar >= static_cast<size_t>(hours));
    const int64_t in_window = hours >= 120 ? 129 : hours > 7 ? hours + 9 : hours;
    CHECK(std::accumulate(c.counts.begin(), c.counts.end(), int64_t{0}) == in_window);
  }
}

TEST_CASE("Chart: Mermaid bar chart") {
  const std::map<int64_t, int64_t> hourly = {{kMidnight, 2}, {kMidnight + 2 * kHour, 5}};
  const HourlyChart chart = MakeHourlyChart(hourly, kMidnight, kMidnight + 3 * kHour);
  CHECK(MermaidBarChart(chart, "Entries \"per\" hour") ==
        "```mermaid\nxychart-beta\n  title \"Entries per hour\"\n"
        "  x-axis [\"00:00\", \"01:00\", \"02:00\"]\n  y-axis \"entries\"\n  bar [2, 0, 5]\n```");
  const int64_t late = kMidnight + 23 * kHour;
  const HourlyChart two_days = MakeHourlyChart({{late, 1}}, late, late + 2 * kHour);
  CHECK(MermaidBarChart(two_days, "t").find("[\"09-15T23:00\", \"09-16T00:00\"]") !=
        std::string::npos);
  CHECK(MermaidBarChart(MakeHourlyChart({}, 0, 0), "t").empty());
}

}  // namespace
}  // namespace triage
