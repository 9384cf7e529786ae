// `leasesim run FILE`: load a scenario, simulate it on the cluster (replications included) and
// report jobs, the GPU-hour ledger, failures and energy. `--resolve-only` prints the resolved
// scenario (cluster, leases, implied prices) without simulating.
#include <fmt/format.h>

#include <cstdio>
#include <optional>

#include "leasesim/cli/app.hpp"
#include "leasesim/cli/commands.hpp"
#include "leasesim/cli/output_options.hpp"
#include "leasesim/cluster/simulate.hpp"
#include "leasesim/report/run_report.hpp"
#include "leasesim/report/scenario_summary.hpp"
#include "leasesim/scenario/scenario.hpp"

namespace leasesim::cli {

namespace {

class RunCommand final : public Command {
 public:
  void attach(CLI::App& app) override {
    sub_ = app.add_subcommand("run", "Simulate a scenario: jobs, GPU-hour ledger, failures, energy");
    sub_->add_option("file", file_, "Scenario file (JSON)")->required();
    sub_->add_option("--replications", replications_, "Override the scenario's replications")->check(CLI::Range(1, 10000));
    sub_->add_option("--seed", seed_, "Override the scenario's seed");
    sub_->add_flag("--resolve-only", resolve_only_, "Print the resolved scenario without simulating");
    output_.add_to(*sub_);
  }

  int execute() override {
    const auto result = scenario::load_scenario_file(file_);
    if (!result.scenario) {
      std::fputs(result.diagnostics.format().c_str(), stderr);
      return exit_bad_input;
    }
    auto s = *result.scenario;
    if (replications_ > 0) s.replications = replications_;
    if (seed_) s.seed = *seed_;
    if (resolve_only_) {
      switch (output_.format) {
        case report::Format::table: return output_.emit(report::scenario_summary_text(s));
        case report::Format::json: return output_.emit(report::scenario_summary_json(s).dump(2) + "\n");
        case report::Format::csv: return output_.emit(report::cluster_table(s).to_csv());
      }
    }
    const auto results = cluster::simulate_replications(scenario::to_simulation_input(s), s.replications);
    std::vector<nlohmann::json> docs;
    for (const auto& r : results) docs.push_back(report::run_json(s, r));
    nlohmann::json doc = report::aggregate_replications(docs);
    doc["replications"] = s.replications;
    switch (output_.format) {
      case report::Format::table: return output_.emit(report::run_text(s, doc));
      case report::Format::json: return output_.emit(doc.dump(2) + "\n");
      case report::Format::csv: return output_.emit(report::run_months_csv(doc));
    }
    return exit_ok;
  }

 private:
  std::string file_;
  int replications_ = 0;
  std::optional<std::uint64_t> seed_;
  bool resolve_only_ = false;
  OutputOptions output_;
};

}  // namespace

std::unique_ptr<Command> make_run_command() { return std::make_unique<RunCommand>(); }

}  // namespace leasesim::cli
