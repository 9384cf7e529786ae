// The `power` rider: energy passed through at a price per MWh, paid by the tenant or absorbed by
// the provider. `pue` bills at a contract PUE instead of the facility's (the simulation reports
// facility energy with the cluster's PUE applied).
#pragma once

#include <optional>

#include "leasesim/units/money.hpp"

namespace leasesim::lease {

enum class PowerPayer { tenant, provider };

struct PowerTerms {
  units::Money price_per_mwh;
  PowerPayer payer = PowerPayer::tenant;
  std::optional<double> pue;  // unset: the facility's PUE
};

}  // namespace leasesim::lease
