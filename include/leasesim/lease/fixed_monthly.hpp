// The `fixed-monthly` contract (take-or-pay): a fee per calendar month, owed whether the capacity
// is used or not.
#pragma once

#include "leasesim/units/money.hpp"

namespace leasesim::lease {

struct FixedMonthlyTerms {
  units::Money fee_per_month;  // owed for every calendar month of the term, used or not
};

}  // namespace leasesim::lease
