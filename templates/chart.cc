#include "templates/chart.h"

#include <algorithm>

#include "bot/base/time_util.h"

namespace triage {
namespace {

// U+2581 LOWER ONE EIGHTH BLOCK .. U+2588 FULL BLOCK.
constexpr const char* kLevels[] = {"\u2581", "\u2582", "\u2583", "\u2584",
                                   "\u2585", "\u2586", "\u2587", "\u2588"};

int64_t FloorHour(int64_t us) {
  int64_t hour = us / kMicrosPerHour * kMicrosPerHour;
  return hour > us ? hour - kMicrosPerHour : hour;
}

// "2025-09-15T02:00Z".
std::string HourText(int64_t us) { return FormatRfc3339(us).substr(0, 16) + "Z"; }

// The index into kLevels: 0 for none, then 1..7 in proportion to `peak`.
int Level(int64_t count, int64_t peak) {
  if (count <= 0 || peak <= 0) return 0;
  const int64_t level = (count * 7 + peak - 1) / peak;
  return static_cast<int>(std::min<int64_t>(7, std::max<int64_t>(1, level)));
}

std::string Caption(const HourlyChart& chart) {
  if (chart.counts.empty()) return "no occurrences";
  const auto peak = std::max_element(chart.counts.begin(), chart.counts.end());
  if (*peak == 0) return "no occurrences";
  const int64_t peak_start =
      chart.first_hour_us + (peak - chart.counts.begin()) * chart.hours_per_bar * kMicrosPerHour;
  if (chart.hours_per_bar == 1) {
    return "peak " + std::to_string(*peak) + "/h at " + HourText(peak_start);
  }
  const std::string hours = std::to_string(chart.hours_per_bar) + " h";
  return "peak " + std::to_string(*peak) + " in " + hours + " from " + HourText(peak_start) +
         "; 1 bar = " + hours;
}

}  // namespace

HourlyChart MakeHourlyChart(const std::map<int64_t, int64_t>& hourly, int64_t start_us,
                            int64_t end_us, int max_bars) {
  HourlyChart chart;
  if (start_us == 0 && end_us == 0 && hourly.empty()) {
    chart.caption = Caption(chart);
    return chart;
  }
  int64_t first = start_us;
  if (first == 0) first = hourly.empty() ? end_us - 1 : hourly.begin()->first;
  first = FloorHour(first);
  int64_t last = end_us - 1;
  if (end_us == 0) last = hourly.empty() ? first : hourly.rbegin()->first;
  last = FloorHour(last);
  // An end given as the last entry's time (inclusive) may fall on an hour
  // start: keep that hour when it holds entries.
  if (end_us != 0 && FloorHour(end_us) == end_us && hourly.count(end_us)) last = end_us;
  last = std::max(first, last);
  const int64_t hours = (last - first) / kMicrosPerHour + 1;
  const int64_t bars_wanted = std::max(1, max_bars);
  chart.first_hour_us = first;
  chart.hours_per_bar = (hours + bars_wanted - 1) / bars_wanted;
  const int64_t bars = (hours + chart.hours_per_bar - 1) / chart.hours_per_bar;
  chart.counts.assign(static_cast<size_t>(bars), 0);
  const int64_t bar_us = chart.hours_per_bar * kMicrosPerHour;
  for (auto it = hourly.lower_bound(first); it != hourly.end(); ++it) {
    const int64_t hour = FloorHour(it->first);
    if (hour > last) break;
    if (hour >= first) chart.counts[static_cast<size_t>((hour - first) / bar_us)] += it->second;
  }
  const int64_t peak = *std::max_element(chart.counts.begin(), chart.counts.end());
  for (int64_t count : chart.counts) chart.bars += kLevels[Level(count, peak)];
  chart.caption = Caption(chart);
  return chart;
}

std::string ChartLine(const HourlyChart& chart) {
  if (chart.bars.empty()) return chart.caption;
  return "`" + chart.bars + "` " + chart.caption;
}

std::string MermaidBarChart(const HourlyChart& chart, std::string_view title) {
  if (chart.counts.empty()) return "";
  std::string clean_title;
  for (char c : title) {
    if (c != '"' && c != '\n' && c != '\r' && c != '`') clean_title.push_back(c);
  }
  const int64_t bar_us = chart.hours_per_bar * kMicrosPerHour;
  const int64_t bars = static_cast<int64_t>(chart.counts.size());
  const int64_t last_bar = chart.first_hour_us + (bars - 1) * bar_us;
  // Hours alone when the chart stays within one UTC day, else day and hour.
  const bool one_day =
      HourText(chart.first_hour_us).substr(0, 10) == HourText(last_bar).substr(0, 10);
  std::string labels;
  std::string values;
  for (size_t i = 0; i < chart.counts.size(); ++i) {
    const std::string hour = HourText(chart.first_hour_us + static_cast<int64_t>(i) * bar_us);
    labels += (i ? ", \"" : "\"") + (one_day ? hour.substr(11, 5) : hour.substr(5, 11)) + "\"";
    values += (i ? ", " : "") + std::to_string(chart.counts[i]);
  }
  return "```mermaid\nxychart-beta\n  title \"" + clean_title + "\"\n  x-axis [" + labels +
         "]\n  y-axis \"entries\"\n  bar [" + values + "]\n```";
}

}  // namespace triage
