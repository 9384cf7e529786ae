// The plan's terminal text (plan_report.hpp).
#include "leasesim/report/plan_report.hpp"

#include <fmt/format.h>

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

}  // namespace

std::string plan_text(const json& doc, Layout layout) {
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
