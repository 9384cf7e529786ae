// Simulating one sweep point and summarizing it into a row (see point_result.hpp).
#include "leasesim/sweep/point_result.hpp"

#include <algorithm>
#include <map>

#include "leasesim/cluster/simulate.hpp"
#include "leasesim/lease/ledger.hpp"
#include "leasesim/report/job_cost_report.hpp"
#include "leasesim/report/lease_report.hpp"
#include "leasesim/report/run_report.hpp"
#include "leasesim/units/date.hpp"

namespace leasesim::sweep {

using nlohmann::json;

json replication_document(const scenario::Scenario& s, const cluster::SimulationResult& r, lease::Ledger* ledger_out) {
  json doc = report::run_json(s, r);
  if (!s.leases.empty()) {  // `leasesim run` builds its document here too
    lease::Ledger ledger = lease::build_ledger(report::ledger_input(s), r);
    const json lj = report::lease_json(ledger);
    doc["leases"] = lj["leases"];
    doc["lease_totals"] = {{"total", lj["total"]}, {"derived", lj["derived"]}, {"deadlines", lj["deadlines"]}};
    std::map<std::string, double> capacity_end;  // per holder: its leases' last instant, in the horizon
    const double horizon_s = static_cast<double>(units::calendar_advance(s.horizon.start, s.horizon.length_s) - s.horizon.start);
    for (const auto& l : s.leases) {
      const double end = std::min(horizon_s, static_cast<double>(l.end() - s.horizon.start));
      auto [it, fresh] = capacity_end.emplace(l.tenant, end);
      if (!fresh) it->second = std::max(it->second, end);
    }
    report::add_job_costs(doc, ledger, r, capacity_end);
    if (ledger_out) *ledger_out = std::move(ledger);
  }
  return doc;
}

std::vector<std::string> row_columns(const std::vector<Axis>& axes, const std::vector<Metric>& metrics) {
  std::vector<std::string> cols{"point", "seed"};
  for (const auto& a : axes) cols.push_back(a.name);
  for (auto& c : metric_columns(metrics)) cols.push_back(std::move(c));
  return cols;
}

PointResult evaluate_point(const SweepPoint& point, const std::vector<Axis>& axes, const std::vector<Metric>& metrics,
                           const std::vector<Expectation>& expect) {
  const auto& s = point.scenario;
  const auto runs = cluster::simulate_replications(scenario::to_simulation_input(s), s.replications);
  std::vector<json> docs;
  docs.reserve(runs.size());
  for (const auto& r : runs) docs.push_back(replication_document(s, r));
  PointResult out;
  out.row["point"] = point.index;
  out.row["seed"] = point.seed;
  for (std::size_t a = 0; a < axes.size(); ++a) out.row[axes[a].name] = point.values[a];
  const auto cols = metric_columns(metrics);
  const auto values = metric_values(metrics, docs);
  for (std::size_t c = 0; c < cols.size(); ++c) out.row[cols[c]] = values[c];
  out.result = report::aggregate_replications(docs);
  out.result["replications"] = s.replications;
  out.violations = check_expectations(out.result, expect);
  return out;
}

}  // namespace leasesim::sweep
