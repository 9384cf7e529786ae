// Cost per job in the run document and its terminal/CSV views (lease/cost_attribution.hpp).
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>

#include "leasesim/cluster/results.hpp"
#include "leasesim/lease/ledger.hpp"
#include "leasesim/report/table.hpp"

namespace leasesim::report {

// Adds to one replication's run document: jobs[].cost_usd, usd_per_million_tokens and, for a job
// that finished before its deadline, days_before_deadline, gpu_hours_freed_before_deadline and
// freed_worth_usd (at the lease's $ per delivered GPU-hour); job_classes[].cost_usd and
// usd_per_million_tokens; lease_totals.attribution {jobs_usd, idle_usd, idle_by_tenant_usd, rule}.
// `capacity_end_s`: per tenant, the last instant (s from the horizon start) its leases provide
// capacity, clipped to the horizon: GPU-hours are freed only up to it (never past the lease's end).
void add_job_costs(nlohmann::json& doc, const lease::Ledger& ledger, const cluster::SimulationResult& result,
                   const std::map<std::string, double>& capacity_end_s = {});

// "Cost per job" (listed jobs, then generated classes, then idle capacity) of a run document
// (one replication or aggregated); empty when the document has no attribution.
std::string job_cost_text(const nlohmann::json& doc, Layout layout = Layout::narrow);
// One CSV row per listed job and generated class (`run --format csv --csv jobs`).
std::string job_cost_csv(const nlohmann::json& doc);

}  // namespace leasesim::report
