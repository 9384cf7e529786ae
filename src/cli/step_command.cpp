// `leasesim step FILE`: price one training iteration of a job on a cluster — the configuration
// the file fixes, or the fastest that fits when any parallelism field is "auto".
#include <fmt/format.h>

#include <cstdio>

#include "input_kind.hpp"
#include "leasesim/cli/app.hpp"
#include "leasesim/cli/commands.hpp"
#include "leasesim/cli/output_options.hpp"
#include "leasesim/perf/price_job.hpp"
#include "leasesim/report/step_report.hpp"
#include "leasesim/scenario/workload_schema.hpp"

namespace leasesim::cli {

namespace {

class StepCommand final : public Command {
 public:
  void attach(CLI::App& app) override {
    sub_ = app.add_subcommand("step", "Price one training iteration: step time, breakdown, memory, time to train");
    sub_->add_option("file", file_, "Step file: {\"cluster\": {...}, \"job\": {...}}")->required();
    sub_->add_option("--fidelity", fidelity_,
                     "Step model: analytical (closed forms) or flow (collectives as SimGrid flows on the fabric; "
                     "with auto parallelism the analytical search picks the candidates, flow prices them)")
        ->check(CLI::IsMember({"analytical", "flow"}))
        ->default_str("analytical");
    sub_->add_option("--top", top_, "With auto parallelism, also show the N next-best configurations")
        ->check(CLI::Range(0, 100));
    sub_->add_flag("--strict", strict_, strict_help);
    output_.add_to(*sub_);
    output_.add_wide_to(*sub_);
  }

  int execute() override {
    const auto loaded = scenario::load_step_file(file_);
    if (!loaded.step) {
      if (refuse_other_kind(file_, scenario::FileKind::step)) return exit_bad_input;
      std::fputs(loaded.diagnostics.format().c_str(), stderr);
      return exit_bad_input;
    }
    if (refuse_for_warnings(loaded.diagnostics, strict_)) return exit_bad_input;
    const hw::ClusterSpec& cluster = loaded.step->cluster;
    const workload::TrainingJob& job = loaded.step->job;
    const perf::Fidelity fidelity = *perf::parse_fidelity(fidelity_);  // CLI11 checked the name
    perf::PricedJob priced = perf::price_job(cluster, job, {fidelity, top_, nullptr});
    if (!priced.ok()) {
      if (job.parallelism.complete())
        fmt::print(stderr, "{}: /job/parallelism: cannot run this job: {}\n", file_, priced.error);
      else
        fmt::print(stderr, "{}: /job: no parallel configuration fits: {}\n", file_, priced.error);
      return exit_bad_input;
    }
    if (!priced.flow_error.empty()) {
      fmt::print(stderr, "{}: flow fidelity cannot price {}: {}\n", file_, "this configuration", priced.flow_error);
      return exit_bad_input;
    }
    report::StepReport rep{job, cluster, std::move(priced.best), fidelity, std::move(priced.runners_up), {}};
    if (!rep.result.fits) {
      rep.memory_hint = workload::check_memory(job, rep.result.parallelism, rep.result.usable_hbm_bytes).hint;
    }
    switch (output_.format) {
      case report::Format::table:
        return output_.emit(report::step_text(rep, output_.layout()));
      case report::Format::json:
        return output_.emit(report::step_json(rep).dump(2) + "\n");
      case report::Format::csv:
        return output_.emit(report::step_csv(rep));
    }
    return exit_ok;
  }

 private:
  std::string file_;
  std::string fidelity_ = "analytical";
  int top_ = 0;
  bool strict_ = false;
  OutputOptions output_;
};

}  // namespace

std::unique_ptr<Command> make_step_command() { return std::make_unique<StepCommand>(); }

}  // namespace leasesim::cli
