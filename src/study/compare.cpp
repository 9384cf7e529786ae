// A compare file through the pipeline (see compare.hpp).
#include "leasesim/study/compare.hpp"

#include "leasesim/study/run_scenario.hpp"

namespace leasesim::study {

std::vector<lease::Alternative> alternatives_of(const scenario::CompareFile& file) {
  std::vector<lease::Alternative> out;
  out.reserve(file.alternatives.size());
  for (const auto& a : file.alternatives) {
    out.push_back(
        {a.name, a.description, scenario::to_simulation_input(a.scenario), scenario::to_ledger_input(a.scenario)});
  }
  return out;
}

int compare_replications(const scenario::CompareFile& file, const CompareOptions& options) {
  return options.replications > 0 ? options.replications
         : file.replications > 0  ? file.replications
                                  : file.base.replications;
}

lease::Comparison compare(const scenario::CompareFile& file, const CompareOptions& options) {
  std::size_t runs = 0;
  const lease::SimulationRunner simulate = [&](const cluster::SimulationInput& input) {
    auto r = run_replication(input, nullptr).result;  // the ledger is the comparison's own
    if (options.on_run) options.on_run(++runs);
    return r;
  };
  return lease::compare_alternatives(alternatives_of(file), compare_replications(file, options), file.base.seed,
                                     simulate, options.rank_by);
}

}  // namespace leasesim::study
