// A running job's checkpoint rhythm, resolved to integer milliseconds: Δ of training, then a stall
// while the checkpoint is taken (the whole write when blocking, a snapshot copy when async), again
// and again from the moment the job (re)starts. Because the rhythm is deterministic between
// interruptions, the simulation never schedules an event per checkpoint: where a job is in its
// rhythm at any instant — work kept, work at risk, time spent writing — is computed in closed form
// (compute_in, committed_in), so a months-long run costs events only at its interruptions.
//
// Defaults (docs/cluster-model.md):
//   interval "auto"      Young/Daly optimum Δ* = sqrt(2·w / (N·r)), N nodes of the job, r the rate of
//                        failures that interrupt it per node (Young 1974; Daly 2006; docs/references.md)
//   write time           checkpoint bytes / the job's GPU-proportional share of storage write bandwidth
//   checkpoint bytes     14 B/param: BF16 weights (2) + FP32 master weights (4) + Adam m and v (4 + 4)
//                        — the ZeRO paper's 16 B/param of mixed-precision Adam state without the
//                        FP16 gradients, which a checkpoint does not keep (Rajbhandari et al. 2020)
//   async stall          the GPU→host copy of each GPU's shard at 50 GB/s (PCIe Gen5 x16 ≈ 64 GB/s
//                        peak; Grace C2C is faster) — the write itself overlaps training (as in
//                        PyTorch DCP async_save); a checkpoint counts as committed at the stall's end
#pragma once

#include <algorithm>
#include <cstdint>

#include "leasesim/cluster/inputs.hpp"

namespace leasesim::cluster {

inline constexpr double checkpoint_bytes_per_param = 14.0;
inline constexpr double async_snapshot_bytes_per_s = 50e9;

struct CheckpointCycle {
  std::int64_t interval_ms = 1;  // Δ: training between two checkpoints (≥ 1)
  std::int64_t stall_ms = 0;     // training stalled per checkpoint
  double write_s = 0;            // the full write time (reported; equals the stall when blocking)

  std::int64_t period() const { return interval_ms + stall_ms; }
  // Training time within the first t ms after a (re)start at phase 0.
  std::int64_t compute_in(std::int64_t t) const {
    if (t <= 0) return 0;
    const std::int64_t p = period();
    return (t / p) * interval_ms + std::min(t % p, interval_ms);
  }
  // Training kept by a completed checkpoint within the first t ms.
  std::int64_t committed_in(std::int64_t t) const { return t <= 0 ? 0 : (t / period()) * interval_ms; }
  // Wall time from a (re)start until `work` ms of training are done (no checkpoint after the last).
  std::int64_t wall_for(std::int64_t work) const {
    if (work <= 0) return 0;
    const std::int64_t full = (work - 1) / interval_ms;
    return full * period() + (work - full * interval_ms);
  }
};

// The rhythm of one job: `gpus` GPUs on `nodes` nodes, a model of `params` parameters, exposed to
// `failures_per_node_s` interrupting failures per node-second.
CheckpointCycle resolve_checkpoint(const CheckpointPolicy& policy, double params, long long gpus, long long nodes,
                                   double failures_per_node_s, const hw::ClusterSpec& cluster, double work_s);

}  // namespace leasesim::cluster
