// The plan page of `leasesim report` (html_pages.hpp): P(every deadline met) at each capacity the
// search probed with the answer marked, what each capacity costs, and the dual's promises.
#include <fmt/format.h>

#include <vector>

#include "leasesim/report/html_charts.hpp"
#include "leasesim/report/html_pages.hpp"
#include "leasesim/report/html_text.hpp"

namespace leasesim::report::html {

namespace {

// The curve as chart rows (one per capacity and series), cost rows, and the table.
struct PlanCurve {
  Json values = Json::array(), cost_values = Json::array();
  Json chosen = Json::array();  // the answer: at most one point, with its label
  HtmlTable table;
  bool per_job = false;  // a line per job besides "all deadlines"
};

HtmlTable curve_table_head(const std::vector<std::string>& jobs, bool per_job) {
  HtmlTable t{"The capacity searched", {{"racks"}, {"GPUs"}, {"P(all deadlines met) (%)"}}, {}};
  if (per_job) {
    for (const auto& j : jobs) t.columns.push_back({"P(" + j + ") (%)"});
  }
  t.columns.push_back({"monthly cost ($M)"});
  t.columns.push_back({"answer", false});
  t.columns.push_back({"note", false});
  return t;
}

PlanCurve plan_curve(const Json& doc) {
  const Json& answer = get(doc, "answer");
  std::vector<std::string> jobs;
  for (const auto& j : get(doc, "jobs")) {
    if (j.is_string()) jobs.push_back(j.get<std::string>());
  }
  PlanCurve pc;
  pc.per_job = jobs.size() > 1;
  pc.table = curve_table_head(jobs, pc.per_job);
  const auto answer_racks = value_of(get(answer, "racks"));
  for (const auto& c : get(doc, "curve")) {
    const auto racks = value_of(get(c, "racks"));
    const auto probability = value_of(get(c, "p_deadlines_met"));
    pc.values.push_back({{"racks", datum(racks)},
                         {"gpus", datum(value_of(get(c, "gpus")))},
                         {"series", "all deadlines"},
                         {"p", datum(probability)},
                         {"note", string_of(get_optional(c, "note"), "")}});
    std::vector<std::string> row{grouped(racks, 0), grouped(value_of(get(c, "gpus")), 0), percent(probability)};
    if (pc.per_job) {
      for (const auto& j : jobs) {
        const auto pj = value_of(get(get(c, "jobs"), j));
        pc.values.push_back({{"racks", datum(racks)},
                             {"gpus", datum(value_of(get(c, "gpus")))},
                             {"series", j},
                             {"p", datum(pj)},
                             {"note", ""}});
        row.push_back(percent(pj));
      }
    }
    const auto cost = scaled(value_of(get(c, "monthly_cost_usd")), 1e-6);
    if (cost)
      pc.cost_values.push_back({{"racks", datum(racks)}, {"gpus", datum(value_of(get(c, "gpus")))}, {"cost", *cost}});
    row.push_back(grouped(cost, 2));
    row.push_back(answer_racks && racks && *answer_racks == *racks ? "chosen" : "");
    row.push_back(string_of(get_optional(c, "note"), ""));
    pc.table.rows.push_back(std::move(row));
  }
  if (answer.is_object() && answer_racks) {
    pc.chosen.push_back({{"racks", *answer_racks},
                         {"p", datum(value_of(get(answer, "p_deadlines_met")))},
                         {"cost", datum(scaled(value_of(get(answer, "monthly_cost_usd")), 1e-6))},
                         {"label", fmt::format("answer: {} racks ({} GPUs)", grouped(answer_racks, 0),
                                               grouped(value_of(get(answer, "gpus")), 0))}});
  }
  return pc;
}

Json racks_x() {
  return {{"field", "racks"}, {"type", "quantitative"}, {"title", "capacity (racks)"}, {"scale", {{"zero", false}}}};
}

// The answer as an orange diamond at (racks, `y`).
Json answer_diamond(const Json& chosen, const Json& y) {
  return {{"data", {{"values", chosen}}},
          {"mark",
           {{"type", "point"},
            {"shape", "diamond"},
            {"filled", true},
            {"size", 260},
            {"color", "#ff7f0e"},
            {"opacity", 1}}},
          {"encoding", {{"x", racks_x()}, {"y", y}}}};
}

Json answer_label(const Json& chosen, const Json& y, int dy) {
  return {{"data", {{"values", chosen}}},
          {"mark", {{"type", "text"}, {"align", "left"}, {"dx", 12}, {"dy", dy}, {"fontWeight", "bold"}}},
          {"encoding", {{"x", racks_x()}, {"y", y}, {"text", {{"field", "label"}}}}}};
}

Json curve_layers(const PlanCurve& pc, std::optional<double> confidence) {
  const Json x = racks_x();
  Json layers = Json::array();
  Json line = {{"data", {{"values", pc.values}}},
               {"mark", {{"type", "line"}, {"point", {{"size", 50}}}, {"interpolate", "step-after"}}},
               {"encoding",
                {{"x", x},
                 {"y",
                  {{"field", "p"},
                   {"type", "quantitative"},
                   {"title", "P(deadlines met)"},
                   {"axis", {{"format", ".0%"}}},
                   {"scale", {{"domain", Json::array({0, 1})}}}}},
                 {"tooltip", Json::array({tooltip("racks", "racks", "quantitative"),
                                          tooltip("gpus", "GPUs", "quantitative"), tooltip("series", "deadlines"),
                                          tooltip("p", "P(met)", "quantitative", ".0%"), tooltip("note", "note")})}}}};
  if (pc.per_job) {
    line["encoding"]["color"] = {{"field", "series"}, {"type", "nominal"}, {"title", "deadlines"}};
  } else {
    line["mark"]["color"] = "#4c78a8";
  }
  layers.push_back(std::move(line));
  if (confidence) {
    const Json conf = Json::array(
        {{{"confidence", *confidence}, {"label", fmt::format("confidence {}%", grouped(*confidence * 100, 0))}}});
    layers.push_back({{"data", {{"values", conf}}},
                      {"mark", {{"type", "rule"}, {"color", "#d62728"}, {"strokeDash", Json::array({6, 4})}}},
                      {"encoding", {{"y", {{"field", "confidence"}, {"type", "quantitative"}}}}}});
    layers.push_back(
        {{"data", {{"values", conf}}},
         {"mark", {{"type", "text"}, {"color", "#d62728"}, {"align", "left"}, {"dy", -7}, {"x", 4}}},
         {"encoding", {{"y", {{"field", "confidence"}, {"type", "quantitative"}}}, {"text", {{"field", "label"}}}}}});
  }
  if (!pc.chosen.empty()) {
    const Json y = {{"field", "p"}, {"type", "quantitative"}};
    layers.push_back(answer_diamond(pc.chosen, y));
    layers.push_back(answer_label(pc.chosen, y, 14));
  }
  return layers;
}

std::optional<Section> cost_section(const PlanCurve& pc) {
  if (pc.cost_values.empty()) return std::nullopt;
  Json cost_layers = Json::array();
  const Json cy = {{"field", "cost"}, {"type", "quantitative"}, {"title", "monthly cost ($M)"}};
  cost_layers.push_back(
      {{"data", {{"values", pc.cost_values}}},
       {"mark", {{"type", "line"}, {"point", {{"size", 50}}}, {"color", "#4c78a8"}}},
       {"encoding",
        {{"x", racks_x()},
         {"y", cy},
         {"tooltip", Json::array({tooltip("racks", "racks", "quantitative"), tooltip("gpus", "GPUs", "quantitative"),
                                  tooltip("cost", "monthly cost ($M)", "quantitative", ",.2f")})}}}});
  if (!pc.chosen.empty() && pc.chosen[0]["cost"].is_number()) {
    cost_layers.push_back(answer_diamond(pc.chosen, cy));
    cost_layers.push_back(answer_label(pc.chosen, cy, 4));
  }
  HtmlTable ct{"Monthly cost by capacity", {{"racks"}, {"GPUs"}, {"monthly cost ($M)"}}, {}};
  for (const auto& c : pc.cost_values) {
    ct.rows.push_back({grouped(value_of(get(c, "racks")), 0), grouped(value_of(get(c, "gpus")), 0),
                       grouped(value_of(get(c, "cost")), 2)});
  }
  return Section{"chart-plan-cost",
                 "What the capacity costs",
                 "The monthly cost of each capacity probed, at the plan's price; the diamond is the answer.",
                 {{"width", 640}, {"height", 240}, {"config", chart_config()}, {"layer", cost_layers}},
                 {std::move(ct)}};
}

std::optional<Section> dual_section(const Json& dual) {
  if (!dual.is_object()) return std::nullopt;
  HtmlTable d{fmt::format("What the scenario's own {} racks ({} GPUs) can promise",
                          grouped(value_of(get(dual, "racks")), 0), grouped(value_of(get(dual, "gpus")), 0)),
              {{"job", false}, {"deadline", false}, {"promise", false}, {"promise (days)"}, {"P(deadline met) (%)"}},
              {}};
  for (const auto& j : get(dual, "jobs")) {
    d.rows.push_back({string_of(get(j, "name")), string_of(get(j, "deadline")), string_of(get(j, "promise")),
                      grouped(value_of(get(j, "promise_days")), 1), percent(value_of(get(j, "p_deadline_met")))});
  }
  return Section{"",
                 "The dual: dates the scenario's capacity can promise",
                 "The date by which each job finishes at the confidence asked, on the scenario's own capacity.",
                 nullptr,
                 {std::move(d)}};
}

HtmlTable plan_summary(const Json& doc) {
  const Json& answer = get(doc, "answer");
  HtmlTable summary{"Summary", {{"figure", false}, {"value", false}}, {}};
  summary.rows.push_back({"confidence asked (%)", percent(value_of(get(doc, "confidence")), 0)});
  summary.rows.push_back({"rack", string_of(get(doc, "rack"))});
  if (answer.is_object()) {
    summary.rows.push_back({"answer (racks)", grouped(value_of(get(answer, "racks")), 0)});
    summary.rows.push_back({"answer (GPUs)", grouped(value_of(get(answer, "gpus")), 0)});
    summary.rows.push_back(
        {"P(all deadlines met) at the answer (%)", percent(value_of(get(answer, "p_deadlines_met")))});
    summary.rows.push_back(
        {"monthly cost at the answer ($M)", grouped(scaled(value_of(get(answer, "monthly_cost_usd")), 1e-6), 2)});
  } else {
    summary.rows.push_back({"answer", "none: no capacity in the range meets every deadline at the confidence"});
  }
  const Json& binding = get(doc, "binding_job");
  if (binding.is_object()) {
    summary.rows.push_back(
        {"binding job", fmt::format("{} (deadline {}; {} racks probed below the answer met it with P = {})",
                                    string_of(get(binding, "name")), string_of(get(binding, "deadline")),
                                    grouped(value_of(get(binding, "racks_probed")), 0),
                                    grouped(value_of(get(binding, "p_deadline_met")), 2))});
    summary.rows.push_back({"slack at the answer (days)", grouped(value_of(get(binding, "slack_days_at_answer")), 1)});
  }
  return summary;
}

// A lever's value as text ("2026-11-26", "never", "12 months", "[1,2]", "50%").
std::string lever_value(const std::string& lever, const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (lever == "term" && v.is_number()) return fmt::format("{} months", v.dump());
  if (lever == "ramp" && v.is_array()) return v.empty() ? "none" : v.dump();
  if (lever == "fixed_share" && v.is_number()) return percent(v.get<double>(), 0);
  return v.dump();
}

// A plan over lease terms: the answer and the exit option in the summary, every candidate in a table.
Page lever_plan_page(const Json& doc, const std::string& source) {
  std::vector<std::string> levers;
  for (const char* l : {"notice_given", "racks", "term", "ramp", "fixed_share"}) {
    if (get(doc, "levers").is_object() && get(doc, "levers").contains(l)) levers.push_back(l);
  }
  Page p;
  p.title = "leasesim plan: " + string_of(get(doc, "scenario"), "plan");
  p.subtitle = fmt::format("{} · {} · {} replications per candidate · seed {} · objective {}", source,
                           string_of(get(doc, "plan"), "plan"), grouped(value_of(get(doc, "replications")), 0),
                           get(doc, "seed").dump(), string_of(get(doc, "objective")));
  HtmlTable summary{"Summary", {{"figure", false}, {"value", false}}, {}};
  summary.rows.push_back({"confidence asked (%)", percent(value_of(get(doc, "confidence")), 0)});
  summary.rows.push_back({"search", fmt::format("{}, {} candidates", string_of(get(get(doc, "search"), "method")),
                                                grouped(value_of(get(get(doc, "search"), "candidates")), 0))});
  const Json& answer = get(doc, "answer");
  if (answer.is_object()) {
    for (const auto& l : levers) summary.rows.push_back({"answer: " + l, lever_value(l, get(answer, l))});
    summary.rows.push_back(
        {"expected cost ($M)", grouped(scaled(value_of(get(answer, "expected_cost_usd")), 1e-6), 3)});
    summary.rows.push_back({"P90 cost ($M)", grouped(scaled(value_of(get(answer, "p90_cost_usd")), 1e-6), 3)});
    summary.rows.push_back({"CVaR90 cost ($M)", grouped(scaled(value_of(get(answer, "cvar90_cost_usd")), 1e-6), 3)});
    summary.rows.push_back({"P(all deadlines met) (%)", percent(value_of(get(answer, "p_deadlines_met")))});
  } else {
    summary.rows.push_back({"answer", string_of(get(doc, "no_terms_meet"), "none")});
  }
  const Json& exit = get_optional(doc, "exit_option");
  if (exit.is_object()) {
    summary.rows.push_back({"lease end at the best notice", string_of(get(exit, "lease_end"))});
    summary.rows.push_back(
        {"exit option value, mean ($M)", grouped(scaled(value_of(get(get(exit, "value_usd"), "mean")), 1e-6), 3)});
    summary.rows.push_back(
        {"provider revenue at risk, mean ($M)",
         grouped(scaled(value_of(get(get(get(exit, "provider"), "revenue_at_risk_usd"), "mean")), 1e-6), 3)});
  }
  p.summary = summary;
  HtmlTable table{"Candidates", {}, {}};
  for (const auto& l : levers) table.columns.push_back({l, false});
  for (const char* c : {"expected ($M)", "P90 ($M)", "CVaR90 ($M)", "P(met) (%)"}) table.columns.push_back({c, true});
  table.columns.push_back({"meets the confidence", false});
  for (const auto& c : get(doc, "candidates")) {
    std::vector<std::string> row;
    for (const auto& l : levers) row.push_back(lever_value(l, get(c, l)));
    for (const char* k : {"expected_cost_usd", "p90_cost_usd", "cvar90_cost_usd"})
      row.push_back(c.contains(k) ? grouped(scaled(value_of(get(c, k)), 1e-6), 3) : "-");
    row.push_back(c.contains("p_deadlines_met") ? percent(value_of(get(c, "p_deadlines_met"))) : "-");
    row.push_back(c.contains("note") ? string_of(get(c, "note")) : (get(c, "feasible") == true ? "yes" : "no"));
    table.rows.push_back(std::move(row));
  }
  p.sections.push_back({"",
                        "Every candidate",
                        "The tenants' cost over the horizon across the replications (the same seeds for every "
                        "candidate), and whether every deadline is met at the confidence.",
                        nullptr,
                        {std::move(table)}});
  return p;
}

}  // namespace

Page plan_page(const Json& doc, const std::string& source) {
  if (string_of(get_optional(doc, "kind")) == "levers") return lever_plan_page(doc, source);
  PlanCurve pc = plan_curve(doc);
  Page p;
  p.title = "leasesim plan: " + string_of(get(doc, "scenario"), "plan");
  p.subtitle =
      fmt::format("{} · {} · {} replications per capacity · seed {}", source, string_of(get(doc, "plan"), "plan"),
                  grouped(value_of(get(doc, "replications")), 0), get(doc, "seed").dump());
  p.summary = plan_summary(doc);
  p.sections.push_back(
      {"chart-plan-curve",
       "The plan curve",
       "The probability that every deadline is met (over the replications) at each capacity the search "
       "probed; the dashed line is the confidence asked, the diamond the smallest capacity that reaches it.",
       {{"width", 640},
        {"height", 280},
        {"config", chart_config()},
        {"layer", curve_layers(pc, value_of(get(doc, "confidence")))}},
       {std::move(pc.table)}});
  if (auto s = cost_section(pc)) p.sections.push_back(std::move(*s));
  if (auto s = dual_section(get_optional(doc, "dual"))) p.sections.push_back(std::move(*s));
  return p;
}

}  // namespace leasesim::report::html
