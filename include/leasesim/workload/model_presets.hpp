// Named model presets ("llama3-405b", "deepseek-v3", ...): a registry keyed by name so a scenario's
// `"model": "llama3-405b"` selects a TransformerSpec. Every preset carries its source; the two
// frontier models are hypothetical planning placeholders and say so.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "leasesim/workload/transformer.hpp"

namespace leasesim::workload {

// The preset called `name`, or nullptr when there is none.
const TransformerSpec* find_model_preset(std::string_view name);

// All preset names, sorted.
std::vector<std::string> model_preset_names();

}  // namespace leasesim::workload
