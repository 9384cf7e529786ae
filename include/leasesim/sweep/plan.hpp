// `leasesim plan`: goal seek over the simulator. The smallest capacity (racks of the cluster, also
// shown as GPUs and a monthly cost) at which every job deadline is met with probability ≥
// `confidence` across replications, found by bisection on racks; the curve it searched; the job
// that binds. And the dual: at the scenario's own capacity, the earliest date each job can be
// promised at that confidence.
//
//   {"scenario": "../reflection-colossus2.json", "confidence": 0.9, "replications": 10,
//    "capacity": {"min_racks": 100, "max_racks": 400},
//    "price_per_gpu_hour": "$9.90",            (optional; else leases' fees scaled per rack)
//    "jobs": ["pretrain-2t-fp8"],              (optional; default every job with a deadline)
//    "dual": true, "expect": ["answer.racks <= 300"]}
//
// Every capacity runs the same seeds (common random numbers), so the curve compares capacities, not
// luck. The simulated horizon is cut to one day past the latest deadline considered: nothing after
// it changes whether a deadline was met. Bisection assumes P(deadlines met) does not fall as racks
// are added; the curve printed lets a reader check it.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "leasesim/scenario/diagnostics.hpp"
#include "leasesim/sweep/expectation.hpp"

namespace leasesim::sweep {

struct PlanSpec {
  std::string label;
  nlohmann::json base;  // the scenario document
  std::string base_label;
  double confidence = 0.9;
  int replications = 10;
  std::optional<std::uint64_t> seed;
  int min_racks = 1, max_racks = 0;  // max 0: the scenario's racks
  std::optional<double> price_per_gpu_hour;
  std::vector<std::string> jobs;
  bool dual = false;
  std::vector<Expectation> expect;
};

struct PlanLoad {
  std::optional<PlanSpec> spec;
  scenario::Diagnostics diagnostics;
};

PlanLoad load_plan_file(const std::string& path);
PlanLoad load_plan_text(const std::string& text, const std::string& label, const std::string& base_dir);

// What run_plan refuses before simulating, one line each (empty when none): the base scenario's
// problems, a `jobs` name that is no job with a deadline, a scenario without one. `leasesim
// validate` prints them.
std::string plan_problems(const PlanSpec& spec);

struct PlanOutcome {
  nlohmann::json doc;  // answer, curve, binding_job, dual (see docs/sweeps.md)
  std::string errors;  // input problems (exit 2)
  bool met = false;    // some capacity in range met the confidence
};

// Runs the search; `workers` processes simulate the replications of each capacity; `progress`
// draws a progress line on standard error (report/progress.hpp).
PlanOutcome run_plan(const PlanSpec& spec, int workers, bool progress = false);

}  // namespace leasesim::sweep
