// The registry of contract types: the one place that maps a scenario's `type` string to the class
// that bills it. A new contract type is one class in its own file (its terms in a header when other
// code builds them) plus its line here — the declaration and the list entry below; its keys in a
// scenario file are one file and one line in the scenario layer (scenario/contract_keys.hpp).
// The list is explicit rather than filled by static registrars in each type's file: a static
// library drops an object file nothing refers to, and its registrar with it.
#include <algorithm>
#include <mutex>
#include <stdexcept>

#include "leasesim/lease/contract_type.hpp"
#include "leasesim/lease/tenant.hpp"

namespace leasesim::lease {

// The built-in types, one class each.
const ContractType& fixed_monthly_contract();  // fixed_monthly.cpp
const ContractType& reserved_contract();       // reserved.cpp
const ContractType& on_demand_contract();      // on_demand.cpp
const ContractType& spot_contract();           // spot.cpp
const ContractType& purchase_contract();       // purchase.cpp

namespace {

struct Registry {
  std::mutex mutex;  // register_contract_type may run beside lookups
  std::vector<const ContractType*> types{&fixed_monthly_contract(), &reserved_contract(), &on_demand_contract(),
                                         &spot_contract(), &purchase_contract()};
  const std::size_t built_in = types.size();
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

const ContractType* find_contract_type(std::string_view name) {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  for (const ContractType* t : r.types) {
    if (t->name() == name) return t;
  }
  return nullptr;
}

const ContractType& contract_type(const Lease& l) {
  if (const ContractType* t = find_contract_type(l.type)) return *t;
  throw std::invalid_argument("lease '" + l.name + "': unknown contract type '" + l.type + "'");
}

std::vector<std::string> contract_type_names() {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  std::vector<std::string> names;
  for (const ContractType* t : r.types) names.emplace_back(t->name());
  return names;
}

void register_contract_type(const ContractType& type) {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  for (const ContractType* t : r.types) {
    if (t->name() == type.name()) {
      throw std::invalid_argument("contract type '" + std::string(type.name()) + "' is already registered");
    }
  }
  r.types.push_back(&type);
}

void deregister_contract_type(std::string_view name) {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  const auto added = r.types.begin() + static_cast<std::ptrdiff_t>(r.built_in);
  const auto it = std::find_if(added, r.types.end(), [name](const ContractType* t) { return t->name() == name; });
  if (it == r.types.end()) {
    throw std::invalid_argument("contract type '" + std::string(name) +
                                "' is not a registered one that may be removed");
  }
  r.types.erase(it);
}

std::vector<std::string> usage_lines() {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  std::vector<std::string> lines;
  for (const ContractType* t : r.types) {
    const std::string line(t->usage_line());
    if (!line.empty() && std::find(lines.begin(), lines.end(), line) == lines.end()) lines.push_back(line);
  }
  return lines;
}

std::size_t usage_line_index(std::string_view line) {
  const auto lines = usage_lines();
  const auto it = std::find(lines.begin(), lines.end(), line);
  if (line.empty() || it == lines.end()) {
    throw std::invalid_argument("no registered contract type bills usage on line '" + std::string(line) + "'");
  }
  return static_cast<std::size_t>(it - lines.begin());
}

const char* to_string(OverflowRule r) {
  switch (r) {
    case OverflowRule::queue:
      return "queue";
    case OverflowRule::burst:
      return "burst";
    case OverflowRule::borrow:
      return "borrow";
  }
  return "queue";
}

}  // namespace leasesim::lease
