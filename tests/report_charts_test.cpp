// What the report's charts say to a planner (issue 17 §4), read from the Vega-Lite specs a page
// inlines: a sweep with many axes draws small multiples with at most ten colours, its values sorted as
// numbers, its y axes naming the metric and unit, and its points without a value marked; a compare
// page labels money as money, has ticks when nothing is missed, names its alternatives in a legend
// rather than in labels that collide, and draws each alternative's spend over time. That the drawn
// text does not overlap or get cut is checked in Chromium (tests/browser/check_report.mjs).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "leasesim/report/html_report.hpp"

namespace {

using Json = nlohmann::ordered_json;

std::string page_of(const std::string& text, const std::string& source = "result.json") {
  const auto load = leasesim::report::parse_report_input(text, source);
  INFO(load.error);
  REQUIRE(load.input);
  return leasesim::report::html_report(*load.input);
}

// The chart specs the page hands to vega-embed, by chart id.
Json charts_of(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"leasesim-charts\">";
  const auto begin = html.find(open);
  REQUIRE(begin != std::string::npos);
  const auto end = html.find("</script>", begin);
  Json out = Json::object();
  for (const auto& c : Json::parse(html.substr(begin + open.size(), end - begin - open.size())))
    out[c["id"].get<std::string>()] = c["spec"];
  return out;
}

// Every object in `j` (depth first) for which `pred` holds.
template <typename Pred>
std::vector<Json> find_all(const Json& j, Pred pred) {
  std::vector<Json> out;
  if (j.is_object() && pred(j)) out.push_back(j);
  if (j.is_structured())
    for (const auto& v : j) {
      auto more = find_all(v, pred);
      out.insert(out.end(), more.begin(), more.end());
    }
  return out;
}

bool has(const std::string& html, const std::string& text) { return html.find(text) != std::string::npos; }

// A sweep of 3 x-values x 4 sizes (strings that sort wrongly as text) x 12 evaluation rates, with
// the end of the largest size missing (it never finished).
std::string many_axes_rows() {
  std::string out;
  int point = 0;
  for (const char* size : {"8T", "9T", "10T", "100T"}) {
    for (int eval = 1; eval <= 12; ++eval) {
      for (double x : {0.5, 1.0, 2.0}) {
        Json row = {{"point", point}, {"seed", 1}, {"post_per_day", x}, {"tokens", size}, {"eval_per_day", eval}};
        row["pretrain.end_days.mean"] = std::string(size) == "100T" ? Json(nullptr) : Json(30.0 + eval);
        row["partition.cost_usd.mean"] = 1.35e9 + point;
        row["idle_fraction.mean"] = 0.25;
        row["idle_fraction.min"] = 0.2;
        row["idle_fraction.max"] = 0.3;
        ++point;
        if (point == 7) continue;  // point 6 ran on another shard: no row
        out += row.dump() + "\n";
      }
    }
  }
  return out;
}

}  // namespace

TEST_CASE("a sweep of many axes draws small multiples of at most ten colours, values sorted as numbers",
          "[report][charts]") {
  const std::string html = page_of(many_axes_rows(), "results.jsonl");
  const Json spec = charts_of(html)["chart-sweep-pretrain-end-days"];
  // The axis of 4 values colours the lines; the one of 12 lays out the panels.
  REQUIRE(spec.contains("facet"));
  CHECK(spec["facet"]["field"] == "panel");
  const Json& panels = spec["facet"]["sort"];
  REQUIRE(panels.size() == 12);
  CHECK(panels[0] == "eval_per_day = 1");
  CHECK(panels[1] == "eval_per_day = 2");
  CHECK(panels[9] == "eval_per_day = 10");  // not "eval_per_day = 10" after "= 1"
  const auto colours = find_all(
      spec, [](const Json& o) { return o.contains("field") && o["field"] == "series" && o.contains("legend"); });
  REQUIRE_FALSE(colours.empty());
  CHECK(colours.front()["sort"] == Json::array({"8T", "9T", "10T", "100T"}));
  CHECK(colours.front()["legend"]["labelLimit"] == 0);  // never shortened with "…"
  CHECK(has(html, "x: post_per_day · colours: tokens · panels: eval_per_day"));
}

