// The compare page of `leasesim report` (html_pages.hpp): the alternatives side by side on four
// figures, cost against deadline risk, each deadline per alternative and the break-even demand.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <vector>

#include "leasesim/report/format.hpp"
#include "leasesim/report/html_charts.hpp"
#include "leasesim/report/html_pages.hpp"
#include "leasesim/report/html_text.hpp"

namespace leasesim::report::html {

namespace {

struct CompareMetric {
  const char* key;
  const char* title;  // the panel's, with what the axis counts
  bool money;         // dollars: money axis labels ("$1.35B") and tooltips
};
constexpr std::array<CompareMetric, 4> compare_metrics{
    {{"total_cost_usd", "total cost", true},
     {"usd_per_productive_gpu_hour", "$ per productive GPU-hour", true},
     {"usd_per_million_tokens", "$ per million tokens", true},
     {"deadline_misses", "deadline misses per run", false}}};

// A figure as its tooltip shows it: dollars compact ("$1.35B"), a count with two decimals.
Json figure_text(std::optional<double> v, bool money) {
  if (!v) return nullptr;
  return money ? Json(report::usd(*v)) : Json(grouped(v, 2));
}

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
                         {"mean", datum(value_of(v))},
                         {"p10", datum(stat_of(v, "p10"))},
                         {"p90", datum(stat_of(v, "p90"))},
                         {"mean_text", figure_text(value_of(v), m.money)},
                         {"range_text", stat_of(v, "p10") && stat_of(v, "p90")
                                            ? Json(figure_text(stat_of(v, "p10"), m.money).get<std::string>() + "–" +
                                                   figure_text(stat_of(v, "p90"), m.money).get<std::string>())
                                            : Json(nullptr)}});
  }
  const Json& cost = get(a, "total_cost_usd");
  const Json& misses = get(a, "deadline_misses");
  cd.risk.push_back({{"alternative", name},
                     {"misses", datum(value_of(misses))},
                     {"misses_p10", datum(stat_of(misses, "p10"))},
                     {"misses_p90", datum(stat_of(misses, "p90"))},
                     {"cost", datum(value_of(cost))},
                     {"cost_p10", datum(stat_of(cost, "p10"))},
                     {"cost_p90", datum(stat_of(cost, "p90"))},
                     {"cost_text", figure_text(value_of(cost), true)}});
  cd.ranking.rows.push_back(
      {std::to_string(rank), name, grouped(scaled(value_of(cost), 1e-6), 1), range_text(cost, 1, 1e-6),
       grouped(value_of(get(a, "usd_per_productive_gpu_hour")), 2),
       range_text(get(a, "usd_per_productive_gpu_hour"), 2), grouped(value_of(get(a, "usd_per_million_tokens")), 2),
       range_text(get(a, "usd_per_million_tokens"), 2), percent(value_of(get(a, "idle_fraction"))),
       grouped(scaled(value_of(get(a, "sla_credits_usd")), 1e-6), 2),
       grouped(value_of(get(a, "allocated_gpu_hours_per_month")), 0),
       grouped(value_of(get(a, "capacity_gpu_hours_per_month")), 0), provider_margin_text(a)});
  cd.risk_table.rows.push_back({name, grouped(value_of(misses), 2), range_text(misses, 2),
                                grouped(scaled(value_of(cost), 1e-6), 1), range_text(cost, 1, 1e-6),
                                string_of(get(a, "description"), "")});
}

// The misses axis from 0 to at least 1, so a comparison where nothing is missed still has ticks.
Json misses_domain(const Json& rows, std::initializer_list<const char*> fields) {
  double most = 1;
  for (const auto& r : rows)
    for (const char* f : fields) most = std::max(most, value_of(get(r, f)).value_or(0.0));
  return Json::array({0, most});
}

