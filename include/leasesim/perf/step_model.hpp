// The analytical step model: one training iteration of a job under a parallel configuration on a
// cluster → step time with its breakdown, throughput (three FLOP conventions), memory per GPU and
// time to train. Closed forms only; one evaluation takes microseconds and, once warm, allocates
// nothing (the collective list is kept and reused).
//
//   per microbatch   t_mb   = forward + backward (+ recompute) + exposed TP/CP/EP/PP communication
//   iteration        step   = m · t_mb + (p−1)/v · t_mb  [pipeline bubble, Narayanan et al. SC'21]
//                           + exposed DP communication + optimizer step
#pragma once

#include <string>
#include <vector>

#include "leasesim/hw/cluster.hpp"
#include "leasesim/perf/collective_cost.hpp"
#include "leasesim/perf/collectives.hpp"
#include "leasesim/perf/fidelity.hpp"
#include "leasesim/perf/model_constants.hpp"
#include "leasesim/perf/placement.hpp"
#include "leasesim/perf/uncertainty.hpp"
#include "leasesim/workload/memory.hpp"
#include "leasesim/workload/training_job.hpp"

namespace leasesim::perf {

// Seconds per iteration, by cause. They add up to step_time_s (recompute is inside compute).
struct StepBreakdown {
  double compute = 0;     // forward + backward + recomputation, all microbatches
  double recompute = 0;   // of which: recomputed forward (informational)
  double tp_exposed = 0;  // tensor-parallel communication not hidden by compute
  double cp_exposed = 0;
  double ep_exposed = 0;
  double pp_exposed = 0;  // pipeline send/recv on the critical path
  double dp_exposed = 0;  // gradient/parameter traffic not hidden by backward/forward
  double bubble = 0;      // pipeline fill and drain: (p−1)/v microbatch times
  double optimizer = 0;   // the Adam step
  double total() const {
    return compute + tp_exposed + cp_exposed + ep_exposed + pp_exposed + dp_exposed + bubble + optimizer;
  }
};

struct StepResult {
  std::string error;  // non-empty when the configuration cannot run the job
  ParallelConfig parallelism;
  long long gpus_used = 0;  // tp·cp·pp·dp
  int microbatches = 0;     // per pipeline per iteration
  double step_time_s = 0;
  StepBreakdown breakdown_s;
  double tokens_per_s = 0;
  double tflops_per_gpu = 0;                 // hardware FLOPs incl. recompute per GPU-second (Megatron papers)
  double model_tflops_per_gpu = 0;           // model FLOPs, no recompute, per GPU-second (Llama 3 / PaLM)
  double mfu = 0;                            // model FLOP/s ÷ BF16 dense peak
  double mfu_at_precision = 0;               // model FLOP/s ÷ dense peak of the job's precision
  double bubble_fraction = 0;                // bubble / (m · t_mb): (p−1)/(v·m) when m ≥ p
  workload::MemoryBreakdown memory_per_gpu;  // bytes by term, busiest GPU
  double usable_hbm_bytes = 0;
  bool fits = false;
  double time_to_train_s = 0;                // job.tokens / tokens_per_s
  Fidelity fidelity = Fidelity::analytical;  // how the collectives were priced
  // P10–P90 of true / modelled throughput (uncertainty.hpp): tokens/s lies in
  // [tokens_per_s · band.p10, tokens_per_s · band.p90] with 80% confidence.
  ThroughputBand band;

  bool ok() const { return error.empty(); }
};

// How one call of each collective is priced. The analytical model uses collective_time(); the flow
// fidelity (flow_step_model.hpp) runs the same ops as SimGrid flows. Everything else of the step
// (compute, overlap budgets, bubble, optimizer) is assembled the same way for both.
class CollectivePricer {
 public:
  virtual ~CollectivePricer() = default;
  virtual Fidelity fidelity() const = 0;
  // Fills seconds[i] with the duration of one call of ops[i]; returns an error message, empty if ok.
  virtual std::string price(const hw::ClusterSpec& cluster, const ParallelConfig& c, const Placement& placement,
                            const std::vector<CollectiveOp>& ops, const LinkRates& rates,
                            std::vector<double>& seconds) = 0;
};

class AnalyticalStepModel {
 public:
  explicit AnalyticalStepModel(const ModelConstants& constants = ModelConstants::fitted());

  // Prices one configuration. Never throws: a configuration the job cannot use comes back with
  // `error` set. Memory is always computed; `fits` says whether it fits the GPU's usable HBM.
  StepResult evaluate(const hw::ClusterSpec& cluster, const workload::TrainingJob& job, const ParallelConfig& c);
  void evaluate(const hw::ClusterSpec& cluster, const workload::TrainingJob& job, const ParallelConfig& c,
                StepResult& out);
  // The same assembly with the collectives priced by `pricer` (nullptr: analytical).
  void evaluate(const hw::ClusterSpec& cluster, const workload::TrainingJob& job, const ParallelConfig& c,
                StepResult& out, CollectivePricer* pricer);
  // The same with the configuration's memory already known (== workload::memory_per_gpu(job, c)):
  // the search computes it first to skip what cannot fit.
  void evaluate(const hw::ClusterSpec& cluster, const workload::TrainingJob& job, const ParallelConfig& c,
                StepResult& out, const workload::MemoryBreakdown& memory);

  // The collectives of the last evaluation (what a flow evaluator would run) and its placement.
  const std::vector<CollectiveOp>& collectives() const { return ops_; }
  const Placement& placement() const { return placement_; }
  const ModelConstants& constants() const { return k_; }

 private:
  void assemble(const hw::ClusterSpec& cluster, const workload::TrainingJob& job, const ParallelConfig& c,
                StepResult& r, CollectivePricer* pricer, const workload::MemoryBreakdown* memory);
  ModelConstants k_;
  std::vector<CollectiveOp> ops_;
  std::vector<double> priced_s_;  // per-call seconds from a pricer, parallel to ops_
  Placement placement_;
};

// The GPU's usable HBM (the catalog's usable figure, else the physical one).
double usable_hbm(const hw::GpuSpec& gpu);

}  // namespace leasesim::perf
