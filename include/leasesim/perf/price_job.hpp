// Pricing one training job on a cluster: the configuration the job fixes, or the fastest that fits
// when any parallelism field is "auto" (auto_parallel.hpp), at the fidelity asked for. With flow
// fidelity the analytical search picks the configurations and the flow model re-prices each. This
// is the one assembly of a step price: `leasesim step` and the cluster simulation's step rates
// (cluster/step_rate_cache.hpp) both call it.
#pragma once

#include <string>
#include <vector>

#include "leasesim/hw/cluster.hpp"
#include "leasesim/perf/fidelity.hpp"
#include "leasesim/perf/step_model.hpp"
#include "leasesim/workload/training_job.hpp"

namespace leasesim::perf {

class FlowStepModel;

struct PriceOptions {
  Fidelity fidelity = Fidelity::analytical;
  int runners_up = 0;  // with auto parallelism, the next-best configurations to keep
  // Flow fidelity: the flow model to price with (its collectives and per-call prices stay readable
  // afterwards: those of the last configuration priced, the best when runners_up is 0); one is made
  // per call when null.
  FlowStepModel* flow = nullptr;
};

struct PricedJob {
  StepResult best;  // the configuration priced; best.error says why it cannot run
  std::vector<StepResult> runners_up;
  std::string error;  // why no configuration can run the job at all; "" when best is set
  // Flow fidelity only: why the flow model could not price a configuration ("" when it priced them
  // all). What it could not price keeps its analytical price; pricing stops at the first failure.
  std::string flow_error;
  bool ok() const { return error.empty(); }
};

PricedJob price_job(const hw::ClusterSpec& cluster, const workload::TrainingJob& job, const PriceOptions& options = {});

}  // namespace leasesim::perf
