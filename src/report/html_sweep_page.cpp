// The sweep page of `leasesim report` (html_pages.hpp): each metric against the sweep's x axis, one
// line per value of the other varying axes, with a table of every point's statistics.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <vector>

#include "leasesim/report/html_charts.hpp"
#include "leasesim/report/html_pages.hpp"
#include "leasesim/report/html_text.hpp"

namespace leasesim::report::html {

namespace {

constexpr std::array<std::string_view, 5> metric_stats{"mean", "p10", "p50", "p90", "probability"};

// "pretrain-70b.ettr.p10" → {"pretrain-70b.ettr", "p10"}; an axis column → nullopt.
std::optional<std::pair<std::string, std::string>> metric_column(const std::string& column) {
  const auto dot = column.rfind('.');
  if (dot == std::string::npos) return std::nullopt;
  const std::string stat = column.substr(dot + 1);
  if (std::find(metric_stats.begin(), metric_stats.end(), stat) == metric_stats.end()) return std::nullopt;
  return std::pair{column.substr(0, dot), stat};
}

std::string axis_text(const Json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// What the rows' columns are: axes (in order of appearance), metrics and each metric's statistics,
// and how the chart lays the axes out.
struct SweepLayout {
  std::vector<std::string> axes, metrics;
  std::map<std::string, std::set<std::string>> stats;  // metric → its stat columns
  std::string x_axis;                                  // empty: the point index
  bool x_numeric = false, x_integers = false;
  std::vector<std::string> series_axes;  // one line per combination of their values
};

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

SweepLayout sweep_layout(const Json& rows) {
  SweepLayout l;
  read_columns(rows, l);
  // The x axis: the first axis that varies and is numeric, else the first that varies.
  std::vector<std::string> varying;
  for (const auto& a : l.axes) {
    std::set<std::string> seen;
    for (const auto& row : rows) seen.insert(get(row, a).dump());
    if (seen.size() > 1) varying.push_back(a);
  }
  for (const auto& a : varying) {
    if (every_row(rows, a, &Json::is_number)) {
      l.x_axis = a;
      break;
    }
  }
  if (l.x_axis.empty() && !varying.empty()) l.x_axis = varying.front();
  l.x_numeric = !l.x_axis.empty() && every_row(rows, l.x_axis, &Json::is_number);
  l.x_integers = l.x_numeric && every_row(rows, l.x_axis, &Json::is_number_integer);
  // Series: the other varying axes, except those that move with x (a zip group).
  for (const auto& a : varying) {
    if (a == l.x_axis) continue;
    std::map<std::string, std::set<std::string>> by_x;
    for (const auto& row : rows) by_x[get(row, l.x_axis).dump()].insert(get(row, a).dump());
    const bool follows_x = std::all_of(by_x.begin(), by_x.end(), [](const auto& e) { return e.second.size() == 1; });
    if (!follows_x) l.series_axes.push_back(a);
  }
  return l;
}

std::string series_of(const SweepLayout& l, const Json& row) {
  std::string s;
  for (const auto& a : l.series_axes) {
    s += (s.empty() ? "" : ", ") + (l.series_axes.size() == 1 ? "" : a + "=") + axis_text(get(row, a));
  }
  return s.empty() ? std::string("all points") : s;
}

const Json& x_of(const SweepLayout& l, const Json& row) {
  return l.x_axis.empty() ? get(row, "point") : get(row, l.x_axis);
}

std::string x_title(const SweepLayout& l) { return l.x_axis.empty() ? "point" : l.x_axis; }

// The chart's x encoding: quantitative for a numeric axis, else ordinal in the rows' order.
Json x_encoding(const SweepLayout& l, const Json& rows) {
  Json x_order = Json::array();
  for (const auto& row : rows) {
    const Json& v = x_of(l, row);
    if (std::find(x_order.begin(), x_order.end(), v) == x_order.end()) x_order.push_back(v);
  }
  Json x = l.x_numeric
               ? Json{{"field", "x"}, {"type", "quantitative"}, {"title", x_title(l)}, {"scale", {{"zero", false}}}}
               : Json{{"field", "x"}, {"type", "ordinal"}, {"title", x_title(l)}, {"sort", x_order}};
  if (l.x_integers) x["axis"] = {{"tickMinStep", 1}, {"format", "d"}};
  return x;
}

HtmlTable axes_summary(const SweepLayout& l, const Json& rows) {
  HtmlTable summary{"Axes", {{"axis", false}, {"values", false}}, {}};
  for (const auto& a : l.axes) {
    std::vector<std::string> shown;
    for (const auto& row : rows) {
      const std::string t = axis_text(get(row, a));
      if (std::find(shown.begin(), shown.end(), t) == shown.end()) shown.push_back(t);
    }
    summary.rows.push_back({a, fmt::format("{}", fmt::join(shown, ", "))});
  }
  return summary;
}

// One metric's chart rows and table.
struct MetricData {
  std::string headline;  // the statistic drawn: mean, else probability, else the first
  bool band = false;     // P10–P90 drawn around it
  Json values = Json::array();
  HtmlTable table;
};

MetricData metric_data(const SweepLayout& l, const Json& rows, const std::string& metric) {
  const auto& have = l.stats.at(metric);
  MetricData md;
  md.headline = have.count("mean") ? "mean" : have.count("probability") ? "probability" : *have.begin();
  md.band = have.count("p10") && have.count("p90");
  md.table = {metric, {{"point"}, {x_title(l), !l.x_axis.empty() && l.x_numeric}}, {}};
  for (const auto& a : l.series_axes) md.table.columns.push_back({a, false});
  std::vector<std::string> shown_stats;
  for (const auto stat : metric_stats) {
    if (have.count(std::string(stat))) shown_stats.emplace_back(stat);
  }
  for (const auto& stat : shown_stats)
    md.table.columns.push_back({stat == "probability" ? "probability" : stat == "mean" ? "mean" : "P" + stat.substr(1)});
  for (const auto& row : rows) {
    const Json& x = x_of(l, row);
    Json v = {{"point", get(row, "point")},
              {"x", x},
              {"series", series_of(l, row)},
              {"y", datum(value_of(get(row, metric + "." + md.headline)))}};
    if (md.band) {
      v["p10"] = datum(value_of(get(row, metric + ".p10")));
      v["p90"] = datum(value_of(get(row, metric + ".p90")));
    }
    md.values.push_back(std::move(v));
    std::vector<std::string> cells{axis_text(get(row, "point")), axis_text(x)};
    for (const auto& a : l.series_axes) cells.push_back(axis_text(get(row, a)));
    for (const auto& stat : shown_stats) cells.push_back(adaptive(value_of(get(row, metric + "." + stat))));
    md.table.rows.push_back(std::move(cells));
  }
  return md;
}

Json metric_spec(const SweepLayout& l, const Json& rows, const std::string& metric, const MetricData& md) {
  const Json x = x_encoding(l, rows);
  const Json color = {{"field", "series"},
                      {"type", "nominal"},
                      {"title", l.series_axes.empty() ? "" : fmt::format("{}", fmt::join(l.series_axes, ", "))}};
  const std::string y_title = md.band ? md.headline + ", P10–P90" : md.headline;
  Json layers = Json::array();
  if (md.band) {
    layers.push_back(band_layer(x, color));
  }
  layers.push_back(
      {{"mark", {{"type", "line"}, {"point", {{"size", 50}}}}},
       {"encoding",
        {{"x", x},
         {"y", {{"field", "y"}, {"type", "quantitative"}, {"title", y_title}, {"scale", {{"zero", false}}}}},
         {"color", color},
         {"tooltip", Json::array({tooltip("point", "point", "quantitative"), tooltip("x", x_title(l)),
                                  tooltip("series", "series"), tooltip("y", md.headline, "quantitative", ",.4~f")})}}}});
  return {{"title", metric},
          {"width", 640},
          {"height", 260},
          {"config", chart_config()},
          {"data", {{"values", md.values}}},
          {"layer", layers}};
}

}  // namespace

Page sweep_page(const Json& rows, const std::string& source) {
  const SweepLayout l = sweep_layout(rows);
  Page p;
  p.title = "leasesim sweep: " + source;
  p.subtitle =
      fmt::format("{} · {} point{} · x: {}{}", source, rows.size(), rows.size() == 1 ? "" : "s", x_title(l),
                  l.series_axes.empty() ? "" : " · lines: " + fmt::format("{}", fmt::join(l.series_axes, ", ")));
  p.summary = axes_summary(l, rows);
  std::set<std::string> ids;
  for (const auto& metric : l.metrics) {
    MetricData md = metric_data(l, rows, metric);
    std::string id = "chart-sweep-" + slug(metric);
    for (int n = 2; ids.count(id); ++n) id = fmt::format("chart-sweep-{}-{}", slug(metric), n);
    ids.insert(id);
    p.sections.push_back(
        {id,
         metric,
         fmt::format("{} of {} against {}{}.", md.headline == "probability" ? "The probability" : "The " + md.headline,
                     metric, x_title(l), md.band ? ", the band spanning P10–P90 over each point's replications" : ""),
         metric_spec(l, rows, metric, md),
         {std::move(md.table)}});
  }
  return p;
}

}  // namespace leasesim::report::html
