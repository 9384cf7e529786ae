// The lease ledger: one row per calendar month × lease × tenant, built from a cluster simulation's
// GPU-time ledger. GPU time is integer GPU-milliseconds and money integer micro-dollars; every line
// item is rounded once, and every total is an exact sum of rows (LedgerFigures::operator+=), so the
// ledger reconciles to the micro-dollar. The attribution model (docs/leases.md):
//   * a lease supplies capacity × the part of the month it is active (ramp, lead time, exit);
//   * the month's failed and spare GPU-time is spread over leases pro rata of capacity;
//   * each tenant's allocated GPU-time fills its committed leases (cheapest first), then its
//     pay-per-use leases (cheapest first), then its overflow rule (burst, borrow, or unleased);
//   * productive, lost, tokens, jobs and energy follow each row's share of the tenant's allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leasesim/cluster/inputs.hpp"
#include "leasesim/cluster/results.hpp"
#include "leasesim/hw/rack.hpp"
#include "leasesim/lease/contract.hpp"
#include "leasesim/lease/tenant.hpp"
#include "leasesim/units/money.hpp"

namespace leasesim::lease {

// A scenario's `finance` block: the yearly rate cash flows are discounted at (lease/finance.hpp).
struct Finance {
  double discount_rate = 0;  // per year, e.g. 0.10
};

// Everything the ledger needs besides the simulation result.
struct LedgerInput {
  hw::RackSpec rack;
  double facility_pue = 1.0;       // the simulation's energy has it applied
  cluster::FailureModel failures;  // for SLA grace periods
  std::vector<Lease> leases;
  std::vector<Tenant> tenants;     // see resolve_tenants()
  std::optional<Finance> finance;  // unset: no discounting asked for (NPVs at 0%)
};

// Usage charges by usage line: entry i is line i of usage_lines() (contract_type.hpp), one line per
// distinct ContractType::usage_line() ("overage", "on_demand", "spot" for the built-in types). A
// contract type's usage lands on its own line with no field here per type.
class UsageCharges {
 public:
  units::Money operator[](std::size_t line) const { return line < by_line_.size() ? by_line_[line] : units::Money{}; }
  void add(std::size_t line, units::Money m) {
    if (by_line_.size() <= line) by_line_.resize(line + 1);
    by_line_[line] += m;
  }
  units::Money total() const {
    units::Money t;
    for (const units::Money m : by_line_) t += m;
    return t;
  }
  UsageCharges& operator+=(const UsageCharges& o) {
    for (std::size_t i = 0; i < o.by_line_.size(); ++i) add(i, o.by_line_[i]);
    return *this;
  }

 private:
  std::vector<units::Money> by_line_;
};

// The additive figures of a row, a month, a lease or the whole ledger.
struct LedgerFigures {
  // GPU-milliseconds
  std::int64_t capacity = 0;     // what the lease can supply while active
  std::int64_t committed = 0;    // owed for whether used or not
  std::int64_t failed = 0;       // capacity out of service (share of the cluster's failed time)
  std::int64_t unavailable = 0;  // failed beyond the SLA grace period
  std::int64_t delivered = 0;    // capacity − unavailable
  std::int64_t spare = 0;        // healthy hot spares held back from scheduling
  std::int64_t allocated = 0;    // given to jobs
  std::int64_t productive = 0;   // training kept
  std::int64_t lost = 0;         // rolled back, restarting, or preempted
  std::int64_t idle = 0;         // committed, healthy and unused (after borrowing)
  std::int64_t resold = 0;       // part of idle sold on the resale market
  double energy_mwh = 0;         // facility energy
  double tokens_trained = 0;
  std::int64_t jobs_completed = 0;
  // The tenant's line items; credits and revenue are positive and subtracted in tenant_cost().
  units::Money fee;
  UsageCharges usage;  // the contract types' usage charges, by usage line
  units::Money burst, borrow, energy;
  units::Money sla_credit, resale_revenue;
  // The provider's side.
  units::Money provider_resale, energy_cost, depreciation, opex;

  units::Money charges() const { return fee + usage.total() + burst + borrow + energy; }
  // The usage charge on `line` ("overage", …); std::invalid_argument for a line no type bills.
  units::Money usage_on(std::string_view line) const;
  units::Money tenant_cost() const { return charges() - sla_credit - resale_revenue; }
  units::Money provider_revenue() const { return tenant_cost() + provider_resale; }
  units::Money provider_margin() const { return provider_revenue() - energy_cost - depreciation - opex; }
  LedgerFigures& operator+=(const LedgerFigures& o);
};

struct LedgerRow {
  std::int64_t month_start_utc = 0;  // first instant of the calendar month (or of the horizon)
  std::int64_t month_end_utc = 0;
  std::string lease;  // a lease name, burst_lease_name or unleased_name
  std::string type;   // its contract type, "burst" or "unleased"
  std::string site;   // the lease's site in a scenario with several, else ""
  std::string tenant;
  bool holder = true;      // false: a borrower on another tenant's lease
  double rack_months = 0;  // capacity in rack-months (for the provider's margin per rack-month)
  LedgerFigures figures;

  double availability() const;  // delivered / capacity; 1 without capacity
};

struct DeadlineTally {
  int hits = 0;
  int misses = 0;
};

// Planner figures from a total; 0 where the denominator is 0.
struct DerivedCosts {
  double usd_per_delivered_gpu_hour = 0;
  double usd_per_productive_gpu_hour = 0;
  double usd_per_million_tokens = 0;
  double usd_per_completed_job = 0;
  double idle_fraction = 0;  // idle / committed
  double availability = 1;   // delivered / capacity
};
DerivedCosts derive(const LedgerFigures& f);

struct Ledger {
  std::vector<LedgerRow> rows;                     // month by month; in a month, lease holders in lease order first
  std::vector<std::int64_t> months;                // month_start_utc of each month
  std::map<std::string, DeadlineTally> deadlines;  // by tenant
  std::vector<std::string> lease_order;            // leases, then pseudo-leases, as they first appear

  LedgerFigures total() const;
  LedgerFigures month_total(std::int64_t month_start_utc) const;
  LedgerFigures lease_total(const std::string& lease) const;
  LedgerFigures lease_month(const std::string& lease, std::int64_t month_start_utc) const;
  DeadlineTally deadline_total() const;
};

// Tenants as declared, plus one (overflow: queue) for every lease holder not declared; each lease
// listed by its holder.
std::vector<Tenant> resolve_tenants(const std::vector<Lease>& leases, std::vector<Tenant> declared);

// Throws std::invalid_argument on a lease of an unknown contract type.
Ledger build_ledger(const LedgerInput& input, const cluster::SimulationResult& result);

}  // namespace leasesim::lease
