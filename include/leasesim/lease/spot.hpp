// The `spot` contract: pay per GPU-hour used at a discount, up to a cap of `gpus`/`racks`, and be
// preempted. Each preemption costs `work_lost_per_preemption` of the allocation's productive time,
// which the type reports as lost (the simulation does not preempt spot capacity itself).
#pragma once

#include "leasesim/units/money.hpp"

namespace leasesim::lease {

struct SpotTerms {
  units::Money price_per_gpu_hour;
  double preemptions_per_day = 0;            // per allocated GPU
  double work_lost_per_preemption_s = 1800;  // rework since the last checkpoint + restart

  // Share of allocated time lost to preemptions, ≤ 1.
  double lost_fraction() const;
};

}  // namespace leasesim::lease
