// What each contract type charges, behind one interface, and the registry that maps a scenario's
// `type` string to it ("fixed-monthly" → FixedMonthlyContract). The ledger asks a type three things:
// how much of a month's capacity the holder owes for whether used or not, the marginal price of a
// used GPU-hour (which orders the attribution of usage to leases: committed capacity first, then
// the cheapest), and the month's charges. SLA, resale and power riders apply to every type and
// live in the ledger.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "leasesim/lease/contract.hpp"
#include "leasesim/units/money.hpp"

namespace leasesim::lease {

// One calendar month of one lease, as its contract type sees it.
struct BillingMonth {
  std::int64_t month_ms = 0;         // the whole calendar month
  std::int64_t active_ms = 0;        // the part of it inside the lease
  std::int64_t capacity_gpu_ms = 0;  // what the lease can supply in that part
  std::int64_t used_gpu_ms = 0;      // allocated to jobs on it (holder and borrowers)
};

// A month's charges before SLA credits, each rounded once to the micro-dollar.
struct Charges {
  units::Money fee;        // owed whether used or not
  units::Money overage;    // reserved: use beyond the commitment
  units::Money on_demand;  // on-demand: use
  units::Money spot;       // spot: use
  units::Money total() const { return fee + overage + on_demand + spot; }
};

class ContractType {
 public:
  virtual ~ContractType() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view summary() const = 0;
  // True when the holder pays for capacity whether used or not (fills before pay-per-use leases).
  virtual bool committed() const = 0;
  // GPUs the lease can actually supply out of `gpus` of nominal capacity (on-demand: expected grant).
  virtual std::int64_t supplied_gpus(const Lease&, std::int64_t gpus) const { (void)gpus; return gpus; }
  // First instant the capacity is there (on-demand: after the lead time).
  virtual std::int64_t available_from(const Lease& l) const { return l.start; }
  // GPU-ms of the month owed for whether used or not (idle capacity is measured against it).
  virtual std::int64_t committed_gpu_ms(const Lease&, const BillingMonth&) const = 0;
  // Price of one more used GPU-hour once the commitment is used up.
  virtual units::Money marginal_price_per_gpu_hour(const Lease&) const = 0;
  virtual Charges bill(const Lease&, const BillingMonth&) const = 0;
  // Price per GPU-hour quoted for the contract at full use of an average month, for summaries.
  virtual double quoted_price_per_gpu_hour(const Lease&, std::int64_t full_gpus) const = 0;
};

// The contract types, one class each (fixed_monthly.cpp, reserved.cpp, on_demand.cpp, spot.cpp).
const ContractType& fixed_monthly_contract();
const ContractType& reserved_contract();
const ContractType& on_demand_contract();
const ContractType& spot_contract();

// The registry. nullptr for an unknown name.
const ContractType* find_contract_type(std::string_view name);
const ContractType& contract_type(const Lease& l);  // throws std::invalid_argument on an unknown type
std::vector<std::string> contract_type_names();     // in registry order

}  // namespace leasesim::lease
