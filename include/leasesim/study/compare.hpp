// A compare file through the pipeline: every alternative's scenario turned into its simulation and
// ledger inputs, run on common random numbers and ranked by lease::compare_alternatives. The
// simulation behind each replication is study's (cluster::simulate on the alternative's input), so
// `leasesim compare` and every future search over lease terms price an alternative the way `run`
// prices a scenario.
#pragma once

#include <cstddef>
#include <functional>

#include "leasesim/lease/comparison.hpp"
#include "leasesim/scenario/compare_file.hpp"

namespace leasesim::study {

struct CompareOptions {
  int replications = 0;  // 0: the file's, else the base scenario's
  lease::RankBy rank_by = lease::RankBy::deadline_misses_then_token_cost;
  std::function<void(std::size_t)> on_run;  // called with the number of runs done
};

// The alternatives of `file` as the lease layer compares them (inputs and ledger inputs).
std::vector<lease::Alternative> alternatives_of(const scenario::CompareFile& file);
// Replications per alternative for `file` under `options`.
int compare_replications(const scenario::CompareFile& file, const CompareOptions& options);

// Throws std::invalid_argument when the alternatives cannot be compared (lease::compare_alternatives).
lease::Comparison compare(const scenario::CompareFile& file, const CompareOptions& options = {});

}  // namespace leasesim::study
