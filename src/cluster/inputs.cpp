// Names of the cluster-simulation enums (inputs.hpp) and the ledger's sum (results.hpp).
#include "leasesim/cluster/inputs.hpp"

#include <algorithm>
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
