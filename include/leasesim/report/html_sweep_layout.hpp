// How the sweep page of `leasesim report` (html_pages.hpp) lays a sweep's JSONL rows out: which
// columns are axes and which metrics, the x axis (the first numeric axis that varies), and of the
// other varying axes the one with the fewest values (up to 10) colouring the lines, the rest laying
// out small multiples, one panel per combination. Axis values sort as numbers when they read as
// numbers ("8T" before "10T", "$9.90" before "$10.50").
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "leasesim/report/html_json.hpp"
#include "leasesim/report/html_page.hpp"

namespace leasesim::report::html {

// What the rows' columns are and how the chart lays the axes out.
struct SweepLayout {
  std::vector<std::string> axes, metrics;
  std::map<std::string, std::set<std::string>> stats;  // metric → its stat columns
  std::string x_axis;                                  // empty: the point index
  bool x_numeric = false, x_integers = false;
  std::vector<std::string> series_axes;  // the other varying axes that do not move with x
  std::string colour_axis;               // one of series_axes, or empty
  std::vector<std::string> panel_axes;   // the rest: one panel per combination
  std::vector<long long> absent_points;  // indices below the largest with no row
};

SweepLayout sweep_layout(const Json& rows);

// An axis value as the tables show it: a string as itself, anything else as JSON.
std::string axis_text(const Json& v);

// An axis value as a number to sort by: a number, or a string's leading number with its SI suffix
// ("8T" → 8e12, "$9.90" → 9.9, "100 d" → 100); nullopt for other text.
std::optional<double> sort_key(const Json& v);

// The distinct values of `axis` (empty: the point index) in the rows, sorted as numbers when every
// one reads as a number, else in order of appearance.
std::vector<Json> axis_values(const Json& rows, const std::string& axis);

const Json& x_of(const SweepLayout& l, const Json& row);
std::string x_title(const SweepLayout& l);

// The panel a row is drawn in: "eval_per_day = 5", or "a = 1, b = 2" with several panel axes.
std::string panel_of(const SweepLayout& l, const Json& row);

// Every panel in order: the panel axes' values sorted, the first axis slowest.
Json panel_order(const SweepLayout& l, const Json& rows);

// The chart's x encoding: quantitative for a numeric axis, else ordinal in sorted order.
Json x_encoding(const SweepLayout& l, const Json& rows);

// The summary: each axis with its values, and the point indices that have no row.
HtmlTable axes_summary(const SweepLayout& l, const Json& rows);

// The statistics a metric column may carry, in the order the tables show them.
const std::vector<std::string>& metric_stat_names();

}  // namespace leasesim::report::html
