// Cost per job, not pooled (docs/leases.md, "Cost attribution"). Every lease-month row's tenant cost
// (charges − credits, energy included) is split once between the jobs that used it and the idle
// committed capacity nobody used, in proportion to the row's allocated and idle GPU-ms (failed and
// spare time are part of the price of what was delivered, so they weigh on both sides alike). The
// jobs' part of a tenant's month goes to its jobs by the GPU-ms each was allocated that month
// (productive, checkpointing, restarting and rolled-back time alike: a restart is the job's cost).
// The idle part stays a line of its own, attributed to the tenant holding the idle lease. Every
// split is exact: job costs plus idle costs equal the ledger's total tenant cost to the micro-dollar.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "leasesim/cluster/results.hpp"
#include "leasesim/lease/ledger.hpp"
#include "leasesim/units/money.hpp"

namespace leasesim::lease {

struct CostAttribution {
  std::vector<units::Money> job_cost;                  // per SimulationResult::jobs index
  std::map<std::string, units::Money> idle_by_tenant;  // idle committed capacity, by holder
  units::Money jobs_total, idle_total;
};

CostAttribution attribute_costs(const Ledger& ledger, const cluster::SimulationResult& result);

}  // namespace leasesim::lease
