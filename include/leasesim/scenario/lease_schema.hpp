// Field definitions of `leases[]` and `tenants[]`. A lease is a `type`-tagged block: the type
// ("fixed-monthly", "reserved", "on-demand", "spot" — the lease layer's registry) chooses which
// price keys it takes; every type shares name, tenant, start, term, termination, capacity (gpus or
// racks, ramp) and the sla/resale/power/provider riders. An unknown type is reported with the
// allowed ones and a "did you mean".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "leasesim/hw/cluster.hpp"
#include "leasesim/lease/contract.hpp"
#include "leasesim/lease/tenant.hpp"
#include "leasesim/scenario/schema.hpp"

namespace leasesim::scenario {

// One lease of any type: reads `type`, then the block with that type's schema.
void read_lease(lease::Lease& out, const Json& v, const std::string& path, Diagnostics& d);
// A list of leases (at most `max_items`).
void read_leases(std::vector<lease::Lease>& out, const Json& v, const std::string& path, Diagnostics& d);
// The schema of one contract type (common keys plus its own), for docs; nullptr for an unknown type.
const Schema<lease::Lease>* lease_schema_of(const std::string& type);
// FieldDoc of a `leases` list, for the schema that holds one.
FieldDoc leases_field_doc();

const Schema<lease::Tenant>& tenant_schema();

// The provider's re-leasing of racks a tenant's exit frees (a plan file's `releasing`, a provider
// rider's `releasing`).
Schema<lease::Releasing> releasing_schema();

// Cross-checks once leases and tenants read cleanly: duplicate names, capacity beyond the cluster,
// tenants naming unknown leases or leases held twice. Fills each lease's `tenant` from the tenant
// that lists it. `base` is the JSON pointer of the object holding `leases` and `tenants`.
// With `tenants` declared, a lease's own `tenant` must be one of them.
void check_leases_and_tenants(std::vector<lease::Lease>& leases, std::vector<lease::Tenant>& tenants,
                              const hw::ClusterSpec& cluster, const std::string& base, Diagnostics& d);

// The leases' capacity must fit the cluster: at every instant (ramps and overlaps in time taken
// into account), the GPUs leased add up to at most the cluster's GPUs. Run when each lease fits
// alone (check_leases_and_tenants reports one that does not).
void check_lease_capacity(const std::vector<lease::Lease>& leases, const hw::ClusterSpec& cluster,
                          const std::string& base, Diagnostics& d);

// Every lease must overlap the horizon [horizon_start, horizon_end) (UTC seconds).
void check_lease_dates(const std::vector<lease::Lease>& leases, std::int64_t horizon_start, std::int64_t horizon_end,
                       const std::string& base, Diagnostics& d);

// The tenants holding at least one lease, in lease order (after check_leases_and_tenants filled
// each lease's holder from the tenants listing it).
std::vector<std::string> lease_holders(const std::vector<lease::Lease>& leases);

// "a, b, c".
std::string name_list(const std::vector<std::string>& names);
// "\"given\"", with " — did you mean \"x\"?" when a candidate is close.
std::string quoted_with_hint(const std::string& given, const std::vector<std::string>& candidates);

}  // namespace leasesim::scenario
