// `leasesim validate FILE...`: tell each file's kind from its keys (scenario, step, sweep, compare,
// plan: scenario/file_kind.hpp), load it strictly with that kind's loader — everything the command
// that reads it refuses before simulating — and print every problem, one per line.
#include <fmt/format.h>

#include <cstdio>

#include "input_kind.hpp"
#include "leasesim/cli/app.hpp"
#include "leasesim/cli/commands.hpp"
#include "leasesim/scenario/compare_file.hpp"
#include "leasesim/scenario/file_kind.hpp"
#include "leasesim/scenario/json_text.hpp"
#include "leasesim/scenario/scenario.hpp"
#include "leasesim/scenario/workload_schema.hpp"
#include "leasesim/sweep/plan.hpp"
#include "leasesim/sweep/sweep_spec.hpp"

namespace leasesim::cli {

namespace {

// Every problem the file's own command would report before simulating, one line each; its
// warnings go to `warnings` (as problems with `strict`).
std::string problems_of(const std::string& file, bool strict, std::string& warnings) {
  scenario::Diagnostics unread(file);
  const auto doc = scenario::read_json_file(file, unread);
  if (!doc) return unread.format();
  const auto with_warnings = [&](scenario::Diagnostics d) {
    if (strict) d.warnings_as_problems();
    warnings += d.format_warnings();
    return d.format();
  };
  switch (scenario::file_kind(*doc).kind) {
    case scenario::FileKind::scenario:
      return with_warnings(scenario::load_scenario_file(file).diagnostics);
    case scenario::FileKind::step:
      return with_warnings(scenario::load_step_file(file).diagnostics);
    case scenario::FileKind::compare:
      return scenario::load_compare_files(file, {}).format();
    case scenario::FileKind::sweep: {
      const auto loaded = sweep::load_sweep_file(file);
      if (!loaded.spec) return loaded.diagnostics.format();
      return sweep::build_points(*loaded.spec).errors;  // every point's scenario, and the metric paths
    }
    case scenario::FileKind::plan: {
      const auto loaded = sweep::load_plan_file(file);
      if (!loaded.spec) return loaded.diagnostics.format();
      return sweep::plan_problems(*loaded.spec);
    }
  }
  return {};
}

class ValidateCommand final : public Command {
 public:
  void attach(CLI::App& app) override {
    sub_ = app.add_subcommand(
        "validate",
        "Check scenario, step, sweep, compare and plan files (told apart by their keys); print every "
        "problem as FILE: /json/path: message");
    sub_->add_option("files", files_, "Input files (JSON)")->required();
    sub_->add_flag("-q,--quiet", quiet_, "Print nothing for valid files");
    sub_->add_flag("--strict", strict_, strict_help);
  }

  int execute() override {
    int status = exit_ok;
    for (const auto& file : files_) {
      std::string warnings;
      const auto problems = problems_of(file, strict_, warnings);
      if (!warnings.empty()) {
        std::fflush(stdout);
        std::fputs(warnings.c_str(), stderr);
      }
      if (problems.empty()) {
        if (!quiet_) fmt::print("{}: ok\n", file);
      } else {
        std::fflush(stdout);
        std::fputs(problems.c_str(), stderr);
        status = exit_bad_input;
      }
    }
    return status;
  }

 private:
  std::vector<std::string> files_;
  bool quiet_ = false;
  bool strict_ = false;
};

}  // namespace

std::unique_ptr<Command> make_validate_command() { return std::make_unique<ValidateCommand>(); }

}  // namespace leasesim::cli
