// Builds the per-iteration list of collectives of a job on its placement (see collectives.hpp).
// Volumes: Narayanan et al. SC'21 §3 (TP 8·b·s·h·(t−1)/t per layer per microbatch fwd+bwd, as
// reduce-scatter + all-gather with sequence parallelism, Korthikanti et al. §4.2.2; PP b·s·h/t per
// boundary with scatter/gather), ring attention for CP (Liu et al. 2023), MoE dispatch/combine
// all-to-all (Megatron-Core token dispatcher), DP gradient reduction by sharding mode (ZeRO).
#include "leasesim/perf/collectives.hpp"

#include "leasesim/workload/memory.hpp"

namespace leasesim::perf {

const char* to_string(CollectiveKind k) {
  switch (k) {
    case CollectiveKind::all_reduce:
      return "all_reduce";
    case CollectiveKind::reduce_scatter:
      return "reduce_scatter";
    case CollectiveKind::all_gather:
      return "all_gather";
    case CollectiveKind::all_to_all:
      return "all_to_all";
    case CollectiveKind::send_recv:
      return "send_recv";
  }
  return "?";
}

namespace {
constexpr double kActBytes = 2.0;    // BF16 activations on the wire
constexpr double kGradBytes = 2.0;   // gradients reduced in BF16 (Megatron-Core default grad_reduce_in_fp32=false)
constexpr double kParamBytes = 2.0;  // BF16 parameters gathered
}  // namespace

void build_collectives(const workload::TrainingJob& job, const ParallelConfig& c, const Placement& p,
                       const ModelConstants& k, std::vector<CollectiveOp>& ops) {
  ops.clear();
  const workload::TransformerSpec& m = job.model;
  const double mbs = job.microbatches(c);
  const long long gpus = c.gpus();
  const workload::StageLayers sl = workload::stage_layers(m.layers, c.pp);
  const double layers = sl.most;
  const double moe_share = m.layers > 0 ? static_cast<double>(m.moe_layers()) / m.layers : 0.0;
  const double moe_layers = layers * moe_share;
  const double tokens = static_cast<double>(c.micro_batch) * m.seq_len / c.cp;  // per GPU (before SP)
  const bool full = c.recompute == workload::Recompute::full;
  const double fwd_passes = full ? 2.0 : 1.0;  // forward runs again inside the backward

  auto add = [&](CollectiveKind kind, ParallelDim dim, const GroupPlacement& g, double bytes, double calls,
                 double overlappable, OverlapWindow window, const char* what) {
    if (g.size <= 1 || calls <= 0 || bytes <= 0) return;
    CollectiveOp op;
    op.kind = kind;
    op.dim = dim;
    op.group = g;
    op.bytes = bytes;
    op.calls = calls;
    op.overlappable = overlappable;
    op.window = overlappable > 0 ? window : OverlapWindow::none;
    op.concurrent_groups = g.size > 0 ? gpus / g.size : 0;
    op.what = what;
    ops.push_back(op);
  };

  // Tensor parallelism with sequence parallelism: per layer, forward 2 all-gathers + 2
  // reduce-scatters of the microbatch's [s/cp, b, h] activations; the backward mirrors them.
  const double tp_bytes = tokens * m.hidden * kActBytes;
  const double tp_calls = 2.0 * (fwd_passes + 1.0) * layers * mbs;
  add(CollectiveKind::all_gather, ParallelDim::tp, p.tp, tp_bytes, tp_calls, k.tp_overlap, OverlapWindow::layer_compute,
      "sequence-parallel all-gather");
  add(CollectiveKind::reduce_scatter, ParallelDim::tp, p.tp, tp_bytes, tp_calls, k.tp_overlap,
      OverlapWindow::layer_compute, "sequence-parallel reduce-scatter");

  // Context parallelism (ring attention): each layer gathers the other ranks' K and V (its TP
  // shard of the KV heads) in the forward, and again plus a reduce-scatter of dK/dV in the backward.
  const double kv_heads_per_tp = static_cast<double>(m.kv_heads_resolved()) / c.tp;
  const double cp_bytes = 2.0 * c.micro_batch * static_cast<double>(m.seq_len) *
                          (kv_heads_per_tp < 1.0 ? 1.0 : kv_heads_per_tp) * m.head_dim_resolved() * kActBytes;
  // Llama 3's all-gather CP (job.cp_comm) moves the same bytes as one collective; the step model
  // then exposes it instead of hiding it step by step.
  const bool gathered = job.cp_comm == workload::CpComm::all_gather;
  add(CollectiveKind::all_gather, ParallelDim::cp, p.cp, cp_bytes, (fwd_passes + 1.0) * layers * mbs, k.cp_overlap,
      OverlapWindow::attention_compute, gathered ? "CP K/V all-gather (exposed)" : "ring-attention KV exchange");
  add(CollectiveKind::reduce_scatter, ParallelDim::cp, p.cp, cp_bytes, layers * mbs, k.cp_overlap,
      OverlapWindow::attention_compute,
      gathered ? "CP dK/dV reduce-scatter (exposed)" : "ring-attention dKV reduction");

  // Expert parallelism: dispatch and combine all-to-all per MoE layer, forward and backward. Each
  // TP rank sends its sequence-parallel share of the tokens, top_k copies of each.
  if (m.is_moe()) {
    const double ep_bytes = tokens / c.tp * m.top_k * m.hidden * kActBytes;
    add(CollectiveKind::all_to_all, ParallelDim::ep, p.ep, ep_bytes, 2.0 * (fwd_passes + 1.0) * moe_layers * mbs,
        k.ep_overlap, OverlapWindow::layer_compute, "MoE dispatch/combine all-to-all");
  }

  // Pipeline: activations forward and their gradients backward at every (virtual) stage boundary,
  // scattered over the TP ranks.
  const double pp_bytes = tokens * m.hidden * kActBytes / c.tp;
  add(CollectiveKind::send_recv, ParallelDim::pp, p.pp, pp_bytes, 2.0 * c.vpp * mbs, k.pp_overlap,
      OverlapWindow::layer_compute, "pipeline send/recv");

  // Data parallelism: gradients of the GPU's parameters over the ranks that hold the same weights.
  const workload::StageParams sp = workload::stage_params(m, c, sl.most, c.pp == 1, c.pp == 1);
  auto add_dp = [&](const GroupPlacement& g, double params) {
    using workload::Sharding;
    switch (c.sharding) {
      case Sharding::none:
        add(CollectiveKind::all_reduce, ParallelDim::dp, g, params * kGradBytes, 1.0, k.dp_overlap,
            OverlapWindow::last_backward, "gradient all-reduce");
        break;
      case Sharding::zero1:
        add(CollectiveKind::reduce_scatter, ParallelDim::dp, g, params * kGradBytes, 1.0, k.dp_overlap,
            OverlapWindow::last_backward, "gradient reduce-scatter");
        add(CollectiveKind::all_gather, ParallelDim::dp, g, params * kParamBytes, 1.0, k.dp_overlap,
            OverlapWindow::first_forward, "parameter all-gather");
        break;
      case Sharding::zero2:
        add(CollectiveKind::reduce_scatter, ParallelDim::dp, g, params * kGradBytes, mbs, k.dp_overlap,
            OverlapWindow::every_backward, "gradient reduce-scatter per microbatch");
        add(CollectiveKind::all_gather, ParallelDim::dp, g, params * kParamBytes, 1.0, k.dp_overlap,
            OverlapWindow::first_forward, "parameter all-gather");
        break;
      case Sharding::fsdp:
        add(CollectiveKind::reduce_scatter, ParallelDim::dp, g, params * kGradBytes, mbs, k.dp_overlap,
            OverlapWindow::every_backward, "gradient reduce-scatter per microbatch");
        add(CollectiveKind::all_gather, ParallelDim::dp, g, params * kParamBytes, 2.0 * mbs, k.dp_overlap,
            OverlapWindow::every_pass, "parameter all-gather per pass (ZeRO-3)");
        break;
    }
  };
  add_dp(p.dense_grad, sp.dense);
  if (sp.expert > 0) add_dp(p.expert_grad, sp.expert);
}

}  // namespace leasesim::perf
