// `leasesim merge DIR...`: join the output folders of a sharded sweep into one, identical byte for
// byte to what the unsharded sweep writes.
#include <fmt/format.h>

#include <cstdio>

#include "expect_option.hpp"
#include "leasesim/cli/app.hpp"
#include "leasesim/cli/commands.hpp"
#include "leasesim/sweep/sweep_runner.hpp"

namespace leasesim::cli {

namespace {

class MergeCommand final : public Command {
 public:
  void attach(CLI::App& app) override {
    sub_ = app.add_subcommand("merge", "Join the --out folders of sweep shards into one result");
    sub_->add_option("dirs", dirs_, "Shard output folders")->required();
    sub_->add_option("--out", out_, "Folder for the merged points, results.csv and results.jsonl");
    sub_->add_option("--format", format_, "Table on stdout: table, csv or jsonl")
        ->check(CLI::IsMember({"table", "csv", "jsonl"}))
        ->default_str("table");
    sub_->add_flag("--wide", wide_,
                   "Terminal table with every column (default: the axes and the metrics' means that fit 120 columns)");
  }

  int execute() override {
    const auto outcome = sweep::merge_sweeps(dirs_, out_);
    std::fputs(outcome.errors.c_str(), stderr);
    if (outcome.exit_code == exit_bad_input) return outcome.exit_code;
    const auto& t = outcome.tables;
    const std::string text = format_ == "csv"     ? t.csv()
                             : format_ == "jsonl" ? t.jsonl()
                                                  : t.text(wide_ ? report::Layout::wide : report::Layout::narrow);
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return report_violations(outcome.violations);
  }

 private:
  std::vector<std::string> dirs_;
  std::string out_, format_ = "table";
  bool wide_ = false;
};

}  // namespace

std::unique_ptr<Command> make_merge_command() { return std::make_unique<MergeCommand>(); }

}  // namespace leasesim::cli
