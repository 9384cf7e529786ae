// How a step's collectives are priced: the one representation of "fidelity" for every layer (the
// scenario key `fidelity`, `leasesim step --fidelity`, the cluster simulation, a step result).
#pragma once

#include <optional>
#include <string_view>

namespace leasesim::perf {

enum class Fidelity {
  analytical,  // closed forms (collective_cost.hpp), microseconds per step
  flow,        // the collectives run as SimGrid flows on the fabric (flow_step_model.hpp)
};

// "analytical" or "flow": the scenario key's value and the JSON output's.
constexpr std::string_view fidelity_name(Fidelity f) { return f == Fidelity::flow ? "flow" : "analytical"; }
constexpr std::optional<Fidelity> parse_fidelity(std::string_view s) {
  if (s == "analytical") return Fidelity::analytical;
  if (s == "flow") return Fidelity::flow;
  return std::nullopt;
}

}  // namespace leasesim::perf
