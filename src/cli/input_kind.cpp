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

}  // namespace leasesim::cli
