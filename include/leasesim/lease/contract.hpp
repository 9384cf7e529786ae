// Lease contracts as values: one `Lease` per entry of a scenario's `leases[]`. Every contract has
// a name, a holder (tenant), a start and a term in calendar months, optional early-exit rights, a
// capacity (GPUs or racks, optionally ramping by month) and optional riders (SLA, resale, power,
// provider costs). What the capacity costs depends on `type`, a key into the registry of contract
// types (contract_type.hpp): fixed-monthly, reserved, on-demand, spot. The price terms are the
// type's own struct in `terms` (fixed_monthly.hpp, reserved.hpp, …), read only by that type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "leasesim/hw/rack.hpp"
#include "leasesim/lease/contract_terms.hpp"
#include "leasesim/lease/power.hpp"
#include "leasesim/lease/provider_costs.hpp"
#include "leasesim/lease/resale.hpp"
#include "leasesim/lease/sla.hpp"
#include "leasesim/units/money.hpp"

namespace leasesim::lease {

// Early exit: after `earliest` from the start, either side may end the lease with `notice`.
// `notice_given` (a date) exercises the right: the lease then ends at notice_given + notice.
struct Termination {
  double notice_s = 0;                       // e.g. 90 days
  double earliest_s = 0;                     // e.g. 3 months after start
  std::optional<std::int64_t> notice_given;  // UTC seconds; unset = held to the end of the term
};

struct Lease {
  std::string name;
  std::string type = "fixed-monthly";  // key into the registry of contract types (contract_type.hpp)
  std::string tenant;                  // the holder
  std::string site;                    // the site whose racks it provides (a scenario's `sites`); "" = the only one
  std::int64_t start = 0;              // UTC seconds
  int term_months = 0;
  std::optional<Termination> termination;

  // Capacity: `gpus`, or `racks` of the cluster's rack type. `ramp` is the capacity of month 1, 2, …
  // of the lease in the same unit (racks when `racks` is given); later months have the full capacity.
  std::int64_t gpus = 0;
  int racks = 0;
  std::vector<std::int64_t> ramp;

  // The price terms of `type`: its own struct (FixedMonthlyTerms for fixed-monthly, …).
  ContractTerms terms;

  // Price escalator: the fee line rises by this share at each anniversary of the start (from the
  // calendar month holding it), compounded; each year's fee rounded once to the micro-dollar.
  double escalator = 0;
  // Prepayment: the fees of the first `prepaid_months` lease months are paid at signing (the start
  // of the month holding the start) instead of at the end of each month (lease/finance.hpp).
  int prepaid_months = 0;

  std::optional<SlaTerms> sla;
  std::optional<ResaleTerms> resale;
  std::optional<PowerTerms> power;
  std::optional<ProviderCosts> provider;

  // Full capacity in GPUs.
  std::int64_t committed_gpus(const hw::RackSpec& rack) const {
    return gpus > 0 ? gpus : static_cast<std::int64_t>(racks) * rack.gpus;
  }
  // Capacity in month `index` (0 = the month holding the start), following the ramp.
  std::int64_t gpus_in_month(const hw::RackSpec& rack, int index) const;
  // The fee spread over every committed GPU-hour of an average month (365.2425/12 days); for types
  // without a fixed fee, their committed or list price per GPU-hour.
  double implied_price_per_gpu_hour(const hw::RackSpec& rack) const;
  // First instant after the lease: start + term, or notice_given + notice when exercised earlier.
  std::int64_t end() const;
  // The fee of lease month `index` (0 = the month holding the start) after the escalator: `fee`
  // raised by `escalator` index / 12 times, each step rounded once to the micro-dollar.
  units::Money escalated(units::Money fee, int index) const;
};

}  // namespace leasesim::lease
