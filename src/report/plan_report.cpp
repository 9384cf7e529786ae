// The plan's terminal text (plan_report.hpp).
#include "leasesim/report/plan_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "leasesim/report/format.hpp"

namespace leasesim::report {

using nlohmann::json;

namespace {

std::string money(const json& v) { return v.is_number() ? usd(v.get<double>()) : std::string("-"); }

// The capacities searched: racks, GPUs, P(all met), P per job, the monthly cost.
Table curve_table(const json& doc) {
  std::vector<Column> cols{{"racks", "racks", true}, {"gpus", "GPUs", true}, {"p", "P(all met)", true}};
  for (const auto& j : doc["jobs"]) cols.push_back({j.get<std::string>(), "P(" + j.get<std::string>() + ")", true, 1});
  cols.push_back({"monthly_cost_usd", "cost/month", true});
  Table t(cols, "Searched curve");
  for (const auto& e : doc["curve"]) {
    std::vector<Cell> row{integer(e["racks"].get<long long>()), integer(e["gpus"].get<long long>()),
                          number(e["p_deadlines_met"].get<double>(), 2)};
    for (const auto& j : doc["jobs"]) row.push_back(number(e["jobs"][j.get<std::string>()].get<double>(), 2));
    row.push_back(money(e["monthly_cost_usd"]));
    t.add_row(std::move(row));
  }
  return t;
}

std::string answer_text(const json& doc) {
  if (doc["answer"].is_null()) {
    return fmt::format("answer: none — no capacity up to {} racks meets the confidence\n\n",
                       doc["curve"].back()["racks"].get<int>());
  }
  const auto& a = doc["answer"];
  const auto& b = doc["binding_job"];
  std::string out = fmt::format("answer: {} racks = {} GPUs, P(all deadlines met) = {:.2f}, {} per month\n",
                                grouped(a["racks"].get<long long>()), grouped(a["gpus"].get<long long>()),
                                a["p_deadlines_met"].get<double>(), money(a["monthly_cost_usd"]));
  out += fmt::format("binding job: {} (deadline {}; P = {:.2f} at {} racks{})\n\n", b["name"].get<std::string>(),
                     b["deadline"].get<std::string>(), b["p_deadline_met"].get<double>(), b["racks_probed"].get<int>(),
                     b["slack_days_at_answer"].is_number()
                         ? fmt::format(", {:.1f} days of slack at the answer", b["slack_days_at_answer"].get<double>())
                         : "");
  return out;
}

std::string dual_text(const json& doc) {
  const auto& d = doc["dual"];
  std::string out = fmt::format("\nAt the scenario's own {} racks ({} GPUs), promised with P ≥ {:.2f}:\n",
                                grouped(d["racks"].get<long long>()), grouped(d["gpus"].get<long long>()),
                                doc["confidence"].get<double>());
  for (const auto& j : d["jobs"]) {
    out += fmt::format("  {}: {} (deadline {}, P(met) = {:.2f})\n", j["name"].get<std::string>(),
                       j["promise"].is_string() ? j["promise"].get<std::string>() : "not within the horizon",
                       j["deadline"].get<std::string>(), j["p_deadline_met"].get<double>());
  }
  return out;
}

// A lever's value as text: a date, "never", 24 (months), [4, 8] (a ramp), 0.75 (a share).
std::string lever_text(const std::string& lever, const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (lever == "term") return fmt::format("{} months", v.get<int>());
  if (lever == "ramp") return v.empty() ? "none" : v.dump();
  if (lever == "fixed_share") return percent(v.get<double>(), 0);
  return v.dump();
}

std::vector<std::string> lever_names(const json& doc) {
  std::vector<std::string> names;
  for (const auto& [name, values] : doc["levers"].items()) names.push_back(name);
  // The levers block keeps JSON's key order; show them in the plan's grid order.
  std::vector<std::string> ordered;
  for (const char* n : {"notice_given", "racks", "term", "ramp", "fixed_share"}) {
    if (std::find(names.begin(), names.end(), n) != names.end()) ordered.push_back(n);
  }
  return ordered;
}

std::string terms_text(const json& c, const std::vector<std::string>& levers) {
  std::vector<std::string> parts;
  for (const auto& l : levers) parts.push_back(l + " " + lever_text(l, c[l]));
  return fmt::format("{}", fmt::join(parts, ", "));
}

Table ranking_table(const json& doc, const std::vector<std::string>& levers) {
  std::vector<Column> cols{{"rank", "rank", true}};
  for (const auto& l : levers) cols.push_back({l, l, false});
  cols.push_back({"expected_cost_usd", "expected $", true});
  cols.push_back({"p90_cost_usd", "P90 $", true});
  cols.push_back({"cvar90_cost_usd", "CVaR90 $", true});
  cols.push_back({"p_deadlines_met", "P(met)", true});
  Table t(cols, fmt::format("Best terms and runners-up, by {} (tenants' cost over the horizon)",
                            doc["objective"].get<std::string>()));
  std::vector<json> rows;
  if (!doc["answer"].is_null()) rows.push_back(doc["answer"]);
  for (const auto& r : doc["runners_up"]) rows.push_back(r);
  long long rank = 0;
  for (const auto& c : rows) {
    std::vector<Cell> row{integer(++rank)};
    for (const auto& l : levers) row.push_back(Cell(lever_text(l, c[l]), c[l]));
    row.push_back(money(c["expected_cost_usd"].get<double>()));
    row.push_back(money(c["p90_cost_usd"].get<double>()));
    row.push_back(money(c["cvar90_cost_usd"].get<double>()));
    row.push_back(number(c["p_deadlines_met"].get<double>(), 2));
    t.add_row(std::move(row));
  }
  return t;
}

std::string spread_text(const json& s) {
  return fmt::format("mean {}, P10 {}, P50 {}, P90 {}", usd(s["mean"].get<double>()), usd(s["p10"].get<double>()),
                     usd(s["p50"].get<double>()), usd(s["p90"].get<double>()));
}

std::string exit_text(const json& doc) {
  const auto& e = doc["exit_option"];
  std::string out = fmt::format("\nExit option on {}: notice {} ends the lease {} (term ends {})\n",
                                e["lease"].get<std::string>(), e["best_notice_given"].get<std::string>(),
                                e["lease_end"].get<std::string>(), e["term_end"].get<std::string>());
  out += fmt::format("  value to the tenant (cost never exercised − exercised): {}\n", spread_text(e["value_usd"]));
  const auto& p = e["provider"];
  out += fmt::format("  provider: fee revenue at risk within {}: {}\n", p["within"].get<std::string>(),
                     spread_text(p["revenue_at_risk_usd"]));
  if (p.contains("releasing")) {
    const auto& r = p["releasing"];
    out += fmt::format("  re-leasing {} GPUs at {}/GPU-hour from {} to {} recovers {}; net at risk {}\n",
                       grouped(r["gpus"].get<long long>()), r["price_per_gpu_hour"].get<std::string>(),
                       r["from"].get<std::string>(), r["to"].get<std::string>(), usd(r["recovered_usd"].get<double>()),
                       usd(r["net_at_risk_usd"].get<double>()));
  }
  return out;
}

std::string levers_text(const json& doc, Layout layout) {
  const auto levers = lever_names(doc);
  const auto& s = doc["search"];
  std::string out =
      wrap(
          fmt::format(
              "plan: the terms of {} minimising {} with every deadline ({}) met at P ≥ {:.2f}; {} search over "
              "{} candidates{} × {} replications (common random numbers; {} resumed, {} simulated)",
              doc["scenario"].get<std::string>(), doc["objective"].get<std::string>(),
              doc["jobs"].empty() ? std::string("none")
                                  : fmt::format("{}", fmt::join(doc["jobs"].get<std::vector<std::string>>(), ", ")),
              doc["confidence"].get<double>(), s["method"].get<std::string>(), s["candidates"].get<long long>(),
              s["evaluated"] == s["candidates"] ? std::string()
                                                : fmt::format(" ({} evaluated)", s["evaluated"].get<long long>()),
              doc["replications"].get<int>(), s["resumed_runs"].get<long long>(), s["simulated_runs"].get<long long>()),
          terminal_width, "  ") +
      "\n";
  if (doc["answer"].is_null()) return out + "answer: none — " + doc["no_terms_meet"].get<std::string>() + "\n";
  const auto& a = doc["answer"];
  out += wrap(fmt::format("answer: {}; {} = {} (expected {}, P90 {}, CVaR90 {}), P(all deadlines met) = {:.2f}",
                          terms_text(a, levers), doc["objective"].get<std::string>(),
                          usd(a["objective_usd"].get<double>()), usd(a["expected_cost_usd"].get<double>()),
                          usd(a["p90_cost_usd"].get<double>()), usd(a["cvar90_cost_usd"].get<double>()),
                          a["p_deadlines_met"].get<double>()),
              terminal_width, "  ") +
         "\n";
  out += ranking_table(doc, levers).to_text(layout);
  if (doc.contains("exit_option")) out += exit_text(doc);
  return out;
}

}  // namespace

std::string plan_levers_csv(const json& doc) {
  const auto levers = lever_names(doc);
  std::vector<Column> cols;
  for (const auto& l : levers) cols.push_back({l, l, false});
  for (const char* k : {"expected_cost_usd", "p90_cost_usd", "cvar90_cost_usd", "p_deadlines_met"})
    cols.push_back({k, k, true});
  cols.push_back({"feasible", "feasible", false});
  Table t(cols);
  for (const auto& c : doc["candidates"]) {
    std::vector<Cell> row;
    for (const auto& l : levers) row.push_back(Cell(lever_text(l, c[l]), c[l].is_string() ? c[l] : json(c[l].dump())));
    for (const char* k : {"expected_cost_usd", "p90_cost_usd", "cvar90_cost_usd", "p_deadlines_met"})
      row.push_back(c.contains(k) ? Cell(c[k].dump(), c[k]) : Cell(""));
    row.push_back(Cell(c["feasible"].get<bool>() ? "true" : "false"));
    t.add_row(std::move(row));
  }
  return t.to_csv();
}

std::string plan_text(const json& doc, Layout layout) {
  if (doc.value("kind", "") == "levers") return levers_text(doc, layout);
  std::string out =
      wrap(
          fmt::format("plan: smallest capacity of {} meeting every deadline ({}) with P ≥ {:.2f}, {} replications each",
                      doc["scenario"].get<std::string>(), fmt::join(doc["jobs"].get<std::vector<std::string>>(), ", "),
                      doc["confidence"].get<double>(), doc["replications"].get<int>()),
          terminal_width, "  ") +
      "\n";
  out += answer_text(doc);
  out += curve_table(doc).to_text(layout);
  if (doc.contains("dual")) out += dual_text(doc);
  return out;
}

}  // namespace leasesim::report
