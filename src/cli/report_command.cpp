// `leasesim report RESULT [-o FILE]`: one self-contained HTML page of charts and tables from the JSON
// of run, compare, plan or sensitivity, or the JSONL of sweep (report/html_report.hpp, docs/reports.md). Without
// -o the page goes beside the input (result.json → result.html; a sweep --out folder → its
// report.html); "-" as input or output means standard input or output. The default page replaces
// only a page leasesim wrote (its <meta name="generator" content="leasesim …">) unless --force.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "leasesim/cli/app.hpp"
#include "leasesim/cli/commands.hpp"
#include "leasesim/report/html_report.hpp"
#include "leasesim/cli/output_options.hpp"

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

// Whether `path` is a file that does not exist, or a page leasesim wrote: its head carries the
// generator meta html_report writes (`<meta name="generator" content="leasesim 0.1.0">`).
bool replaceable(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto st = fs::status(path, ec);
  if (!fs::exists(st)) return true;
  if (!fs::is_regular_file(st)) return true;  // a folder or device: write_output_file says what it does
  std::ifstream in(path, std::ios::binary);
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head.find("<meta name=\"generator\" content=\"leasesim ") != std::string::npos;
}

class ReportCommand final : public Command {
 public:
  void attach(CLI::App& app) override {
    sub_ = app.add_subcommand("report", "Write one self-contained HTML page of charts and tables from a result");
    sub_->add_option(
            "result", input_,
            "The JSON of run, compare, plan or sensitivity, the JSONL of sweep (or a sweep --out folder); - for stdin")
        ->required();
    sub_->add_option("-o,--output", output_,
                     "Write the page to FILE (replaced atomically; default: beside the result, .html; - for stdout)");
    sub_->add_flag("--force", force_, "Replace the default page even if leasesim did not write it");
  }

  int execute() override {
    const auto load = report::load_report_input(input_);
    if (!load.input) {
      fmt::print(stderr, "{}\n", load.error);
      return exit_bad_input;
    }
    const auto checked = report::html_report_checked(*load.input);
    if (!checked.missing.empty()) {
      for (const auto& line : checked.missing) fmt::print(stderr, "{}\n", line);
      return exit_bad_input;
    }
    const std::string& page = checked.html;
    const std::string target = !output_.empty() ? output_ : input_ == "-" ? "-" : page_beside(input_);
    if (target == "-") {
      std::fwrite(page.data(), 1, page.size(), stdout);
      std::fflush(stdout);
      return exit_ok;
    }
    if (output_.empty() && !force_ && !replaceable(target)) {
      fmt::print(stderr, "leasesim: {} exists and leasesim did not write it; pass --force to replace it, or -o FILE\n",
                 target);
      return exit_bad_input;
    }
    if (const int code = write_output_file(target, page, output_.empty() ? "" : "-o"); code != exit_ok) return code;
    if (output_.empty()) fmt::print("{}: {} report\n", target, report::kind_name(load.input->kind));
    return exit_ok;
  }

 private:
  std::string input_, output_;
  bool force_ = false;
};

}  // namespace

std::unique_ptr<Command> make_report_command() { return std::make_unique<ReportCommand>(); }

}  // namespace leasesim::cli
