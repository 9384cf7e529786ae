// The `on-demand` contract: pay per GPU-hour used, up to a cap of `gpus`/`racks`, with no
// commitment. `availability` is the probability that a requested GPU is granted (applied as the
// expected fraction of the cap), `lead_time` the wait before the first GPUs arrive.
#pragma once

#include "leasesim/units/money.hpp"

namespace leasesim::lease {

struct OnDemandTerms {
  units::Money price_per_gpu_hour;
  double availability = 1.0;  // 0 < a ≤ 1
  double lead_time_s = 0;
};

}  // namespace leasesim::lease
