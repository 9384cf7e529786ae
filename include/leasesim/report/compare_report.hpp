// What `leasesim compare` prints: the ranked alternatives (mean and P10/P90 across replications of
// total cost, $/productive GPU-hour, $/M tokens, deadline misses, idle share, SLA credits) and the
// break-even demand between the winner and each other alternative, as a table, JSON or CSV.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "leasesim/lease/comparison.hpp"
#include "leasesim/report/table.hpp"

namespace leasesim::report {

Table ranking_table(const lease::Comparison& c);
Table break_even_table(const lease::Comparison& c);
std::string compare_text(const std::string& title, const lease::Comparison& c);
nlohmann::json compare_json(const std::string& title, const lease::Comparison& c);
std::string compare_csv(const lease::Comparison& c);  // the ranking, one row per alternative

}  // namespace leasesim::report
