// libFuzzer target for the scenario loader: any byte string must yield a scenario or a list of
// problems — never a crash, hang, leak, uncaught exception or sanitizer report. Valid inputs are
// also rendered, so the summary code sees whatever the loader lets through.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "leasesim/report/scenario_summary.hpp"
#include "leasesim/scenario/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto result = leasesim::scenario::load_scenario_text(text, "fuzz.json");
  if (result.scenario) {
    (void)leasesim::report::scenario_summary_text(*result.scenario);
    (void)leasesim::report::scenario_summary_json(*result.scenario).dump();
  } else if (result.diagnostics.ok()) {
    __builtin_trap();  // no scenario must mean at least one problem
  }
  return 0;
}
