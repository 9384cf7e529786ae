// The `leasesim` command line: subcommands, output formats and exit codes.
//
// Exit codes: 0 success; 1 a simulation outcome the user asked to treat as failure; 2 bad usage or
// bad input (every problem printed, one line each, on stderr).
#pragma once

namespace leasesim::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_expectation_failed = 1;
inline constexpr int exit_bad_input = 2;

int run(int argc, char** argv);

}  // namespace leasesim::cli
