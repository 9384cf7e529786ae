// The `purchase` contract: racks bought rather than leased, on the same demand. The "lease" names
// the holder, the racks, the order date (`start`) and how long they are held (`term`); the racks
// arrive after the delivery lead time and are sold (or valued) at the end of the term or of the
// horizon, whichever is first. What it bills is cash (docs/leases.md, "Lease or buy"):
//   * the capex, capex_per_rack × racks, in the month of delivery — or, financed, a level loan
//     payment (annuity at loan_rate / 12 a month over loan_term) at the end of every month from the
//     delivery month on;
//   * opex per rack-month while delivered (prorated by time);
//   * in the last billed month, the residual value as an inflow (the fee line goes down by it):
//     the straight-line book value capex × (1 − held / depreciation) (held: calendar months from
//     delivery to that month's end, the part of a month prorated), or `residual` × capex when
//     given; less, financed, the loan balance still owed, repaid then.
// Energy is billed by the `power` rider as for any lease.
#pragma once

#include <optional>

#include "leasesim/units/money.hpp"

namespace leasesim::lease {

struct PurchaseTerms {
  units::Money capex_per_rack;
  double lead_time_s = 0;            // order to delivery
  int depreciation_months = 60;      // straight-line life
  std::optional<double> residual;    // share of capex at the end; unset: book value
  units::Money opex_per_rack_month;  // while delivered
  double loan_rate = 0;              // yearly, financed purchases
  int loan_months = 0;               // 0: paid in cash at delivery
};

// The level monthly payment of a loan of `principal` at `yearly_rate` over `months` (the annuity
// P·i / (1 − (1 + i)^−n), i = rate / 12; P / n at 0%), rounded once to the micro-dollar.
units::Money loan_payment(units::Money principal, double yearly_rate, int months);
// What is still owed after `paid` of those payments: P(1 + i)^k − A((1 + i)^k − 1) / i, at least 0.
units::Money loan_balance(units::Money principal, double yearly_rate, int months, int paid);

}  // namespace leasesim::lease
