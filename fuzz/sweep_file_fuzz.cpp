// libFuzzer target for the sweep file reader (scenario/sweep_file.hpp): any byte string must yield
// a sweep or a list of problems — never a crash, hang, leak, uncaught exception or sanitizer report
// — and an accepted sweep must stay within its bounds.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "leasesim/scenario/sweep_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace leasesim::scenario;
  const std::string text = leasesim::fuzz::without_unsafe_paths({reinterpret_cast<const char*>(data), size}, "scenario",
                                                                "small-cluster.json");
  const auto load = load_sweep_text(text, "fuzz.json", leasesim::fuzz::sweeps);
  if (!load.spec) {
    if (load.diagnostics.ok()) __builtin_trap();  // no sweep must mean at least one problem
    return 0;
  }
  std::size_t points = 1;
  for (const auto& g : load.spec->groups) {
    if (g.axes.empty() || g.size() == 0) __builtin_trap();
    for (const auto& a : g.axes) {
      if (a.values.size() != g.size() || a.pointer.empty() || a.name.empty()) __builtin_trap();
    }
    points *= g.size();
    if (points > max_sweep_points) __builtin_trap();
  }
  return 0;
}
