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
  r.sites = std::max(1, cluster.span.sites);
  r.inter_site_bw = cluster.span.bandwidth;
  r.inter_site_latency_s = cluster.span.latency_s;
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

bool crosses_sites(const CollectiveOp& op, const ParallelConfig& c, const LinkRates& r) {
  if (r.sites <= 1 || op.group.size <= 1 || op.group.level != LinkLevel::scale_out) return false;
  const bool pipeline_split = c.pp > 1 && (c.pp % r.sites == 0 || c.dp <= 1);
  return pipeline_split ? op.dim == ParallelDim::pp : op.dim == ParallelDim::dp;
}

double inter_site_flows(const CollectiveOp& op) {
  const double groups = static_cast<double>(std::max<long long>(1, op.concurrent_groups));
  return op.kind == CollectiveKind::send_recv ? groups : groups * std::max(1, op.group.per_domain);
}

double spanning_collective_time(const CollectiveOp& op, const ParallelConfig& c, const LinkRates& r) {
  if (!crosses_sites(op, c, r) || !(r.inter_site_bw > 0)) return collective_time(op, r);
  LinkRates across = r;
  across.scale_out_bw = std::min(r.scale_out_bw, r.inter_site_bw / inter_site_flows(op));
  across.scale_out_latency_s = r.scale_out_latency_s + r.inter_site_latency_s;
  return collective_time(op, across);
}

}  // namespace leasesim::perf
