// Shared pieces of the report's Vega-Lite specs (html_charts.hpp).
#include "leasesim/report/html_charts.hpp"

namespace leasesim::report::html {

Json chart_config() {
  return {
      {"font", "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"},
      {"axis", {{"labelFontSize", 11}, {"titleFontSize", 12}, {"titleFontWeight", "normal"}}},
      // Opaque symbols: a legend shared with a pale P10–P90 band would otherwise take its opacity.
      {"legend", {{"labelFontSize", 11}, {"titleFontSize", 12}, {"titleFontWeight", "normal"}, {"symbolOpacity", 1}}},
      {"view", {{"stroke", "#ddd"}}}};
}

Json tooltip(const std::string& field, const std::string& title, const std::string& type, const std::string& format) {
  Json t = {{"field", field}, {"type", type}, {"title", title}};
  if (!format.empty()) t["format"] = format;
  return t;
}

Json band_layer(const Json& x, const Json& color) {
  return {
      {"mark", {{"type", "area"}, {"opacity", 0.2}}},
      {"encoding",
       {{"x", x}, {"y", {{"field", "p10"}, {"type", "quantitative"}}}, {"y2", {{"field", "p90"}}}, {"color", color}}}};
}

Json ordinal_months(const Json& values) {
  return {
      {"field", "month"}, {"type", "ordinal"}, {"title", "month"}, {"sort", values}, {"axis", {{"labelAngle", -45}}}};
}

std::string money_label_expr() {
  const std::string v = "abs(datum.value)";
  return "(datum.value < 0 ? '-' : '') + '$' + (" + v + " >= 1e9 ? format(" + v + " / 1e9, '.3~r') + 'B' : " + v +
         " >= 1e6 ? format(" + v + " / 1e6, '.3~r') + 'M' : " + v + " >= 1e3 ? format(" + v +
         " / 1e3, '.3~r') + 'k' : format(" + v + ", '.3~r'))";
}

Json money_axis(const std::string& title) {
  return {{"title", title},           {"labelExpr", money_label_expr()},
          {"labelOverlap", "greedy"}, {"labelSeparation", 6},
          {"labelFlush", true},       {"tickCount", 5}};
}

Json full_legend(const std::string& title) { return {{"title", title}, {"labelLimit", 0}}; }

Json stacked_bars(const Json& values, const StackedBars& bars) {
  return {{"data", {{"values", values}}},
          {"mark", {{"type", "bar"}}},
          {"encoding",
           {{"x", bars.x},
            {"y", bars.y},
            {"color",
             {{"field", bars.color_field},
              {"type", "nominal"},
              {"title", bars.color_title},
              {"scale", {{"domain", bars.domain}, {"range", bars.range}}}}},
            {"order", {{"field", "order"}, {"type", "quantitative"}}},
            {"tooltip", bars.tooltip}}}};
}

}  // namespace leasesim::report::html