// One panel of the side-by-side chart: the metric's bars with P10–P90 whiskers; the alternatives'
// names on the first panel only.
Json cost_panel(const CompareData& cd, const CompareMetric& m, bool first) {
  Json y = {{"field", "alternative"}, {"type", "nominal"}, {"title", nullptr}, {"sort", cd.names}};
  if (!first) y["axis"] = nullptr;
  Json x = {{"field", "mean"}, {"type", "quantitative"}};
  std::vector<Json> metric_rows;
  for (const auto& v : cd.values)
    if (get(v, "metric") == m.title) metric_rows.push_back(v);
  if (m.money) {
    x["axis"] = money_axis("$, mean and P10–P90");
  } else {
    x["axis"] = {
        {"title", "misses, mean and P10–P90"}, {"tickCount", 4}, {"labelOverlap", "greedy"}, {"labelFlush", true}};
    x["scale"] = {{"domain", misses_domain(Json(metric_rows), {"mean", "p90"})}};
  }
  const Json bars = {{"mark", {{"type", "bar"}, {"color", "#4c78a8"}, {"size", 16}}},
                     {"encoding",
                      {{"x", x},
                       {"y", y},
                       {"tooltip", Json::array({tooltip("alternative", "alternative"), tooltip("metric", "figure"),
                                                tooltip("mean_text", "mean"), tooltip("range_text", "P10–P90")})}}}};
  const Json whisker = {
      {"mark", {{"type", "rule"}, {"color", "#222"}, {"strokeWidth", 2}}},
      {"encoding", {{"x", {{"field", "p10"}, {"type", "quantitative"}}}, {"x2", {{"field", "p90"}}}, {"y", y}}}};
  const auto tick_at = [&](const char* field) {
    return Json{{"mark", {{"type", "tick"}, {"color", "#222"}, {"thickness", 2}, {"size", 12}}},
                {"encoding", {{"x", {{"field", field}, {"type", "quantitative"}}}, {"y", y}}}};
  };
  return {{"title", {{"text", m.title}, {"fontSize", 12}, {"fontWeight", "bold"}}},
          {"width", 170},
          {"height", {{"step", 28}}},
          {"transform", Json::array({{{"filter", {{"field", "metric"}, {"equal", m.title}}}}})},
          {"layer", Json::array({bars, whisker, tick_at("p10"), tick_at("p90")})}};
}

Json cost_spec(const CompareData& cd) {
  Json panels = Json::array();
  for (const auto& m : compare_metrics) panels.push_back(cost_panel(cd, m, panels.empty()));
  return {{"config", chart_config()}, {"data", {{"values", cd.values}}}, {"hconcat", panels}, {"spacing", 24}};
}

