// A plan file (`leasesim plan`), read strictly with Schema<T> like every input file:
//
//   {"scenario": "../reflection-colossus2.json", "confidence": 0.9, "replications": 10,
//    "capacity": {"min_racks": 100, "max_racks": 400},
//    "price_per_gpu_hour": "$9.90",            (optional; else leases' fees scaled per rack)
//    "jobs": ["pretrain-2t-fp8"],              (optional; default every job with a deadline)
//    "dual": true, "expect": ["answer.racks <= 300"]}
//
// Or a search over lease terms: `"levers"` (notice_given, racks, term, ramp, fixed_share), an
// `"objective"` (expected_cost, p90_cost, cvar90) subject to every deadline met at `confidence`, and
// for the provider's view of an exit `"releasing"` (price and delay of re-leasing freed racks):
//
//   {"scenario": "…", "confidence": 0.9, "replications": 10, "objective": "cvar90",
//    "levers": {"notice_given": {"lease": "partition", "from": "2026-10-01", "to": "2027-03-01", "step": "7 d"},
//               "racks": {"min": 8, "max": 14, "step": 2}, "term": [12, 24], "ramp": [[], [4, 8]],
//               "fixed_share": {"values": [0.5, 1], "on_demand_price_per_gpu_hour": "$14"}},
//    "releasing": {"price_per_gpu_hour": "$6.50", "delay": "60 d"}}
//
// The scenario layer reads it into these values; the sweep layer (sweep/plan.hpp) runs the search.
// Bound: at most max_plan_simulations simulations in the worst case (plan_capacities, plan_candidates).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "leasesim/lease/provider_costs.hpp"
#include "leasesim/scenario/diagnostics.hpp"
#include "leasesim/scenario/expectation_grammar.hpp"
#include "leasesim/scenario/schema.hpp"

namespace leasesim::scenario {

inline constexpr std::int64_t max_plan_simulations = 100'000;
// `leasesim plan` says what a plan will run, before running it, beyond either (sweep/plan.hpp).
inline constexpr std::int64_t plan_note_simulations = 1'000;
inline constexpr int plan_note_racks = 10'000;

// The notice date lever: notice given on `from`, from + step, … up to `to` (inclusive), and never.
struct NoticeLever {
  std::string lease;  // a lease with a termination clause
  std::int64_t from = 0, to = 0;
  double step_s = 7 * 86400.0;
};

struct RacksLever {
  int min = 1, max = 0, step = 1;
};

// The mix of fixed and on-demand capacity: `values` are the share of the lease's racks kept on it
// (its fee scaled alike); the rest is an on-demand lease at `on_demand_price_per_gpu_hour`.
struct FixedShareLever {
  std::vector<double> values;
  units::Money on_demand_price_per_gpu_hour;
};

struct PlanLevers {
  std::string lease;  // the lease term, ramp and fixed_share apply to (default: the scenario's only one)
  std::optional<NoticeLever> notice_given;
  std::optional<RacksLever> racks;
  std::vector<int> term;                        // months
  std::vector<std::vector<std::int64_t>> ramp;  // schedules ([] = none)
  std::optional<FixedShareLever> fixed_share;
};

enum class PlanObjective { expected_cost, p90_cost, cvar90, npv };
// exhaustive: every candidate of the grid; bisect: the notice dates bisected (sweep/plan.hpp).
enum class PlanSearch { exhaustive, bisect };
const char* objective_name(PlanObjective o);  // "expected_cost", …

using Releasing = lease::Releasing;  // lease/provider_costs.hpp; read by releasing_schema() (lease_schema.hpp)

struct PlanFile {
  std::string label;
  std::string base_dir;  // where a scenario path is relative to (set before reading)
  std::string description;
  Json base;  // the scenario document
  std::string base_label;
  double confidence = 0.9;
  int replications = 10;
  std::optional<std::uint64_t> seed;
  int min_racks = 1, max_racks = 0;  // max 0: the scenario's racks
  std::optional<double> price_per_gpu_hour;
  std::vector<std::string> jobs;
  bool dual = false;
  std::vector<Expectation> expect;
  bool has_capacity = false;  // the file gave a `capacity` block
  std::optional<PlanLevers> levers;
  PlanObjective objective = PlanObjective::expected_cost;
  PlanSearch search = PlanSearch::exhaustive;
  std::optional<Releasing> releasing;
};

struct PlanFileLoad {
  std::optional<PlanFile> spec;
  Diagnostics diagnostics;
};

PlanFileLoad load_plan_file(const std::string& path);
PlanFileLoad load_plan_text(std::string_view text, const std::string& label, const std::string& base_dir);

const Schema<PlanFile>& plan_file_schema();

// The most capacities the bisection over [lo, hi] racks evaluates (both ends, then halving), and
// with `dual` the scenario's own: times `replications`, the simulations a plan may run.
std::int64_t plan_capacities(int lo, int hi, bool dual);

// The candidates a lever plan evaluates: the product of every lever's values (notice dates count
// `never` too); `hi_racks` stands for a racks lever's max 0 (the scenario's racks). Times
// `replications`, the simulations it runs.
std::int64_t plan_candidates(const PlanLevers& levers, int hi_racks);
// The most candidates a search evaluates: the grid with `exhaustive`; with `bisect`, per combination
// of the other levers never, the last date and ⌈log2(dates)⌉ more.
std::int64_t plan_evaluations(const PlanLevers& levers, int hi_racks, PlanSearch search);
// The values of the notice date lever, in order (UTC seconds), without `never`.
std::vector<std::int64_t> notice_dates(const NoticeLever& n);

}  // namespace leasesim::scenario