TEST_CASE("a sweep chart's y axis names the metric and its unit, money as money", "[report][charts]") {
  const Json charts = charts_of(page_of(many_axes_rows(), "results.jsonl"));
  const auto y_axis = [&charts](const std::string& id) {
    const auto ys = find_all(
        charts[id], [](const Json& o) { return o.contains("field") && o["field"] == "y" && o.contains("axis"); });
    REQUIRE_FALSE(ys.empty());
    return ys.front()["axis"];
  };
  CHECK(y_axis("chart-sweep-pretrain-end-days")["title"] == "end (days)");
  CHECK(y_axis("chart-sweep-idle-fraction")["title"] == "idle (%)");
  CHECK(y_axis("chart-sweep-idle-fraction")["format"] == ".0%");
  const Json cost = y_axis("chart-sweep-partition-cost-usd");
  CHECK(cost["title"] == "cost ($)");
  CHECK(cost["labelExpr"].get<std::string>().find("'B'") != std::string::npos);
}

TEST_CASE("a sweep point without a value is marked, and points without a row are listed", "[report][charts]") {
  const std::string html = page_of(many_axes_rows(), "results.jsonl");
  const Json spec = charts_of(html)["chart-sweep-pretrain-end-days"];
  const auto marks = find_all(spec, [](const Json& o) {
    return o.contains("transform") && o["transform"].dump().find("!isValid(datum.y)") != std::string::npos;
  });
  REQUIRE(marks.size() == 1);
  CHECK(marks.front()["mark"]["shape"] == "cross");
  CHECK(has(html, "36 points without a value"));
  CHECK(has(html, "<td>no value</td>") == false);  // numeric columns: right-aligned
  CHECK(has(html, "<td class=\"n\">no value</td>"));
  CHECK(has(html, "<td>points without a row (another shard&#39;s, or not finished)</td><td>6</td>"));
}

TEST_CASE("a sweep metric's min and max are statistics of it, not axes", "[report][charts]") {
  const std::string html = page_of(many_axes_rows(), "results.jsonl");
  CHECK_FALSE(has(html, "<td>idle_fraction.min</td>"));
  CHECK_FALSE(has(html, "chart-sweep-idle-fraction-min"));
  CHECK(has(html, "<th>min</th><th>max</th>"));
}

namespace {

std::string fmt_month(int m) { return "2026-0" + std::to_string(m) + "-01"; }

Json compare_doc(bool with_months) {
  Json doc = {{"compare", "two leases"}, {"ranked_by", "lowest total cost"}, {"replications", 3}};
  Json alternatives = Json::array();
  for (const auto& [name, cost] : {std::pair{"fixed", 1.35e9}, std::pair{"on-demand", 0.9e9}}) {
    Json a = {{"alternative", name},
              {"total_cost_usd", {{"mean", cost}, {"p10", cost * 0.99}, {"p90", cost * 1.01}}},
              {"usd_per_productive_gpu_hour", {{"mean", 9.9}, {"p10", 9.8}, {"p90", 10.0}}},
              {"usd_per_million_tokens", {{"mean", 55.5}, {"p10", 50.0}, {"p90", 60.0}}},
              {"deadline_misses", {{"mean", 0.0}, {"p10", 0.0}, {"p90", 0.0}}}};
    if (with_months) {
      Json months = Json::array();
      for (int m = 1; m <= 3; ++m)
        months.push_back(
            {{"start", fmt_month(m)},
             {"end", fmt_month(m + 1)},
             {"tenant_cost_usd", {{"mean", cost / 3}, {"p10", cost / 3}, {"p90", cost / 3}}},
             {"cumulative_cost_usd", {{"mean", cost * m / 3}, {"p10", cost * m / 3}, {"p90", cost * m / 3}}}});
      a["months"] = months;
    }
    alternatives.push_back(a);
  }
  doc["alternatives"] = alternatives;
  return doc;
}

}  // namespace

