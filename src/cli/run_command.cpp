// `leasesim run FILE`: load a scenario, simulate it on the cluster (replications included) and
// report jobs, the GPU-hour ledger, failures and energy. `--resolve-only` prints the resolved
// scenario (cluster, leases, implied prices) without simulating.
#include <fmt/format.h>

#include <cstdio>
#include <optional>

#include "expect_option.hpp"
#include "input_kind.hpp"
#include "leasesim/cli/app.hpp"
#include "leasesim/cli/commands.hpp"
#include "leasesim/cli/output_options.hpp"
#include "leasesim/report/job_cost_report.hpp"
#include "leasesim/report/lease_report.hpp"
#include "leasesim/report/progress.hpp"
#include "leasesim/report/run_report.hpp"
#include "leasesim/report/scenario_summary.hpp"
#include "leasesim/scenario/scenario.hpp"
#include "leasesim/study/run_scenario.hpp"
#include "leasesim/study/sensitivity.hpp"
#include "leasesim/study/sensitivity_report.hpp"
#include "worker_runs.hpp"
#include "leasesim/sweep/expectation.hpp"

namespace leasesim::cli {

namespace {

class RunCommand final : public Command {
 public:
  void attach(CLI::App& app) override {
    sub_ = app.add_subcommand("run", "Simulate a scenario: jobs, GPU-hour ledger, failures, energy");
    sub_->add_option("file", file_, "Scenario file (JSON)")->required();
    sub_->add_option("--replications", replications_, "Override the scenario's replications")
        ->check(CLI::Range(1, 10000));
    sub_->add_option("--seed", seed_, "Override the scenario's seed");
    sub_->add_flag("--resolve-only", resolve_only_, "Print the resolved scenario without simulating");
    sub_->add_option(
            "-j,--jobs", workers_,
            "Worker processes for the replications and the scenario's sensitivity runs (default: every core; the "
            "result is the same)")
        ->check(CLI::Range(1, 1024));
    sub_->add_flag("--no-sensitivity", no_sensitivity_,
                   "Skip the scenario's `sensitivity` block (its extra runs); the Answers then leave it out");
    sub_->add_flag("--strict", strict_, strict_help);
    sub_->add_option("--csv", csv_table_,
                     "With --format csv: months (cluster ledger, one row per month), leases (one row per month x "
                     "lease x tenant) or jobs (cost per job and class, idle capacity)")
        ->check(CLI::IsMember({"months", "leases", "jobs"}))
        ->default_str("months");
    output_.add_to(*sub_);
    output_.add_wide_to(*sub_);
    sub_->add_flag("--monthly", monthly_,
                   "Terminal lease ledger with every month (default: by quarter; JSON and CSV have every month)");
    expect_.add_to(*sub_);
  }

  int execute() override {
    const auto expectations = expect_.parse();
    if (!expectations) return exit_bad_input;
    const auto result = scenario::load_scenario_file(file_);
    if (!result.scenario) {
      if (refuse_other_kind(file_, scenario::FileKind::scenario)) return exit_bad_input;
      std::fputs(result.diagnostics.format().c_str(), stderr);
      return exit_bad_input;
    }
    if (refuse_for_warnings(result.diagnostics, strict_)) return exit_bad_input;
    auto s = *result.scenario;
    // The scenario's own `expect` list joins --expect; the loader has checked its grammar.
    std::vector<sweep::Expectation> all = *expectations;
    for (const auto& text : s.expect) {
      std::string why;
      if (auto e = sweep::parse_expectation(text, why)) all.push_back(std::move(*e));
    }
    if (replications_ > 0) s.replications = replications_;
    if (seed_) s.seed = *seed_;
    if (resolve_only_) {
      switch (output_.format) {
        case report::Format::table:
          return output_.emit(report::scenario_summary_text(s));
        case report::Format::json:
          return output_.emit(report::scenario_summary_json(s).dump(2) + "\n");
        case report::Format::csv:
          return output_.emit(report::cluster_table(s).to_csv());
      }
    }
    // The scenario's own sensitivity: which input moves the answer, on the first screen. Its runs go
    // first, on worker processes (a fork must come before this process holds a SimGrid engine).
    std::optional<nlohmann::json> sensitivity;
    if (s.sensitivity && !no_sensitivity_) {
      study::SensitivityOptions o;
      for (const auto& name : s.sensitivity->inputs) o.swings.push_back({name, std::nullopt, std::nullopt});
      o.job = s.sensitivity->job;
      o.run_many = worker_runs(workers_);
      scenario::Scenario swung = s;
      swung.replications = s.sensitivity->replications;
      report::Progress sp("sensitivity", study::sensitivity_runs(swung, o), "runs");
      o.on_run = [&](std::size_t runs) { sp.update(runs); };
      try {
        sensitivity = study::sensitivity_json(study::sensitivity(swung, o));
      } catch (const std::invalid_argument& e) {
        fmt::print(stderr, "leasesim: {}: /sensitivity: {}\n", file_, e.what());
        return exit_bad_input;
      }
      sp.clear();
    }
    report::Progress progress("run", static_cast<std::size_t>(s.replications), "replications",
                              s.replications > 1 && report::stderr_is_terminal());
    study::RunOptions run_options{[&](int done) { progress.update(static_cast<std::size_t>(done)); }, {}};
    run_options.run_many = worker_runs_if_forking(workers_);
    study::RunOutcome run = study::run_scenario(s, run_options);
    progress.clear();
    if (sensitivity) run.document["sensitivity"] = std::move(*sensitivity);
    const nlohmann::json& doc = run.document;
    const lease::Ledger* first_ledger = run.ledgers.empty() ? nullptr : &run.ledgers.front();
    const int code = [&] {
      switch (output_.format) {
        case report::Format::table: {
          const report::TextOptions text_options{output_.layout(), monthly_};
          std::string text = report::run_text(s, doc, text_options);
          if (first_ledger) {
            text +=
                s.replications > 1 ? "\nLeases (replication 1; JSON has every replication's mean and P10–P90)\n" : "\n";
            text += report::lease_text(*first_ledger, text_options);
          }
          return output_.emit(text);
        }
        case report::Format::json:
          return output_.emit(doc.dump(2) + "\n");
        case report::Format::csv:
          if (csv_table_ == "jobs") {
            if (!first_ledger) {
              fmt::print(stderr, "leasesim: {} has no leases to price its jobs: use --csv months\n", file_);
              return exit_bad_input;
            }
            return output_.emit(report::job_cost_csv(doc));
          }
          if (csv_table_ == "leases") {
            if (!first_ledger) {
              fmt::print(stderr, "leasesim: {} has no leases: use --csv months\n", file_);
              return exit_bad_input;
            }
            return output_.emit(report::lease_csv(*first_ledger));
          }
          return output_.emit(report::run_months_csv(doc));
      }
      return exit_ok;
    }();
    if (code != exit_ok) return code;
    return report_violations(sweep::check_expectations(doc, all));
  }

 private:
  std::string file_;
  int replications_ = 0;
  std::optional<std::uint64_t> seed_;
  bool no_sensitivity_ = false;
  int workers_ = 0;
  bool strict_ = false;
  bool resolve_only_ = false, monthly_ = false;
  std::string csv_table_ = "months";
  OutputOptions output_;
  ExpectOption expect_;
};

}  // namespace

std::unique_ptr<Command> make_run_command() { return std::make_unique<RunCommand>(); }

}  // namespace leasesim::cli
