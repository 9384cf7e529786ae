// Pieces of the Vega-Lite specs the report pages share (html_pages.hpp): the look of every chart,
// tooltips, the P10–P90 band, the month axis and stacked bars.
#pragma once

#include <string>

#include "leasesim/report/html_json.hpp"

namespace leasesim::report::html {

// The config block of every chart: fonts, axis and legend text, the view's border.
Json chart_config();

Json tooltip(const std::string& field, const std::string& title, const std::string& type = "nominal",
             const std::string& format = "");

// The shaded P10–P90 band under a line of replicated or swept results (fields p10, p90).
Json band_layer(const Json& x, const Json& color);

// Calendar months as an ordinal x axis in the order given (field "month").
Json ordinal_months(const Json& values);

// A Vega expression writing the axis value `datum.value` in dollars compactly, as the tables do:
// "$1.35B", "$150M", "$912k", "$9.9"; never "0.000000" or 4-digit runs.
std::string money_label_expr();

// An axis of dollars: money labels, labels that would collide hidden, the end labels inside.
Json money_axis(const std::string& title);

// A legend whose labels are never shortened (vega's default cuts them at 160 px).
Json full_legend(const std::string& title);

// Bars stacked by a category drawn in fixed colours, in the order of the data's "order" field.
struct StackedBars {
  Json x, y;                // encodings (y carries its stacking or aggregate)
  std::string color_field;  // the category
  std::string color_title;
  Json domain, range;  // the categories and their colours
  Json tooltip;        // an array of tooltip encodings
};

// {"data", "mark", "encoding"} of the bars: a layer, or the body of a one-layer spec.
Json stacked_bars(const Json& values, const StackedBars& bars);

}  // namespace leasesim::report::html
