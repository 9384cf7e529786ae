// The `resale` rider: idle committed capacity of a lease sold as spot at `price_per_gpu_hour`;
// a `fill_rate` share of the idle GPU-hours finds buyers. The lease holder keeps `holder_share`
// of the revenue, the provider (or marketplace) the rest.
#pragma once

#include "leasesim/units/money.hpp"

namespace leasesim::lease {

struct ResaleTerms {
  units::Money price_per_gpu_hour;
  double fill_rate = 1.0;     // 0..1
  double holder_share = 1.0;  // 0..1
};

}  // namespace leasesim::lease
