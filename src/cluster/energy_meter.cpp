// Ledger-integrated energy (see energy_meter.hpp).
#include "leasesim/cluster/energy_meter.hpp"

namespace leasesim::cluster {

namespace {
constexpr double watt_ms_per_mwh = 3.6e12;  // 1 MWh = 3.6e9 J = 3.6e12 W·ms
}

EnergyMeter::EnergyMeter(const hw::ClusterSpec& cluster)
    : busy_w_(cluster.rack.gpu.tdp_watts),
      idle_w_(cluster.rack.gpu.idle_watts),
      rack_overhead_w_(cluster.power.rack_overhead_watts),
      pue_(cluster.power.pue > 0 ? cluster.power.pue : 1.0),
      racks_(cluster.racks) {}

double EnergyMeter::gpu_mwh(const GpuTimeLedger& l) const {
  const double busy = static_cast<double>(l.productive + l.lost);
  const double idle = static_cast<double>(l.checkpointing + l.restarting + l.idle + l.spare);
  return pue_ * (busy * busy_w_ + idle * idle_w_) / watt_ms_per_mwh;
}

double EnergyMeter::facility_mwh(const GpuTimeLedger& l, std::int64_t duration_ms) const {
  // Racks out of service (no lease provides them) are powered off: overhead for the in-service share.
  const double in_service =
      l.unleased > 0 && l.total() > 0 ? static_cast<double>(l.in_service()) / static_cast<double>(l.total()) : 1.0;
  return gpu_mwh(l) +
         pue_ * rack_overhead_w_ * racks_ * static_cast<double>(duration_ms) * in_service / watt_ms_per_mwh;
}

}  // namespace leasesim::cluster
