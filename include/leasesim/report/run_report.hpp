// What `leasesim run` reports after the cluster simulation: jobs, the GPU-hour ledger by state
// (total, per month, per rack), utilization, failures and energy — as terminal text, one JSON
// document, or CSV (one row per month). With replications, every number becomes
// {mean, p10, p50, p90} and every boolean a probability.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "leasesim/cluster/results.hpp"
#include "leasesim/report/table.hpp"
#include "leasesim/scenario/scenario.hpp"

namespace leasesim::report {

// One replication as a JSON document (deterministic: no wall-clock figures).
nlohmann::json run_json(const scenario::Scenario& s, const cluster::SimulationResult& r);

// Several replications of the same document, numbers → {mean, p10, p50, p90}, booleans →
// {"probability": p}, strings kept when every replication agrees.
nlohmann::json aggregate_replications(const std::vector<nlohmann::json>& docs);

// The terminal summary of a run document (one replication or aggregated), fitting the terminal's
// 120 columns unless `options` asks for the wide layout.
std::string run_text(const scenario::Scenario& s, const nlohmann::json& doc, const TextOptions& options = {});

// One CSV row per calendar month with the ledger in GPU-hours (first replication's shape).
std::string run_months_csv(const nlohmann::json& doc);

}  // namespace leasesim::report
