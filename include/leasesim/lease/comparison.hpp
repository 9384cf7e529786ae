// Comparing lease alternatives on one demand: each alternative (its leases, tenants and the cluster
// they add up to) runs the same replications on the same seeds — common random numbers, so job
// arrivals and failure draws differ between alternatives only where the alternatives differ — and
// is ranked on its ledger. The simulation is injected (`SimulationRunner`): `leasesim compare`
// passes cluster::simulate, tests pass a fake.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "leasesim/cluster/inputs.hpp"
#include "leasesim/cluster/results.hpp"
#include "leasesim/lease/ledger.hpp"
#include "leasesim/units/date.hpp"
#include "leasesim/units/money.hpp"

namespace leasesim::lease {

struct Alternative {
  std::string name;
  std::string description;
  cluster::SimulationInput input;  // its seed is replaced by each replication's
  LedgerInput ledger;
};

using SimulationRunner = std::function<cluster::SimulationResult(const cluster::SimulationInput&)>;

// One replication's rent at risk on one lease if its tenant exits at the first chance (ProviderExit):
// the total, and by month t of the provider's cash flows (as provider_cash_flows places the fees).
struct ExitLoss {
  units::Money at_risk;
  std::vector<units::Money> flows;
};

// One alternative, one replication.
struct Outcome {
  std::uint64_t seed = 0;
  units::Money total_cost;  // the tenants' cost over the horizon
  units::Money sla_credits;
  double usd_per_productive_gpu_hour = 0;
  double usd_per_million_tokens = 0;
  double tokens_trained = 0;  // kept by every job over the horizon
  double deadline_misses = 0;
  double idle_fraction = 0;
  double allocated_gpu_hours_per_month = 0;
  // Over the leases that carry the `provider` rider (capex/opex); unset when none does.
  std::optional<units::Money> provider_revenue, provider_margin;
  std::vector<double> monthly_cost_usd;  // the tenants' cost of each ledger month, in order
  // Money over time (lease/finance.hpp): the tenants' cash flows by month t, their NPV at the
  // alternative's discount rate (0% without a finance block), and the NPV of the fee lines alone.
  std::vector<units::Money> cash_flows;
  units::Money npv, fee_npv;
  // Over the provider-rider leases: the provider's cash by month t, its rent net of SLA credits
  // (fee − credits) and its costs (energy, depreciation, opex).
  std::vector<units::Money> provider_cash_flows;
  units::Money provider_rent, provider_costs;
  std::vector<ExitLoss> provider_exits;  // one per exit_exposed_leases() lease, in lease order
};

struct Spread {
  double mean = 0, p10 = 0, p90 = 0;
};
Spread spread_of(std::vector<double> values);  // P10/P90 by linear interpolation

// One listed job with a deadline, over an alternative's replications. Replications are ordered by
// the job's end (unfinished ones last); the P10/P50/P90 replication is the one at index
// round(q * (n - 1)) (nearest rank, halves up: of 2 or 4 replications the P50 is the later middle
// one). Times are seconds from the horizon start.
struct JobDeadline {
  std::string name;
  double deadline_s = 0;
  std::optional<double> end_s, end_p10_s, end_p90_s;  // unset: that replication did not finish the job
  // The P50 replication's verdict; unset when its deadline lies past the horizon and it is unfinished.
  std::optional<bool> deadline_met;
  double deadline_met_fraction = 0;     // replications that met the deadline / replications
  double deadline_missed_fraction = 0;  // replications that missed it / replications (the rest: undecided)
  int replications = 0;
  std::string rejected_reason;  // JobResult::reason of a replication that rejected (or blocked) the job, else ""
  Spread cost_usd;              // the job's own cost over the replications (cost_attribution.hpp)
};

// One ledger month of an alternative over its replications: the tenants' cost in the month and
// summed from the horizon's start to the month's end (each a spread over the replications).
struct MonthCost {
  std::int64_t start_utc = 0, end_utc = 0;
  Spread cost_usd, cumulative_usd;
};

// The provider's exposure to a tenant's exit on a lease carrying the `provider` rider and a
// termination clause not exercised: had the tenant given notice at the first date the clause
// allows (start + earliest), the lease would end at `exit_end_utc` instead of `held_end_utc`. The
// rent billed on it after exit_end within the horizon (fees net of SLA credits) is at risk. Usage
// charges (they follow demand) are not counted; the provider's energy and opex are held at their
// simulated values. With the rider's `releasing`, the lease's GPUs re-lease from exit_end + delay
// to the held end (within the horizon) at its price: `recovered`.
struct ProviderExit {
  std::string lease;
  std::int64_t first_notice_utc = 0, exit_end_utc = 0, held_end_utc = 0;
  Spread revenue_at_risk_usd;
  units::Money revenue_at_risk_mean;  // the mean over the replications, to the micro-dollar
  std::optional<Releasing> releasing;
  std::int64_t releasing_from_utc = 0, releasing_to_utc = 0, releasing_gpus = 0;
  units::Money recovered;
  double net_at_risk_usd = 0;       // mean at risk − recovered
  double margin_if_exited_usd = 0;  // mean provider margin − mean at risk + recovered
  // The payback month (lease/finance.hpp) of the mean provider cash with the rent at risk removed
  // and the re-leasing added; unset: not within the horizon.
  std::optional<int> payback_month_if_exited;
};

struct AlternativeSummary {
  std::string name;
  std::string description;
  std::vector<Outcome> runs;
  Spread total_cost_usd, usd_per_productive_gpu_hour, usd_per_million_tokens, deadline_misses, idle_fraction,
      sla_credits_usd, allocated_gpu_hours_per_month;
  double capacity_gpu_hours_per_month = 0;  // leased capacity in an average full month
  std::int64_t start_utc = 0;               // the horizon start (JobDeadline times count from it)
  std::vector<JobDeadline> jobs;            // listed (not generated) jobs with a deadline, in listed order
  std::vector<MonthCost> months;            // the ledger's months, in order
  // Over the leases carrying the `provider` rider; unset when none of this alternative's does.
  std::optional<Spread> provider_margin_usd, provider_revenue_usd;
  std::optional<double> provider_margin_fraction;  // mean margin / mean provider revenue (unset when 0)
  // Risk: the mean of the worst 10% of the replications' total costs (units::cvar at 0.9).
  double cvar90_cost_usd = 0;
  // Money over time: NPV over the replications, the mean cash flow of each month t (t = 0 is the
  // horizon start), the mean NPV of the fee lines, the discount rate used.
  Spread npv_usd;
  std::vector<double> cash_flows_usd;
  double fee_npv_usd = 0;
  double discount_rate = 0;
  bool buys = false;  // holds a `purchase` lease
  // The fee-priced committed leases' price per GPU-hour (capacity-weighted quoted price), the price
  // a lease-or-buy break-even scales; unset without such a lease.
  std::optional<double> lease_price_per_gpu_hour;
  // Provider view: the payback month (lease/finance.hpp: from it on the provider's cumulative
  // discounted cash stays ≥ 0; unset: not within the horizon), and the rent per GPU-hour (the provider-rider
  // leases' price, scaled) at which its margin is zero, SLA credits scaling with the rent.
  std::optional<int> provider_payback_month;
  std::optional<double> provider_break_even_rent_per_gpu_hour;
  std::vector<ProviderExit> provider_exits;  // the leases exit_exposed_leases() names, in lease order
};

// The leases of `in` whose exit the provider is exposed to: the `provider` rider, a termination
// clause, no notice given, and a first possible end before the term's end.
std::vector<const Lease*> exit_exposed_leases(const LedgerInput& in);

// Lease or buy: a leasing alternative against a buying one (its leases include a `purchase`). The
// break-even is the price per GPU-hour at which the leasing alternative's NPV equals the buying
// one's: every fee of the leasing alternative scaled by one factor (its NPV is linear in it:
// NPV(s) = s · fee NPV + the rest), so price = quoted price × (buy NPV − rest) / fee NPV. Usage,
// energy and SLA credits are held at their simulated values.
struct LeaseOrBuy {
  std::string lease, buy;
  double lease_npv_usd = 0, buy_npv_usd = 0;
  double price_per_gpu_hour = 0;                        // the leasing alternative's, as quoted
  std::optional<double> break_even_price_per_gpu_hour;  // unset when its fees have no NPV
};

// The price of contiguity (docs/decisions.md, "Several sites"): an alternative on several sites
// against one on a single site, on the same roadmap. A job spanning sites trains slower, so within
// the horizon the several sites may train fewer tokens W; they break even when they cost the same
// per token: NPV_sites(s) = NPV_one × W_sites / W_one (equal NPVs when both train the same tokens).
// Its NPV is linear in its price per GPU-hour as for LeaseOrBuy (every committed lease's fee
// scaled; the simulation does not read prices), so s = quoted price × (NPV_one × W_sites / W_one −
// rest) / fee NPV. Without a finance block NPV is the undiscounted total cost; W are means over
// the replications.
struct Contiguity {
  std::string one_site, sites;
  int site_count = 0;
  double one_site_npv_usd = 0, sites_npv_usd = 0;
  double one_site_tokens = 0, sites_tokens = 0;  // mean tokens trained over the horizon
  std::optional<double> one_site_price_per_gpu_hour;
  double price_per_gpu_hour = 0;                        // the several-site alternative's, as quoted
  std::optional<double> break_even_price_per_gpu_hour;  // unset when its fees have no NPV
};

// What decides the ranking, in order of keys (see rank_rule()).
enum class RankBy {
  deadline_misses_then_token_cost,
  total_cost,  // the expected (mean) cost
  productive_gpu_hour_cost,
  token_cost,
  p90_cost,     // the P90 of the total cost
  cvar90_cost,  // the mean of the worst 10% of total costs
  npv,          // the mean NPV of the cash flows
};

// The whole ranking rule, ties included: the keys of `by` in order, then the name (A–Z, bytewise).
std::string rank_rule(RankBy by);

// How two alternatives' monthly cost curves compare over demand from 0 to the larger capacity.
enum class CostOrder {
  crosses,         // each is cheaper somewhere: see `crossings`
  first_cheaper,   // first's cost ≤ second's at every demand, < at some
  second_cheaper,  // second's cost ≤ first's at every demand, < at some
  same,            // equal at every demand
};
const char* cost_order_name(CostOrder o);  // "crosses", "winner_cheaper", "versus_cheaper", "same"

// Where two alternatives' monthly costs cross as demand grows.
struct BreakEven {
  std::string first, second;  // first: the better-ranked
  CostOrder order = CostOrder::same;
  bool crosses = false;                     // order == crosses
  double gpu_hours_per_month = 0;           // the first crossing
  std::vector<double> crossings;            // every demand at which the cheaper one changes, ascending
  double utilization_of_first = 0;          // the first crossing as a share of `first`'s capacity
  double observed_gpu_hours_per_month = 0;  // mean demand the simulation put on `first`
  // The cheaper one just above zero demand and at the larger capacity; both "" when `same`.
  std::string cheaper_below, cheaper_above;
};

struct Comparison {
  std::vector<AlternativeSummary> ranked;  // best first
  std::vector<BreakEven> break_evens;      // the winner against each other alternative
  RankBy rank_by = RankBy::deadline_misses_then_token_cost;
  int replications = 0;
  bool provider_costs = false;           // some alternative's lease carries the `provider` rider
  std::optional<double> discount_rate;   // some alternative's finance block (the first's rate)
  std::vector<LeaseOrBuy> lease_or_buy;  // each leasing alternative against each buying one, in rank order
  std::vector<Contiguity> contiguity;    // each several-site alternative against each one-site one, in rank order
};

// The cost of one average full calendar month of `ledger`'s leases at a demand of `gpu_hours`,
// filled committed-first then cheapest (after ramps and lead times; no failures). Demand beyond
// every lease bursts at the first burst tenant's price, or is not served (and not billed).
units::Money monthly_cost_at(const LedgerInput& ledger, double gpu_hours);
double monthly_capacity_gpu_hours(const LedgerInput& ledger);

// Runs every alternative `replications` times: replication i of every alternative uses seed
// cluster::replication_seed(seed, i).
Comparison compare_alternatives(const std::vector<Alternative>& alternatives, int replications, std::uint64_t seed,
                                const SimulationRunner& run, RankBy rank_by = RankBy::deadline_misses_then_token_cost);

}  // namespace leasesim::lease
