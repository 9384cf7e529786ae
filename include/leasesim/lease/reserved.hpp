// The `reserved` contract: a monthly commitment of GPU-hours at a rate (owed whether used or not),
// on a capacity of `gpus`/`racks`; GPU-hours used beyond the commitment are billed at the overage
// rate.
#pragma once

#include "leasesim/units/money.hpp"

namespace leasesim::lease {

struct ReservedTerms {
  double committed_gpu_hours = 0;  // per full calendar month
  units::Money rate_per_gpu_hour;
  units::Money overage_per_gpu_hour;
};

}  // namespace leasesim::lease
