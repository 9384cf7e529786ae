// `leasesim sensitivity FILE`: one-at-a-time swings of a scenario's inputs, ranked by how much each
// moves the mean cost or the deadline job's P90 end (study/sensitivity.hpp).
#include <fmt/format.h>

#include <cstdio>
#include <optional>
#include <stdexcept>

#include "input_kind.hpp"
#include "leasesim/cli/app.hpp"
#include "leasesim/cli/commands.hpp"
#include "leasesim/cli/output_options.hpp"
#include "leasesim/report/progress.hpp"
#include "leasesim/scenario/scenario.hpp"
#include "leasesim/study/sensitivity.hpp"
#include "leasesim/study/sensitivity_report.hpp"
#include "worker_runs.hpp"

namespace leasesim::cli {

namespace {

// "tokens" or "tokens=0.8:1.25"; an error message when malformed.
std::optional<study::Swing> parse_swing(const std::string& text, std::string& error) {
  study::Swing w;
  const auto eq = text.find('=');
  w.input = text.substr(0, eq);
  if (eq == std::string::npos) return w;
  const std::string range = text.substr(eq + 1);
  const auto colon = range.find(':');
  auto number = [](const std::string& s) -> std::optional<double> {
    if (s.empty()) return std::nullopt;
    std::size_t used = 0;
    try {
      const double v = std::stod(s, &used);
      if (used != s.size()) return std::nullopt;
      return v;
    } catch (const std::exception&) {
      return std::nullopt;
    }
  };
  const auto low = colon == std::string::npos ? std::nullopt : number(range.substr(0, colon));
  const auto high = colon == std::string::npos ? std::nullopt : number(range.substr(colon + 1));
  if (!low || !high) {
    error = fmt::format("--input {}: expected NAME or NAME=LOW:HIGH (factors, e.g. tokens=0.8:1.25), found \"{}\"",
                        text, range);
    return std::nullopt;
  }
  w.low = *low;
  w.high = *high;
  return w;
}

class SensitivityCommand final : public Command {
 public:
  void attach(CLI::App& app) override {
    sub_ = app.add_subcommand("sensitivity", "Swing each input low and high: which assumption moves the answer");
    sub_->add_option("file", file_, "Scenario file (JSON)")->required();
    sub_->add_option("--input", inputs_,
                     "An input to swing, NAME or NAME=LOW:HIGH factors (repeatable; default: every input that "
                     "applies). Inputs: " +
                         input_names());
    sub_->add_option("--job", job_, "The job whose end date is measured (default: the first job with a deadline)");
    sub_->add_option("--rank-by", rank_by_, "cost (default: swing of the mean cost) or end (swing of the P90 end)")
        ->check(CLI::IsMember({"cost", "end"}));
    sub_->add_option("--replications", replications_, "Override the scenario's replications")
        ->check(CLI::Range(1, 10000));
    sub_->add_option("--seed", seed_, "Override the scenario's seed");
    sub_->add_option("-j,--jobs", workers_, "Worker processes (default: every core; the result is the same)")
        ->check(CLI::Range(1, 1024));
    output_.add_to(*sub_);
    output_.add_wide_to(*sub_);
  }

  int execute() override {
    study::SensitivityOptions options;
    for (const auto& text : inputs_) {
      std::string error;
      auto w = parse_swing(text, error);
      if (!w) {
        fmt::print(stderr, "leasesim: {}\n", error);
        return exit_bad_input;
      }
      options.swings.push_back(std::move(*w));
    }
    const auto result = scenario::load_scenario_file(file_);
    if (!result.scenario) {
      if (refuse_other_kind(file_, scenario::FileKind::scenario)) return exit_bad_input;
      std::fputs(result.diagnostics.format().c_str(), stderr);
      return exit_bad_input;
    }
    auto s = *result.scenario;
    if (replications_ > 0) s.replications = replications_;
    if (seed_) s.seed = *seed_;
    options.job = job_;
    options.rank_by = rank_by_ == "end" ? study::SensitivityRank::end : study::SensitivityRank::cost;
    options.run_many = worker_runs(workers_);
    study::SensitivityResult r;
    try {
      report::Progress progress("sensitivity", study::sensitivity_runs(s, options), "runs");
      options.on_run = [&](std::size_t runs) { progress.update(runs); };
      r = study::sensitivity(s, options);
      progress.clear();
    } catch (const std::invalid_argument& e) {
      fmt::print(stderr, "leasesim: {}: {}\n", file_, e.what());
      return exit_bad_input;
    }
    switch (output_.format) {
      case report::Format::table:
        return output_.emit(study::sensitivity_text(r, output_.layout()));
      case report::Format::json:
        return output_.emit(study::sensitivity_json(r).dump(2) + "\n");
      case report::Format::csv:
        return output_.emit(study::sensitivity_table(r).to_csv());
    }
    return exit_ok;
  }

 private:
  static std::string input_names() {
    std::string names;
    for (const auto& in : study::sensitivity_inputs()) names += (names.empty() ? "" : ", ") + in.name;
    return names;
  }

  std::string file_;
  std::vector<std::string> inputs_;
  std::string job_;
  std::string rank_by_ = "cost";
  int replications_ = 0;
  std::optional<std::uint64_t> seed_;
  int workers_ = 0;
  OutputOptions output_;
};

}  // namespace

std::unique_ptr<Command> make_sensitivity_command() { return std::make_unique<SensitivityCommand>(); }

}  // namespace leasesim::cli
