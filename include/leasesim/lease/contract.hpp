// Lease contracts as values. A fixed-monthly (take-or-pay) lease commits a capacity — GPUs or racks
// of the cluster's rack type — for a term of calendar months at a fee owed whether used or not.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "leasesim/hw/rack.hpp"
#include "leasesim/units/money.hpp"

namespace leasesim::lease {

// Early exit: after `earliest` from the start, either side may end the lease with `notice`.
struct Termination {
  double notice_s = 0;    // e.g. 90 days
  double earliest_s = 0;  // e.g. 3 months after start
};

struct FixedMonthlyLease {
  std::string name;
  std::string type = "fixed-monthly";
  std::string tenant;
  units::Money fee_per_month;
  std::int64_t gpus = 0;  // committed GPUs; or
  int racks = 0;          // committed racks of the cluster's rack type
  std::int64_t start = 0; // UTC seconds
  int term_months = 0;
  std::optional<Termination> termination;

  std::int64_t committed_gpus(const hw::RackSpec& rack) const {
    return gpus > 0 ? gpus : static_cast<std::int64_t>(racks) * rack.gpus;
  }
  // The fee spread over every committed GPU-hour of an average month (365.2425/12 days).
  double implied_price_per_gpu_hour(const hw::RackSpec& rack) const;
};

}  // namespace leasesim::lease
