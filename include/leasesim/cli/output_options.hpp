// The output options every tabular subcommand shares: --format and -o (atomic file output).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "leasesim/report/table.hpp"

namespace leasesim::cli {

struct OutputOptions {
  report::Format format = report::Format::table;
  std::string file;  // empty: stdout

  void add_to(CLI::App& cmd);
  // Writes `content` to stdout or atomically to `file`; returns an exit code.
  int emit(const std::string& content) const;
};

}  // namespace leasesim::cli
