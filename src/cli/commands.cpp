// The registry of subcommands: the one place that lists what `leasesim` can do.
#include "leasesim/cli/commands.hpp"

namespace leasesim::cli {

std::vector<std::unique_ptr<Command>> all_commands() {
  std::vector<std::unique_ptr<Command>> commands;
  commands.push_back(make_run_command());
  commands.push_back(make_validate_command());
  commands.push_back(make_step_command());
  commands.push_back(make_sweep_command());
  commands.push_back(make_merge_command());
  commands.push_back(make_plan_command());
  commands.push_back(make_compare_command());
  commands.push_back(make_sensitivity_command());
  commands.push_back(make_report_command());
  commands.push_back(make_presets_command());
  commands.push_back(make_schema_command());
  return commands;
}

}  // namespace leasesim::cli
