// The hardware blocks of a scenario and of the catalog: which keys exist, their units, bounds and
// defaults. Bounds are "sane ranges": wide enough for any real or planned part, tight enough to
// catch a unit slip (a 400 "TB/s" NIC, a 1.4 "MW" GPU).
#include "leasesim/scenario/hardware_schema.hpp"

#include <fmt/format.h>

#include <cmath>

#include "leasesim/scenario/catalog.hpp"
#include "leasesim/scenario/plausible.hpp"

namespace leasesim::scenario {

using units::Dimension;

namespace {

template <class T>
std::function<const T*(const std::string&)> lookup_in(const Catalog* c);

template <>
std::function<const hw::GpuSpec*(const std::string&)> lookup_in(const Catalog* c) {
  return [c](const std::string& n) { return c->gpu(n); };
}
template <>
std::function<const hw::RackSpec*(const std::string&)> lookup_in(const Catalog* c) {
  return [c](const std::string& n) { return c->rack(n); };
}

// A data rate of the right dimension but an implausible size: at least 4× the largest of the
// catalog's parts, or at most a quarter of the smallest — most often bits and bytes swapped ("800
// GB/s" for an 800 Gb/s NIC). A warning names the catalog's range and, when the other of B/s and b/s
// lands in it, the likely intended text.
void warn_implausible_rate(const Json& raw, const std::string& path, double value, const char* field,
                           double hw::GpuSpec::*member, const Catalog& catalog, Diagnostics& d) {
  double lo = INFINITY, hi = 0;
  std::string lo_part, hi_part;
  for (const auto& [name, gpu] : catalog.gpus()) {
    const double x = gpu.*member;
    if (x <= 0) continue;
    if (x < lo) lo = x, lo_part = name;
    if (x > hi) hi = x, hi_part = name;
  }
  if (hi <= 0 || (value < 4 * hi && value > lo / 4)) return;
  const bool high = value >= 4 * hi;
  // Both units, since the slip is between them: "100 GB/s = 800 Gb/s".
  const auto rate = [](double x) {
    return fmt::format("{} = {:g} Gb/s", units::format_quantity(x, Dimension::data_rate), x * 8 / 1e9);
  };
  const std::string given = describe_found(raw);
  std::string msg = high ? fmt::format("{} is {:.3g}× the largest {} of the catalog's GPUs ({}, {})", given, value / hi,
                                       field, rate(hi), hi_part)
                         : fmt::format("{} is {:.3g}× less than the smallest {} of the catalog's GPUs ({}, {})", given,
                                       lo / value, field, rate(lo), lo_part);
  if (raw.is_string()) {
    std::string text = raw.get<std::string>();
    const auto unit = text.find(high ? "B/s" : "b/s");
    const double other = high ? value / 8 : value * 8;
    if (unit != std::string::npos && other >= lo / 4 && other < 4 * hi) {
      text[unit] = high ? 'b' : 'B';
      msg += fmt::format("; did you mean \"{}\" ({} instead of {})?", text, high ? "bits" : "bytes",
                         high ? "bytes" : "bits");
    }
  }
  d.warn(path, msg);
}

}  // namespace

Schema<hw::GpuSpec> gpu_schema(const Catalog* presets) {
  using G = hw::GpuSpec;
  // Required unless the block names a preset (Schema::read skips the check after a preset).
  const Need need = Need::required;
  Schema<G> s("gpu", "A GPU model: dense tensor-core peaks, memory, interconnect and power.");
  s.text("description", &G::description, "What the GPU is.")
      .quantity("bf16_dense", Dimension::flop_rate, &G::bf16_flops, Bounds::positive(1e17),
                "Dense BF16 tensor peak (not the sparse figure).", need)
      .example(R"("2500 TFLOP/s")")
      .quantity("fp8_dense", Dimension::flop_rate, &G::fp8_flops, Bounds::at_least(0, 1e17),
                "Dense FP8 tensor peak; 0 when the GPU has no FP8 tensor cores.", need)
      .example(R"("5000 TFLOP/s")")
      .quantity("fp4_dense", Dimension::flop_rate, &G::fp4_flops, Bounds::at_least(0, 1e17),
                "Dense FP4 tensor peak; 0 when unsupported. Blackwell Ultra prints 15 PF dense.", need)
      .example(R"("15000 TFLOP/s")")
      .quantity("hbm", Dimension::data_size, &G::hbm_bytes, Bounds::positive(1e13), "Physical HBM capacity.", need)
      .example(R"("288 GB")")
      .quantity("hbm_usable", Dimension::data_size, &G::hbm_usable_bytes, Bounds::positive(1e13),
                "HBM a training framework can allocate (after driver, context and fragmentation).", need)
      .example(R"("279 GB")")
      .quantity("hbm_bandwidth", Dimension::data_rate, &G::hbm_bandwidth, Bounds::positive(1e14), "HBM bandwidth.",
                need)
      .example(R"("8 TB/s")")
      .quantity("nvlink_bandwidth", Dimension::data_rate, &G::nvlink_bandwidth, Bounds::positive(1e14),
                "NVLink bandwidth per GPU, both directions together (NVLink 5: 1.8 TB/s).", need)
      .example(R"("1.8 TB/s")")
      .quantity("nic_bandwidth", Dimension::data_rate, &G::nic_bandwidth, Bounds::positive(1e13),
                "Scale-out NIC bandwidth per GPU, one direction (800 Gb/s ConnectX-8).", need)
      .example(R"("800 Gb/s")")
      .quantity("tdp", Dimension::power, &G::tdp_watts, Bounds::positive(1e4), "Maximum board power.", need)
      .example(R"("1400 W")")
      .quantity("idle_power", Dimension::power, &G::idle_watts, Bounds::at_least(0, 1e4),
                "Power when powered on but not computing.", need)
      .example(R"("170 W")")
      .text("source", &G::source, "Where the figures come from.");
  s.check([](G& g, const Json&, const std::string& path, Diagnostics& d) {
    if (g.hbm_usable_bytes > g.hbm_bytes) {
      d.expected(pointer_join(path, "hbm_usable"),
                 fmt::format("at most hbm ({})", units::format_quantity(g.hbm_bytes, Dimension::data_size)),
                 units::format_quantity(g.hbm_usable_bytes, Dimension::data_size));
    }
    if (g.idle_watts > g.tdp_watts) {
      d.expected(pointer_join(path, "idle_power"),
                 fmt::format("at most tdp ({})", units::format_quantity(g.tdp_watts, Dimension::power)),
                 units::format_quantity(g.idle_watts, Dimension::power));
    }
  });
  if (presets) s.presets(lookup_in<G>(presets), presets->gpu_names());
  return s;
}

Schema<hw::RackSpec> rack_schema(const Catalog& gpus_from, const Catalog* presets) {
  using R = hw::RackSpec;
  const Need need = Need::required;
  Schema<R> s("rack", "A rack (NVL72) or node (DGX/HGX): the unit a cluster is built from.");
  s.text("description", &R::description, "What the rack is.")
      .block("gpu", &R::gpu, gpu_schema(&gpus_from), "The GPU in every slot: a GPU preset name or a gpu block.", need)
      .integer("gpus", &R::gpus, Bounds::at_least(1, 1024), "GPUs per rack (or per DGX/HGX node).", need)
      .example(R"(72)")
      .integer("gpus_per_node", &R::gpus_per_node, Bounds::at_least(1, 64),
               "GPUs per server unit: 4 per NVL72 compute tray, 8 per DGX node.", need)
      .example(R"(4)")
      .integer("nvlink_domain_gpus", &R::nvlink_domain_gpus, Bounds::at_least(1, 1024),
               "GPUs sharing one non-blocking NVLink domain (72 on NVL72, 8 on DGX/HGX).", need)
      .example(R"(72)")
      .integer("cpus", &R::cpus, Bounds::at_least(0, 1024), "Host CPUs per rack.")
      .example(R"(36)")
      .integer("nvlink_switch_trays", &R::nvlink_switch_trays, Bounds::at_least(0, 64),
               "NVLink switch trays per rack (9 on NVL72; 0 where NVSwitch chips sit on the GPU board); units of the "
               "nvlink-switch failure process.")
      .example(R"(9)")
      .quantity("power", Dimension::power, &R::power_watts, Bounds::positive(1e7),
                "Rack power at full load, everything in the rack included.", need)
      .example(R"("142 kW")")
      .text("source", &R::source, "Where the figures come from.");
  s.check([](R& r, const Json&, const std::string& path, Diagnostics& d) {
    if (r.gpus_per_node <= 0 || r.nvlink_domain_gpus <= 0) return;  // bounds already reported
    if (r.gpus % r.gpus_per_node != 0) {
      d.expected(pointer_join(path, "gpus_per_node"), fmt::format("a divisor of gpus ({})", r.gpus),
                 std::to_string(r.gpus_per_node));
    }
    if (r.gpus % r.nvlink_domain_gpus != 0) {
      d.expected(pointer_join(path, "nvlink_domain_gpus"), fmt::format("a divisor of gpus ({})", r.gpus),
                 std::to_string(r.nvlink_domain_gpus));
    }
    if (r.power_watts < r.gpus * r.gpu.tdp_watts) {
      d.expected(pointer_join(path, "power"),
                 fmt::format("at least the GPUs' TDP ({} x {} = {})", r.gpus,
                             units::format_quantity(r.gpu.tdp_watts, Dimension::power),
                             units::format_quantity(r.gpus * r.gpu.tdp_watts, Dimension::power)),
                 units::format_quantity(r.power_watts, Dimension::power));
    }
  });
  if (presets) s.presets(lookup_in<R>(presets), presets->rack_names());
  return s;
}

Schema<hw::FabricSpec> fabric_schema() {
  using F = hw::FabricSpec;
  Schema<F> s("fabric", "The scale-out network between racks: a multi-tier fat tree (Clos).");
  s.choice("technology", &F::technology,
           {{"infiniband", hw::FabricTechnology::infiniband},
            {"spectrum-x", hw::FabricTechnology::spectrum_x},
            {"ethernet", hw::FabricTechnology::ethernet}},
           "Fabric technology; sets the default effective-bandwidth factor.")
      .quantity("effective_bandwidth_factor", Dimension::fraction, &F::effective_bandwidth_factor,
                Bounds::positive(1.0),
                "Fraction of line rate collectives achieve, relative to InfiniBand. Default by technology: "
                "infiniband 1.0, spectrum-x 0.95, ethernet 0.60 (NVIDIA's Spectrum-X claim).")
      .example(R"("90%")")
      .quantity("nic_bandwidth", Dimension::data_rate, &F::nic_bandwidth, Bounds::at_least(0, 1e13),
                "Scale-out bandwidth per GPU, one direction; 0 takes the GPU's NIC.")
      .integer("tiers", &F::tiers, Bounds::at_least(1, 4), "Switch levels (leaf, spine, core).")
      .integer("switch_radix", &F::switch_radix, Bounds::at_least(4, 1024), "Ports per switch.")
      .custom(FieldDoc{"oversubscription",
                       "number or list of numbers",
                       "1",
                       "[1, 7]",
                       "1",
                       "Oversubscription per tier boundary above the leaf (1 = non-blocking); a single "
                       "number applies to every boundary. Meta's Llama 3 cluster: [1, 7].",
                       false,
                       {},
                       {},
                       Bounds::at_least(1, 64),
                       true},
              [](F& f, const Json& v, const std::string& path, Diagnostics& d) {
                const Bounds b = Bounds::at_least(1, 64);
                f.oversubscription.clear();
                if (v.is_array()) {
                  if (v.empty() || v.size() > 4) return d.expected(path, "a list of 1 to 4 numbers", describe_found(v));
                  for (std::size_t i = 0; i < v.size(); ++i) {
                    if (auto x = read_quantity(v[i], pointer_join(path, i), Dimension::count, b, d))
                      f.oversubscription.push_back(*x);
                  }
                } else if (auto x = read_quantity(v, path, Dimension::count, b, d)) {
                  f.oversubscription.assign(4, *x);
                }
              })
      .boolean("rail_optimized", &F::rail_optimized, "GPU i of every node connects to leaf (rail) i.")
      .quantity("latency", Dimension::duration, &F::latency_s, Bounds::at_least(0, 1e-2),
                "One-way end-to-end latency across the fabric.");
  s.check([](F& f, const Json& v, const std::string& path, Diagnostics& d) {
    if (!v.is_object() || !v.contains("effective_bandwidth_factor")) {
      f.effective_bandwidth_factor = hw::default_effective_bandwidth_factor(f.technology);
    }
    if (f.oversubscription.size() + 1 > static_cast<std::size_t>(f.tiers) && v.is_object() &&
        v.contains("oversubscription") && v["oversubscription"].is_array()) {
      d.expected(pointer_join(path, "oversubscription"),
                 fmt::format("at most {} values (one per tier boundary above the leaf)", f.tiers - 1),
                 std::to_string(f.oversubscription.size()));
    }
  });
  return s;
}

Schema<hw::StorageSpec> storage_schema() {
  using S = hw::StorageSpec;
  Schema<S> s("storage", "Checkpoint storage shared by every job of the cluster.");
  s.quantity("write_bandwidth", Dimension::data_rate, &S::write_bandwidth, Bounds::positive(1e15),
             "Aggregate write bandwidth (Meta's Llama 3 cluster: 2 TB/s sustained).")
      .plausible(plausible::storage_rate())
      .quantity("read_bandwidth", Dimension::data_rate, &S::read_bandwidth, Bounds::positive(1e15),
                "Aggregate read bandwidth (Meta's Llama 3 cluster: 7 TB/s peak).")
      .plausible(plausible::storage_rate());
  return s;
}

Schema<hw::PowerSpec> power_schema() {
  using P = hw::PowerSpec;
  Schema<P> s("power", "Facility power around the racks.");
  s.quantity("pue", Dimension::count, &P::pue, Bounds::at_least(1.0, 3.0), "Power usage effectiveness.")
      .quantity("rack_overhead", Dimension::power, &P::rack_overhead_watts, Bounds::at_least(0, 1e7),
                "Power per rack beyond the GPUs (CPUs, NICs, NVSwitch trays, fans); default: the rack's "
                "power minus its GPUs' TDP.")
      .example(R"("10 kW")");
  return s;
}

namespace {

// More GPUs than this in one cluster is a warning: almost twice the largest planned (xAI's Colossus
// 2, ~550K GPUs, docs/references.md), most often a GPU count written for racks or a rack count with
// three zeros too many.
constexpr long long max_plausible_gpus = 1'000'000;

std::string grouped(long long n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

Schema<hw::ClusterSpec> cluster_schema(const Catalog& catalog) {
  using C = hw::ClusterSpec;
  Schema<C> s("cluster", "The whole cluster: racks of one type, the fabric, storage and power.");
  s.block("rack", &C::rack, rack_schema(catalog, &catalog), "A rack preset name or a rack block.", Need::required)
      .integer("racks", &C::racks, Bounds::at_least(1, 100'000), "Number of racks (or DGX/HGX nodes).", Need::required)
      .example(R"(288)")
      .integer("spare_trays_per_rack", &C::spare_trays_per_rack, Bounds::at_least(0, 64),
               "Server units per rack held back as hot spares (not schedulable).")
      .example(R"(1)")
      .block("fabric", &C::fabric, fabric_schema(), "The scale-out fabric.")
      .block("storage", &C::storage, storage_schema(), "Checkpoint storage.")
      .block("power", &C::power, power_schema(), "Facility power.");
  s.check([parts = &catalog](C& c, const Json& v, const std::string& path, Diagnostics& d) {
    if (c.rack.gpus > 0 && c.spare_trays_per_rack >= c.rack.nodes()) {
      d.expected(pointer_join(path, "spare_trays_per_rack"),
                 fmt::format("fewer than the rack's {} server units", c.rack.nodes()),
                 std::to_string(c.spare_trays_per_rack));
    }
    const bool overhead_given = v.contains("power") && v["power"].is_object() && v["power"].contains("rack_overhead");
    if (!overhead_given)
      c.power.rack_overhead_watts = std::max(0.0, c.rack.power_watts - c.rack.gpus * c.rack.gpu.tdp_watts);
    // Plausible sizes, against the catalog: the fabric's NIC and a GPU given key by key.
    if (const auto& fabric = v.value("fabric", Json::object());
        fabric.is_object() && fabric.contains("nic_bandwidth") && c.fabric.nic_bandwidth > 0) {
      warn_implausible_rate(fabric["nic_bandwidth"], pointer_join(pointer_join(path, "fabric"), "nic_bandwidth"),
                            c.fabric.nic_bandwidth, "nic_bandwidth", &hw::GpuSpec::nic_bandwidth, *parts, d);
    }
    if (const auto& rack = v.value("rack", Json::object());
        rack.is_object() && rack.contains("gpu") && rack["gpu"].is_object()) {
      const auto& gpu = rack["gpu"];
      const auto gpu_path = pointer_join(pointer_join(path, "rack"), "gpu");
      for (const auto& [key, member] : {std::pair{"nic_bandwidth", &hw::GpuSpec::nic_bandwidth},
                                        std::pair{"nvlink_bandwidth", &hw::GpuSpec::nvlink_bandwidth},
                                        std::pair{"hbm_bandwidth", &hw::GpuSpec::hbm_bandwidth}}) {
        if (gpu.contains(key))
          warn_implausible_rate(gpu[key], pointer_join(gpu_path, key), c.rack.gpu.*member, key, member, *parts, d);
      }
    }
    // A rack count far off (20,736 racks — the GPUs — for 288): more GPUs than one cluster holds.
    if (const long long gpus = static_cast<long long>(c.racks) * c.rack.gpus; gpus > max_plausible_gpus) {
      std::string msg = fmt::format(
          "{} racks of {} GPUs is {} GPUs, more than one cluster usually holds (at most {}; Colossus 2 "
          "plans ~550,000)",
          grouped(c.racks), c.rack.gpus, grouped(gpus), grouped(max_plausible_gpus));
      if (c.rack.gpus > 1 && c.racks % c.rack.gpus == 0)
        msg += fmt::format("; did you mean {} racks (of {} GPUs: {} GPUs)?", grouped(c.racks / c.rack.gpus),
                           c.rack.gpus, grouped(c.racks));
      else if (c.racks % 1000 == 0)
        msg += fmt::format("; did you mean {} racks (1000× fewer)?", grouped(c.racks / 1000));
      d.warn(pointer_join(path, "racks"), msg);
    }
    if (c.fabric.nic_bandwidth <= 0) c.fabric.nic_bandwidth = c.rack.gpu.nic_bandwidth;
  });
  return s;
}

}  // namespace leasesim::scenario