TEST_CASE("a compare page labels its cost axes as money, and misses from 0 to 1 when none is missed",
          "[report][charts]") {
  const Json charts = charts_of(page_of(compare_doc(false).dump()));
  const Json& costs = charts["chart-compare-costs"];
  REQUIRE(costs.contains("hconcat"));  // one panel per figure, each with its own axis
  REQUIRE(costs["hconcat"].size() == 4);
  for (std::size_t i = 0; i < 3; ++i) {
    const Json& axis = costs["hconcat"][i]["layer"][0]["encoding"]["x"]["axis"];
    CHECK(axis["labelExpr"].get<std::string>().find("'B'") != std::string::npos);
    CHECK(axis["labelOverlap"] == "greedy");
  }
  const Json& misses = costs["hconcat"][3]["layer"][0]["encoding"]["x"];
  CHECK(misses["scale"]["domain"] == Json::array({0, 1.0}));  // not a zero-width axis of "0.000000" ticks
  CHECK(costs["hconcat"][0]["title"]["text"] == "total cost");
  const Json& risk = charts["chart-compare-risk"];
  CHECK(risk["layer"][0]["encoding"]["y"]["axis"]["labelExpr"].is_string());
  CHECK(find_all(risk, [](const Json& o) {
          return o.contains("mark") && o["mark"].dump().find("\"text\"") != std::string::npos;
        }).empty());  // no labels beside the points to collide: a legend names them
  CHECK(risk["layer"][2]["encoding"]["shape"]["legend"]["title"] == "alternative");
}

TEST_CASE("a compare page draws each alternative's spend over time from its monthly ledger", "[report][charts]") {
  const std::string without = page_of(compare_doc(false).dump());
  CHECK_FALSE(has(without, "chart-compare-spend"));  // older documents: no months, no chart
  const std::string html = page_of(compare_doc(true).dump());
  const Json spend = charts_of(html)["chart-compare-spend"];
  REQUIRE(spend.is_object());
  const Json& values = spend["data"]["values"];
  REQUIRE(values.size() == 8);  // per alternative: a zero at the start, then each month's end
  CHECK(values[0]["cost"] == 0);
  CHECK(values[0]["date"] == "2026-01-01");
  CHECK(values[3]["date"] == "2026-04-01");
  CHECK(values[3]["cost"].get<double>() == Approx(1.35e9));
  CHECK(values[3]["cost_text"] == "$1.35B");
  CHECK(has(html, "<th>month ending</th><th>fixed ($M)</th><th>on-demand ($M)</th>"));
  CHECK(has(html, "<td>2026-04-01</td><td class=\"n\">1,350.00</td><td class=\"n\">900.00</td>"));
}

