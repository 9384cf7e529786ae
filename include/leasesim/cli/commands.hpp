// The subcommands of `leasesim`, one class each, and the one list that registers them.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <vector>

namespace leasesim::cli {

class Command {
 public:
  virtual ~Command() = default;
  // Adds the subcommand and its options to `app`.
  virtual void attach(CLI::App& app) = 0;
  // Runs it after a successful parse; returns the exit code.
  virtual int execute() = 0;
  bool parsed() const { return sub_ != nullptr && sub_->parsed(); }

 protected:
  CLI::App* sub_ = nullptr;
};

std::unique_ptr<Command> make_validate_command();
std::unique_ptr<Command> make_run_command();
std::unique_ptr<Command> make_presets_command();
std::unique_ptr<Command> make_step_command();
std::unique_ptr<Command> make_sweep_command();
std::unique_ptr<Command> make_merge_command();
std::unique_ptr<Command> make_plan_command();
std::unique_ptr<Command> make_compare_command();
std::unique_ptr<Command> make_sensitivity_command();
std::unique_ptr<Command> make_report_command();
std::unique_ptr<Command> make_schema_command();

// Every subcommand, in the order `leasesim --help` lists them.
std::vector<std::unique_ptr<Command>> all_commands();

}  // namespace leasesim::cli
