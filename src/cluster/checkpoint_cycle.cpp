// Resolving a job's CheckpointPolicy to its rhythm (see checkpoint_cycle.hpp for the defaults).
#include "leasesim/cluster/checkpoint_cycle.hpp"

#include <cmath>

namespace leasesim::cluster {

namespace {
std::int64_t to_ms(double s) { return static_cast<std::int64_t>(std::llround(s * 1000.0)); }
}  // namespace

CheckpointCycle resolve_checkpoint(const CheckpointPolicy& policy, double params, long long gpus, long long nodes,
                                   double failures_per_node_s, const hw::ClusterSpec& cluster, double work_s,
                                   std::optional<double> write_rate) {
  CheckpointCycle c;
  const double bytes = checkpoint_bytes_per_param * params;
  double write_s = 0;
  if (policy.write_time_s) {
    write_s = *policy.write_time_s;
  } else {
    // The rate the job writes at (storage_sharing.hpp); alone: the whole write bandwidth. No storage
    // bandwidth (0) models no checkpoint cost at all: an instant write.
    const double rate = write_rate ? *write_rate : cluster.storage.write_bandwidth;
    write_s = rate > 0 ? bytes / rate : 0;
  }
  c.write_s = write_s;
  double stall_s = write_s;
  if (policy.async) {
    const double per_gpu = gpus > 0 ? bytes / static_cast<double>(gpus) : bytes;
    stall_s = std::min(write_s, per_gpu / async_snapshot_bytes_per_s);
  }
  c.stall_ms = std::max<std::int64_t>(0, to_ms(stall_s));
  c.stall_s = stall_s;
  c.commit_lag_ms = std::max<std::int64_t>(0, to_ms(write_s) - c.stall_ms);
  c.read_s = cluster.storage.read_bandwidth > 0 ? bytes / cluster.storage.read_bandwidth : 0;

  double interval_s = 0;
  if (policy.interval_s) {
    interval_s = *policy.interval_s;
  } else {
    const double rate = static_cast<double>(nodes) * failures_per_node_s;
    // Young/Daly; with no interrupting failures a checkpoint is never worth its stall.
    interval_s = rate > 0 ? std::sqrt(2.0 * std::max(stall_s, 1e-3) / rate) : std::max(work_s, 1.0);
  }
  // The next checkpoint starts only once the previous write has finished.
  c.interval_ms = std::max<std::int64_t>({1, to_ms(interval_s), to_ms(write_s)});
  return c;
}

}  // namespace leasesim::cluster
