// The sweep page of `leasesim report` (html_pages.hpp): each metric against the sweep's x axis laid
// out by html_sweep_layout.hpp: lines coloured by one axis, small multiples for the others. The y
// axis names the metric and its unit (read from its name: "…_days", "…_gpu_hours", "…_usd", …). A
// point whose metric has no value (no replication finished the job, or the run failed) is a red
// cross at the foot of its panel, not a silent gap. A sweep of exactly two numeric axes (a zip group
// counting once) also has a heatmap per metric: x = the first axis, y = the second, colour = the
// metric with its unit in the legend's title; a cell without a value, or without a row (another
// shard's point, or one not finished), is grey with a red cross.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "leasesim/report/html_charts.hpp"
#include "leasesim/report/html_pages.hpp"
#include "leasesim/report/html_sweep_layout.hpp"
#include "leasesim/report/html_text.hpp"

namespace leasesim::report::html {

namespace {

// The red cross that marks a point or cell without a value (a failed or excluded point).
Json no_value_mark() {
  return {{"type", "point"}, {"shape", "cross"}, {"filled", true}, {"size", 90}, {"color", "#d62728"}, {"opacity", 1}};
}

constexpr int panel_width = 190, panel_height = 170;  // small multiples
constexpr int chart_width = 640, chart_height = 260;  // a single chart
constexpr std::size_t panel_columns = 4;

bool ends_with(const std::string& s, std::string_view tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// What a metric counts, from its name: the y axis title ("end (days)", "idle (%)") and how its
// labels read; `share`: a fraction drawn as a percentage; `money`: dollars.
struct MetricUnit {
  std::string title;
  bool share = false, money = false;
};

MetricUnit unit_of(const std::string& metric, const std::string& headline) {
  const auto dot = metric.rfind('.');
  const std::string name = dot == std::string::npos ? metric : metric.substr(dot + 1);
  const auto words = [&name](std::string_view suffix, const std::string& unit) {
    std::string w = name.substr(0, name.size() - suffix.size());
    std::replace(w.begin(), w.end(), '_', ' ');
    return (w.empty() ? std::string() : w + " ") + "(" + unit + ")";
  };
  if (headline == "probability" || name == "deadline_met") return {"P(deadline met)", true, false};
  if (name == "ettr") return {"ETTR (%)", true, false};
  if (name == "failures") return {"failures (count)"};
  if (name == "usd_per_productive_gpu_hour") return {"$ per productive GPU-h", false, true};
  if (name == "usd_per_million_tokens") return {"$ per million tokens", false, true};
  if (ends_with(name, "_days")) return {words("_days", "days")};
  if (ends_with(name, "_gpu_hours")) return {words("_gpu_hours", "GPU-h")};
  if (ends_with(name, "_fraction")) return {words("_fraction", "%"), true, false};
  if (ends_with(name, "_usd")) return {words("_usd", "$"), false, true};
  if (ends_with(name, "_mwh")) return {words("_mwh", "MWh")};
  std::string w = name;
  std::replace(w.begin(), w.end(), '_', ' ');
  return {w};
}

// One metric's chart rows and table.
struct MetricData {
  std::string headline;     // the statistic drawn: mean, else probability, else the first
  bool band = false;        // P10–P90 drawn around it
  std::size_t missing = 0;  // points without a value
  Json values = Json::array();
  HtmlTable table;
};

HtmlTable metric_table_head(const SweepLayout& l, const std::string& metric, const std::vector<std::string>& stats) {
  HtmlTable t{metric, {{"point"}, {x_title(l), !l.x_axis.empty() && l.x_numeric}}, {}};
  for (const auto& a : l.series_axes) t.columns.push_back({a, false});
  for (const auto& stat : stats)
    t.columns.push_back({stat.size() == 3 && stat[0] == 'p' ? "P" + stat.substr(1) : stat});
  return t;
}

MetricData metric_data(const SweepLayout& l, const Json& rows, const std::string& metric) {
  const auto& have = l.stats.at(metric);
  MetricData md;
  md.headline = have.count("mean") ? "mean" : have.count("probability") ? "probability" : *have.begin();
  md.band = have.count("p10") && have.count("p90");
  std::vector<std::string> shown_stats;
  for (const auto& stat : metric_stat_names())
    if (have.count(stat)) shown_stats.push_back(stat);
  md.table = metric_table_head(l, metric, shown_stats);
  for (const auto& row : rows) {
    const Json& x = x_of(l, row);
    const auto y = value_of(get(row, metric + "." + md.headline));
    Json v = {{"point", get(row, "point")}, {"x", x}, {"y", datum(y)}};
    if (!l.colour_axis.empty()) v["series"] = axis_text(get(row, l.colour_axis));
    if (!l.panel_axes.empty()) v["panel"] = panel_of(l, row);
    if (md.band) {
      v["p10"] = datum(value_of(get(row, metric + ".p10")));
      v["p90"] = datum(value_of(get(row, metric + ".p90")));
    }
    if (!y) ++md.missing;
    md.values.push_back(std::move(v));
    std::vector<std::string> cells{axis_text(get(row, "point")), axis_text(x)};
    for (const auto& a : l.series_axes) cells.push_back(axis_text(get(row, a)));
    for (const auto& stat : shown_stats) {
      const auto value = value_of(get(row, metric + "." + stat));
      cells.push_back(value ? adaptive(value) : "no value");
    }
    md.table.rows.push_back(std::move(cells));
  }
  return md;
}

Json y_encoding(const std::string& metric, const MetricData& md) {
  const MetricUnit u = unit_of(metric, md.headline);
  Json axis = u.money ? money_axis(u.title) : Json{{"title", u.title}};
  if (u.share) axis["format"] = ".0%";
  return {{"field", "y"}, {"type", "quantitative"}, {"axis", axis}, {"scale", {{"zero", false}}}};
}

// The layers of one panel (or of the single chart): band, lines, and the crosses of points
// without a value at the panel's foot.
Json metric_layers(const SweepLayout& l, const Json& rows, const std::string& metric, const MetricData& md,
                   int height) {
  const Json x = x_encoding(l, rows);
  Json colour = nullptr;
  if (!l.colour_axis.empty()) {
    Json sort = Json::array();
    for (const auto& v : axis_values(rows, l.colour_axis)) sort.push_back(axis_text(v));
    colour = {{"field", "series"}, {"type", "nominal"}, {"sort", sort}, {"legend", full_legend(l.colour_axis)}};
  }
  Json layers = Json::array();
  if (md.band) {
    Json band = band_layer(x, colour);
    if (colour.is_null()) band["encoding"].erase("color");
    layers.push_back(std::move(band));
  }
  Json tips = Json::array({tooltip("point", "point", "quantitative"), tooltip("x", x_title(l))});
  if (!l.colour_axis.empty()) tips.push_back(tooltip("series", l.colour_axis));
  if (!l.panel_axes.empty()) tips.push_back(tooltip("panel", "panel"));
  Json line_tips = tips;
  line_tips.push_back(tooltip("y", md.headline, "quantitative", ",.4~f"));
  Json line = {{"mark", {{"type", "line"}, {"point", {{"size", 40}}}}},
               {"encoding", {{"x", x}, {"y", y_encoding(metric, md)}, {"tooltip", line_tips}}}};
  if (!colour.is_null()) line["encoding"]["color"] = colour;
  layers.push_back(std::move(line));
  if (md.missing > 0) {
    tips.push_back({{"field", "no_value"}, {"type", "nominal"}, {"title", md.headline}});
    layers.push_back({{"transform", Json::array({{{"filter", "!isValid(datum.y)"}},
                                                 {{"calculate", "'no value'"}, {"as", "no_value"}}})},
                      {"mark", no_value_mark()},
                      {"encoding", {{"x", x}, {"y", {{"value", height - 6}}}, {"tooltip", tips}}}});
  }
  return layers;
}

Json metric_spec(const SweepLayout& l, const Json& rows, const std::string& metric, const MetricData& md) {
  Json spec = {{"title", {{"text", metric}, {"anchor", "start"}}},
               {"config", chart_config()},
               {"data", {{"values", md.values}}}};
  if (l.panel_axes.empty()) {
    spec["width"] = chart_width;
    spec["height"] = chart_height;
    spec["layer"] = metric_layers(l, rows, metric, md, chart_height);
    return spec;
  }
  const Json panels = panel_order(l, rows);
  spec["facet"] = {{"field", "panel"},
                   {"type", "nominal"},
                   {"sort", panels},
                   {"title", nullptr},
                   {"header", {{"labelFontSize", 11}, {"labelLimit", 0}}}};
  spec["columns"] = std::min(panel_columns, panels.size());
  spec["spec"] = {
      {"width", panel_width}, {"height", panel_height}, {"layer", metric_layers(l, rows, metric, md, panel_height)}};
  return spec;
}

std::string metric_caption(const SweepLayout& l, const std::string& metric, const MetricData& md) {
  std::string how = md.headline == "probability" ? "The probability" : "The " + md.headline;
  std::string out = fmt::format("{} of {} against {}", how, metric, x_title(l));
  if (!l.colour_axis.empty()) out += ", one colour per " + l.colour_axis;
  if (!l.panel_axes.empty()) out += fmt::format(", one panel per {}", fmt::join(l.panel_axes, " × "));
  if (md.band) out += "; the band spans P10–P90 over each point's replications";
  out += ".";
  if (md.missing > 0)
    out += fmt::format(
        " {} point{} without a value (no replication has the figure: the job did not finish, or the "
        "run failed) {} a red cross at the foot of {} panel.",
        md.missing, md.missing == 1 ? "" : "s", md.missing == 1 ? "is" : "are", md.missing == 1 ? "its" : "their");
  return out;
}

// Two numeric axes: x and the one series axis, each numeric.
bool has_heatmap(const SweepLayout& l, const Json& rows) {
  if (l.x_axis.empty() || !l.x_numeric || l.series_axes.size() != 1) return false;
  const auto ys = axis_values(rows, l.series_axes.front());
  return std::all_of(ys.begin(), ys.end(), [](const Json& v) { return v.is_number(); });
}

constexpr int cell_px = 36;  // a heatmap cell's height; its width shares the chart's

Json heatmap_spec(const SweepLayout& l, const Json& rows, const std::string& metric, const MetricData& md) {
  const std::string& y_axis = l.series_axes.front();
  const auto xs = axis_values(rows, l.x_axis);
  auto ys = axis_values(rows, y_axis);
  std::map<std::pair<std::string, std::string>, const Json*> by_cell;
  for (const auto& r : rows) by_cell.emplace(std::pair{get(r, l.x_axis).dump(), get(r, y_axis).dump()}, &r);
  Json cells = Json::array();
  for (const auto& yv : ys) {
    for (const auto& xv : xs) {
      const auto found = by_cell.find({xv.dump(), yv.dump()});
      const Json* row = found == by_cell.end() ? nullptr : found->second;
      Json cell = {{"x", xv}, {"row", yv}};
      if (row == nullptr) {
        cell["value"] = nullptr;
        cell["point"] = nullptr;
        cell["status"] = "no row (another shard's point, or not finished)";
      } else {
        const auto v = value_of(get(*row, metric + "." + md.headline));
        cell["value"] = datum(v);
        cell["point"] = get(*row, "point");
        cell["status"] = v ? "" : "no value (no replication has the figure)";
      }
      cells.push_back(std::move(cell));
    }
  }
  const MetricUnit u = unit_of(metric, md.headline);
  Json legend = full_legend(u.title);
  if (u.share) legend["format"] = ".0%";
  if (u.money) legend["labelExpr"] = money_label_expr();
  std::reverse(ys.begin(), ys.end());  // the largest value at the top
  const Json x = {{"field", "x"},
                  {"type", "ordinal"},
                  {"title", l.x_axis},
                  {"sort", Json(xs)},
                  {"axis", {{"labelOverlap", "greedy"}, {"labelSeparation", 6}, {"labelAngle", 0}}}};
  const Json y = {{"field", "row"}, {"type", "ordinal"}, {"title", y_axis}, {"sort", Json(ys)}};
  Json tips = Json::array({tooltip("point", "point", "quantitative"), tooltip("x", l.x_axis), tooltip("row", y_axis),
                           tooltip("value", md.headline, "quantitative", ",.4~f")});
  Json missing_tips = Json::array({tooltip("point", "point", "quantitative"), tooltip("x", l.x_axis),
                                   tooltip("row", y_axis), tooltip("status", md.headline)});
  const Json no_value = Json::array({{{"filter", "!isValid(datum.value)"}}});
  Json layers = Json::array();
  layers.push_back({{"transform", Json::array({{{"filter", "isValid(datum.value)"}}})},
                    {"mark", {{"type", "rect"}, {"stroke", "white"}, {"strokeWidth", 1}}},
                    {"encoding",
                     {{"x", x},
                      {"y", y},
                      {"color",
                       {{"field", "value"},
                        {"type", "quantitative"},
                        {"scale", {{"scheme", "viridis"}, {"zero", false}}},
                        {"legend", legend}}},
                      {"tooltip", tips}}}});
  const std::size_t missing = static_cast<std::size_t>(
      std::count_if(cells.begin(), cells.end(), [](const Json& c) { return c["value"].is_null(); }));
  if (missing > 0) {
    layers.push_back({{"transform", no_value},
                      {"mark", {{"type", "rect"}, {"color", "#e5e5e5"}, {"stroke", "white"}, {"strokeWidth", 1}}},
                      {"encoding", {{"x", x}, {"y", y}, {"tooltip", missing_tips}}}});
    layers.push_back({{"transform", no_value},
                      {"mark", no_value_mark()},
                      {"encoding", {{"x", x}, {"y", y}, {"tooltip", missing_tips}}}});
  }
  return {{"title", {{"text", metric}, {"anchor", "start"}}},
          {"config", chart_config()},
          {"data", {{"values", cells}}},
          {"width", chart_width},
          {"height", cell_px * static_cast<int>(ys.size())},
          {"layer", layers}};
}

std::string heatmap_caption(const SweepLayout& l, const Json& rows, const std::string& metric, const MetricData& md) {
  const std::string& y_axis = l.series_axes.front();
  const std::size_t cells = axis_values(rows, l.x_axis).size() * axis_values(rows, y_axis).size();
  std::string how = md.headline == "probability" ? "The probability" : "The " + md.headline;
  std::string out = fmt::format(
      "{} of {} over {} (x) and {} (y), one cell per point; the colour scale's title names "
      "the unit.",
      how, metric, l.x_axis, y_axis);
  const std::size_t without = md.missing + (cells > rows.size() ? cells - rows.size() : 0);
  if (without > 0)
    out += fmt::format(
        " {} cell{} without a value (the job did not finish, the run failed, or the point has no row yet) {} grey "
        "with a red cross.",
        without, without == 1 ? "" : "s", without == 1 ? "is" : "are");
  return out;
}

std::string layout_text(const SweepLayout& l) {
  std::string s = "x: " + x_title(l);
  if (!l.colour_axis.empty()) s += " · colours: " + l.colour_axis;
  if (!l.panel_axes.empty()) s += fmt::format(" · panels: {}", fmt::join(l.panel_axes, " × "));
  return s;
}

}  // namespace

Page sweep_page(const Json& rows, const std::string& source) {
  const SweepLayout l = sweep_layout(rows);
  Page p;
  p.title = "leasesim sweep: " + source;
  p.subtitle = fmt::format("{} · {} point{} · {}", source, rows.size(), rows.size() == 1 ? "" : "s", layout_text(l));
  p.summary = axes_summary(l, rows);
  std::set<std::string> ids;
  for (const auto& metric : l.metrics) {
    MetricData md = metric_data(l, rows, metric);
    std::string id = "chart-sweep-" + slug(metric);
    for (int n = 2; ids.count(id); ++n) id = fmt::format("chart-sweep-{}-{}", slug(metric), n);
    ids.insert(id);
    if (has_heatmap(l, rows)) {
      std::string heat_id = "chart-heatmap-" + slug(metric);
      for (int n = 2; ids.count(heat_id); ++n) heat_id = fmt::format("chart-heatmap-{}-{}", slug(metric), n);
      ids.insert(heat_id);
      p.sections.push_back({heat_id,
                            metric + " by " + l.x_axis + " and " + l.series_axes.front(),
                            heatmap_caption(l, rows, metric, md),
                            heatmap_spec(l, rows, metric, md),
                            {}});
    }
    p.sections.push_back(
        {id, metric, metric_caption(l, metric, md), metric_spec(l, rows, metric, md), {std::move(md.table)}});
  }
  return p;
}

}  // namespace leasesim::report::html