Json risk_spec(const CompareData& cd) {
  const Json color = {
      {"field", "alternative"}, {"type", "nominal"}, {"legend", full_legend("alternative")}, {"sort", cd.names}};
  const Json shape = {
      {"field", "alternative"}, {"type", "nominal"}, {"legend", full_legend("alternative")}, {"sort", cd.names}};
  const Json rx = {{"field", "misses"},
                   {"type", "quantitative"},
                   {"title", "deadline misses per run (mean, P10–P90)"},
                   {"axis", {{"labelOverlap", "greedy"}}},
                   {"scale", {{"domain", misses_domain(cd.risk, {"misses", "misses_p90"})}, {"nice", true}}}};
  const Json ry = {{"field", "cost"},
                   {"type", "quantitative"},
                   {"axis", money_axis("total cost (mean, P10–P90)")},
                   {"scale", {{"zero", false}}}};
  Json layers =
      Json::array({{{"mark", {{"type", "rule"}, {"strokeWidth", 2}}},
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
                   {{"mark", {{"type", "point"}, {"filled", true}, {"size", 110}, {"opacity", 1}}},
                    {"encoding",
                     {{"x", rx},
                      {"y", ry},
                      {"color", color},
                      {"shape", shape},
                      {"tooltip", Json::array({tooltip("alternative", "alternative"),
                                               tooltip("misses", "deadline misses per run", "quantitative", ".2f"),
                                               tooltip("cost_text", "total cost")})}}}}});
  return {
      {"width", 560}, {"height", 340}, {"config", chart_config()}, {"data", {{"values", cd.risk}}}, {"layer", layers}};
}

// Each alternative's tenant cost summed from the horizon's start to the end of each ledger month
// (the compare document's "months"; older documents have none and get no section).
std::optional<Section> spend_section(const Json& alternatives, const Json& names, bool replicated) {
  Json values = Json::array();
  HtmlTable t{"Cumulative tenant cost to the end of each month ($M" + std::string(replicated ? ", means" : "") + ")",
              {{"month ending", false}},
              {}};
  std::vector<std::string> ends;                                // the table's rows, in order
  std::vector<std::string> columns;                             // alternatives with months
  std::map<std::pair<std::string, std::string>, double> cells;  // (end, alternative) → $M
  for (const auto& a : alternatives) {
    const Json& months = get(a, "months");
    if (!months.is_array() || months.empty()) continue;
    const std::string name = string_of(get(a, "alternative"));
    t.columns.push_back({name + " ($M)"});
    columns.push_back(name);
    values.push_back({{"alternative", name},
                      {"date", get(months.front(), "start")},
                      {"cost", 0},
                      {"p10", 0},
                      {"p90", 0},
                      {"cost_text", "$0"}});
    for (const auto& m : months) {
      const Json& c = get(m, "cumulative_cost_usd");
      const std::string end = string_of(get(m, "end"));
      values.push_back({{"alternative", name},
                        {"date", end},
                        {"cost", datum(value_of(c))},
                        {"p10", datum(stat_of(c, "p10"))},
                        {"p90", datum(stat_of(c, "p90"))},
                        {"cost_text", figure_text(value_of(c), true)}});
      if (std::find(ends.begin(), ends.end(), end) == ends.end()) ends.push_back(end);
      cells[{end, name}] = value_of(c).value_or(0.0) / 1e6;
    }
  }
  if (values.empty()) return std::nullopt;
  std::sort(ends.begin(), ends.end());
  for (const auto& end : ends) {
    std::vector<std::string> row{end};
    for (const auto& name : columns) {
      const auto it = cells.find({end, name});
      row.push_back(it == cells.end() ? "–" : grouped(it->second, 2));
    }
    t.rows.push_back(std::move(row));
  }
  const Json x = {{"field", "date"},
                  {"type", "temporal"},
                  {"title", "date (UTC)"},
                  {"scale", {{"type", "utc"}}},
                  {"axis", {{"format", "%b %Y"}, {"labelOverlap", "greedy"}, {"labelSeparation", 6}}}};
  const Json y = {{"field", "cost"},
                  {"type", "quantitative"},
                  {"axis", money_axis(replicated ? "spent so far (mean, P10–P90)" : "spent so far")}};
  const Json color = {
      {"field", "alternative"}, {"type", "nominal"}, {"legend", full_legend("alternative")}, {"sort", names}};
  Json layers = Json::array();
  if (replicated) layers.push_back(band_layer(x, color));
  layers.push_back(
      {{"mark", {{"type", "line"}, {"point", {{"size", 24}}}}},
       {"encoding",
        {{"x", x},
         {"y", y},
         {"color", color},
         {"tooltip", Json::array({tooltip("alternative", "alternative"), tooltip("date", "to", "temporal", "%Y-%m-%d"),
                                  tooltip("cost_text", "spent so far")})}}}});
  return Section{
      "chart-compare-spend",
      "Spend over time",
      "What each alternative's tenants have paid from the horizon's start to the end of each month: where "
      "the lines cross, the cheaper choice changes with how long the capacity is held." +
          std::string(replicated ? " Means over the replications; shaded: P10–P90." : ""),
      {{"width", 760}, {"height", 300}, {"config", chart_config()}, {"data", {{"values", values}}}, {"layer", layers}},
      {std::move(t)}};
}

std::optional<Section> deadlines_section(const Json& alternatives) {
  HtmlTable deadlines{
      "Each listed job with a deadline, per alternative (end: P50 over the replications; verdict: the median "
      "replication's)",
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
      deadlines.rows.push_back(
          {string_of(get(a, "alternative")), string_of(get(j, "name")), string_of(get(j, "end"), "not finished"),
           string_of(get(j, "end_p10"), "not finished"), string_of(get(j, "end_p90"), "not finished"),
           string_of(get(j, "deadline")), met.is_boolean() ? (met.get<bool>() ? "yes" : "no") : "–",
           percent(value_of(get(j, "deadline_met_fraction")), 0), string_of(get(j, "rejected_reason"), "")});
    }
  }
  if (deadlines.rows.empty()) return std::nullopt;
  return Section{"",
                 "Deadlines",
                 "Why an alternative misses: each listed job's end against its deadline. P10, P50 and P90 are "
                 "the interpolated quantiles of the replications' ends (an unfinished replication counts as "
                 "later than any: no date once a quantile reaches one). A job the cluster cannot hold is "
                 "rejected, with the reason.",
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
    const std::string verdict = get(e, "verdict").is_string() ? get(e, "verdict").get<std::string>()
                                                              : string_of(get(e, "cheaper_below")) + " below, " +
                                                                    string_of(get(e, "cheaper_above")) + " above";
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

// Risk and money over time (issue 14 §3-§4); documents from before them have no cvar90_cost_usd and
// get no section.
std::optional<Section> risk_section(const Json& doc, const Json& alternatives) {
  if (!alternatives.is_array() || alternatives.empty() || !alternatives.front().contains("cvar90_cost_usd"))
    return std::nullopt;
  HtmlTable t{"Risk and money over time",
              {{"alternative", false}, {"expected cost ($M)"}, {"P90 cost ($M)"}, {"CVaR90 cost ($M)"}, {"NPV ($M)"}},
              {}};
  for (const auto& a : alternatives) {
    t.rows.push_back({string_of(get(a, "alternative")),
                      grouped(scaled(value_of(get(get(a, "total_cost_usd"), "mean")), 1e-6), 2),
                      grouped(scaled(value_of(get(a, "p90_cost_usd")), 1e-6), 2),
                      grouped(scaled(value_of(get(a, "cvar90_cost_usd")), 1e-6), 2),
                      grouped(scaled(value_of(get(a, "npv_usd")), 1e-6), 2)});
  }
  std::vector<HtmlTable> tables{std::move(t)};
  const Json& lob = get(doc, "lease_or_buy");
  if (lob.is_array() && !lob.empty()) {
    HtmlTable b{"Lease or buy: the lease price at which leasing and buying have equal NPV",
                {{"lease", false},
                 {"buy", false},
                 {"lease NPV ($M)"},
                 {"buy NPV ($M)"},
                 {"lease price ($/GPU-h)"},
                 {"break-even price ($/GPU-h)"}},
                {}};
    for (const auto& e : lob) {
      b.rows.push_back({string_of(get(e, "lease")), string_of(get(e, "buy")),
                        grouped(scaled(value_of(get(e, "lease_npv_usd")), 1e-6), 2),
                        grouped(scaled(value_of(get(e, "buy_npv_usd")), 1e-6), 2),
                        grouped(value_of(get(e, "price_per_gpu_hour_usd")), 2),
                        grouped(value_of(get(e, "break_even_price_per_gpu_hour_usd")), 2)});
    }
    tables.push_back(std::move(b));
  }
  const Json& contiguity = get_optional(doc, "contiguity");  // several sites against one (docs/decisions.md)
  if (contiguity.is_array() && !contiguity.empty()) {
    HtmlTable k{"The price of contiguity: the several-site price at which both cost the same per token trained",
                {{"one site", false},
                 {"several sites", false},
                 {"one-site NPV ($M)"},
                 {"sites NPV ($M)"},
                 {"sites' tokens (% of one site's)"},
                 {"sites' price ($/GPU-h)"},
                 {"break-even price ($/GPU-h)"}},
                {}};
    for (const auto& e : contiguity) {
      const auto one = value_of(get(e, "one_site_tokens")), many = value_of(get(e, "sites_tokens"));
      k.rows.push_back({string_of(get(e, "one_site")), string_of(get(e, "sites")),
                        grouped(scaled(value_of(get(e, "one_site_npv_usd")), 1e-6), 2),
                        grouped(scaled(value_of(get(e, "sites_npv_usd")), 1e-6), 2),
                        one && many && *one > 0 ? grouped(*many / *one * 100, 1) : std::string("–"),
                        grouped(value_of(get(e, "price_per_gpu_hour_usd")), 2),
                        grouped(value_of(get(e, "break_even_price_per_gpu_hour_usd")), 2)});
    }
    tables.push_back(std::move(k));
  }
  HtmlTable exits{"Provider exit risk: the tenant gives notice at the first date its termination clause allows",
                  {{"alternative", false},
                   {"lease", false},
                   {"first exit", false},
                   {"rent at risk ($M)"},
                   {"re-leasing recovers ($M)"},
                   {"net at risk ($M)"},
                   {"margin if exited ($M)"}},
                  {}};
  for (const auto& a : alternatives) {
    const Json& risk = get_optional(a, "provider_exit_risk");  // documents from before it have none
    if (!risk.is_array()) continue;
    for (const auto& x : risk) {
      const Json& releasing = get(x, "releasing");
      exits.rows.push_back({string_of(get(a, "alternative")), string_of(get(x, "lease")),
                            string_of(get(x, "exit_end")).substr(0, 10),
                            grouped(scaled(value_of(get(x, "revenue_at_risk_usd")), 1e-6), 2),
                            releasing.is_object() ? grouped(scaled(value_of(get(releasing, "recovered_usd")), 1e-6), 2)
                                                  : std::string("–"),
                            grouped(scaled(value_of(get(x, "net_at_risk_usd")), 1e-6), 2),
                            grouped(scaled(value_of(get(x, "margin_if_exited_usd")), 1e-6), 2)});
    }
  }
  if (!exits.rows.empty()) tables.push_back(std::move(exits));
  const auto rate = value_of(get(doc, "discount_rate"));
  return Section{"", "Risk and money over time",
                 fmt::format("Expected, P90 and CVaR90 (the mean of the worst 10% of replications) total cost, and "
                             "the NPV of the monthly cash flows at {} a year (each month paid at its end).",
                             fmt::format("{:g}%", 100 * rate.value_or(0))),
                 nullptr, std::move(tables)};
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
                        "Total cost against deadline misses per run, one marker per alternative (see the legend): "
                        "down and to the left is better. Whiskers span P10–P90 over the replications.",
                        risk_spec(cd),
                        {std::move(cd.risk_table)}});
  if (auto s = spend_section(alternatives, cd.names, reps && *reps > 1)) p.sections.push_back(std::move(*s));
  if (auto s = deadlines_section(alternatives)) p.sections.push_back(std::move(*s));
  if (auto s = break_even_section(get(doc, "break_evens"))) p.sections.push_back(std::move(*s));
  if (auto s = risk_section(doc, alternatives)) p.sections.push_back(std::move(*s));
  return p;
}

}  // namespace leasesim::report::html
