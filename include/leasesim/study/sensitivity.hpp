// `leasesim sensitivity FILE`: which assumption moves the answer. One-at-a-time swings of named
// inputs of a scenario (throughput, failure rates, tokens, lease price, on-demand price and
// availability, checkpoint bandwidth, …) between a low and a high factor, each run through the one
// pipeline (run_scenario.hpp) on the scenario's own seeds — common random numbers: every run draws
// the same failures and the same sampled demand, so a swing measures the input, not luck. The
// result ranks the inputs by the swing of the mean cost (or of the deadline job's P90 end date).
//
//   base ─┬─ tokens × 0.80 ─▶ cost, end ┐
//         ├─ tokens × 1.25 ─▶ cost, end ┴─ swing │ ranked
//         ├─ failure_rates × 0.5 … × 2           │ table, JSON, tornado chart (report/)
//         └─ …                                   │
//
// A factor multiplies the input wherever the scenario holds it (every named job's tokens, every
// failure process's rate, every committed lease's prices…). Inputs the scenario does not hold (no
// on-demand lease: no on-demand price) are listed as skipped, with why.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "leasesim/scenario/scenario.hpp"
#include "leasesim/units/money.hpp"

namespace leasesim::study {

// A named input and how a factor applies to it.
struct SensitivityInput {
  std::string name;          // "tokens"
  std::string what;          // "every named job's tokens to train"
  double low = 1, high = 1;  // default factors
  std::string why;           // where the default range comes from (an assumption or a published spread)
  // Empty when the input applies to `s`, else why not ("no on-demand or spot lease").
  std::function<std::string(const scenario::Scenario&)> not_applicable;
  std::function<void(scenario::Scenario&, double)> apply;
};

// The catalog, in a fixed order (docs/decisions.md lists it with the ranges' sources).
const std::vector<SensitivityInput>& sensitivity_inputs();
const SensitivityInput* find_sensitivity_input(const std::string& name);

struct Swing {
  std::string input;                // a catalog name
  std::optional<double> low, high;  // unset: the catalog's defaults
};

enum class SensitivityRank { cost, end };

struct SensitivityOptions {
  std::vector<Swing> swings;  // empty: every catalog input that applies
  std::string job;  // the job whose end date is measured; empty: the first job with a deadline, else the first job
  SensitivityRank rank_by = SensitivityRank::cost;
  std::function<void(std::size_t)> on_run;  // called with the number of runs done
  // Runs `count` independent runs: run(i) in any process returns run i's figures as text, done(i,
  // text) is called here as each finishes (any order); throws when a run failed. Empty: the runs
  // run here, one after another. The cli hands in sweep::run_tasks (worker processes; this layer
  // is below sweep). Results are placed by index, so the output is the same either way.
  std::function<void(std::size_t count, const std::function<std::string(std::size_t)>& run,
                     const std::function<void(std::size_t, const std::string&)>& done)>
      run_many;
};

// One run's figures over its replications.
struct SensitivityPoint {
  double factor = 1;
  units::Money mean_cost;  // tenant cost of every lease, mean over replications (exact to the micro-dollar)
  double end_p50_s = 0, end_p90_s = 0;  // the job's end, seconds from the horizon start; unfinished = the horizon end
  int unfinished = 0;                   // replications in which the job did not finish
  double deadline_met = 0;              // share of replications meeting the job's deadline (1 without one)
};

struct SensitivityRow {
  std::string input, what, why;
  SensitivityPoint low, high;
  units::Money cost_swing;  // |cost(high) − cost(low)|
  double end_swing_s = 0;   // |P90 end(high) − P90 end(low)|
};

struct SensitivityResult {
  std::string scenario;
  std::string job;  // measured job, empty when the scenario has none
  bool has_deadline = false;
  int replications = 1;
  double horizon_s = 0;
  std::int64_t start_utc = 0;
  SensitivityPoint base;
  std::vector<SensitivityRow> rows;                          // ranked
  std::vector<std::pair<std::string, std::string>> skipped;  // input → why
  SensitivityRank rank_by = SensitivityRank::cost;
};

// How many runs `sensitivity` makes (the base plus two per applicable input), for progress.
std::size_t sensitivity_runs(const scenario::Scenario& s, const SensitivityOptions& options);

// Throws std::invalid_argument for an unknown input name (with the catalog's names), a factor ≤ 0,
// or a `job` the scenario does not name.
SensitivityResult sensitivity(const scenario::Scenario& s, const SensitivityOptions& options = {});

}  // namespace leasesim::study
