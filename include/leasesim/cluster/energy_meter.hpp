// Energy from the GPU-time ledgers: GPUs draw their board power (GpuSpec::tdp_watts) while training
// (productive or later-lost work), idle power (GpuSpec::idle_watts) while allocated but stalled
// (checkpointing, restarting) or healthy and unallocated (idle, spare), and nothing while failed
// (powered off for repair) or out of service (unleased, powered off); every in-service rack adds
// ClusterSpec.power.rack_overhead_watts all the time; the facility multiplies by the PUE. Integrating the exact ledgers
// is as precise as SimGrid's host energy plugin would be on per-state power and costs nothing per event — there are no
// per-GPU SimGrid hosts to attach the plugin to (docs/cluster-model.md).
#pragma once

#include <cstdint>

#include "leasesim/cluster/results.hpp"
#include "leasesim/hw/cluster.hpp"

namespace leasesim::cluster {

class EnergyMeter {
 public:
  explicit EnergyMeter(const hw::ClusterSpec& cluster);
  // Facility MWh of the GPU time in `l` (PUE applied, no rack overhead).
  double gpu_mwh(const GpuTimeLedger& l) const;
  // Facility MWh of the whole cluster over `duration_ms` whose GPU time is `l` (GPUs + rack overhead).
  double facility_mwh(const GpuTimeLedger& l, std::int64_t duration_ms) const;

 private:
  double busy_w_, idle_w_, rack_overhead_w_, pue_;
  int racks_;
};

}  // namespace leasesim::cluster
