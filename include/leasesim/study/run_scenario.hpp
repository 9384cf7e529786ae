// The application layer: the one pipeline every command and every search runs a scenario through.
//
//   scenario ──to_simulation_input──▶ cluster::simulate ──▶ SimulationResult ─┐
//            └─to_ledger_input──────────────────────────▶ lease::build_ledger ─┴▶ run document (report/)
//
// `leasesim run`, a sweep point, a plan capacity and a compare alternative all come here: a run
// document is built in exactly one place (replication_document), so what `run` prints, what a sweep
// row reads and what a compare ranks cannot drift apart. See docs/design.md.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "leasesim/cluster/results.hpp"
#include "leasesim/lease/ledger.hpp"
#include "leasesim/scenario/scenario.hpp"

namespace leasesim::study {

// One replication through the pipeline: the simulation and, when the scenario holds leases, its
// ledger (null `ledger_input`: no ledger is built).
struct Replication {
  cluster::SimulationResult result;
  std::optional<lease::Ledger> ledger;
};
Replication run_replication(const cluster::SimulationInput& input, const lease::LedgerInput* ledger_input);

// One replication's run document, as `leasesim run` reports it: the cluster report plus, with
// leases, the lease ledger under "leases" and "lease_totals" and the cost of every job
// (report/job_cost_report.hpp). Builds the ledger from `r` when `ledger` is null.
nlohmann::json replication_document(const scenario::Scenario& s, const cluster::SimulationResult& r,
                                    const lease::Ledger* ledger = nullptr);

struct RunOptions {
  std::function<void(int)> on_replication;  // called with the number of replications done
  // When set (and there are several replications), replications 2..n run through it — run(i) returns
  // replication i + 2's document as JSON text, done(i, text) is called here as each finishes, in any
  // order — and replication 1 runs here afterwards. `results` and `ledgers` then hold replication 1
  // only; `documents` and `document` are as without it. The cli hands in the sweep's worker
  // processes (cli/worker_runs.hpp) only when this process can still fork them.
  std::function<void(std::size_t count, const std::function<std::string(std::size_t)>& run,
                     const std::function<void(std::size_t, const std::string&)>& done)>
      run_many;
};

struct RunOutcome {
  std::vector<cluster::SimulationResult> results;  // per replication, in seed order (see RunOptions::run_many)
  std::vector<lease::Ledger> ledgers;              // per replication; empty without leases
  std::vector<nlohmann::json> documents;           // per replication
  nlohmann::json document;                         // the replications aggregated (mean, P10/P50/P90)
};

// Every replication of `s` (s.replications, seeds from s.seed) through the pipeline.
RunOutcome run_scenario(const scenario::Scenario& s, const RunOptions& options = {});

}  // namespace leasesim::study
