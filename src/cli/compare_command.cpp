// `leasesim compare FILE [--alt FILE…]`: run every lease alternative of a compare file on the same
// demand and seeds, and rank them (see scenario/compare_file.hpp and lease/comparison.hpp).
#include <fmt/format.h>

#include <cstdio>
#include <map>
#include <stdexcept>
#include <vector>

#include "input_kind.hpp"
#include "leasesim/cli/app.hpp"
#include "leasesim/cli/commands.hpp"
#include "leasesim/cli/output_options.hpp"
#include "leasesim/lease/comparison.hpp"
#include "leasesim/report/compare_report.hpp"
#include "leasesim/report/progress.hpp"
#include "leasesim/scenario/compare_file.hpp"
#include "leasesim/study/compare.hpp"

namespace leasesim::cli {

namespace {

// Every ranking key, by its CLI name; the spellings (expected_cost, p90_cost, cvar90) too.
const std::map<std::string, lease::RankBy> rank_names{
    {"misses-then-tokens", lease::RankBy::deadline_misses_then_token_cost},
    {"total-cost", lease::RankBy::total_cost},
    {"expected-cost", lease::RankBy::total_cost},
    {"expected_cost", lease::RankBy::total_cost},
    {"productive-gpu-hour", lease::RankBy::productive_gpu_hour_cost},
    {"tokens", lease::RankBy::token_cost},
    {"p90-cost", lease::RankBy::p90_cost},
    {"p90_cost", lease::RankBy::p90_cost},
    {"cvar90", lease::RankBy::cvar90_cost},
    {"npv", lease::RankBy::npv}};

std::vector<std::string> rank_keys() {
  std::vector<std::string> keys;
  for (const auto& [name, by] : rank_names) keys.push_back(name);
  return keys;
}

class CompareCommand final : public Command {
 public:
  void attach(CLI::App& app) override {
    sub_ = app.add_subcommand("compare", "Run lease alternatives on one demand and rank them");
    sub_->add_option("file", file_, "Compare file (JSON): a base scenario and two or more alternatives")->required();
    sub_->add_option("--alt", extra_, "A file holding more alternatives (repeatable)");
    sub_->add_option("--replications", replications_, "Replications per alternative (default: the file's)")
        ->check(CLI::Range(1, 10'000));
    sub_->add_option("--rank-by", rank_by_,
                     "misses-then-tokens (default), expected-cost (= total-cost), p90-cost, cvar90, npv, "
                     "productive-gpu-hour, tokens (expected_cost and p90_cost also accepted)")
        ->check(CLI::IsMember(rank_keys()));
    sub_->add_option("--csv", csv_table_,
                     "With --format csv: ranking (one row per alternative) or jobs (one row per alternative x job "
                     "with a deadline)")
        ->check(CLI::IsMember({"ranking", "jobs"}))
        ->default_str("ranking");
    sub_->add_flag("--strict", strict_, strict_help);
    output_.add_to(*sub_);
    output_.add_wide_to(*sub_);
  }

  int execute() override {
    const auto load = scenario::load_compare_files(file_, extra_);
    if (!load.file) {
      if (refuse_other_kind(file_, scenario::FileKind::compare)) return exit_bad_input;
      std::fputs(load.format().c_str(), stderr);
      return exit_bad_input;
    }
    // The warnings of the compare file (its alternatives' leases) and of its base scenario, once each.
    bool refused = false;
    for (const auto& d : load.diagnostics) refused = refuse_for_warnings(d, strict_) || refused;
    if (refused) return exit_bad_input;
    const auto& f = *load.file;
    study::CompareOptions options;
    options.replications = replications_;
    options.rank_by = rank_names.at(rank_by_);
    report::Progress progress(
        "compare", f.alternatives.size() * static_cast<std::size_t>(study::compare_replications(f, options)), "runs");
    options.on_run = [&](std::size_t runs) { progress.update(runs); };
    lease::Comparison c;
    try {
      c = study::compare(f, options);
    } catch (const std::invalid_argument& e) {
      fmt::print(stderr, "leasesim: {}: {}\n", file_, e.what());
      return exit_bad_input;
    }
    progress.clear();
    switch (output_.format) {
      case report::Format::table:
        return output_.emit(report::compare_text(f.name, c, output_.layout()));
      case report::Format::json:
        return output_.emit(report::compare_json(f.name, c).dump(2) + "\n");
      case report::Format::csv:
        return output_.emit(csv_table_ == "jobs" ? report::compare_jobs_csv(c) : report::compare_csv(c));
    }
    return exit_ok;
  }

 private:
  std::string file_;
  std::vector<std::string> extra_;
  int replications_ = 0;
  std::string rank_by_ = "misses-then-tokens";
  std::string csv_table_ = "ranking";
  bool strict_ = false;
  OutputOptions output_;
};

}  // namespace

std::unique_ptr<Command> make_compare_command() { return std::make_unique<CompareCommand>(); }

}  // namespace leasesim::cli
