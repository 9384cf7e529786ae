// The figures a sweep reports per point: a metric reads one value (or a ratio of two) from each
// replication's run document and summarizes the replications as mean, P10/P50/P90 or probability.
// Columns are named METRIC.STAT, and every metric name carries its unit ("…_days", "…_gpu_hours",
// "…_fraction", "…_usd").
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "leasesim/scenario/scenario.hpp"
#include "leasesim/scenario/sweep_file.hpp"

namespace leasesim::sweep {

// A sweep file's metric (read by scenario/sweep_file.hpp).
using Metric = scenario::SweepMetric;

inline const std::vector<std::string>& all_stats = scenario::metric_stats;

// The default set: per job with a deadline, P(deadline met) and its end in days after the horizon
// start; per named job, ETTR; for the cluster, productive and lost GPU-hours, idle fraction,
// failures and energy; per lease (when the scenario has leases), cost and $ per productive GPU-hour.
std::vector<Metric> default_metrics(const scenario::Scenario& s);

// METRIC.STAT for every metric and stat, in order.
std::vector<std::string> metric_columns(const std::vector<Metric>& metrics);

// The summaries across replications, in metric_columns order. A replication where the value is
// missing or null is left out; a boolean counts as 1/0; no value at all gives null.
std::vector<nlohmann::json> metric_values(const std::vector<Metric>& metrics,
                                          const std::vector<nlohmann::json>& replications);

// The keys every replication's run document of `s` has, without simulating: a run document of a
// result with no time in it, one element standing for every month, rack and day, the scenario's
// jobs, job classes, leases and tenants by name. Maps whose keys only the run knows (failure
// categories, deadlines by tenant) hold one key "*" that stands for any.
nlohmann::json run_document_shape(const scenario::Scenario& s);

// Empty when `path` (a metric's path or per) leads to a figure in documents of `shape`, else why
// not: "no key "etr" in jobs.pretrain — did you mean "ettr"?; keys: name, tenant, …".
std::string metric_path_problem(const nlohmann::json& shape, const std::string& path);

}  // namespace leasesim::sweep
