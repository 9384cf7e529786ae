// Names of the cluster-simulation enums (inputs.hpp) and the ledger's sum (results.hpp).
#include "leasesim/cluster/inputs.hpp"

#include <algorithm>
#include <cmath>
#include "leasesim/cluster/results.hpp"

namespace leasesim::cluster {

const char* to_string(Distribution d) {
  switch (d) {
    case Distribution::fixed:
      return "fixed";
    case Distribution::exponential:
      return "exponential";
    case Distribution::weibull:
      return "weibull";
    case Distribution::lognormal:
      return "lognormal";
  }
  return "?";
}

const char* to_string(Component c) {
  switch (c) {
    case Component::gpu:
      return "gpu";
    case Component::node:
      return "node";
    case Component::nic:
      return "nic";
    case Component::switch_cable:
      return "switch_cable";
    case Component::rack_power:
      return "rack_power";
    case Component::nvlink_switch:
      return "nvlink_switch";
    case Component::software:
      return "software";
  }
  return "?";
}

const char* to_string(FailureUnit u) {
  switch (u) {
    case FailureUnit::gpu:
      return "gpu";
    case FailureUnit::host:
      return "host";
    case FailureUnit::nic:
      return "nic";
    case FailureUnit::link:
      return "link";
    case FailureUnit::fabric_switch:
      return "switch";
    case FailureUnit::rack:
      return "rack";
    case FailureUnit::nvlink_switch:
      return "nvlink-switch";
  }
  return "?";
}

FailureUnit default_unit(Component c) {
  switch (c) {
    case Component::gpu:
      return FailureUnit::gpu;
    case Component::node:
      return FailureUnit::host;
    case Component::nic:
      return FailureUnit::nic;
    case Component::switch_cable:
      return FailureUnit::fabric_switch;
    case Component::rack_power:
      return FailureUnit::rack;
    case Component::nvlink_switch:
      return FailureUnit::nvlink_switch;
    case Component::software:
      return FailureUnit::host;  // per host of the jobs: scales with their size
  }
  return FailureUnit::host;
}

long long unit_count(FailureUnit u, const hw::ClusterSpec& c) {
  const long long racks = c.racks, gpus = racks * c.rack.gpus;
  switch (u) {
    case FailureUnit::gpu:
    case FailureUnit::nic:
    case FailureUnit::link:
      return gpus;  // one scale-out NIC (and link) per GPU (docs/hardware.md)
    case FailureUnit::host:
      return racks * c.rack.nodes();
    case FailureUnit::rack:
      return racks;
    case FailureUnit::nvlink_switch:
      return racks * c.rack.nvlink_switch_trays;
    case FailureUnit::fabric_switch: {
      // A fat tree of `tiers` levels of radix-k switches over one port per GPU: every tier below the
      // top has ⌈ports / (k/2)⌉ switches (half their ports down), the top ⌈ports / k⌉.
      const long long k = std::max(2, c.fabric.switch_radix), tiers = std::max(1, c.fabric.tiers);
      return (tiers - 1) * ((gpus + k / 2 - 1) / (k / 2)) + (gpus + k - 1) / k;
    }
  }
  return 0;
}

double cluster_rate_per_s(const FailureProcess& p, const hw::ClusterSpec& cluster) {
  return p.per_unit_per_s * static_cast<double>(unit_count(p.unit, cluster));
}

const char* to_string(SchedulerPolicy p) {
  switch (p) {
    case SchedulerPolicy::fifo:
      return "fifo";
    case SchedulerPolicy::easy_backfill:
      return "easy-backfill";
    case SchedulerPolicy::priority:
      return "priority";
  }
  return "?";
}

const char* to_string(PlacementPolicy p) {
  switch (p) {
    case PlacementPolicy::pack:
      return "pack";
    case PlacementPolicy::spread:
      return "spread";
  }
  return "?";
}

GpuTimeLedger& GpuTimeLedger::operator+=(const GpuTimeLedger& o) {
  productive += o.productive;
  checkpointing += o.checkpointing;
  restarting += o.restarting;
  lost += o.lost;
  idle += o.idle;
  failed += o.failed;
  spare += o.spare;
  unleased += o.unleased;
  return *this;
}

}  // namespace leasesim::cluster

namespace leasesim::cluster {

double MarketCurve::probability_at_least(long long gpus) const {
  if (gpus <= 0) return 1;
  if (ceiling_gpus > 0 && gpus > ceiling_gpus) return 0;
  if (at.empty()) return 1;
  if (gpus <= at.front().first) return at.front().second;
  for (std::size_t i = 1; i < at.size(); ++i) {
    if (gpus > at[i].first) continue;
    const double x0 = std::log(static_cast<double>(at[i - 1].first)), x1 = std::log(static_cast<double>(at[i].first));
    const double w = x1 > x0 ? (std::log(static_cast<double>(gpus)) - x0) / (x1 - x0) : 1;
    return at[i - 1].second + w * (at[i].second - at[i - 1].second);
  }
  return at.back().second;
}

long long MarketCurve::grant(long long request, double u) const {
  if (request <= 0) return 0;
  const long long block = std::max(1LL, block_gpus);
  // The candidates: k whole blocks (k ≥ 1) below the request, and the request itself; the chance
  // falls with the size, so the largest candidate whose chance reaches u is the grant.
  long long best = 0;
  const long long blocks = request / block;
  long long lo = 1, hi = blocks;
  while (lo <= hi) {
    const long long mid = lo + (hi - lo) / 2;
    if (probability_at_least(mid * block) > u) {
      best = mid * block;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (request % block != 0 && probability_at_least(request) > u) best = request;
  if (best == 0 && blocks == 0 && probability_at_least(request) > u) best = request;
  return best;
}

double MarketCurve::expected_grant(long long request) const {
  if (request <= 0) return 0;
  const long long block = std::max(1LL, block_gpus);
  // E[G] = Σ_k (size_k − size_{k−1}) · P(G ≥ size_k) over the candidate sizes (grant() above).
  double e = 0;
  long long previous = 0;
  const long long blocks = request / block;
  for (long long k = 1; k <= blocks; ++k) {
    const long long size = k * block;
    e += static_cast<double>(size - previous) * probability_at_least(size);
    previous = size;
  }
  if (request > previous) e += static_cast<double>(request - previous) * probability_at_least(request);
  return e;
}

}  // namespace leasesim::cluster
