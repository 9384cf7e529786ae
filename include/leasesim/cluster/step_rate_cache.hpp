// What a job does per second on its GPUs, from the perf layer, cached per (job source, GPU count):
// a listed job or a job class asks the step model (or the auto-parallelism search, up to ~100 ms for
// a huge job) once, and every generated job of the same size reuses the answer. Behind the per-run
// map sits a process-wide memo keyed on the cluster and the job's rate-relevant fields, so later
// simulations in the same process (sweep points, plan capacities, replications) skip the search.
//
// Fidelity: both price the step with perf::price_job (perf/price_job.hpp). `flow` keeps the
// configuration the analytical search chose and re-prices it with perf::FlowStepModel on a packed
// (contiguous) placement before the simulation starts — the flow model runs the same SimGrid engine,
// which cannot be re-entered from inside the cluster simulation's actors, so the step rate is not
// re-solved when the running set changes (docs/cluster-model.md). When the flow model cannot price
// a job (too many flows for its pools) the analytical rate is kept and `fidelity` says so.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "leasesim/cluster/inputs.hpp"
#include "leasesim/perf/collective_cost.hpp"
#include "leasesim/workload/training_job.hpp"

namespace leasesim::perf {
class FlowStepModel;
class AnalyticalStepModel;
}  // namespace leasesim::perf

namespace leasesim::cluster {

struct JobProfile {
  std::string error;  // why the job cannot run at all (memory, divisibility), or ""
  workload::ParallelConfig parallelism;
  long long gpus = 0;  // GPUs the configuration uses (tp·cp·pp·dp)
  double step_time_s = 0;
  double tokens_per_s = 0;
  double mfu = 0;                            // BF16-peak convention, as perf::StepResult::mfu
  double band_p10 = 1, band_p90 = 1;         // the step model's P10/P90 of true / modelled throughput
  double rate_factor = 1;                    // applied to the model's rate (SimulationInput::throughput_scale, draw)
  int nvlink_group_gpus = 1;                 // GPUs that must share one NVLink domain (TP, or TP·CP·EP)
  double params = 0;                         // model parameters (checkpoint size)
  Fidelity fidelity = Fidelity::analytical;  // how the step rate was priced
  std::string flow_error;                    // flow fidelity asked for but not possible: why (the rate is analytical)
  // "analytical", "flow", or "analytical (flow: why not)": the job result's `step_fidelity`.
  std::string fidelity_note() const;
  // Flow fidelity only: per iteration, seconds the job's scale-out collectives take on its own
  // (calls × flow price), and what the step was assembled from, so the cluster simulation can
  // re-assemble it with those collectives stretched when other jobs share its fabric links.
  double scale_out_s = 0;
  long long ranks_per_domain = 0;  // job ranks per NVLink domain on the flow placement
  struct FlowPrices {
    workload::TrainingJob job;
    std::vector<double> seconds;          // per call of each collective, in build_collectives order
    std::vector<std::uint8_t> scale_out;  // 1 where the collective crosses the fabric
  };
  std::shared_ptr<const FlowPrices> flow;
};

class StepRateCache {
 public:
  StepRateCache(const hw::ClusterSpec& cluster, Fidelity fidelity);
  ~StepRateCache();
  StepRateCache(const StepRateCache&) = delete;
  StepRateCache& operator=(const StepRateCache&) = delete;

  // `source` names the job's origin (a listed job's index, or a job class as −1 − index); `job`
  // carries the GPU count. Evaluated at the first call for a (source, gpus) pair.
  const JobProfile& profile(int source, const workload::TrainingJob& job);
  // The profile already evaluated for (source, gpus), or nullptr (so a caller builds the job only
  // for the first of its size).
  const JobProfile* find(int source, long long gpus) const {
    const auto it = cache_.find({source, gpus});
    return it == cache_.end() ? nullptr : &it->second;
  }
  std::size_t evaluations() const { return cache_.size(); }

  // Every profile this cache hands out from now on runs `scale` times the model's rate, times, when
  // `z` is set, its own band's factor at the standard-normal draw *z (perf::ThroughputBand::at).
  void set_rate_adjustment(double scale, std::optional<double> z) {
    scale_ = scale;
    z_ = z;
  }

  // Flow fidelity: the step time of `p` with its scale-out collectives taking `stretch` times their
  // own flow price (compute, overlap budgets and bubble re-assembled as the step model does);
  // p.step_time_s when stretch is 1 or the job was not priced with flows.
  double stretched_step_s(const JobProfile& p, double stretch);
  // Flow fidelity: the link rates the flow model prices this cluster's collectives with (the shared
  // fabric's probe reads the same ones).
  perf::LinkRates link_rates();

  // Step rates priced so far by every cache of this process (shared across simulations: a sweep
  // worker prices each job class once, not once per point), and a way to forget them (tests).
  static std::size_t process_memo_size();
  static void clear_process_memo();

 private:
  JobProfile memoized(const workload::TrainingJob& job);
  JobProfile evaluate(const workload::TrainingJob& job);

  const hw::ClusterSpec& cluster_;
  Fidelity fidelity_;
  std::unique_ptr<perf::FlowStepModel> flow_;
  std::unique_ptr<perf::AnalyticalStepModel> assembly_;
  std::map<std::pair<int, long long>, JobProfile> cache_;
  double scale_ = 1.0;
  std::optional<double> z_;
};

// GPUs that must sit in one NVLink domain for a configuration on a rack: the TP group (the whole
// domain when TP is larger), widened to TP·CP·EP when that block still fits in the domain.
int nvlink_group_gpus(const workload::ParallelConfig& c, int domain_gpus);

}  // namespace leasesim::cluster
