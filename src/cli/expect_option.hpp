// `--expect 'PATH OP VALUE'` (repeatable), shared by run, sweep and plan: parsing the texts, and
// printing violations as "leasesim: expectation failed: …" lines (exit code 1 follows).
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "leasesim/sweep/expectation.hpp"

namespace leasesim::cli {

struct ExpectOption {
  std::vector<std::string> texts;

  void add_to(CLI::App& cmd);
  // The parsed expectations, or nothing after printing every malformed one to stderr.
  std::optional<std::vector<sweep::Expectation>> parse() const;
  // Appends the parsed expectations to a file's own list; false after printing the malformed ones.
  bool append_to(std::vector<sweep::Expectation>& list) const;
};

// Prints each violation on its own line to stderr; returns exit_expectation_failed when any, else exit_ok.
int report_violations(const std::vector<std::string>& violations);

}  // namespace leasesim::cli
