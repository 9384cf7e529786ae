// Alpha-beta closed forms for the collectives (see collective_cost.hpp).
#include "leasesim/perf/collective_cost.hpp"

#include <algorithm>
#include <cmath>

namespace leasesim::perf {

LinkRates link_rates(const hw::ClusterSpec& cluster, const ModelConstants& k) {
  LinkRates r;
  r.nvlink_bw = cluster.rack.gpu.nvlink_bandwidth / 2.0 * k.nvlink_bus_efficiency;
  r.scale_out_bw = cluster.effective_nic_bandwidth() * k.scale_out_bus_efficiency;
  r.nvlink_latency_s = k.nvlink_latency_s;
  r.scale_out_latency_s = cluster.fabric.latency_s;
  return r;
}

namespace {

// Latency steps of a collective over n ranks: rings take n−1 steps, NCCL switches to trees
// (2·log2 n) where that is shorter.
double steps(int n) {
  if (n <= 1) return 0;
  const double ring = n - 1.0;
  const double tree = 2.0 * std::ceil(std::log2(static_cast<double>(n)));
  return std::min(ring, tree);
}

// Reduce-scatter (or all-gather: same volume) of `bytes` over the group, hierarchical when needed.
double scatter_time(double bytes, const GroupPlacement& g, const LinkRates& r) {
  const double k = g.per_domain;
  double t = 0;
  if (k > 1) t += (k - 1.0) / k * bytes / r.nvlink_bw + steps(g.per_domain) * r.nvlink_latency_s;
  if (g.level == LinkLevel::scale_out) {
    const int domains = g.domains();
    const double d = domains;
    t += (d - 1.0) / d * (bytes / k) / r.scale_out_bw + steps(domains) * r.scale_out_latency_s;
  }
  return t;
}

}  // namespace

double collective_time(const CollectiveOp& op, const LinkRates& r) {
  const GroupPlacement& g = op.group;
  if (g.size <= 1 || op.bytes <= 0) return 0;
  const double n = g.size, k = g.per_domain;
  const bool out = g.level == LinkLevel::scale_out;
  switch (op.kind) {
    case CollectiveKind::all_reduce:
      return 2.0 * scatter_time(op.bytes, g, r);
    case CollectiveKind::reduce_scatter:
    case CollectiveKind::all_gather:
      return scatter_time(op.bytes, g, r);
    case CollectiveKind::all_to_all: {
      // Each GPU sends (k−1)/n of its data inside its domain and (n−k)/n across; the two proceed
      // concurrently on different links.
      const double inside = (k - 1.0) / n * op.bytes / r.nvlink_bw;
      const double across = out ? (n - k) / n * op.bytes / r.scale_out_bw : 0.0;
      const double lat = out ? r.scale_out_latency_s : r.nvlink_latency_s;
      return std::max(inside, across) + lat * std::log2(n);
    }
    case CollectiveKind::send_recv:
      return out ? op.bytes / r.scale_out_bw + r.scale_out_latency_s : op.bytes / r.nvlink_bw + r.nvlink_latency_s;
  }
  return 0;
}

}  // namespace leasesim::perf
