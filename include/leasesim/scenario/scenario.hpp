// A scenario: the whole input of one simulation, as typed and validated values.
//
// `load_scenario_file` reads a JSON file strictly (see schema.hpp): every problem in the file is
// reported in one pass, and a scenario comes back only when there are none.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leasesim/cluster/inputs.hpp"
#include "leasesim/hw/cluster.hpp"
#include "leasesim/lease/contract.hpp"
#include "leasesim/lease/ledger.hpp"
#include "leasesim/lease/tenant.hpp"
#include "leasesim/scenario/cluster_run_schema.hpp"
#include "leasesim/scenario/diagnostics.hpp"
#include "leasesim/scenario/schema.hpp"

namespace leasesim::scenario {

// The most jobs a scenario's generators may draw over its horizon, on average (the sum over the
// generators of arrivals_per_day × the days each is active): the simulation's cost grows faster than
// its jobs (219,000 take about 30 s on one core), so a typo such as 1e6 arrivals a day is refused
// before simulating instead of running for hours.
inline constexpr std::int64_t max_generated_jobs = 200'000;

// The simulated period.
struct Horizon {
  std::int64_t start = 0;  // UTC seconds
  double length_s = 0;
};

// The inputs `leasesim sensitivity` can swing (study/sensitivity.hpp holds how each applies; a test
// keeps the two lists equal).
const std::vector<std::string>& sensitivity_input_names();

// A sensitivity the run answers on its first screen ("which input moves the answer"): the named
// inputs swung low and high at their catalog ranges, each run with `replications` replications.
struct SensitivityRequest {
  std::vector<std::string> inputs;
  int replications = 2;
  std::string job;  // empty: the first job with a deadline
};

// One site of a scenario with several (docs/leases.md, "Several sites"): a cluster block and its
// leases. The scenario's `cluster` is then the first site's with every site's racks, and its
// `leases` are every site's, each naming its site (lease::Lease::site).
struct SiteBlock {
  std::string name;
  hw::ClusterSpec cluster;
  std::vector<lease::Lease> leases;
};

struct Scenario {
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  hw::ClusterSpec cluster;
  Horizon horizon;
  std::vector<lease::Lease> leases;
  std::vector<lease::Tenant> tenants;     // as declared; lease::resolve_tenants adds undeclared holders
  std::optional<lease::Finance> finance;  // `finance`: discounting of cash flows (lease/finance.hpp)
  std::vector<ScenarioJob> jobs;
  std::vector<ScenarioJobClass> generators;
  cluster::FailureModel failures;
  cluster::SchedulerSpec scheduler;
  int replications = 1;
  cluster::Fidelity fidelity = cluster::Fidelity::analytical;
  // Step-model uncertainty (cluster::SimulationInput::sample_throughput / throughput_scale).
  bool sample_throughput = false;
  double throughput_scale = 1.0;
  // Assertions on the run's result ('PATH OP VALUE', as `leasesim run --expect`); `run` checks them.
  std::vector<std::string> expect;
  std::optional<SensitivityRequest> sensitivity;
  std::vector<SiteBlock> sites;            // empty: one site, `cluster` and `leases` at the top level
  std::optional<hw::SiteSpan> inter_site;  // the link between two sites (its `sites` unused)
};

// Several sites: the merged cluster and leases from `sc.sites` (each lease naming its site), and
// the checks that need the merged scenario; problems at /sites/… (a no-op without sites).
void merge_sites(Scenario& sc, const std::string& base, Diagnostics& d);

// The simulation's input: dates turned into offsets from the horizon start.
cluster::SimulationInput to_simulation_input(const Scenario& s);
// The ledger's input: the rack, PUE, failure model, leases and resolved tenants.
lease::LedgerInput to_ledger_input(const Scenario& s);

struct LoadResult {
  std::optional<Scenario> scenario;  // set only when there were no problems
  Diagnostics diagnostics;
};

LoadResult load_scenario_file(const std::string& path);
// `label` names the input in messages (a file name, or "<stdin>").
LoadResult load_scenario_text(std::string_view text, const std::string& label);

// The field definitions of a scenario file, for validation and generated docs.
const Schema<Scenario>& scenario_schema();
// One entry of a scenario's `sites` (a compare alternative's too).
const Schema<SiteBlock>& site_schema();

}  // namespace leasesim::scenario
