// Named failure models a scenario selects with `"failures": {"preset": NAME}`: the published
// cluster-wide rates of docs/references.md turned into per-node FailureProcesses
// with stated repair-time assumptions (see failure_presets.cpp and docs/cluster-model.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "leasesim/cluster/inputs.hpp"

namespace leasesim::cluster {

// Converts the rate unit papers publish (failures per 1000 node-days) to failures per node-second.
constexpr double per_1000_unit_days(double rate) { return rate / (1000.0 * 86400.0); }

// The preset called `name` (meta-rsc1, meta-rsc2, llama3-405b), or nullptr.
const FailureModel* failure_preset(std::string_view name);

// All preset names, sorted.
std::vector<std::string> failure_preset_names();

}  // namespace leasesim::cluster
