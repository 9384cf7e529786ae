// libFuzzer target for the compare file reader (scenario/compare_file.hpp): a comparison or a list
// of problems, never a crash; an accepted file's alternatives are valid scenarios of their own.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "leasesim/scenario/compare_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace leasesim::scenario;
  const std::string text = leasesim::fuzz::without_unsafe_paths({reinterpret_cast<const char*>(data), size}, "base",
                                                                "sweeps/small-cluster.json");
  const auto load = load_compare_text(text, "fuzz.json", leasesim::fuzz::scenarios);
  if (!load.file) {
    if (load.ok()) __builtin_trap();
    return 0;
  }
  for (const auto& alt : load.file->alternatives) {
    if (alt.name.empty() || alt.scenario.cluster.racks < 1) __builtin_trap();
  }
  return 0;
}
