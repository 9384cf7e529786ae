// The provider's view of a lease: capital cost per rack depreciated straight-line, and operating
// cost per rack-month, for the margin per rack-month the provider earns on the lease.
#pragma once

#include <optional>

#include "leasesim/units/money.hpp"

namespace leasesim::lease {

// The provider re-leases the racks a tenant's exit frees, after `delay`, at a price per GPU-hour.
struct Releasing {
  units::Money price_per_gpu_hour;
  double delay_s = 0;
};

struct ProviderCosts {
  units::Money capex_per_rack;
  int depreciation_months = 72;  // ~6-year GPU life (docs/references.md, CoreWeave S-1 coverage)
  units::Money opex_per_rack_month;
  // What the provider expects to recover if the tenant exits early (the compare's exit risk).
  std::optional<Releasing> releasing;
};

}  // namespace leasesim::lease
