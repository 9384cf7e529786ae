// One sweep point evaluated: its replications run through the pipeline (study::run_scenario, as
// `leasesim run` does), summarized into the point's row, and checked against the sweep's
// expectations. This is the work a sweep worker does per point.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "leasesim/sweep/sweep_spec.hpp"

namespace leasesim::sweep {

struct PointResult {
  nlohmann::ordered_json row;           // point, seed, axis values, metric columns — the CSV/JSONL row
  std::vector<std::string> violations;  // expectation lines, without the point prefix
  nlohmann::json result;                // the aggregated run document (mean, P10/P50/P90)
};

// The row's column names: point, seed, then the axes, then the metric columns.
std::vector<std::string> row_columns(const std::vector<Axis>& axes, const std::vector<Metric>& metrics);

PointResult evaluate_point(const SweepPoint& point, const std::vector<Axis>& axes, const std::vector<Metric>& metrics,
                           const std::vector<Expectation>& expect);

}  // namespace leasesim::sweep
