// `leasesim presets [gpus|racks]`: the built-in hardware catalog with its key figures and sources.
#include <fmt/format.h>

#include <cstdio>

#include "leasesim/cli/app.hpp"
#include "leasesim/cli/commands.hpp"
#include "leasesim/cli/output_options.hpp"
#include "leasesim/report/table.hpp"
#include "leasesim/scenario/catalog.hpp"

namespace leasesim::cli {

namespace {

using report::Cell;
using report::number;

report::Table gpu_table(const scenario::Catalog& c) {
  report::Table t({{"gpu", "GPU", false},
                   {"bf16_dense_tflops", "BF16 TFLOP/s", true},
                   {"fp8_dense_tflops", "FP8 TFLOP/s", true},
                   {"fp4_dense_tflops", "FP4 TFLOP/s", true},
                   {"hbm_gb", "HBM GB", true},
                   {"hbm_usable_gb", "usable GB", true},
                   {"hbm_tbps", "HBM TB/s", true},
                   {"nvlink_gbps", "NVLink GB/s", true},
                   {"nic_gbitps", "NIC Gb/s", true},
                   {"tdp_w", "TDP W", true},
                   {"source", "source", false}},
                  "GPUs (dense tensor peaks)");
  const auto dash_or = [](double v, double scale) { return v > 0 ? number(v / scale, 0) : Cell("-", nullptr); };
  for (const auto& [name, g] : c.gpus()) {
    t.add_row({name, dash_or(g.bf16_flops, 1e12), dash_or(g.fp8_flops, 1e12), dash_or(g.fp4_flops, 1e12),
               number(g.hbm_bytes / 1e9, 0), number(g.hbm_usable_bytes / 1e9, 0), number(g.hbm_bandwidth / 1e12, 2),
               number(g.nvlink_bandwidth / 1e9, 0), number(g.nic_bandwidth * 8 / 1e9, 0), number(g.tdp_watts, 0),
               Cell(g.source.substr(0, g.source.find(" (")), g.source)});
  }
  return t;
}

report::Table rack_table(const scenario::Catalog& c) {
  report::Table t({{"rack", "rack/node", false},
                   {"gpu", "GPU", false},
                   {"gpus", "GPUs", true},
                   {"gpus_per_node", "GPUs/node", true},
                   {"nvlink_domain_gpus", "NVLink domain GPUs", true},
                   {"power_kw", "power kW", true},
                   {"fp8_dense_pflops", "FP8 PFLOP/s", true},
                   {"description", "description", false}},
                  "Racks and nodes");
  for (const auto& [name, r] : c.racks()) {
    t.add_row({name, r.gpu.name, report::integer(r.gpus), report::integer(r.gpus_per_node),
               report::integer(r.nvlink_domain_gpus), number(r.power_watts / 1e3, 1),
               number(r.gpus * r.gpu.fp8_flops / 1e15, 1), r.description});
  }
  return t;
}

class PresetsCommand final : public Command {
 public:
  void attach(CLI::App& app) override {
    sub_ = app.add_subcommand("presets", "List the built-in hardware catalog with key figures and sources");
    sub_->add_option("kind", kind_, "Which entries: gpus, racks or all")
        ->check(CLI::IsMember({"gpus", "racks", "all"}))
        ->default_str("all");
    output_.add_to(*sub_);
  }

  int execute() override {
    const auto& catalog = scenario::Catalog::builtin();
    const bool gpus = kind_ != "racks", racks = kind_ != "gpus";
    switch (output_.format) {
      case report::Format::table: {
        std::string out;
        if (gpus) out += gpu_table(catalog).to_text();
        if (gpus && racks) out += "\n";
        if (racks) out += rack_table(catalog).to_text();
        return output_.emit(out);
      }
      case report::Format::json: {
        nlohmann::json j = nlohmann::json::object();
        if (gpus) j["gpus"] = gpu_table(catalog).to_json();
        if (racks) j["racks"] = rack_table(catalog).to_json();
        return output_.emit(j.dump(2) + "\n");
      }
      case report::Format::csv:
        if (gpus && racks) {
          fmt::print(stderr,
                     "leasesim: CSV holds one table: run 'leasesim presets gpus --format csv' or "
                     "'leasesim presets racks --format csv'\n");
          return exit_bad_input;
        }
        return output_.emit(gpus ? gpu_table(catalog).to_csv() : rack_table(catalog).to_csv());
    }
    return exit_ok;
  }

 private:
  std::string kind_ = "all";
  OutputOptions output_;
};

}  // namespace

std::unique_ptr<Command> make_presets_command() { return std::make_unique<PresetsCommand>(); }

}  // namespace leasesim::cli
