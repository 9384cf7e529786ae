// `leasesim report RESULT [-o FILE]`: one self-contained HTML page of charts and tables from the JSON
// of run, compare or plan, or the JSONL of sweep (report/html_report.hpp, docs/reports.md). Without
// -o the page goes beside the input (result.json → result.html; a sweep --out folder → its
// report.html); "-" as input or output means standard input or output.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>

#include "leasesim/cli/app.hpp"
#include "leasesim/cli/commands.hpp"
#include "leasesim/report/html_report.hpp"
#include "leasesim/report/output.hpp"

namespace leasesim::cli {

namespace {

// result.json → result.html, results.jsonl → results.html, a folder → FOLDER/report.html.
std::string page_beside(const std::string& input) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(input, ec)) return (fs::path(input) / "report.html").string();
  fs::path p(input);
  if (p.extension() == ".json" || p.extension() == ".jsonl") p.replace_extension();
  return p.string() + ".html";
}

class ReportCommand final : public Command {
 public:
  void attach(CLI::App& app) override {
    sub_ = app.add_subcommand("report", "Write one self-contained HTML page of charts and tables from a result");
    sub_->add_option("result", input_,
                     "The JSON of run, compare or plan, the JSONL of sweep (or a sweep --out folder); - for stdin")
        ->required();
    sub_->add_option("-o,--output", output_,
                     "Write the page to FILE atomically (default: beside the result, .html; - for stdout)");
  }

  int execute() override {
    const auto load = report::load_report_input(input_);
    if (!load.input) {
      fmt::print(stderr, "{}\n", load.error);
      return exit_bad_input;
    }
    const std::string page = report::html_report(*load.input);
    const std::string target = !output_.empty() ? output_ : input_ == "-" ? "-" : page_beside(input_);
    if (target == "-") {
      std::fwrite(page.data(), 1, page.size(), stdout);
      std::fflush(stdout);
      return exit_ok;
    }
    if (auto why = report::write_atomically(target, page); !why.empty()) {
      fmt::print(stderr, "leasesim: {}\n", why);
      return exit_bad_input;
    }
    if (output_.empty()) fmt::print("{}: {} report\n", target, report::kind_name(load.input->kind));
    return exit_ok;
  }

 private:
  std::string input_, output_;
};

}  // namespace

std::unique_ptr<Command> make_report_command() { return std::make_unique<ReportCommand>(); }

}  // namespace leasesim::cli
