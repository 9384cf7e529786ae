// A plan file (`leasesim plan`), read strictly with Schema<T> like every input file:
//
//   {"scenario": "../reflection-colossus2.json", "confidence": 0.9, "replications": 10,
//    "capacity": {"min_racks": 100, "max_racks": 400},
//    "price_per_gpu_hour": "$9.90",            (optional; else leases' fees scaled per rack)
//    "jobs": ["pretrain-2t-fp8"],              (optional; default every job with a deadline)
//    "dual": true, "expect": ["answer.racks <= 300"]}
//
// The scenario layer reads it into these values; the sweep layer (sweep/plan.hpp) runs the search.
// Bound: at most max_plan_simulations simulations in the worst case (plan_simulations).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "leasesim/scenario/diagnostics.hpp"
#include "leasesim/scenario/expectation_grammar.hpp"
#include "leasesim/scenario/schema.hpp"

namespace leasesim::scenario {

inline constexpr std::int64_t max_plan_simulations = 100'000;
// `leasesim plan` says what a plan will run, before running it, beyond either (sweep/plan.hpp).
inline constexpr std::int64_t plan_note_simulations = 1'000;
inline constexpr int plan_note_racks = 10'000;

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

}  // namespace leasesim::scenario
