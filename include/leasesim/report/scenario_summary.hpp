// The resolved view of a scenario before any simulation: what the cluster is, what each lease
// commits and what its fee implies per GPU-hour. Printed by `leasesim run` and `leasesim validate -v`.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "leasesim/report/table.hpp"
#include "leasesim/scenario/scenario.hpp"

namespace leasesim::report {

Table cluster_table(const scenario::Scenario& s);  // one row per quantity, with its unit
Table lease_table(const scenario::Scenario& s);    // one row per lease
nlohmann::json scenario_summary_json(const scenario::Scenario& s);
std::string scenario_summary_text(const scenario::Scenario& s);

}  // namespace leasesim::report
