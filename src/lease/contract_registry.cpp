// The registry of contract types: the one place that maps a scenario's `type` string to the class
// that bills it. A new contract type is one class in its own file plus one line here.
#include <stdexcept>

#include "leasesim/lease/contract_type.hpp"
#include "leasesim/lease/tenant.hpp"

namespace leasesim::lease {

namespace {

const std::vector<const ContractType*>& registry() {
  static const std::vector<const ContractType*> types{&fixed_monthly_contract(), &reserved_contract(),
                                                      &on_demand_contract(), &spot_contract()};
  return types;
}

}  // namespace

const ContractType* find_contract_type(std::string_view name) {
  for (const ContractType* t : registry()) {
    if (t->name() == name) return t;
  }
  return nullptr;
}

const ContractType& contract_type(const Lease& l) {
  if (const ContractType* t = find_contract_type(l.type)) return *t;
  throw std::invalid_argument("lease '" + l.name + "': unknown contract type '" + l.type + "'");
}

std::vector<std::string> contract_type_names() {
  std::vector<std::string> names;
  for (const ContractType* t : registry()) names.emplace_back(t->name());
  return names;
}

const char* to_string(OverflowRule r) {
  switch (r) {
    case OverflowRule::queue: return "queue";
    case OverflowRule::burst: return "burst";
    case OverflowRule::borrow: return "borrow";
  }
  return "queue";
}

}  // namespace leasesim::lease
