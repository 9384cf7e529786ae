// A running job's checkpoint rhythm, resolved to integer milliseconds: Δ of training, then a stall
// while the checkpoint is taken (the whole write when blocking, a snapshot copy when async), again
// and again from the moment the job (re)starts. Because the rhythm is deterministic between
// interruptions, the simulation never schedules an event per checkpoint: where a job is in its
// rhythm at any instant — work kept, work at risk, time spent writing — is computed in closed form
// (compute_in, committed_in), so a months-long run costs events only at its interruptions.
//
// Defaults (docs/cluster-model.md):
//   interval "auto"      Young/Daly optimum Δ* = sqrt(2·C / (N·r)), C the time a checkpoint blocks
//                        training (the stall: the whole write when blocking, the snapshot when async),
//                        N nodes of the job, r the rate of failures that interrupt it per node (Young
//                        1974; Daly 2006; docs/references.md)
//   interval ≥ write     a checkpoint may not start before the previous write has finished: Δ is
//                        raised to the write time (auto or given), so one write is in flight at most
//   write time           checkpoint bytes / the rate the job writes at: the whole storage write
//                        bandwidth when alone, its expected share of it while other running jobs
//                        write too (storage_sharing.hpp); `write_time` given: that, unchanged
//   checkpoint bytes     14 B/param: BF16 weights (2) + FP32 master weights (4) + Adam m and v (4 + 4)
//                        — the ZeRO paper's 16 B/param of mixed-precision Adam state without the
//                        FP16 gradients, which a checkpoint does not keep (Rajbhandari et al. 2020)
//   async stall          the GPU→host copy of each GPU's shard at 50 GB/s (PCIe Gen5 x16 ≈ 64 GB/s
//                        peak; Grace C2C is faster) — the write itself overlaps training (as in
//                        PyTorch DCP async_save); a checkpoint counts as committed only when its
//                        write has finished (stall + commit lag after it started): a failure in
//                        between rolls back to the checkpoint before
//   restart read         a restart reads the checkpoint back at the storage's read bandwidth
//                        (checkpoint bytes / read bandwidth, the whole of it: restarts rarely
//                        coincide), on top of the job's restart_overhead (detect, reschedule, start)
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>

#include "leasesim/cluster/inputs.hpp"

namespace leasesim::cluster {

inline constexpr double checkpoint_bytes_per_param = 14.0;
inline constexpr double async_snapshot_bytes_per_s = 50e9;

struct CheckpointCycle {
  std::int64_t interval_ms = 1;    // Δ: training between two checkpoints (≥ 1)
  std::int64_t stall_ms = 0;       // training stalled per checkpoint
  std::int64_t commit_lag_ms = 0;  // from the stall's end until the write has finished (0 when blocking)
  double write_s = 0;              // the full write time (reported; equals the stall when blocking)
  double stall_s = 0;              // the stall per checkpoint, in seconds (reported)
  double read_s = 0;               // reading the checkpoint back at a restart (reported)

  std::int64_t period() const { return interval_ms + stall_ms; }
  // Training time within the first t ms after a (re)start at phase 0.
  std::int64_t compute_in(std::int64_t t) const {
    if (t <= 0) return 0;
    const std::int64_t p = period();
    return (t / p) * interval_ms + std::min(t % p, interval_ms);
  }
  // Checkpoints whose write has finished within the first t ms (the k-th stall ends at k·period).
  std::int64_t commits_in(std::int64_t t) const { return t <= commit_lag_ms ? 0 : (t - commit_lag_ms) / period(); }
  // Training kept by a committed checkpoint within the first t ms.
  std::int64_t committed_in(std::int64_t t) const { return commits_in(t) * interval_ms; }
  // Wall time from a (re)start until `work` ms of training are done (no checkpoint after the last).
  std::int64_t wall_for(std::int64_t work) const {
    if (work <= 0) return 0;
    const std::int64_t full = (work - 1) / interval_ms;
    return full * period() + (work - full * interval_ms);
  }
};

// The rhythm of one job: `gpus` GPUs on `nodes` nodes, a model of `params` parameters, exposed to
// `failures_per_node_s` interrupting failures per node-second, writing its checkpoints at
// `write_rate` bytes/s (none: alone, at the storage's whole write bandwidth).
CheckpointCycle resolve_checkpoint(const CheckpointPolicy& policy, double params, long long gpus, long long nodes,
                                   double failures_per_node_s, const hw::ClusterSpec& cluster, double work_s,
                                   std::optional<double> write_rate = std::nullopt);

}  // namespace leasesim::cluster
