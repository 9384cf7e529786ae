// libFuzzer target for `leasesim report`'s inputs (report/html_report.hpp): any byte string must be
// told apart as a run, compare, plan or sweep result and made into a page — with every key the page
// reads and the document lacks named — or refused with one line; never a crash or sanitizer report.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "leasesim/report/html_report.hpp"

namespace leasesim::report {

// The charting libraries are compiled in from web/node_modules (cmake/embed_web.cmake), which the
// fuzz build leaves out: the page is made without them.
const std::vector<std::array<std::string_view, 5>>& embedded_chart_libraries() {
  static const std::vector<std::array<std::string_view, 5>> none;
  return none;
}

}  // namespace leasesim::report

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace leasesim::report;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto load = parse_report_input(text, "fuzz.json");
  if (!load.input) {
    if (load.error.empty() || load.error.find('\n') != std::string::npos) __builtin_trap();  // one line
    return 0;
  }
  const auto page = html_report_checked(*load.input);
  if (page.html.empty()) __builtin_trap();
  for (const auto& line : page.missing) {
    if (line.rfind("fuzz.json: ", 0) != 0) __builtin_trap();
  }
  return 0;
}
