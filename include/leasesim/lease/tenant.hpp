// A tenant: the leases it holds and what happens to its demand beyond them. The simulation runs
// every tenant's jobs on one cluster; the ledger attributes each tenant's allocated GPU-hours to its
// leases (committed first, then cheapest) and the rest by the overflow rule:
//   queue   the excess waits (the simulated cluster is the leased capacity, so there is none unless
//           the cluster is larger than the leases: such hours are reported as unleased, unbilled)
//   burst   the excess runs on on-demand capacity at `price_per_gpu_hour`
//   borrow  the excess runs preemptibly on other leases' idle committed capacity at
//           `price_per_gpu_hour` (often $0), and what cannot be borrowed is unleased
#pragma once

#include <string>
#include <vector>

#include "leasesim/units/money.hpp"

namespace leasesim::lease {

enum class OverflowRule { queue, burst, borrow };
const char* to_string(OverflowRule r);

struct Overflow {
  OverflowRule rule = OverflowRule::queue;
  units::Money price_per_gpu_hour;
};

struct Tenant {
  std::string name;
  std::vector<std::string> leases;  // names of the leases it holds
  Overflow overflow;
};

// Pseudo-lease names used in ledger rows for demand outside every lease.
inline constexpr const char* burst_lease_name = "(burst)";
inline constexpr const char* unleased_name = "(unleased)";

}  // namespace leasesim::lease
