// `leasesim plan FILE`: the smallest capacity meeting every deadline at a confidence (bisection on
// racks over replicated simulations), the curve searched, the binding job; `--dual` adds the
// dates the scenario's own capacity can promise. A plan file with `levers` searches lease terms
// instead (sweep/plan.hpp: run_lever_plan), resumable with `--results FILE`. Exit 1 when no capacity
// in range (no terms) is enough or an expectation fails.
#include <fmt/format.h>

#include <cstdio>

#include "expect_option.hpp"
#include "input_kind.hpp"
#include "leasesim/cli/app.hpp"
#include "leasesim/cli/commands.hpp"
#include "leasesim/cli/output_options.hpp"
#include "leasesim/report/plan_report.hpp"
#include "leasesim/report/progress.hpp"
#include "leasesim/scenario/scenario.hpp"
#include "leasesim/sweep/plan.hpp"
#include "leasesim/sweep/worker_pool.hpp"

namespace leasesim::cli {

namespace {

class PlanCommand final : public Command {
 public:
  void attach(CLI::App& app) override {
    sub_ = app.add_subcommand("plan",
                              "Goal seek: the smallest capacity meeting every deadline at a confidence (and the dual)");
    sub_->add_option("file", file_, "Plan file (JSON): scenario, confidence, replications, capacity range")->required();
    sub_->add_option("-j,--jobs", workers_, "Worker processes (default: every core)")->check(CLI::Range(1, 1024));
    sub_->add_option("--replications", replications_, "Override the plan's replications")->check(CLI::Range(1, 10000));
    sub_->add_option("--confidence", confidence_, "Override the plan's confidence")->check(CLI::Range(0.0, 1.0));
    sub_->add_flag("--dual", dual_, "Also print the dates the scenario's own capacity can promise at that confidence");
    sub_->add_option("--results", results_,
                     "A lever plan's results file: each finished replication is appended; run again with the same "
                     "file to resume");
    output_.add_to(*sub_);
    output_.add_wide_to(*sub_);
    sub_->add_flag("--strict", strict_, strict_help);
    expect_.add_to(*sub_);
  }

  int execute() override {
    auto loaded = sweep::load_plan_file(file_);
    if (!loaded.spec) {
      if (refuse_other_kind(file_, scenario::FileKind::plan)) return exit_bad_input;
      std::fputs(loaded.diagnostics.format().c_str(), stderr);
      return exit_bad_input;
    }
    auto spec = std::move(*loaded.spec);
    if (!expect_.append_to(spec.expect)) return exit_bad_input;
    if (replications_ > 0) spec.replications = replications_;
    if (confidence_ > 0) spec.confidence = confidence_;
    if (spec.levers && dual_) {
      fmt::print(stderr, "leasesim: plan: --dual applies to a capacity plan, not to {} (a plan over levers)\n", file_);
      return exit_bad_input;
    }
    spec.dual = spec.dual || dual_;
    // The scenario's warnings, once (not per capacity tried); a scenario with problems is reported by
    // run_plan.
    if (const auto base = scenario::load_scenario_text(spec.base.dump(), spec.base_label);
        base.scenario && refuse_for_warnings(base.diagnostics, strict_))
      return exit_bad_input;
    const auto outcome = sweep::run_plan(
        spec, workers_ > 0 ? workers_ : sweep::default_workers(), report::stderr_is_terminal(),
        [](const std::string& note) { fmt::print(stderr, "leasesim: {}\n", note); }, results_);
    if (!outcome.errors.empty()) {
      std::fputs(outcome.errors.c_str(), stderr);
      return exit_bad_input;
    }
    const auto& doc = outcome.doc;
    std::string text;
    switch (output_.format) {
      case report::Format::table:
        text = report::plan_text(doc, output_.layout());
        break;
      case report::Format::json:
        text = doc.dump(2) + "\n";
        break;
      case report::Format::csv: {
        if (spec.levers) {
          text = report::plan_levers_csv(doc);
          break;
        }
        text = "racks,gpus,p_deadlines_met,monthly_cost_usd\n";
        for (const auto& e : doc["curve"]) {
          text += fmt::format("{},{},{},{}\n", e["racks"].dump(), e["gpus"].dump(), e["p_deadlines_met"].dump(),
                              e["monthly_cost_usd"].is_null() ? "" : e["monthly_cost_usd"].dump());
        }
        break;
      }
    }
    if (const int code = output_.emit(text); code != exit_ok) return code;
    if (!outcome.met && spec.levers) {
      fmt::print(stderr, "leasesim: plan: {}\n", doc["no_terms_meet"].get<std::string>());
    } else if (!outcome.met) {
      fmt::print(stderr, "leasesim: plan: no capacity up to {} racks meets every deadline with P ≥ {}\n",
                 doc["curve"].back()["racks"].get<int>(), spec.confidence);
    }
    const int expectations = report_violations(sweep::check_expectations(doc, spec.expect));
    return outcome.met ? expectations : exit_expectation_failed;
  }

 private:
  std::string file_, results_;
  int workers_ = 0, replications_ = 0;
  double confidence_ = 0;
  bool dual_ = false, strict_ = false;
  OutputOptions output_;
  ExpectOption expect_;
};

}  // namespace

std::unique_ptr<Command> make_plan_command() { return std::make_unique<PlanCommand>(); }

}  // namespace leasesim::cli
