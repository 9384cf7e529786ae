// `leasesim validate FILE...`: load each scenario strictly and print every problem, one per line.
#include <fmt/format.h>

#include <cstdio>

#include "leasesim/cli/app.hpp"
#include "leasesim/cli/commands.hpp"
#include "leasesim/scenario/scenario.hpp"

namespace leasesim::cli {

namespace {

class ValidateCommand final : public Command {
 public:
  void attach(CLI::App& app) override {
    sub_ = app.add_subcommand("validate", "Check scenario files; print every problem as FILE: /json/path: message");
    sub_->add_option("files", files_, "Scenario files (JSON)")->required();
    sub_->add_flag("-q,--quiet", quiet_, "Print nothing for valid files");
  }

  int execute() override {
    int status = exit_ok;
    for (const auto& file : files_) {
      const auto result = scenario::load_scenario_file(file);
      if (result.scenario) {
        if (!quiet_) fmt::print("{}: ok\n", file);
      } else {
        std::fputs(result.diagnostics.format().c_str(), stderr);
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
