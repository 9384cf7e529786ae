// What `leasesim compare` prints: the ranked alternatives (mean and P10/P90 across replications of
// total cost, $/productive GPU-hour, $/M tokens, deadline misses, idle share, SLA credits) and the
// break-even demand between the winner and each other alternative, and per alternative each listed
// job's end against its deadline (and why it missed), as a table, JSON or CSV.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "leasesim/lease/comparison.hpp"
#include "leasesim/report/table.hpp"

namespace leasesim::report {

Table ranking_table(const lease::Comparison& c);
Table break_even_table(const lease::Comparison& c);
Table job_deadline_table(const lease::Comparison& c);  // per alternative, each listed job with a deadline
// Fits the terminal's 120 columns unless `layout` is wide (every column).
std::string compare_text(const std::string& title, const lease::Comparison& c, Layout layout = Layout::narrow);
nlohmann::json compare_json(const std::string& title, const lease::Comparison& c);
std::string compare_csv(const lease::Comparison& c);       // the ranking, one row per alternative
std::string compare_jobs_csv(const lease::Comparison& c);  // one row per alternative x job with a deadline
// A simulation's rejection reason, shortened where its form is known: "needs 16,384 GPUs in NVLink
// groups of 72; the cluster can hold at most 15,936 such GPUs" -> "needs 16,384 GPUs; 15,936
// schedulable". Anything else is returned as is.
std::string short_rejection(const std::string& reason);

}  // namespace leasesim::report
