// The one-line refusal of a file of another kind (see input_kind.hpp).
#include "input_kind.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "leasesim/scenario/json_text.hpp"

namespace leasesim::cli {

bool refuse_other_kind(const std::string& file, scenario::FileKind expected) {
  scenario::Diagnostics ignored(file);
  const auto doc = scenario::read_json_file(file, ignored);
  if (!doc) return false;
  const auto why = scenario::wrong_kind(*doc, expected);
  if (!why) return false;
  std::fflush(stdout);
  fmt::print(stderr, "{}: {}\n", file, *why);
  return true;
}

bool refuse_for_warnings(const scenario::Diagnostics& d, bool strict) {
  if (d.warnings().empty()) return false;
  std::fflush(stdout);
  if (!strict) {
    std::fputs(d.format_warnings().c_str(), stderr);
    return false;
  }
  scenario::Diagnostics as_errors = d;
  as_errors.warnings_as_problems();
  std::fputs(as_errors.format().c_str(), stderr);
  return true;
}

}  // namespace leasesim::cli
