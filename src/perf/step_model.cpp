// Assembles compute, collectives, pipeline bubble, DP overlap and the optimizer into a step time
// (see step_model.hpp).
#include "leasesim/perf/step_model.hpp"

#include <algorithm>

#include "leasesim/perf/collective_cost.hpp"
#include "leasesim/perf/compute_cost.hpp"

namespace leasesim::perf {

double usable_hbm(const hw::GpuSpec& gpu) { return gpu.hbm_usable_bytes > 0 ? gpu.hbm_usable_bytes : gpu.hbm_bytes; }

AnalyticalStepModel::AnalyticalStepModel(const ModelConstants& constants) : k_(constants) { ops_.reserve(16); }

StepResult AnalyticalStepModel::evaluate(const hw::ClusterSpec& cluster, const workload::TrainingJob& job,
                                         const ParallelConfig& c) {
  StepResult r;
  evaluate(cluster, job, c, r);
  return r;
}

void AnalyticalStepModel::evaluate(const hw::ClusterSpec& cluster, const workload::TrainingJob& job,
                                   const ParallelConfig& c, StepResult& r) {
  evaluate(cluster, job, c, r, nullptr);
}

void AnalyticalStepModel::evaluate(const hw::ClusterSpec& cluster, const workload::TrainingJob& job,
                                   const ParallelConfig& c, StepResult& r, CollectivePricer* pricer) {
  assemble(cluster, job, c, r, pricer, nullptr);
}

void AnalyticalStepModel::evaluate(const hw::ClusterSpec& cluster, const workload::TrainingJob& job,
                                   const ParallelConfig& c, StepResult& r, const workload::MemoryBreakdown& memory) {
  assemble(cluster, job, c, r, nullptr, &memory);
}

void AnalyticalStepModel::assemble(const hw::ClusterSpec& cluster, const workload::TrainingJob& job,
                                   const ParallelConfig& c, StepResult& r, CollectivePricer* pricer,
                                   const workload::MemoryBreakdown* memory) {
  r = StepResult{};
  if (pricer != nullptr) r.fidelity = pricer->fidelity();
  r.parallelism = c;
  r.gpus_used = c.gpus();
  r.error = job.check(c);
  if (!r.error.empty()) {
    ops_.clear();
    return;
  }
  const hw::GpuSpec& gpu = cluster.rack.gpu;
  const double m = job.microbatches(c);
  r.microbatches = static_cast<int>(m);

  r.memory_per_gpu = memory != nullptr ? *memory : workload::memory_per_gpu(job, c);
  r.usable_hbm_bytes = usable_hbm(gpu);
  r.fits = r.memory_per_gpu.total() <= r.usable_hbm_bytes;

  const MicrobatchCompute mc = microbatch_compute(job, c, gpu, k_);
  placement_ = place(c, cluster.rack);
  build_collectives(job, c, placement_, k_, ops_);
  const LinkRates rates = link_rates(cluster, k_);
  if (pricer != nullptr) {
    r.error = pricer->price(cluster, c, placement_, ops_, rates, priced_s_);
    if (!r.error.empty()) return;
  }

  // Overlap budgets: each window hides at most its own duration of communication.
  const double pass = mc.forward_s + mc.backward_s;
  double layer_budget = m * pass;
  double attention_budget = m * mc.attention_s;
  double first_fwd_budget = mc.forward_s;
  double last_bwd_budget = mc.backward_s;
  double every_bwd_budget = m * mc.backward_s;
  double every_pass_budget = m * pass;
  auto budget = [&](OverlapWindow w) -> double* {
    switch (w) {
      case OverlapWindow::layer_compute:
        return &layer_budget;
      case OverlapWindow::attention_compute:
        return &attention_budget;
      case OverlapWindow::first_forward:
        return &first_fwd_budget;
      case OverlapWindow::last_backward:
        return &last_bwd_budget;
      case OverlapWindow::every_backward:
        return &every_bwd_budget;
      case OverlapWindow::every_pass:
        return &every_pass_budget;
      case OverlapWindow::none:
        return nullptr;
    }
    return nullptr;
  };

  double exposed[5] = {0, 0, 0, 0, 0};  // indexed by ParallelDim
  // Ring attention (CP) overlaps step by step: while a rank computes attention against the K/V
  // block it holds, it passes that block on; cp − 1 of its cp steps have a transfer behind them, and
  // a transfer hides only behind its own step's compute (Liu et al. 2023, ring attention; the
  // load-balanced 2·cp-chunk split of Megatron-CP/Llama 3 gives every step the same causal work).
  // Per layer and microbatch: each forward pass's K/V all-gather behind that pass's attention, the
  // backward's K/V all-gather plus dK/dV reduce-scatter behind the backward attention.
  double cp_ag_s = 0, cp_rs_s = 0, cp_ag_calls = 0, cp_rs_calls = 0;
  for (std::size_t i = 0; i < ops_.size(); ++i) {
    const CollectiveOp& op = ops_[i];
    double per_call = pricer != nullptr ? priced_s_[i] : collective_time(op, rates);
    // A job spanning sites: what the inter-site link adds to a crossing collective (its own
    // analytical term, on top of the flow price too).
    if (rates.sites > 1 && crosses_sites(op, c, rates))
      per_call += spanning_collective_time(op, c, rates) - collective_time(op, rates);
    if (op.dim == ParallelDim::cp && op.kind == CollectiveKind::all_gather) {
      cp_ag_s = per_call;
      cp_ag_calls = op.calls;
      continue;
    }
    if (op.dim == ParallelDim::cp && op.kind == CollectiveKind::reduce_scatter) {
      cp_rs_s = per_call;
      cp_rs_calls = op.calls;
      continue;
    }
    const double total = per_call * op.calls;
    double hidden = 0;
    if (double* b = budget(op.window)) {
      hidden = std::min(total * op.overlappable, *b);
      *b -= hidden;
    }
    exposed[static_cast<int>(op.dim)] += total - hidden;
  }

  if (cp_rs_calls > 0 && job.cp_comm == workload::CpComm::all_gather) {
    // Llama 3 (§3.3.2): K and V all-gathered over the CP group before each attention (every
    // forward pass and the backward), dK/dV reduce-scattered after the backward; exposed, the
    // attention waits for the whole gather. Nothing is hidden.
    exposed[static_cast<int>(ParallelDim::cp)] = cp_ag_calls * cp_ag_s + cp_rs_calls * cp_rs_s;
  } else if (cp_rs_calls > 0) {
    const double steps_with_transfer = (c.cp - 1.0) / c.cp;
    const double fwd_passes = cp_ag_calls / cp_rs_calls - 1.0;  // 1, or 2 with a recomputed forward
    auto hide = [&](double comm, double window) {
      return comm - std::min(k_.cp_overlap * comm, steps_with_transfer * window);
    };
    exposed[static_cast<int>(ParallelDim::cp)] = cp_rs_calls * (fwd_passes * hide(cp_ag_s, mc.layer_attention_fwd_s) +
                                                                hide(cp_ag_s + cp_rs_s, mc.layer_attention_bwd_s));
  }

  StepBreakdown& b = r.breakdown_s;
  const double per_mb_comm = (exposed[static_cast<int>(ParallelDim::tp)] + exposed[static_cast<int>(ParallelDim::cp)] +
                              exposed[static_cast<int>(ParallelDim::ep)] + exposed[static_cast<int>(ParallelDim::pp)]) /
                             m;
  const double t_mb = pass + per_mb_comm;
  b.compute = m * pass;
  b.recompute = m * mc.recompute_s;
  b.tp_exposed = exposed[static_cast<int>(ParallelDim::tp)];
  b.cp_exposed = exposed[static_cast<int>(ParallelDim::cp)];
  b.ep_exposed = exposed[static_cast<int>(ParallelDim::ep)];
  b.pp_exposed = exposed[static_cast<int>(ParallelDim::pp)];
  b.dp_exposed = exposed[static_cast<int>(ParallelDim::dp)];
  // Pipeline fill and drain. 1F1B: (p−1) microbatch times (Narayanan et al. SC'21). Interleaved
  // with v chunks per rank: (p−1)/v when every rank always has a microbatch to run, i.e. m ≥ p;
  // with fewer microbatches than stages (Llama 3's flexible schedule allows it) a microbatch must
  // pass all p·v virtual stages before its next chunk can start on the same rank, so each of the v
  // rounds lasts p chunk-times instead of m: the iteration is p + (m−1)/v microbatch times, not
  // m + (p−1)/v. The larger of the two is the schedule's length (equal when v = 1).
  const double pipeline_mbs = c.pp > 1 ? std::max(m + (c.pp - 1.0) / c.vpp, c.pp + (m - 1.0) / c.vpp) : m;
  b.bubble = (pipeline_mbs - m) * t_mb;
  b.optimizer = optimizer_time(job, c, gpu, k_);
  r.step_time_s = b.total();
  r.bubble_fraction = (pipeline_mbs - m) / m;

  // Throughput in the three conventions.
  const workload::TransformerSpec& model = job.model;
  const double tokens = job.tokens_per_iteration();
  const double model_flops = tokens * model.model_flops_per_token();
  double recompute_flops = 0;
  if (c.recompute == workload::Recompute::full)
    recompute_flops = tokens * (model.linear_flops_per_token() + model.attention_flops_per_token());
  if (c.recompute == workload::Recompute::selective) recompute_flops = tokens * model.attention_flops_per_token();
  const double gpu_seconds = r.step_time_s * static_cast<double>(r.gpus_used);
  r.tokens_per_s = tokens / r.step_time_s;
  r.tflops_per_gpu = (model_flops + recompute_flops) / gpu_seconds / 1e12;
  r.model_tflops_per_gpu = model_flops / gpu_seconds / 1e12;
  r.mfu = model_flops / (gpu_seconds * gpu.bf16_flops);
  const double peak = gpu.dense_flops(job.precision) > 0 ? gpu.dense_flops(job.precision) : gpu.bf16_flops;
  r.mfu_at_precision = model_flops / (gpu_seconds * peak);
  r.time_to_train_s = job.tokens > 0 ? job.tokens / r.tokens_per_s : 0.0;
  r.band = throughput_band(cluster, job, c, r.microbatches);
}

}  // namespace leasesim::perf
