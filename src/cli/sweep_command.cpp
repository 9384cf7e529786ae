// `leasesim sweep SWEEP.json`: run a grid of scenario variants on worker processes, one row per
// point (axis values, then metrics with mean and P10/P50/P90), durably and resumably, optionally
// one shard of it; `--expect` and the file's `expect` block check every point.
#include <fmt/format.h>

#include <cstdio>

#include "expect_option.hpp"
#include "input_kind.hpp"
#include "leasesim/cli/app.hpp"
#include "leasesim/cli/commands.hpp"
#include "leasesim/cli/output_options.hpp"
#include "leasesim/report/progress.hpp"
#include "leasesim/sweep/sweep_runner.hpp"
#include "leasesim/sweep/sweep_spec.hpp"
#include "leasesim/sweep/worker_pool.hpp"

namespace leasesim::cli {

namespace {

class SweepCommand final : public Command {
 public:
  void attach(CLI::App& app) override {
    sub_ = app.add_subcommand(
        "sweep", "Run a parameter grid of a scenario: one row per point, in parallel, resumable, shardable");
    sub_->add_option("file", file_, "Sweep file (JSON): base scenario, axes, replications, metrics, expect")
        ->required();
    sub_->add_option("-j,--jobs", workers_, "Worker processes (default: every core)")->check(CLI::Range(1, 1024));
    sub_->add_option("--out", out_, "Folder for the point files, results.csv and results.jsonl (needed for --resume)");
    sub_->add_flag("--resume", resume_, "Run only the points --out does not hold yet");
    sub_->add_option("--shard", shard_,
                     "Run only shard K of N (points with index ≡ K-1 mod N); join with 'leasesim merge'");
    sub_->add_option("--format", format_, "Table on stdout: table, csv or jsonl")
        ->check(CLI::IsMember({"table", "csv", "jsonl"}))
        ->default_str("table");
    sub_->add_option("-o,--output", output_,
                     "Write the table to FILE instead of stdout (a file is replaced atomically; a device or FIFO is "
                     "written in place)");
    sub_->add_flag("--wide", wide_,
                   "Terminal table with every column (default: the axes and the metrics' means that fit 120 columns)");
    sub_->add_flag("--strict", strict_, strict_help);
    expect_.add_to(*sub_);
  }

  int execute() override {
    auto loaded = sweep::load_sweep_file(file_);
    if (!loaded.spec) {
      if (refuse_other_kind(file_, scenario::FileKind::sweep)) return exit_bad_input;
      std::fputs(loaded.diagnostics.format().c_str(), stderr);
      return exit_bad_input;
    }
    auto spec = std::move(*loaded.spec);
    if (!expect_.append_to(spec.expect)) return exit_bad_input;
    sweep::SweepOptions options;
    if (!shard_.empty()) {
      std::string error;
      const auto shard = sweep::parse_shard(shard_, error);
      if (!shard) {
        fmt::print(stderr, "leasesim: {}\n", error);
        return exit_bad_input;
      }
      options.shard = *shard;
    }
    if (resume_ && out_.empty()) {
      fmt::print(stderr, "leasesim: --resume needs --out DIR (the folder of the interrupted sweep)\n");
      return exit_bad_input;
    }
    // Only the shard's points are loaded; their scenarios' warnings are printed once each.
    const auto points = sweep::build_points(spec, options.shard);
    if (!points.errors.empty()) {
      std::fputs(points.errors.c_str(), stderr);
      return exit_bad_input;
    }
    bool refused = false;
    for (const auto& d : points.warnings) refused = refuse_for_warnings(d, strict_) || refused;
    if (refused) return exit_bad_input;
    options.out_dir = out_;
    options.workers = workers_ > 0 ? workers_ : sweep::default_workers();
    options.resume = resume_;
    options.progress = report::stderr_is_terminal();
    const auto outcome = sweep::run_sweep(spec, points, options);
    std::fputs(outcome.errors.c_str(), stderr);
    if (outcome.exit_code == exit_bad_input) return outcome.exit_code;
    const auto& t = outcome.tables;
    const std::string text = format_ == "csv"     ? t.csv()
                             : format_ == "jsonl" ? t.jsonl()
                                                  : t.text(wide_ ? report::Layout::wide : report::Layout::narrow);
    if (output_.empty()) {
      std::fwrite(text.data(), 1, text.size(), stdout);
      std::fflush(stdout);
    } else if (const int code = write_output_file(output_, text); code != exit_ok) {
      return code;
    }
    if (resume_) fmt::print(stderr, "sweep: {} points simulated, {} already done\n", outcome.ran, outcome.reused);
    const int expectations = report_violations(outcome.violations);
    return outcome.exit_code != exit_ok ? outcome.exit_code : expectations;
  }

 private:
  std::string file_, out_, shard_, output_, format_ = "table";
  int workers_ = 0;
  bool resume_ = false, wide_ = false, strict_ = false;
  ExpectOption expect_;
};

}  // namespace

std::unique_ptr<Command> make_sweep_command() { return std::make_unique<SweepCommand>(); }

}  // namespace leasesim::cli
