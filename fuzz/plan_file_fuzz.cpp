// libFuzzer target for the plan file reader (scenario/plan_file.hpp): a plan or a list of problems,
// never a crash; an accepted plan's values are within their bounds.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "leasesim/scenario/plan_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace leasesim::scenario;
  const std::string text = leasesim::fuzz::without_unsafe_paths({reinterpret_cast<const char*>(data), size}, "scenario",
                                                                "small-cluster.json");
  const auto load = load_plan_text(text, "fuzz.json", leasesim::fuzz::sweeps);
  if (!load.spec) {
    if (load.diagnostics.ok()) __builtin_trap();
    return 0;
  }
  const PlanFile& p = *load.spec;
  if (!(p.confidence > 0 && p.confidence <= 1) || p.replications < 1 || p.min_racks < 1) __builtin_trap();
  if (p.max_racks > 0 && p.min_racks > p.max_racks) __builtin_trap();
  if (plan_capacities(p.min_racks, p.max_racks > 0 ? p.max_racks : 100'000, p.dual) > 40)
    __builtin_trap();  // bisection: log2
  return 0;
}
