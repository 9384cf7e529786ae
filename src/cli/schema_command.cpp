// `leasesim schema [--kind scenario|step|sweep|plan|compare] [--format markdown|json-schema] [-o FILE]`:
// the reference or the JSON Schema of an input file kind, generated from the loader's field
// definitions (scenario/schema_export.hpp). docs/KIND-reference.md and docs/KIND.schema.json are this
// command's output.
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
                              "Print the reference (Markdown) or JSON Schema of an input file kind, generated from the "
                              "loader's field definitions");
    sub_->add_option("--kind", kind_, "The file kind: scenario (with step files), step, sweep, plan or compare")
        ->check(CLI::IsMember({"scenario", "step", "sweep", "plan", "compare"}))
        ->default_str("scenario");
    sub_->add_option("--format", format_, "markdown (the reference) or json-schema (for editors)")
        ->check(CLI::IsMember({"markdown", "json-schema"}))
        ->default_str("markdown");
    sub_->add_option("-o,--output", output_.file,
                     "Write the output to FILE instead of stdout (a file is replaced atomically; a device or FIFO is "
                     "written in place)");
  }

  int execute() override {
    using scenario::FileKind;
    const FileKind kind = kind_ == "step"      ? FileKind::step
                          : kind_ == "sweep"   ? FileKind::sweep
                          : kind_ == "plan"    ? FileKind::plan
                          : kind_ == "compare" ? FileKind::compare
                                               : FileKind::scenario;
    return output_.emit(format_ == "json-schema" ? scenario::json_schema(kind) : scenario::reference_markdown(kind));
  }

 private:
  std::string kind_ = "scenario";
  std::string format_ = "markdown";
  OutputOptions output_;  // only its -o file and atomic writing: the formats are this command's own
};

}  // namespace

std::unique_ptr<Command> make_schema_command() { return std::make_unique<SchemaCommand>(); }

}  // namespace leasesim::cli
