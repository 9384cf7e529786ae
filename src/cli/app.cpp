// Builds the leasesim command line with CLI11 and dispatches to the subcommands.
#include "leasesim/cli/app.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <exception>

#include "leasesim/cli/commands.hpp"

namespace leasesim::cli {

int run(int argc, char** argv) {
  CLI::App app{"leasesim — GPU-cluster lease capacity simulator (GB300 NVL72 clusters, FP8/FP4 training, leases)",
               "leasesim"};
  app.set_version_flag("--version", std::string("leasesim ") + LEASESIM_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 success, 1 an expectation failed, 2 bad usage or bad input.\n"
      "Docs: README.md and docs/ in the source tree.");

  auto commands = all_commands();
  for (auto& c : commands) c->attach(app);

  // CLI11 reports an unknown command as "A subcommand is required"; name it instead.
  if (argc > 1 && argv[1][0] != '-') {
    std::string known;
    bool found = false;
    for (const auto* sub : app.get_subcommands([](CLI::App*) { return true; })) {
      known += (known.empty() ? "" : ", ") + sub->get_name();
      found = found || sub->get_name() == argv[1];
    }
    if (!found) {
      fmt::print(stderr, "leasesim: unknown command '{}'; commands: {}\nRun 'leasesim --help' for usage.\n", argv[1],
                 known);
      return exit_bad_input;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "leasesim: {}\nRun 'leasesim --help' for usage.\n", e.what());
    return exit_bad_input;
  }
  try {
    for (auto& c : commands) {
      if (c->parsed()) return c->execute();
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "leasesim: internal error: {}\n", e.what());
    return 70;  // EX_SOFTWARE: a defect, not bad input
  }
  return exit_bad_input;
}

}  // namespace leasesim::cli
