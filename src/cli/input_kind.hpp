// Shared by the commands that read input files. A command given another kind of file than it reads (a sweep file to
// `run`, a scenario to `sweep`) says so in one line: "FILE: this is a sweep file (has "axes"); leasesim run expects a
// scenario — use leasesim sweep".
#pragma once

#include <string>

#include "leasesim/scenario/diagnostics.hpp"
#include "leasesim/scenario/file_kind.hpp"

namespace leasesim::cli {

// True after printing that line to stderr when FILE is clearly of another kind than `expected`.
bool refuse_other_kind(const std::string& file, scenario::FileKind expected);

// A loaded file's warnings (scenario/diagnostics.hpp: a valid value that is probably a mistake),
// printed to stderr one line each; with `strict` they are errors: printed as problems, and the
// result is true (the command exits 2).
bool refuse_for_warnings(const scenario::Diagnostics& d, bool strict);

// The --strict flag of the commands that load scenario and step files.
constexpr const char* strict_help =
    "Treat warnings (valid values that are probably mistakes, e.g. a NIC 8x any in the catalog) as errors: exit 2";

}  // namespace leasesim::cli
