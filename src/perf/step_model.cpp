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
  for (std::size_t i = 0; i < ops_.size(); ++i) {
    const CollectiveOp& op = ops_[i];
    const double per_call = pricer != nullptr ? priced_s_[i] : collective_time(op, rates);
    const double total = per_call * op.calls;
    double hidden = 0;
    if (double* b = budget(op.window)) {
      hidden = std::min(total * op.overlappable, *b);
      *b -= hidden;
    }
    exposed[static_cast<int>(op.dim)] += total - hidden;
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
  b.bubble = c.pp > 1 ? (c.pp - 1.0) / c.vpp * t_mb : 0.0;
  b.optimizer = optimizer_time(job, c, gpu, k_);
  r.step_time_s = b.total();
  r.bubble_fraction = c.pp > 1 ? (c.pp - 1.0) / (c.vpp * m) : 0.0;

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
}

}  // namespace leasesim::perf
