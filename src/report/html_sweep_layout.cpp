// How the sweep page lays a sweep's rows out (html_sweep_layout.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <vector>

#include "leasesim/report/html_sweep_layout.hpp"

namespace leasesim::report::html {

namespace {

constexpr std::array<std::string_view, 7> metric_stats{"mean", "p10", "p50", "p90", "min", "max", "probability"};
constexpr std::size_t most_colours = 10;  // the category10 palette, no colour repeated

// "pretrain-70b.ettr.p10" → {"pretrain-70b.ettr", "p10"}; an axis column → nullopt.
std::optional<std::pair<std::string, std::string>> metric_column(const std::string& column) {
  const auto dot = column.rfind('.');
  if (dot == std::string::npos) return std::nullopt;
  const std::string stat = column.substr(dot + 1);
  if (std::find(metric_stats.begin(), metric_stats.end(), stat) == metric_stats.end()) return std::nullopt;
  return std::pair{column.substr(0, dot), stat};
}

void read_columns(const Json& rows, SweepLayout& l) {
  for (const auto& row : rows) {
    for (auto it = row.begin(); it != row.end(); ++it) {
      const std::string& key = it.key();
      if (key == "point" || key == "seed" || key == "violations") continue;
      if (const auto m = metric_column(key)) {
        if (std::find(l.metrics.begin(), l.metrics.end(), m->first) == l.metrics.end()) l.metrics.push_back(m->first);
        l.stats[m->first].insert(m->second);
      } else if (std::find(l.axes.begin(), l.axes.end(), key) == l.axes.end()) {
        l.axes.push_back(key);
      }
    }
  }
}

bool every_row(const Json& rows, const std::string& axis, bool (Json::*test)() const noexcept) {
  return std::all_of(rows.begin(), rows.end(), [&](const Json& row) { return (get(row, axis).*test)(); });
}

// The x axis: the first axis that varies and is numeric, else the first that varies.
void choose_x(const Json& rows, const std::vector<std::string>& varying, SweepLayout& l) {
  for (const auto& a : varying) {
    if (every_row(rows, a, &Json::is_number)) {
      l.x_axis = a;
      break;
    }
  }
  if (l.x_axis.empty() && !varying.empty()) l.x_axis = varying.front();
  l.x_numeric = !l.x_axis.empty() && every_row(rows, l.x_axis, &Json::is_number);
  l.x_integers = l.x_numeric && every_row(rows, l.x_axis, &Json::is_number_integer);
}

// Colour: the series axis with the fewest values, if it has at most `most_colours`; panels: the rest.
void choose_colour_and_panels(const Json& rows, SweepLayout& l) {
  std::size_t fewest = most_colours + 1;
  for (const auto& a : l.series_axes) {
    const std::size_t n = axis_values(rows, a).size();
    if (n < fewest) {
      fewest = n;
      l.colour_axis = a;
    }
  }
  for (const auto& a : l.series_axes)
    if (a != l.colour_axis) l.panel_axes.push_back(a);
}

}  // namespace

std::string axis_text(const Json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// An axis value as a number to sort by: a number, or a string's leading number with its SI suffix
// ("8T" → 8e12, "$9.90" → 9.9, "100 d" → 100); nullopt for other text.
std::optional<double> sort_key(const Json& v) {
  if (v.is_number()) return v.get<double>();
  if (!v.is_string()) return std::nullopt;
  std::string s = v.get<std::string>();
  if (!s.empty() && s.front() == '$') s.erase(0, 1);
  std::size_t used = 0;
  double x = 0;
  try {
    x = std::stod(s, &used);
  } catch (...) {
    return std::nullopt;
  }
  if (used < s.size()) {
    constexpr std::array<std::pair<char, double>, 6> suffixes{
        {{'k', 1e3}, {'M', 1e6}, {'G', 1e9}, {'B', 1e9}, {'T', 1e12}, {'P', 1e15}}};
    for (const auto& [c, scale] : suffixes)
      if (s[used] == c) x *= scale;
  }
  return x;
}

// The distinct values of `axis` in the rows, sorted as numbers when every one reads as a number,
// else in order of appearance.
std::vector<Json> axis_values(const Json& rows, const std::string& axis) {
  std::vector<Json> values;
  for (const auto& row : rows) {
    const Json& v = axis.empty() ? get(row, "point") : get(row, axis);
    if (std::find(values.begin(), values.end(), v) == values.end()) values.push_back(v);
  }
  const bool numeric = std::all_of(values.begin(), values.end(), [](const Json& v) { return sort_key(v).has_value(); });
  if (numeric)
    std::stable_sort(values.begin(), values.end(),
                     [](const Json& a, const Json& b) { return *sort_key(a) < *sort_key(b); });
  return values;
}

SweepLayout sweep_layout(const Json& rows) {
  SweepLayout l;
  read_columns(rows, l);
  std::vector<std::string> varying;
  for (const auto& a : l.axes) {
    if (axis_values(rows, a).size() > 1) varying.push_back(a);
  }
  choose_x(rows, varying, l);
  // Series: the other varying axes, except those that move with x (a zip group).
  for (const auto& a : varying) {
    if (a == l.x_axis) continue;
    std::map<std::string, std::set<std::string>> by_x;
    for (const auto& row : rows) by_x[get(row, l.x_axis).dump()].insert(get(row, a).dump());
    const bool follows_x = std::all_of(by_x.begin(), by_x.end(), [](const auto& e) { return e.second.size() == 1; });
    if (!follows_x) l.series_axes.push_back(a);
  }
  choose_colour_and_panels(rows, l);
  std::set<long long> present;
  for (const auto& row : rows)
    if (get(row, "point").is_number_integer()) present.insert(get(row, "point").get<long long>());
  for (long long i = 0; !present.empty() && i < *present.rbegin(); ++i)
    if (!present.count(i)) l.absent_points.push_back(i);
  return l;
}

const Json& x_of(const SweepLayout& l, const Json& row) {
  return l.x_axis.empty() ? get(row, "point") : get(row, l.x_axis);
}

std::string x_title(const SweepLayout& l) { return l.x_axis.empty() ? "point" : l.x_axis; }

// The panel a row is drawn in: "eval_per_day = 5", or "a = 1, b = 2" with several panel axes.
std::string panel_of(const SweepLayout& l, const Json& row) {
  std::string s;
  for (const auto& a : l.panel_axes) s += (s.empty() ? "" : ", ") + a + " = " + axis_text(get(row, a));
  return s;
}

// Every panel in order: the panel axes' values sorted as numbers, the first axis slowest.
Json panel_order(const SweepLayout& l, const Json& rows) {
  std::vector<std::pair<std::vector<std::size_t>, std::string>> panels;
  std::map<std::string, std::vector<Json>> values;
  for (const auto& a : l.panel_axes) values[a] = axis_values(rows, a);
  for (const auto& row : rows) {
    std::vector<std::size_t> rank;
    for (const auto& a : l.panel_axes) {
      const auto& v = values[a];
      rank.push_back(static_cast<std::size_t>(std::find(v.begin(), v.end(), get(row, a)) - v.begin()));
    }
    const std::string name = panel_of(l, row);
    if (std::none_of(panels.begin(), panels.end(), [&name](const auto& p) { return p.second == name; }))
      panels.emplace_back(rank, name);
  }
  std::sort(panels.begin(), panels.end());
  Json order = Json::array();
  for (const auto& p : panels) order.push_back(p.second);
  return order;
}

// The chart's x encoding: quantitative for a numeric axis, else ordinal in sorted order.
Json x_encoding(const SweepLayout& l, const Json& rows) {
  Json x = l.x_numeric
               ? Json{{"field", "x"}, {"type", "quantitative"}, {"title", x_title(l)}, {"scale", {{"zero", false}}}}
               : Json{{"field", "x"},
                      {"type", "ordinal"},
                      {"title", x_title(l)},
                      {"sort", Json(axis_values(rows, l.x_axis))}};
  // Labels that would come closer than 6 px are hidden (the small multiples are narrow).
  x["axis"] = {{"labelOverlap", "greedy"}, {"labelSeparation", 6}};
  if (l.x_integers) {
    x["axis"]["tickMinStep"] = 1;
    x["axis"]["format"] = "d";
  }
  return x;
}

HtmlTable axes_summary(const SweepLayout& l, const Json& rows) {
  HtmlTable summary{"Axes", {{"axis", false}, {"values", false}}, {}};
  for (const auto& a : l.axes) {
    std::vector<std::string> shown;
    for (const auto& v : axis_values(rows, a)) shown.push_back(axis_text(v));
    summary.rows.push_back({a, fmt::format("{}", fmt::join(shown, ", "))});
  }
  if (!l.absent_points.empty()) {
    std::vector<std::string> shown;
    for (const auto i : l.absent_points) shown.push_back(std::to_string(i));
    summary.rows.push_back(
        {"points without a row (another shard's, or not finished)", fmt::format("{}", fmt::join(shown, ", "))});
  }
  return summary;
}

const std::vector<std::string>& metric_stat_names() {
  static const std::vector<std::string> names(metric_stats.begin(), metric_stats.end());
  return names;
}

}  // namespace leasesim::report::html
