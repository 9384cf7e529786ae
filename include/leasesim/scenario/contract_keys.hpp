// The keys each contract type adds to its lease block in a scenario file: one file per type
// (fixed_monthly_keys.cpp, reserved_keys.cpp, on_demand_keys.cpp, spot_keys.cpp) and a registry
// (contract_keys.cpp) beside the lease layer's registry of types. lease_schema.cpp builds every
// type's lease block from the shared keys plus these, with no branch per type.
//
// Why the keys live here and not in the type's class: the schema machinery (Schema<T>, bounds,
// units, the generated docs) is the scenario layer's and the lease layer may not include it. A
// lease-layer description of keys for this layer to translate would be a second copy of that
// vocabulary, to grow with every new kind of key (a multi-site contract's list of site blocks, a
// purchase's depreciation schedule). So a contract type is its class in lease/ (its terms struct in
// a lease header) plus one file of keys here, with one registry line in each layer.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "leasesim/lease/contract.hpp"
#include "leasesim/scenario/schema.hpp"

namespace leasesim::scenario {

// Adds a contract type's own keys to its lease block (they follow the shared keys up to `term`).
using ContractKeys = std::function<void(Schema<lease::Lease>&)>;

// The keys of contract type `type`; nullptr when none are registered.
const ContractKeys* find_contract_keys(std::string_view type);
// The keys of a type registered outside the built-in list (lease::register_contract_type), e.g. by
// a test. Register before scenarios are read. Throws std::invalid_argument when `type` has keys.
void register_contract_keys(std::string type, ContractKeys keys);

// The keys of `terms`, read into the lease's terms as a Terms (lease::ContractTerms::edit).
template <class Terms>
void embed_terms(Schema<lease::Lease>& lease_block, const Schema<Terms>& terms) {
  lease_block.embed_via([](lease::Lease& l) -> Terms& { return l.terms.edit<Terms>(); }, terms);
}

// A duration in whole calendar months ("36 months", "3 years"), as the lease's `term` is read.
std::optional<int> read_whole_months(const Json& v, const std::string& path, Diagnostics& d);

// A price per GPU-hour or per MWh, in dollars.
inline const Bounds price_bounds = Bounds::at_least(0, 1e6);

}  // namespace leasesim::scenario
