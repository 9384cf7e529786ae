// The output options every tabular subcommand shares: --format and -o (file output that replaces a
// regular file atomically and writes a device or FIFO in place: report/output.hpp).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>

#include "leasesim/report/table.hpp"

namespace leasesim::cli {

struct OutputOptions {
  report::Format format = report::Format::table;
  std::string file;   // empty: stdout
  bool wide = false;  // --wide: every column of the terminal tables

  void add_to(CLI::App& cmd);
  // Adds --wide (commands whose terminal tables leave columns out to fit 120 columns).
  void add_wide_to(CLI::App& cmd);
  report::Layout layout() const { return wide ? report::Layout::wide : report::Layout::narrow; }
  // Writes `content` to stdout or to `file` (write_output_file); returns an exit code.
  int emit(const std::string& content) const;
};

// Writes `content` to `file` with report::write_output; on failure prints one line on stderr and
// returns exit_bad_input. A folder is refused as "leasesim: OPTION FILE: is a directory", where
// `option` is the option that named the file ("-o"; empty when the file is a default).
int write_output_file(const std::string& file, const std::string& content, std::string_view option = "-o");

}  // namespace leasesim::cli
