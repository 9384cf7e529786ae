// Comparing lease alternatives on one demand: each alternative (its leases, tenants and the cluster
// they add up to) runs the same replications on the same seeds — common random numbers, so job
// arrivals and failure draws differ between alternatives only where the alternatives differ — and
// is ranked on its ledger. The simulation is injected (`SimulationRunner`): `leasesim compare`
// passes cluster::simulate, tests pass a fake.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "leasesim/cluster/inputs.hpp"
#include "leasesim/cluster/results.hpp"
#include "leasesim/lease/ledger.hpp"
#include "leasesim/units/money.hpp"

namespace leasesim::lease {

struct Alternative {
  std::string name;
  std::string description;
  cluster::SimulationInput input;  // its seed is replaced by each replication's
  LedgerInput ledger;
};

using SimulationRunner = std::function<cluster::SimulationResult(const cluster::SimulationInput&)>;

// One alternative, one replication.
struct Outcome {
  std::uint64_t seed = 0;
  units::Money total_cost;  // the tenants' cost over the horizon
  units::Money sla_credits;
  double usd_per_productive_gpu_hour = 0;
  double usd_per_million_tokens = 0;
  double deadline_misses = 0;
  double idle_fraction = 0;
  double allocated_gpu_hours_per_month = 0;
};

struct Spread {
  double mean = 0, p10 = 0, p90 = 0;
};
Spread spread_of(std::vector<double> values);  // P10/P90 by linear interpolation

struct AlternativeSummary {
  std::string name;
  std::string description;
  std::vector<Outcome> runs;
  Spread total_cost_usd, usd_per_productive_gpu_hour, usd_per_million_tokens, deadline_misses, idle_fraction,
      sla_credits_usd, allocated_gpu_hours_per_month;
  double capacity_gpu_hours_per_month = 0;  // leased capacity in an average full month
};

// What decides the ranking, in order of keys.
enum class RankBy { deadline_misses_then_token_cost, total_cost, productive_gpu_hour_cost, token_cost };

// Where two alternatives' monthly costs cross as demand grows: below `gpu_hours_per_month` one is
// cheaper, above it the other.
struct BreakEven {
  std::string first, second;  // first: the better-ranked
  bool crosses = false;
  double gpu_hours_per_month = 0;
  double utilization_of_first = 0;   // as a share of `first`'s capacity
  double observed_gpu_hours_per_month = 0;  // mean demand the simulation put on `first`
  std::string cheaper_below, cheaper_above;
};

struct Comparison {
  std::vector<AlternativeSummary> ranked;  // best first
  std::vector<BreakEven> break_evens;      // the winner against each other alternative
  RankBy rank_by = RankBy::deadline_misses_then_token_cost;
  int replications = 0;
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
