// The registry of contract types' keys (contract_keys.hpp): the scenario layer's one line per type,
// beside the lease layer's (lease/contract_registry.cpp).
#include "leasesim/scenario/contract_keys.hpp"

#include <map>
#include <mutex>
#include <stdexcept>

namespace leasesim::scenario {

// The built-in types' keys, one file each.
void fixed_monthly_keys(Schema<lease::Lease>& s);  // fixed_monthly_keys.cpp
void reserved_keys(Schema<lease::Lease>& s);       // reserved_keys.cpp
void on_demand_keys(Schema<lease::Lease>& s);      // on_demand_keys.cpp
void spot_keys(Schema<lease::Lease>& s);           // spot_keys.cpp
void purchase_keys(Schema<lease::Lease>& s);       // purchase_keys.cpp

namespace {

struct Registry {
  std::mutex mutex;  // register_contract_keys may run beside lookups
  std::map<std::string, ContractKeys, std::less<>> keys{{"fixed-monthly", fixed_monthly_keys},
                                                        {"reserved", reserved_keys},
                                                        {"on-demand", on_demand_keys},
                                                        {"spot", spot_keys},
                                                        {"purchase", purchase_keys}};
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

const ContractKeys* find_contract_keys(std::string_view type) {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  const auto it = r.keys.find(type);
  return it == r.keys.end() ? nullptr : &it->second;  // map nodes stay put as entries are added
}

void register_contract_keys(std::string type, ContractKeys keys) {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  if (r.keys.count(type) > 0) throw std::invalid_argument("contract type '" + type + "' already has keys");
  r.keys.emplace(std::move(type), std::move(keys));
}

}  // namespace leasesim::scenario
