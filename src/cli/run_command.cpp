// `leasesim run FILE`: load a scenario and report on it. Today it prints the resolved scenario
// (cluster, leases, implied prices); the cluster simulation (issue 4) plugs in here.
#include <fmt/format.h>

#include <cstdio>

#include "leasesim/cli/app.hpp"
#include "leasesim/cli/commands.hpp"
#include "leasesim/cli/output_options.hpp"
#include "leasesim/report/scenario_summary.hpp"
#include "leasesim/scenario/scenario.hpp"

namespace leasesim::cli {

namespace {

class RunCommand final : public Command {
 public:
  void attach(CLI::App& app) override {
    sub_ = app.add_subcommand("run", "Load a scenario and report on it");
    sub_->add_option("file", file_, "Scenario file (JSON)")->required();
    output_.add_to(*sub_);
  }

  int execute() override {
    const auto result = scenario::load_scenario_file(file_);
    if (!result.scenario) {
      std::fputs(result.diagnostics.format().c_str(), stderr);
      return exit_bad_input;
    }
    const auto& s = *result.scenario;
    switch (output_.format) {
      case report::Format::table: return output_.emit(report::scenario_summary_text(s));
      case report::Format::json: return output_.emit(report::scenario_summary_json(s).dump(2) + "\n");
      case report::Format::csv: return output_.emit(report::cluster_table(s).to_csv());
    }
    return exit_ok;
  }

 private:
  std::string file_;
  OutputOptions output_;
};

}  // namespace

std::unique_ptr<Command> make_run_command() { return std::make_unique<RunCommand>(); }

}  // namespace leasesim::cli
