// Capacity over time: what each tenant's leases provide at every instant of the horizon, as the
// cluster simulation's CapacityPlan (cluster/inputs.hpp). A lease provides its capacity from the
// first instant it is available (its start; on-demand: after the lead time) to its end (term, or an
// exercised exit), following its ramp month by month (month 1 = the calendar month of its start),
// as its contract type supplies it (on-demand: the expected granted share). The same rule lays the
// ledger out (ledger.cpp), so what is billed is what was simulated.
#pragma once

#include <cstdint>
#include <vector>

#include "leasesim/cluster/inputs.hpp"
#include "leasesim/hw/rack.hpp"
#include "leasesim/lease/contract.hpp"
#include "leasesim/lease/tenant.hpp"

namespace leasesim::lease {

// `tenants` as resolve_tenants() returns them. Times are seconds from `horizon_start_utc`. Without
// leases the plan is disabled (the whole facility, shared: an owner's view). With several sites
// (`sites`: their names, in the simulation's order) each tenant has one entry per site it holds a
// lease in, from the leases naming that site; with none, one entry per tenant from all its leases.
cluster::CapacityPlan capacity_plan(const std::vector<Lease>& leases, const std::vector<Tenant>& tenants,
                                    const hw::RackSpec& rack, std::int64_t horizon_start_utc,
                                    const std::vector<std::string>& sites = {});

}  // namespace leasesim::lease
