// Derived figures of a lease contract that need no simulation: capacity by month, end date, and
// the implied price per GPU-hour.
#include "leasesim/lease/contract.hpp"

#include <algorithm>

#include "leasesim/lease/billing_math.hpp"
#include "leasesim/lease/contract_type.hpp"
#include "leasesim/units/date.hpp"

namespace leasesim::lease {

std::int64_t Lease::gpus_in_month(const hw::RackSpec& rack, int index) const {
  if (index >= 0 && static_cast<std::size_t>(index) < ramp.size()) {
    const std::int64_t v = ramp[static_cast<std::size_t>(index)];
    return gpus > 0 ? v : v * rack.gpus;
  }
  return committed_gpus(rack);
}

double Lease::implied_price_per_gpu_hour(const hw::RackSpec& rack) const {
  const ContractType* t = find_contract_type(type);
  return t ? t->quoted_price_per_gpu_hour(*this, committed_gpus(rack)) : 0.0;
}

std::int64_t Lease::end() const {
  std::int64_t e = units::add_months(start, term_months);
  if (termination && termination->notice_given) {
    e = std::min(e, units::calendar_advance(*termination->notice_given, termination->notice_s));
  }
  return e;
}

units::Money Lease::escalated(units::Money fee, int index) const {
  if (escalator == 0 || index < 12) return fee;
  for (int year = 1; year <= index / 12; ++year) fee = share_of(fee, 1 + escalator);
  return fee;
}

}  // namespace leasesim::lease
