// --format / -o handling shared by the subcommands.
#include "leasesim/cli/output_options.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <map>

#include "leasesim/cli/app.hpp"
#include "leasesim/report/output.hpp"

namespace leasesim::cli {

void OutputOptions::add_to(CLI::App& cmd) {
  const std::map<std::string, report::Format> formats{
      {"table", report::Format::table}, {"json", report::Format::json}, {"csv", report::Format::csv}};
  cmd.add_option("--format", format, "Output format: table (terminal), json or csv")
      ->transform(CLI::CheckedTransformer(formats, CLI::ignore_case))
      ->default_str("table");
  cmd.add_option("-o,--output", file, "Write the output to FILE atomically instead of stdout");
}

int OutputOptions::emit(const std::string& content) const {
  if (file.empty()) {
    std::fwrite(content.data(), 1, content.size(), stdout);
    std::fflush(stdout);
    return exit_ok;
  }
  if (auto why = report::write_atomically(file, content); !why.empty()) {
    fmt::print(stderr, "leasesim: {}\n", why);
    return exit_bad_input;
  }
  return exit_ok;
}

}  // namespace leasesim::cli
