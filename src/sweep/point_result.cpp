// Simulating one sweep point and summarizing it into a row (see point_result.hpp).
#include "leasesim/sweep/point_result.hpp"

#include "leasesim/study/run_scenario.hpp"

namespace leasesim::sweep {

using nlohmann::json;

std::vector<std::string> row_columns(const std::vector<Axis>& axes, const std::vector<Metric>& metrics) {
  std::vector<std::string> cols{"point", "seed"};
  for (const auto& a : axes) cols.push_back(a.name);
  for (auto& c : metric_columns(metrics)) cols.push_back(std::move(c));
  return cols;
}

PointResult evaluate_point(const SweepPoint& point, const std::vector<Axis>& axes, const std::vector<Metric>& metrics,
                           const std::vector<Expectation>& expect) {
  const study::RunOutcome run = study::run_scenario(point.scenario);
  PointResult out;
  out.row["point"] = point.index;
  out.row["seed"] = point.seed;
  for (std::size_t a = 0; a < axes.size(); ++a) out.row[axes[a].name] = point.values[a];
  const auto cols = metric_columns(metrics);
  const auto values = metric_values(metrics, run.documents);
  for (std::size_t c = 0; c < cols.size(); ++c) out.row[cols[c]] = values[c];
  out.result = run.document;
  out.violations = check_expectations(out.result, expect);
  return out;
}

}  // namespace leasesim::sweep
