// Names of the cluster-simulation enums (inputs.hpp) and the ledger's sum (results.hpp).
#include "leasesim/cluster/inputs.hpp"
#include "leasesim/cluster/results.hpp"

namespace leasesim::cluster {

const char* to_string(Distribution d) {
  switch (d) {
    case Distribution::fixed: return "fixed";
    case Distribution::exponential: return "exponential";
    case Distribution::weibull: return "weibull";
    case Distribution::lognormal: return "lognormal";
  }
  return "?";
}

const char* to_string(Component c) {
  switch (c) {
    case Component::gpu: return "gpu";
    case Component::node: return "node";
    case Component::nic: return "nic";
    case Component::switch_cable: return "switch_cable";
    case Component::rack_power: return "rack_power";
    case Component::software: return "software";
  }
  return "?";
}

const char* to_string(SchedulerPolicy p) {
  switch (p) {
    case SchedulerPolicy::fifo: return "fifo";
    case SchedulerPolicy::easy_backfill: return "easy-backfill";
    case SchedulerPolicy::priority: return "priority";
  }
  return "?";
}

const char* to_string(PlacementPolicy p) {
  switch (p) {
    case PlacementPolicy::pack: return "pack";
    case PlacementPolicy::spread: return "spread";
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
