// --format / -o handling shared by the subcommands.
#include "leasesim/cli/output_options.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>

#include "leasesim/cli/app.hpp"
#include "leasesim/report/output.hpp"

namespace leasesim::cli {

void OutputOptions::add_to(CLI::App& cmd) {
  cmd.add_option_function<std::string>(
         "--format",
         [this](const std::string& name) {
           format = name == "json" ? report::Format::json : name == "csv" ? report::Format::csv : report::Format::table;
         },
         "Output format: table (terminal), json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->default_str("table");
  cmd.add_option("-o,--output", file,
                 "Write the output to FILE instead of stdout (a file is replaced atomically; a device or FIFO is "
                 "written in place)");
}

void OutputOptions::add_wide_to(CLI::App& cmd) {
  cmd.add_flag("--wide", wide,
               "Terminal tables with every column (today they fit 120 columns: the columns that answer the question); "
               "JSON and CSV always hold every column");
}

int OutputOptions::emit(const std::string& content) const {
  if (file.empty()) {
    std::fwrite(content.data(), 1, content.size(), stdout);
    std::fflush(stdout);
    return exit_ok;
  }
  return write_output_file(file, content);
}

int write_output_file(const std::string& file, const std::string& content, std::string_view option) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) {
    fmt::print(stderr, "leasesim: {}{}{}: is a directory\n", option, option.empty() ? "" : " ", file);
    return exit_bad_input;
  }
  if (auto why = report::write_output(file, content); !why.empty()) {
    fmt::print(stderr, "leasesim: {}\n", why);
    return exit_bad_input;
  }
  return exit_ok;
}

}  // namespace leasesim::cli
