// A command given another kind of file than it reads (a sweep file to `run`, a scenario to
// `sweep`) says so in one line: "FILE: this is a sweep file (has "axes"); leasesim run expects a
// scenario — use leasesim sweep".
#pragma once

#include <string>

#include "leasesim/scenario/file_kind.hpp"

namespace leasesim::cli {

// True after printing that line to stderr when FILE is clearly of another kind than `expected`.
bool refuse_other_kind(const std::string& file, scenario::FileKind expected);

}  // namespace leasesim::cli
