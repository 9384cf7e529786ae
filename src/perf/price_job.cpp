// The one assembly of a job's step price (see price_job.hpp).
#include "leasesim/perf/price_job.hpp"

#include <memory>

#include "leasesim/perf/auto_parallel.hpp"
#include "leasesim/perf/flow_step_model.hpp"

namespace leasesim::perf {

namespace {

// Re-prices `r`'s configuration with flows; false (and `error`) when the flow model cannot.
bool reprice_with_flows(FlowStepModel& flow, const hw::ClusterSpec& cluster, const workload::TrainingJob& job,
                        StepResult& r, std::string& error) {
  StepResult f = flow.evaluate(cluster, job, r.parallelism);
  if (!f.ok() || f.step_time_s <= 0) {
    error = f.ok() ? "the flow model priced a zero step" : f.error;
    return false;
  }
  r = std::move(f);
  return true;
}

}  // namespace

PricedJob price_job(const hw::ClusterSpec& cluster, const workload::TrainingJob& job, const PriceOptions& options) {
  PricedJob out;
  if (job.parallelism.complete()) {
    AnalyticalStepModel model;
    out.best = model.evaluate(cluster, job, job.parallelism.resolved());
    if (!out.best.ok()) out.error = out.best.error;
  } else {
    SearchOptions search;
    search.top_n = options.runners_up + 1;
    SearchResult found = search_parallelism(cluster, job, search);
    if (found.best.empty()) {
      out.error = found.reason;
      out.best.error = found.reason;
    } else {
      out.best = std::move(found.best.front());
      out.runners_up.assign(std::make_move_iterator(found.best.begin() + 1), std::make_move_iterator(found.best.end()));
    }
  }
  if (!out.ok() || options.fidelity != Fidelity::flow) return out;
  std::unique_ptr<FlowStepModel> own;
  FlowStepModel* flow = options.flow;
  if (!flow) flow = (own = std::make_unique<FlowStepModel>()).get();
  if (!reprice_with_flows(*flow, cluster, job, out.best, out.flow_error)) return out;
  for (StepResult& r : out.runners_up) {
    if (!reprice_with_flows(*flow, cluster, job, r, out.flow_error)) return out;
  }
  return out;
}

}  // namespace leasesim::perf
