// `leasesim plan`: goal seek over the simulator. The smallest capacity (racks of the cluster, also
// shown as GPUs and a monthly cost) at which every job deadline is met with probability ≥
// `confidence` across replications, found by bisection on racks; the curve it searched; the job
// that binds. And the dual: at the scenario's own capacity, the earliest date each job can be
// promised at that confidence.
//
//   {"scenario": "../reflection-colossus2.json", "confidence": 0.9, "replications": 10,
//    "capacity": {"min_racks": 100, "max_racks": 400},
//    "price_per_gpu_hour": "$9.90",            (optional; else leases' fees scaled per rack)
//    "jobs": ["pretrain-2t-fp8"],              (optional; default every job with a deadline)
//    "dual": true, "expect": ["answer.racks <= 300"]}
//
// Every capacity runs the same seeds (common random numbers), so the curve compares capacities, not
// luck. The simulated horizon is cut to one day past the latest deadline considered: nothing after
// it changes whether a deadline was met. Bisection assumes P(deadlines met) does not fall as racks
// are added; the curve printed lets a reader check it.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "leasesim/scenario/diagnostics.hpp"
#include "leasesim/scenario/plan_file.hpp"
#include "leasesim/sweep/expectation.hpp"

namespace leasesim::sweep {

// The plan file is read by the scenario layer (scenario/plan_file.hpp); this layer runs the search.
using PlanSpec = scenario::PlanFile;
using PlanLoad = scenario::PlanFileLoad;
using scenario::load_plan_file;
using scenario::load_plan_text;

// What run_plan refuses before simulating, one line each (empty when none): the base scenario's
// problems, a `jobs` name that is no job with a deadline, a scenario without one. `leasesim
// validate` prints them.
std::string plan_problems(const PlanSpec& spec);

struct PlanOutcome {
  nlohmann::json doc;  // answer, curve, binding_job, dual (see docs/sweeps.md)
  std::string errors;  // input problems (exit 2)
  bool met = false;    // some capacity in range met the confidence
};

// A plan whose worst case is beyond scenario::max_plan_simulations is refused ("FILE: /replications:
// expected a plan of at most 100000 simulations in the worst case, found 17 capacities … = 170000"),
// by run_plan and plan_problems alike; `hi` is the largest capacity searched.
std::string cost_problem(const PlanSpec& spec, int hi);

// What a costly plan will run, said before it runs (empty when the worst case is at most
// plan_note_simulations simulations, none above plan_note_racks racks): "plan: up to 190
// simulations (19 capacities from 1 to 100000 racks × 10 replications), the largest of 100000 racks =
// 7200000 GPUs; this may take a while".
using scenario::plan_note_racks;
using scenario::plan_note_simulations;
std::string cost_note(const PlanSpec& spec, int hi, int gpus_per_rack);

// Runs the search; `workers` processes simulate the replications of each capacity; `progress`
// draws a progress line on standard error (report/progress.hpp); `on_cost` is given the cost
// note, when there is one, before the first simulation. A plan with `levers` runs run_lever_plan.
// `results`: a lever plan's results file (below); a capacity plan ignores it.
PlanOutcome run_plan(const PlanSpec& spec, int workers, bool progress = false,
                     const std::function<void(const std::string&)>& on_cost = {}, const std::string& results = "");

// A plan over lease terms (plan_levers.cpp): every combination of the levers' values (notice_given,
// racks, term, ramp, fixed_share) is a candidate, simulated on the same seeds (common random
// numbers) through study::run_replication with its ledger. The answer minimises the objective
// (expected_cost, p90_cost, cvar90 of the tenants' cost over the replications) among the candidates
// meeting every deadline with P ≥ confidence. Search: exhaustive over the grid, so the answer is the
// grid's optimum on those seeds (a date lever exact to its step); a grid beyond
// scenario::max_plan_simulations is refused. With a notice_given lever, `exit_option`: the value of
// giving notice at the best date rather than never (per replication: mean, P10/P50/P90), the lease
// end it implies, and the provider's revenue at risk and what `releasing` recovers.
//
// Resumable: with `results` a file, every finished replication is appended to it as one JSON line
// (plan fingerprint, candidate, replication, its figures) and flushed; a later run with the same
// file reads them back and simulates only the rest (`search.resumed_runs`, `search.simulated_runs`).
// A line cut short by an interruption is ignored; a file of another plan is refused.
PlanOutcome run_lever_plan(const PlanSpec& spec, int workers, bool progress, const std::string& results,
                           const std::function<void(const std::string&)>& on_cost = {});
// What run_lever_plan refuses before simulating (empty when none).
std::string lever_plan_problems(const PlanSpec& spec);

}  // namespace leasesim::sweep
