// `leasesim schema [--format markdown|json-schema] [-o FILE]`: the scenario reference or the JSON
// Schema of scenario files, generated from the loader's field definitions (scenario/schema_export.hpp).
// docs/scenario-reference.md and docs/scenario.schema.json are this command's output.
#include "leasesim/cli/app.hpp"
#include "leasesim/cli/commands.hpp"
#include "leasesim/cli/output_options.hpp"
#include "leasesim/scenario/schema_export.hpp"

namespace leasesim::cli {

namespace {

class SchemaCommand final : public Command {
 public:
  void attach(CLI::App& app) override {
    sub_ = app.add_subcommand("schema",
                              "Print the scenario file reference (Markdown) or its JSON Schema, generated from the "
                              "loader's field definitions");
    sub_->add_option("--format", format_, "markdown (the reference) or json-schema (for editors)")
        ->check(CLI::IsMember({"markdown", "json-schema"}))
        ->default_str("markdown");
    sub_->add_option("-o,--output", output_.file, "Write the output to FILE instead of stdout (a file is replaced atomically; a device or FIFO is written in place)");
  }

  int execute() override {
    return output_.emit(format_ == "json-schema" ? scenario::scenario_json_schema()
                                                 : scenario::scenario_reference_markdown());
  }

 private:
  std::string format_ = "markdown";
  OutputOptions output_;  // only its -o file and atomic writing: the formats are this command's own
};

}  // namespace

std::unique_ptr<Command> make_schema_command() { return std::make_unique<SchemaCommand>(); }

}  // namespace leasesim::cli
