// Money over time: a scenario's `finance` block (a yearly discount rate), the monthly cash flows of
// a ledger's leases and their net present value.
//
// Convention (docs/leases.md, "Money over time"): time t counts months from the horizon start;
// everything a ledger month bills is paid at the END of that month (t = k for the k-th ledger month,
// k = 1, 2, …), except a lease's prepaid months (`prepaid_months`), whose fees are paid at signing:
// the START of the month holding the lease's start (t = k − 1; t = 0 for a lease signed before the
// horizon). A flow at t is discounted by (1 + r)^(t/12), r the yearly rate. Cash flows are exact
// money (micro-dollars); an NPV is summed in long double and rounded once, to the cent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "leasesim/lease/ledger.hpp"
#include "leasesim/units/money.hpp"

namespace leasesim::lease {

// The tenants' cash flows of one lease (or pseudo-lease: burst, unleased) or of a whole ledger:
// entry t is paid t months after the horizon start (t = 0 … number of ledger months).
struct CashFlows {
  std::string lease;             // "" for a ledger's total
  std::vector<units::Money> at;  // by month t
  units::Money fees_at_signing;  // the part of `at` moved to signing by prepayment
  units::Money total() const;    // undiscounted sum (equals the ledger's tenant cost)
};

// (1 + rate)^(−t_months/12).
double discount_factor(double yearly_rate, double t_months);
// Σ flows[t] · discount_factor(rate, t), rounded once to the cent.
units::Money npv(const std::vector<units::Money>& flows, double yearly_rate);
// Rounds a dollar figure (from a long double sum) to the cent, as Money.
units::Money round_to_cent(long double micros);

struct LedgerCashFlows {
  std::vector<CashFlows> leases;  // in ledger.lease_order
  CashFlows total;                // the sum over leases, t by t
  // The fee lines alone (for scaling a price: the lease-or-buy break-even), by month t.
  std::vector<units::Money> fees;
};

// The ledger's cash flows under the convention above; `fees` holds the fee lines of every lease
// whose type is priced by a fee (not a purchase).
LedgerCashFlows cash_flows(const LedgerInput& input, const Ledger& ledger);

// The provider's cash on the leases carrying the `provider` rider: capex per rack × racks paid at
// the start of the month holding each lease's start (t as above), then each month's revenue (the
// tenants' cost of those leases and the provider's resale share) less energy cost and opex, at its
// end (prepaid fees at signing, as the tenant pays them). Depreciation is an accounting charge, not
// cash: it is left out.
std::vector<units::Money> provider_cash_flows(const LedgerInput& input, const Ledger& ledger);
// The payback month: the month t (t = k the end of the k-th ledger month, 0 the horizon start)
// from which the cumulative discounted cash stays at zero or more to the horizon's end; 0 when it
// never falls below zero, unset when it is still below zero at the end.
std::optional<int> payback_month(const std::vector<units::Money>& flows, double yearly_rate);

}  // namespace leasesim::lease
