// `leasesim validate FILE...`: load each scenario strictly and print every problem, one per line.
#include <fmt/format.h>

#include <cstdio>

#include "leasesim/cli/app.hpp"
#include "leasesim/cli/commands.hpp"
#include "leasesim/scenario/json_text.hpp"
#include "leasesim/scenario/scenario.hpp"
#include "leasesim/scenario/workload_schema.hpp"

namespace leasesim::cli {

namespace {

// A step file holds one "job" and no "horizon"; everything else is read as a scenario.
bool is_step_file(const std::string& file) {
  scenario::Diagnostics ignored(file);
  const auto doc = scenario::read_json_file(file, ignored);
  return doc && doc->is_object() && doc->contains("job") && !doc->contains("horizon");
}

class ValidateCommand final : public Command {
 public:
  void attach(CLI::App& app) override {
    sub_ = app.add_subcommand("validate",
                              "Check scenario and step files; print every problem as FILE: /json/path: message");
    sub_->add_option("files", files_, "Scenario files (JSON)")->required();
    sub_->add_flag("-q,--quiet", quiet_, "Print nothing for valid files");
  }

  int execute() override {
    int status = exit_ok;
    for (const auto& file : files_) {
      const auto problems = is_step_file(file) ? scenario::load_step_file(file).diagnostics.format()
                                               : scenario::load_scenario_file(file).diagnostics.format();
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
};

}  // namespace

std::unique_ptr<Command> make_validate_command() { return std::make_unique<ValidateCommand>(); }

}  // namespace leasesim::cli