namespace {

// A sweep of two numeric axes, 4 arrival rates × 3 GPU counts (given out of order), with the end of
// the 128-GPU runs missing (never finished) and point 5 without a row (another shard's).
std::string two_axes_rows() {
  std::string out;
  int point = 0;
  for (double rate : {0.5, 1.0, 2.0, 4.0}) {
    for (int gpus : {512, 128, 256}) {
      Json row = {{"point", point}, {"seed", 1}, {"horizon", "100 d"}, {"rate", rate}, {"gpus", gpus}};
      row["pretrain.end_days.mean"] = gpus == 128 ? Json(nullptr) : Json(40.0 + rate + 512.0 / gpus);
      row["partition.cost_usd.mean"] = 2.4e7 + point;
      row["idle_fraction.mean"] = 0.1 * rate;
      if (point != 5) out += row.dump() + "\n";
      ++point;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("a sweep of exactly two numeric axes has a heatmap per metric, unit in the legend, gaps marked",
          "[report][charts]") {
  // Before, a two-axis sweep drew only lines: one per value of the second axis.
  const std::string html = page_of(two_axes_rows(), "results.jsonl");
  const Json charts = charts_of(html);
  for (const char* metric : {"pretrain-end-days", "partition-cost-usd", "idle-fraction"}) {
    INFO(metric);
    CHECK(charts.contains(std::string("chart-heatmap-") + metric));
    CHECK(charts.contains(std::string("chart-sweep-") + metric));  // the line chart stays
  }
  const Json spec = charts["chart-heatmap-pretrain-end-days"];
  const Json cells = spec["data"]["values"];
  REQUIRE(cells.size() == 12);  // every combination, the missing row included
  const auto rects = find_all(spec, [](const Json& o) {
    return o.contains("mark") && o["mark"].is_object() && o["mark"].value("type", "") == "rect" &&
           o.contains("encoding") && o["encoding"].contains("color");
  });
  REQUIRE(rects.size() == 1);
  const Json enc = rects.front()["encoding"];
  CHECK(enc["x"]["field"] == "x");
  CHECK(enc["x"]["title"] == "rate");
  CHECK(enc["x"]["sort"] == Json::parse("[0.5, 1.0, 2.0, 4.0]"));
  CHECK(enc["y"]["title"] == "gpus");
  CHECK(enc["y"]["sort"] == Json::parse("[512, 256, 128]"));  // sorted as numbers, the largest on top
  CHECK(enc["color"]["field"] == "value");
  CHECK(enc["color"]["legend"]["title"] == "end (days)");
  // Point 2 (rate 0.5, 256 GPUs) ended at 40 + 0.5 + 512 / 256 = 42.5 days.
  bool found = false;
  for (const auto& c : cells) {
    if (c["x"] == 0.5 && c["row"] == 256) {
      CHECK(c["value"].get<double>() == Approx(42.5));
      CHECK(c["point"] == 2);
      found = true;
    }
  }
  CHECK(found);
  // Four 128-GPU cells without a value and point 5's cell without a row: grey, with a red cross.
  int no_value = 0, no_row = 0;
  for (const auto& c : cells) {
    if (!c["value"].is_null()) continue;
    const std::string status = c["status"];
    if (status.rfind("no value", 0) == 0) ++no_value;
    if (status.rfind("no row", 0) == 0) ++no_row;
  }
  CHECK(no_value == 4);
  CHECK(no_row == 1);
  const auto crosses = find_all(spec, [](const Json& o) {
    return o.contains("mark") && o["mark"].is_object() && o["mark"].value("shape", "") == "cross";
  });
  REQUIRE(crosses.size() == 1);
  CHECK(crosses.front()["transform"][0]["filter"] == "!isValid(datum.value)");
  CHECK(has(html, "5 cells without a value"));
  // Money and shares keep their units in the legend: dollars labelled as money, a fraction as %.
  const auto colour_of = [](const Json& o) {
    return o.value("field", "") == "value" && o.contains("legend") && o["legend"].is_object();
  };
  const Json cost = find_all(charts["chart-heatmap-partition-cost-usd"], colour_of);
  REQUIRE_FALSE(cost.empty());
  CHECK(cost.front()["legend"]["title"] == "cost ($)");
  CHECK(cost.front()["legend"].contains("labelExpr"));
  const Json idle = find_all(charts["chart-heatmap-idle-fraction"], colour_of);
  REQUIRE_FALSE(idle.empty());
  CHECK(idle.front()["legend"]["title"] == "idle (%)");
  CHECK(idle.front()["legend"]["format"] == ".0%");
}

TEST_CASE("a sweep with one numeric axis, three, or a text axis draws no heatmap", "[report][charts]") {
  // Three axes (many_axes_rows): small multiples, no heatmap.
  CHECK_FALSE(has(page_of(many_axes_rows(), "results.jsonl"), "chart-heatmap-"));
  // Two axes, the second text: lines coloured by it.
  std::string rows;
  int point = 0;
  for (double rate : {0.5, 1.0})
    for (const char* policy : {"fifo", "priority"})
      rows += Json({{"point", point++}, {"seed", 1}, {"rate", rate}, {"policy", policy}, {"idle_fraction.mean", 0.2}})
                  .dump() +
              "\n";
  CHECK_FALSE(has(page_of(rows, "results.jsonl"), "chart-heatmap-"));
}
