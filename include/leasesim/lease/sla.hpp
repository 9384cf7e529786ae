// The `sla` rider, on any contract: availability per calendar month = delivered / committed
// GPU-hours, where capacity that failed and was not back within `grace` counts as unavailable.
// Below a tier's threshold the tenant is credited that tier's share of the month's charges, up to
// `cap`; on-request credits are only paid on the `claim_rate` share of months the tenant claims.
#pragma once

#include <vector>

#include "leasesim/cluster/inputs.hpp"
#include "leasesim/units/money.hpp"

namespace leasesim::lease {

struct CreditTier {
  double below = 0;   // availability threshold, e.g. 0.999
  double credit = 0;  // share of the month's charges, e.g. 0.10
};

enum class ClaimRule { automatic, on_request };

struct SlaTerms {
  // The tiers of public GPU-cloud SLAs (docs/references.md): < 99.9% → 10%, < 99% → 25%, < 95% → 100%.
  std::vector<CreditTier> tiers{{0.999, 0.10}, {0.99, 0.25}, {0.95, 1.00}};
  double cap = 1.0;  // most credited in a month, as a share of the month's charges
  double grace_s = 0;
  ClaimRule claim = ClaimRule::automatic;
  double claim_rate = 1.0;  // on-request: share of eligible credits claimed

  // The credit share earned at `availability` (the deepest tier it falls below), capped.
  double credit_share(double availability) const;
  // The credit on `charges` at `availability`, rounded once to the micro-dollar.
  units::Money credit(units::Money charges, double availability) const;
};

// The expected share of outage time that lies beyond `grace_s` under the failure model's repair
// times, weighted by each process's expected lost GPU-time. 1 when there is no grace (or no
// failures), falling towards 0 as the grace outgrows the repairs.
double outage_share_beyond_grace(const cluster::FailureModel& failures, int gpus_per_node, int gpus_per_rack,
                                 double grace_s);

}  // namespace leasesim::lease
