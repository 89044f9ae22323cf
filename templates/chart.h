// When a problem happened, drawn in text that any Markdown view shows: a
// sparkline of hourly counts with a caption, or a Mermaid bar chart.
#ifndef TRIAGE_TEMPLATES_CHART_H_
#define TRIAGE_TEMPLATES_CHART_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace triage {

// Wide enough to read, narrow enough for a table cell or a phone.
constexpr int kMaxChartBars = 48;

// Hourly counts over a window, in bars.
struct HourlyChart {
  // One character per bar, U+2581..U+2588. A bar without entries is the
  // lowest block (U+2581) and one with any is at least U+2582, so a quiet
  // hour never looks like a busy one; the peak is the full block U+2588.
  std::string bars;
  // "peak 15/h at 2025-09-15T02:00Z"; when bars sum several hours
  // "peak 40 in 3 h from 2025-09-15T00:00Z; 1 bar = 3 h"; or
  // "no occurrences". The first bar of the highest count is the peak.
  std::string caption;
  int64_t first_hour_us = 0;     // the start of the first bar
  int64_t hours_per_bar = 1;
  std::vector<int64_t> counts;   // per bar
};

// Bars for every hour from the one holding `start_us` to the one holding
// `end_us - 1` (a window's end is exclusive, but an `end_us` on an hour start
// with entries keeps that hour); a 0 bound takes the first or last hour in
// `hourly` (hour start in microseconds -> count). Counts outside are left
// out. A window longer than `max_bars` hours is drawn with several whole
// hours per bar, as few as fit. No bars when both bounds are 0 and `hourly`
// is empty.
HourlyChart MakeHourlyChart(const std::map<int64_t, int64_t>& hourly, int64_t start_us,
                            int64_t end_us, int max_bars = kMaxChartBars);

// "`▁▂█▁` peak 15/h at 2025-09-15T02:00Z" for a line of Markdown; only the
// caption when there are no bars.
std::string ChartLine(const HourlyChart& chart);

// A fenced Mermaid `xychart-beta` bar chart (GitHub draws it), one bar per
// chart bar labelled with its start hour in UTC. `title` loses its quotes
// and line breaks. "" when there are no bars.
std::string MermaidBarChart(const HourlyChart& chart, std::string_view title);

}  // namespace triage

#endif  // TRIAGE_TEMPLATES_CHART_H_
