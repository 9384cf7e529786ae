// The sensitivity page of `leasesim report` (html_pages.hpp): tornado charts of how far each input's
// low and high value move the mean cost and the measured job's P90 end from the base run, largest
// swing on top, with tables of the same numbers.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "leasesim/report/html_charts.hpp"
#include "leasesim/report/html_pages.hpp"
#include "leasesim/report/html_text.hpp"

namespace leasesim::report::html {

namespace {

std::string factor_text(const Json& v) {
  const auto f = value_of(v);
  return f ? fmt::format("x{:g}", *f) : "–";
}

// One tornado: for each input (in rank order) a bar from the base to its low value and one to its
// high value, as the change from the base in `unit`.
Section tornado(const Json& doc, const std::string& id, const std::string& title, const std::string& caption,
                const std::string& axis_title, const std::function<std::optional<double>(const Json&)>& measure) {
  const Json& base = get(doc, "base");
  const auto base_value = measure(base);
  struct Entry {
    const Json* in;
    std::string name;
    std::optional<double> change[2], swing;
  };
  std::vector<Entry> entries;
  for (const auto& in : get(doc, "inputs")) {
    Entry e{&in, string_of(get(in, "input")), {}, {}};
    const char* sides[2] = {"low", "high"};
    for (int k = 0; k < 2; ++k) {
      const auto v = measure(get(in, sides[k]));
      if (v && base_value) e.change[k] = *v - *base_value;
    }
    if (e.change[0] && e.change[1]) e.swing = std::abs(*e.change[1] - *e.change[0]);
    entries.push_back(std::move(e));
  }
  // A tornado: the largest swing of this measure on top (the ranking may be by the other measure).
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return a.swing.value_or(-1) > b.swing.value_or(-1); });
  Json values = Json::array(), order = Json::array();
  HtmlTable t{
      title,
      {{"rank"}, {"input", false}, {"low", false}, {"high", false}, {"change at low"}, {"change at high"}, {"swing"}},
      {}};
  for (const Entry& e : entries) {
    const Json& in = *e.in;
    order.push_back(e.name);
    for (int k = 0; k < 2; ++k) {
      values.push_back({{"input", e.name},
                        {"side", k == 0 ? "low value" : "high value"},
                        {"factor", factor_text(get(in, k == 0 ? "low_factor" : "high_factor"))},
                        {"change", datum(e.change[k])}});
    }
    t.rows.push_back({grouped(value_of(get(in, "rank")), 0), e.name, factor_text(get(in, "low_factor")),
                      factor_text(get(in, "high_factor")), grouped(e.change[0], 2), grouped(e.change[1], 2),
                      grouped(e.swing, 2)});
  }
  Json spec = {
      {"width", 560},
      {"height", {{"step", 26}}},
      {"config", chart_config()},
      {"data", {{"values", values}}},
      {"mark", {{"type", "bar"}}},
      {"encoding",
       {{"y", {{"field", "input"}, {"type", "nominal"}, {"sort", order}, {"title", nullptr}}},
        {"x",
         {{"field", "change"},
          {"type", "quantitative"},
          {"title", axis_title},
          {"axis", {{"labelOverlap", "greedy"}, {"tickCount", 8}}}}},
        {"color",
         {{"field", "side"},
          {"type", "nominal"},
          {"title", "input at"},
          {"scale",
           {{"domain", Json::array({"low value", "high value"})}, {"range", Json::array({"#4c78a8", "#f58518"})}}}}},
        {"tooltip", Json::array({tooltip("input", "input"), tooltip("side", "input at"), tooltip("factor", "factor"),
                                 tooltip("change", axis_title, "quantitative", ",.2f")})}}}};
  return Section{id, title, caption, std::move(spec), {std::move(t)}};
}

}  // namespace

Page sensitivity_page(const Json& doc, const std::string& source) {
  Page p;
  p.title = "leasesim sensitivity: " + string_of(get(doc, "scenario"), "scenario");
  const bool has_job = doc.contains("job");
  const auto replications = value_of(get(doc, "replications"));
  p.subtitle = fmt::format("{} · {} replication{} per run on common random numbers · ranked by {}", source,
                           grouped(replications, 0), replications == 1.0 ? "" : "s", string_of(get(doc, "rank_by")));
  const Json& base = get(doc, "base");
  p.summary = {"Summary", {{"figure", false}, {"value", false}}, {}};
  p.summary.rows.push_back({"base mean cost ($M)", grouped(scaled(value_of(get(base, "mean_cost_usd")), 1e-6), 2)});
  if (has_job) {
    p.summary.rows.push_back({"measured job", string_of(get(doc, "job"))});
    p.summary.rows.push_back({"base P90 end", string_of(get(base, "end_p90"))});
  }
  const Json& inputs = get(doc, "inputs");
  if (inputs.is_array() && !inputs.empty())
    p.summary.rows.push_back({"most sensitive input", string_of(get(inputs[0], "input"))});
  p.sections.push_back(tornado(doc, "chart-sensitivity-cost", "What moves the cost",
                               "The change of the mean cost over the replications from the base run when one input "
                               "takes its low or its high value, every other input as in the scenario.",
                               "change of the mean cost ($M)",
                               [](const Json& point) { return scaled(value_of(get(point, "mean_cost_usd")), 1e-6); }));
  if (has_job) {
    p.sections.push_back(tornado(
        doc, "chart-sensitivity-end", "What moves the date",
        "The change of the measured job's P90 end date from the base run, in days.", "change of the P90 end (days)",
        [](const Json& point) { return scaled(value_of(get(point, "end_p90_s")), 1.0 / 86400); }));
  }
  HtmlTable ranges{"The ranges swung", {{"input", false}, {"what it scales", false}, {"why this range", false}}, {}};
  for (const auto& in : inputs)
    ranges.rows.push_back({string_of(get(in, "input")), string_of(get(in, "what")), string_of(get(in, "why"))});
  HtmlTable skipped{"Inputs skipped", {{"input", false}, {"why", false}}, {}};
  for (const auto& s : get(doc, "skipped"))
    skipped.rows.push_back({string_of(get(s, "input")), string_of(get(s, "why"))});
  Section notes{"",
                "Ranges",
                "Each input's low and high factor, what it multiplies and where the range comes from.",
                nullptr,
                {std::move(ranges)}};
  if (!skipped.rows.empty()) notes.tables.push_back(std::move(skipped));
  p.sections.push_back(std::move(notes));
  return p;
}

}  // namespace leasesim::report::html
