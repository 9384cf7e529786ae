// The compare page of `leasesim report` (html_pages.hpp): the alternatives side by side on four
// figures, cost against deadline risk, each deadline per alternative and the break-even demand.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <vector>

#include "leasesim/report/html_charts.hpp"
#include "leasesim/report/html_pages.hpp"
#include "leasesim/report/html_text.hpp"

namespace leasesim::report::html {

namespace {

struct CompareMetric {
  const char* key;
  const char* title;
  double scale;
  int decimals;
};
constexpr std::array<CompareMetric, 4> compare_metrics{
    {{"total_cost_usd", "total cost ($M)", 1e-6, 1},
     {"usd_per_productive_gpu_hour", "$ per productive GPU-hour", 1, 2},
     {"usd_per_million_tokens", "$ per million tokens", 1, 2},
     {"deadline_misses", "deadline misses per run", 1, 2}}};

// "4.25 (85.0%)" in $M with the margin's share of the provider's revenue; "n/a" without provider
// costs (no `provider` rider on the alternative's leases).
std::string provider_margin_text(const Json& alternative) {
  const Json& m = get(alternative, "provider_margin_usd");
  if (!m.is_object()) return "n/a";
  const auto fraction = value_of(get(alternative, "provider_margin_fraction"));
  return grouped(scaled(value_of(m), 1e-6), 2) + (fraction ? " (" + percent(fraction) + "%)" : "");
}

// The alternatives, best first, as the rows of both charts and of their tables.
struct CompareData {
  Json names = Json::array(), values = Json::array(), risk = Json::array();
  HtmlTable ranking{"Alternatives, best first (mean and P10–P90 over the replications)",
                    {{"rank"},
                     {"alternative", false},
                     {"total cost ($M)"},
                     {"P10–P90 ($M)"},
                     {"$/productive GPU-h"},
                     {"P10–P90 ($/GPU-h)"},
                     {"$/M tokens"},
                     {"P10–P90 ($/M tokens)"},
                     {"idle (%)"},
                     {"SLA credits ($M)"},
                     {"used (GPU-h/month)"},
                     {"capacity (GPU-h/month)"},
                     {"provider margin ($M)"}},
                    {}};
  HtmlTable risk_table{"Cost against deadline risk",
                       {{"alternative", false},
                        {"deadline misses per run"},
                        {"P10–P90 (misses)"},
                        {"total cost ($M)"},
                        {"P10–P90 ($M)"},
                        {"description", false}},
                       {}};
};

void add_alternative(CompareData& cd, const Json& a, int rank) {
  const std::string name = string_of(get(a, "alternative"));
  cd.names.push_back(name);
  for (const auto& m : compare_metrics) {
    const Json& v = get(a, m.key);
    cd.values.push_back({{"alternative", name},
                         {"metric", m.title},
                         {"mean", datum(scaled(value_of(v), m.scale))},
                         {"p10", datum(scaled(stat_of(v, "p10"), m.scale))},
                         {"p90", datum(scaled(stat_of(v, "p90"), m.scale))}});
  }
  const Json& cost = get(a, "total_cost_usd");
  const Json& misses = get(a, "deadline_misses");
  cd.risk.push_back({{"alternative", name},
                     {"misses", datum(value_of(misses))},
                     {"misses_p10", datum(stat_of(misses, "p10"))},
                     {"misses_p90", datum(stat_of(misses, "p90"))},
                     {"cost", datum(scaled(value_of(cost), 1e-6))},
                     {"cost_p10", datum(scaled(stat_of(cost, "p10"), 1e-6))},
                     {"cost_p90", datum(scaled(stat_of(cost, "p90"), 1e-6))}});
  cd.ranking.rows.push_back({std::to_string(rank), name, grouped(scaled(value_of(cost), 1e-6), 1),
                             range_text(cost, 1, 1e-6), grouped(value_of(get(a, "usd_per_productive_gpu_hour")), 2),
                             range_text(get(a, "usd_per_productive_gpu_hour"), 2),
                             grouped(value_of(get(a, "usd_per_million_tokens")), 2),
                             range_text(get(a, "usd_per_million_tokens"), 2), percent(value_of(get(a, "idle_fraction"))),
                             grouped(scaled(value_of(get(a, "sla_credits_usd")), 1e-6), 2),
                             grouped(value_of(get(a, "allocated_gpu_hours_per_month")), 0),
                             grouped(value_of(get(a, "capacity_gpu_hours_per_month")), 0), provider_margin_text(a)});
  cd.risk_table.rows.push_back({name, grouped(value_of(misses), 2), range_text(misses, 2),
                                grouped(scaled(value_of(cost), 1e-6), 1), range_text(cost, 1, 1e-6),
                                string_of(get(a, "description"), "")});
}

// Alternatives on the same spot share one label; labels in the right half point left.
void label_risk_points(Json& risk) {
  double most_misses = 0;
  for (const auto& r : risk) most_misses = std::max(most_misses, value_of(get(r, "misses")).value_or(0.0));
  std::map<std::string, std::size_t> first_at_spot;
  for (std::size_t i = 0; i < risk.size(); ++i) {
    Json& r = risk[i];
    const std::string spot =
        fmt::format("{:.6g} {:.6g}", value_of(get(r, "misses")).value_or(0.0), value_of(get(r, "cost")).value_or(0.0));
    const auto [first, fresh] = first_at_spot.emplace(spot, i);
    r["label"] = fresh ? get(r, "alternative") : Json("");
    if (!fresh)
      risk[first->second]["label"] =
          get(risk[first->second], "label").get<std::string>() + ", " + get(r, "alternative").get<std::string>();
    r["side"] = most_misses > 0 && value_of(get(r, "misses")).value_or(0.0) > most_misses / 2 ? "right" : "left";
  }
}

Json cost_spec(const CompareData& cd) {
  Json metric_titles = Json::array();
  for (const auto& m : compare_metrics) metric_titles.push_back(m.title);
  const Json y = {{"field", "alternative"}, {"type", "nominal"}, {"title", nullptr}, {"sort", cd.names}};
  const Json whisker_tick = {{"type", "tick"}, {"color", "#222"}, {"thickness", 2}, {"size", 12}};
  const Json bars = {
      {"mark", {{"type", "bar"}, {"color", "#4c78a8"}, {"size", 16}}},
      {"encoding",
       {{"x", {{"field", "mean"}, {"type", "quantitative"}, {"title", "mean, P10–P90"}, {"axis", {{"tickCount", 4}}}}},
        {"y", y},
        {"tooltip", Json::array({tooltip("alternative", "alternative"), tooltip("metric", "figure"),
                                 tooltip("mean", "mean", "quantitative", ",.2f"),
                                 tooltip("p10", "P10", "quantitative", ",.2f"),
                                 tooltip("p90", "P90", "quantitative", ",.2f")})}}}};
  const Json whisker = {
      {"mark", {{"type", "rule"}, {"color", "#222"}, {"strokeWidth", 2}}},
      {"encoding", {{"x", {{"field", "p10"}, {"type", "quantitative"}}}, {"x2", {{"field", "p90"}}}, {"y", y}}}};
  const auto tick_at = [&](const char* field) {
    return Json{{"mark", whisker_tick}, {"encoding", {{"x", {{"field", field}, {"type", "quantitative"}}}, {"y", y}}}};
  };
  return {{"config", chart_config()},
          {"data", {{"values", cd.values}}},
          {"facet",
           {{"column",
             {{"field", "metric"},
              {"type", "nominal"},
              {"title", nullptr},
              {"sort", metric_titles},
              {"header", {{"labelFontSize", 12}, {"labelFontWeight", "bold"}}}}}}},
          {"spec",
           {{"width", 180},
            {"height", {{"step", 28}}},
            {"layer", Json::array({bars, whisker, tick_at("p10"), tick_at("p90")})}}},
          {"resolve", {{"scale", {{"x", "independent"}}}}}};
}

Json risk_spec(const CompareData& cd) {
  const Json color = {{"field", "alternative"}, {"type", "nominal"}, {"legend", nullptr}, {"sort", cd.names}};
  const Json rx = {{"field", "misses"},
                   {"type", "quantitative"},
                   {"title", "deadline misses per run (mean, P10–P90)"},
                   {"scale", {{"zero", true}, {"nice", true}}}};
  const Json ry = {{"field", "cost"},
                   {"type", "quantitative"},
                   {"title", "total cost ($M; mean, P10–P90)"},
                   {"scale", {{"zero", false}}}};
  const auto label_layer = [&](const char* side, const char* align, int dx) {
    return Json{{"transform", Json::array({{{"filter", fmt::format("datum.side === '{}'", side)}}})},
                {"mark", {{"type", "text"}, {"align", align}, {"dx", dx}, {"dy", -8}, {"fontSize", 11}}},
                {"encoding", {{"x", rx}, {"y", ry}, {"text", {{"field", "label"}}}}}};
  };
  Json layers = Json::array(
      {{{"mark", {{"type", "rule"}, {"strokeWidth", 2}}},
        {"encoding",
         {{"x", {{"field", "misses_p10"}, {"type", "quantitative"}}},
          {"x2", {{"field", "misses_p90"}}},
          {"y", ry},
          {"color", color}}}},
       {{"mark", {{"type", "rule"}, {"strokeWidth", 2}}},
        {"encoding",
         {{"y", {{"field", "cost_p10"}, {"type", "quantitative"}}},
          {"y2", {{"field", "cost_p90"}}},
          {"x", rx},
          {"color", color}}}},
       {{"mark", {{"type", "point"}, {"filled", true}, {"size", 90}, {"opacity", 1}}},
        {"encoding",
         {{"x", rx},
          {"y", ry},
          {"color", color},
          {"tooltip", Json::array({tooltip("alternative", "alternative"),
                                   tooltip("misses", "deadline misses per run", "quantitative", ".2f"),
                                   tooltip("cost", "total cost ($M)", "quantitative", ",.1f")})}}}},
       label_layer("left", "left", 8),
       label_layer("right", "right", -8)});
  return {{"width", 640}, {"height", 340}, {"config", chart_config()}, {"data", {{"values", cd.risk}}}, {"layer", layers}};
}

std::optional<Section> deadlines_section(const Json& alternatives) {
  HtmlTable deadlines{"Each listed job with a deadline, per alternative (end and verdict: the P50 replication's)",
                      {{"alternative", false},
                       {"job", false},
                       {"end (P50)", false},
                       {"end P10", false},
                       {"end P90", false},
                       {"deadline", false},
                       {"met", false},
                       {"replications met"},
                       {"why rejected", false}},
                      {}};
  for (const auto& a : alternatives) {
    const Json& jobs = get(a, "jobs");
    if (!jobs.is_array()) continue;
    for (const auto& j : jobs) {
      const Json& met = get(j, "deadline_met");
      deadlines.rows.push_back({string_of(get(a, "alternative")), string_of(get(j, "name")),
                                string_of(get(j, "end"), "not finished"), string_of(get(j, "end_p10"), "not finished"),
                                string_of(get(j, "end_p90"), "not finished"), string_of(get(j, "deadline")),
                                met.is_boolean() ? (met.get<bool>() ? "yes" : "no") : "–",
                                percent(value_of(get(j, "deadline_met_fraction")), 0),
                                string_of(get(j, "rejected_reason"), "")});
    }
  }
  if (deadlines.rows.empty()) return std::nullopt;
  return Section{"",
                 "Deadlines",
                 "Why an alternative misses: each listed job's end against its deadline. Replications are "
                 "ordered by the job's end (unfinished last); P10, P50 and P90 are the replications at those "
                 "ranks. A job the cluster cannot hold is rejected, with the reason.",
                 nullptr,
                 {std::move(deadlines)}};
}

std::optional<Section> break_even_section(const Json& breaks) {
  if (!breaks.is_array() || breaks.empty()) return std::nullopt;
  HtmlTable b{"Break-even demand between the winner and each other alternative",
              {{"winner", false},
               {"versus", false},
               {"break-even (GPU-h/month)"},
               {"= winner's capacity (%)"},
               {"simulated use (GPU-h/month)"},
               {"cheaper", false}},
              {}};
  for (const auto& e : breaks) {
    const bool crosses = get(e, "crosses").is_boolean() && get(e, "crosses").get<bool>();
    // "verdict" since issue 11 §5; older documents carry only cheaper_below/cheaper_above.
    const std::string verdict =
        get(e, "verdict").is_string()
            ? get(e, "verdict").get<std::string>()
            : string_of(get(e, "cheaper_below")) + " below, " + string_of(get(e, "cheaper_above")) + " above";
    b.rows.push_back({string_of(get(e, "winner")), string_of(get(e, "versus")),
                      crosses ? grouped(value_of(get(e, "break_even_gpu_hours_per_month")), 0)
                      : string_of(get(e, "cost_order"), "") == "same" ? "–"
                                                                       : "never",
                      crosses ? percent(value_of(get(e, "break_even_utilization"))) : "–",
                      grouped(value_of(get(e, "observed_gpu_hours_per_month")), 0), verdict});
  }
  return Section{"",
                 "Break-even demand",
                 "The monthly demand at which the winner and another alternative cost the same, from their "
                 "monthly cost curves.",
                 nullptr,
                 {std::move(b)}};
}

HtmlTable compare_summary(const Json& alternatives) {
  HtmlTable summary{"Summary", {{"figure", false}, {"value", false}}, {}};
  if (alternatives.empty()) return summary;
  const Json& best = alternatives.front();
  summary.rows = {
      {"best alternative", string_of(get(best, "alternative"))},
      {"its total cost ($M)", grouped(scaled(value_of(get(best, "total_cost_usd")), 1e-6), 1)},
      {"its $ per productive GPU-hour ($/GPU-h)", grouped(value_of(get(best, "usd_per_productive_gpu_hour")), 2)},
      {"its deadline misses per run", grouped(value_of(get(best, "deadline_misses")), 2)}};
  return summary;
}

}  // namespace

Page compare_page(const Json& doc, const std::string& source) {
  const Json& alternatives = get(doc, "alternatives");
  CompareData cd;
  int rank = 0;
  for (const auto& a : alternatives) add_alternative(cd, a, ++rank);
  label_risk_points(cd.risk);
  Page p;
  p.title = "leasesim compare: " + string_of(get(doc, "compare"), "alternatives");
  const auto reps = value_of(get(doc, "replications"));
  p.subtitle = fmt::format("{} · {} alternatives · {} replication{} each · ranked by {}", source, alternatives.size(),
                           grouped(reps, 0), reps && *reps == 1 ? "" : "s", string_of(get(doc, "ranked_by"), "rank"));
  p.summary = compare_summary(alternatives);
  p.sections.push_back(
      {"chart-compare-costs",
       "The alternatives side by side",
       "Each alternative's total cost, cost per productive GPU-hour, cost per million trained tokens and "
       "deadline misses, best first. Bars are means over the replications (common random numbers: every "
       "alternative sees the same demand and failures); whiskers span P10–P90.",
       cost_spec(cd),
       {std::move(cd.ranking)}});
  p.sections.push_back({"chart-compare-risk",
                        "Cost against deadline risk",
                        "Total cost against deadline misses per run: down and to the left is better. Whiskers span "
                        "P10–P90 over the replications.",
                        risk_spec(cd),
                        {std::move(cd.risk_table)}});
  if (auto s = deadlines_section(alternatives)) p.sections.push_back(std::move(*s));
  if (auto s = break_even_section(get(doc, "break_evens"))) p.sections.push_back(std::move(*s));
  return p;
}

}  // namespace leasesim::report::html
