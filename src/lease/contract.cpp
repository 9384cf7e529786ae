// Derived figures of a lease contract that need no simulation.
#include "leasesim/lease/contract.hpp"

#include "leasesim/units/quantity.hpp"

namespace leasesim::lease {

double FixedMonthlyLease::implied_price_per_gpu_hour(const hw::RackSpec& rack) const {
  const double gpu_hours = static_cast<double>(committed_gpus(rack)) * units::seconds_per_month / 3600.0;
  return gpu_hours > 0 ? fee_per_month.dollars() / gpu_hours : 0.0;
}

}  // namespace leasesim::lease
