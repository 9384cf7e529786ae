// The `on-demand` contract: pay per GPU-hour used, up to a cap of `gpus`/`racks`, with no
// commitment. `availability` is the probability that a requested GPU is granted (applied as the
// expected fraction of the cap), `lead_time` the wait before the first GPUs arrive. With a
// `market`, the grant is drawn per replication instead: a block of at least N GPUs is granted with
// the market's chance at N, never above its ceiling (docs/leases.md, "A market that exists").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "leasesim/cluster/inputs.hpp"
#include "leasesim/units/money.hpp"

namespace leasesim::lease {

struct OnDemandTerms {
  units::Money price_per_gpu_hour;
  double availability = 1.0;  // 0 < a ≤ 1
  double lead_time_s = 0;
  std::optional<cluster::MarketCurve> market;
};

// The market presets (docs/leases.md): their ceilings cite public figures where one exists, their
// chances are stated assumptions. nullptr for an unknown name.
const cluster::MarketCurve* find_market_preset(const std::string& name);
std::vector<std::string> market_preset_names();

}  // namespace leasesim::lease
