// The provider's view of a lease: capital cost per rack depreciated straight-line, and operating
// cost per rack-month, for the margin per rack-month the provider earns on the lease.
#pragma once

#include "leasesim/units/money.hpp"

namespace leasesim::lease {

struct ProviderCosts {
  units::Money capex_per_rack;
  int depreciation_months = 72;  // ~6-year GPU life (docs/references.md, CoreWeave S-1 coverage)
  units::Money opex_per_rack_month;
};

}  // namespace leasesim::lease
