// What each contract type charges, behind one interface, and the registry that maps a scenario's
// `type` string to it ("fixed-monthly" → FixedMonthlyContract). A type owns its price terms (its
// struct in Lease::terms) and everything that depends on them. The ledger asks a type how much of a
// month's capacity the holder owes for whether used or not, the marginal price of a used GPU-hour
// (which orders the attribution of usage to leases: committed capacity first, then the cheapest),
// the month's charges (a fee and one usage charge, reported on the type's usage line) and the share
// of productive time it loses that the simulation did not see (spot: preemptions). SLA, resale and
// power riders apply to every type and live in the ledger.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "leasesim/cluster/inputs.hpp"
#include "leasesim/lease/contract.hpp"
#include "leasesim/units/money.hpp"

namespace leasesim::lease {

// One calendar month of one lease, as its contract type sees it.
struct BillingMonth {
  std::int64_t month_ms = 0;         // the whole calendar month
  std::int64_t active_ms = 0;        // the part of it inside the lease
  std::int64_t capacity_gpu_ms = 0;  // what the lease can supply in that part
  std::int64_t used_gpu_ms = 0;      // allocated to jobs on it (holder and borrowers)
  // Where the month lies (set by the ledger; all zero/false for an average month, as in the
  // break-even demand curves): the active part in UTC seconds, whether this is the ledger's first
  // month, and whether it is the lease's last billed month (its end or the horizon's end).
  std::int64_t from_utc = 0, to_utc = 0;
  bool first = false, last = false;
  bool dated() const { return to_utc > from_utc; }
};

// A month's charges before SLA credits, each rounded once to the micro-dollar. The usage charge is
// reported on the type's usage line (ContractType::usage_line()): a property of the type rather
// than of one bill, so every line has its report column before anything is billed.
struct Charges {
  units::Money fee;    // owed whether used or not
  units::Money usage;  // billed for use (reserved: beyond the commitment)
  units::Money total() const { return fee + usage; }
};

class ContractType {
 public:
  virtual ~ContractType() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view summary() const = 0;
  // True when the holder pays for capacity whether used or not (fills before pay-per-use leases).
  virtual bool committed() const = 0;
  // GPUs the lease can actually supply out of `gpus` of nominal capacity (on-demand: expected grant).
  virtual std::int64_t supplied_gpus(const Lease&, std::int64_t gpus) const {
    (void)gpus;
    return gpus;
  }
  // First instant the capacity is there (on-demand: after the lead time).
  virtual std::int64_t available_from(const Lease& l) const { return l.start; }
  // GPU-ms of the month owed for whether used or not (idle capacity is measured against it).
  virtual std::int64_t committed_gpu_ms(const Lease&, const BillingMonth&) const = 0;
  // Price of one more used GPU-hour once the commitment is used up.
  virtual units::Money marginal_price_per_gpu_hour(const Lease&) const = 0;
  virtual Charges bill(const Lease&, const BillingMonth&) const = 0;
  // The ledger line its usage charge is reported on, as a key stem ("overage" → `overage_usd`);
  // types may share one. Empty: the type bills no usage.
  virtual std::string_view usage_line() const { return {}; }
  // Price per GPU-hour quoted for the contract at full use of an average month, for summaries.
  virtual double quoted_price_per_gpu_hour(const Lease&, std::int64_t full_gpus) const = 0;
  // The fee per calendar month the contract names as a term (fixed-monthly), for the lease summary
  // and for scaling a lease with its racks in a plan; zero for types priced by the GPU-hour.
  virtual units::Money fee_per_month(const Lease&) const { return {}; }
  // Share of the productive GPU-time allocated on the lease that the contract turns into lost time
  // the simulation did not see (spot: preemption rework), in [0, 1].
  virtual double lost_productive_fraction(const Lease&) const { return 0; }
  // The market the lease's capacity is drawn from per replication (on-demand with a `market`), or
  // nullptr when its capacity is supplied as supplied_gpus() says.
  virtual const cluster::MarketCurve* market(const Lease& l) const {
    (void)l;
    return nullptr;
  }
  // Multiplies every price term of `l` by `factor` (each rounded once to the micro-dollar): a
  // sensitivity swing of the lease price (study/sensitivity.hpp). False when the type has no price.
  virtual bool scale_prices(Lease& l, double factor) const {
    (void)l;
    (void)factor;
    return false;
  }
};

// The registry (contract_registry.cpp lists the built-in types). nullptr for an unknown name.
const ContractType* find_contract_type(std::string_view name);
const ContractType& contract_type(const Lease& l);  // throws std::invalid_argument on an unknown type
std::vector<std::string> contract_type_names();     // in registry order
// Adds a type after the built-in ones (a type defined outside this library, e.g. in a test); `type`
// must outlive every use. Throws std::invalid_argument when its name is taken. Register before
// scenarios are read: a scenario's `type` choices are read from the registry.
void register_contract_type(const ContractType& type);
// Removes a type register_contract_type added (a test's registration for one scope); throws
// std::invalid_argument for a built-in type or a name not registered.
void deregister_contract_type(std::string_view name);

// The usage lines of the registered types: each distinct non-empty usage_line(), in registry order
// ("overage", "on_demand", "spot" for the built-in types). A ledger row's usage charges are indexed
// by position in this list.
std::vector<std::string> usage_lines();
// Position of `line` in usage_lines(); std::invalid_argument when no registered type bills it.
std::size_t usage_line_index(std::string_view line);

}  // namespace leasesim::lease
