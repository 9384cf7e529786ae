// Builds the resolved-scenario summary tables (cluster and leases) in text, JSON and CSV form.
#include "leasesim/report/scenario_summary.hpp"

#include <fmt/format.h>

#include "leasesim/lease/contract_type.hpp"
#include "leasesim/units/date.hpp"
#include "leasesim/units/quantity.hpp"

namespace leasesim::report {

using units::Dimension;
using units::format_quantity;

namespace {

struct Figure {
  std::string key, label, unit;
  Cell value;
};

std::vector<Figure> cluster_figures(const scenario::Scenario& s) {
  const auto& c = s.cluster;
  const auto& g = c.rack.gpu;
  const double gpus = static_cast<double>(c.gpus());
  const double it_watts = c.racks * (c.rack.gpus * g.tdp_watts + c.power.rack_overhead_watts);
  std::string oversub;
  for (int level = 0; level + 1 < c.fabric.tiers; ++level) {
    oversub += fmt::format("{}{:g}:1", oversub.empty() ? "" : ", ", c.fabric.oversubscription_at(level));
  }
  const std::int64_t end = units::calendar_advance(s.horizon.start, s.horizon.length_s);
  return {
      {"scenario", "scenario", "", s.name},
      {"seed", "seed", "", integer(static_cast<long long>(s.seed))},
      {"horizon_start", "horizon start", "UTC", units::format_date(s.horizon.start)},
      {"horizon_end", "horizon end", "UTC", units::format_date(end)},
      {"horizon_days", "horizon", "days",
       number(static_cast<double>(end - s.horizon.start) / units::seconds_per_day, 1)},
      {"rack", "rack type", "", c.rack.name.empty() ? std::string("custom") : c.rack.name},
      {"gpu", "GPU", "", g.name.empty() ? std::string("custom") : g.name},
      {"racks", "racks", "", integer(c.racks)},
      {"gpus", "GPUs", "", integer(c.gpus())},
      {"schedulable_gpus", "schedulable GPUs (spares held back)", "", integer(c.schedulable_gpus())},
      {"nvlink_domain_gpus", "NVLink domain", "GPUs", integer(c.rack.nvlink_domain_gpus)},
      {"peak_bf16_eflops", "dense BF16 peak", "EFLOP/s", number(gpus * g.bf16_flops / 1e18, 2)},
      {"peak_fp8_eflops", "dense FP8 peak", "EFLOP/s", number(gpus * g.fp8_flops / 1e18, 2)},
      {"peak_fp4_eflops", "dense FP4 peak", "EFLOP/s", number(gpus * g.fp4_flops / 1e18, 2)},
      {"hbm_usable_tb", "usable HBM", "TB", number(gpus * g.hbm_usable_bytes / 1e12, 1)},
      {"fabric", "fabric", "", std::string(hw::to_string(c.fabric.technology))},
      {"nic_gbps", "NIC per GPU", "Gb/s", number(c.fabric.nic_bandwidth * 8 / 1e9, 0)},
      {"effective_bandwidth_factor", "effective bandwidth factor", "", number(c.fabric.effective_bandwidth_factor, 2)},
      {"fabric_tiers", "fabric tiers", "", integer(c.fabric.tiers)},
      {"oversubscription", "oversubscription above the leaf", "", oversub.empty() ? std::string("none") : oversub},
      {"rail_optimized", "rail-optimized", "", Cell(c.fabric.rail_optimized ? "yes" : "no", c.fabric.rail_optimized)},
      {"checkpoint_write_tbps", "checkpoint write bandwidth", "TB/s", number(c.storage.write_bandwidth / 1e12, 2)},
      {"it_power_mw", "IT power at full load", "MW", number(it_watts / 1e6, 1)},
      {"facility_power_mw", "facility power (PUE applied)", "MW", number(it_watts * c.power.pue / 1e6, 1)},
  };
}

}  // namespace

Table cluster_table(const scenario::Scenario& s) {
  Table t({{"quantity", "quantity", false}, {"value", "value", true}, {"unit", "unit", false}}, "Scenario and cluster");
  for (auto& f : cluster_figures(s)) t.add_row({f.label, f.value, f.unit});
  return t;
}

Table lease_table(const scenario::Scenario& s) {
  Table t({{"lease", "lease", false},
           {"type", "type", false},
           {"tenant", "tenant", false},
           {"fee_per_month_usd", "fee/month", true},
           {"committed_gpus", "GPUs", true},
           {"start", "start (UTC)", false},
           {"term_months", "term (months)", true},
           {"contract_value_usd", "contract value", true},
           {"implied_usd_per_gpu_hour", "$/GPU-hour (implied)", true},
           {"earliest_exit", "earliest exit (UTC)", false}},
          "Leases");
  for (const auto& l : s.leases) {
    const units::Money fee = lease::contract_type(l).fee_per_month(l);
    const units::Money total = units::Money::from_micros(fee.micros() * l.term_months);
    std::string exit = "none";
    if (l.termination) {
      const auto notice_from = units::calendar_advance(l.start, l.termination->earliest_s);
      exit = units::format_date(units::calendar_advance(notice_from, l.termination->notice_s));
    }
    const double price = l.implied_price_per_gpu_hour(s.cluster.rack);
    t.add_row({l.name, l.type, l.tenant.empty() ? std::string("-") : l.tenant,
               Cell(units::format_money(fee, true), fee.dollars()), integer(l.committed_gpus(s.cluster.rack)),
               units::format_date(l.start), integer(l.term_months),
               Cell(units::format_money(total, true), total.dollars()), number(price, 2), exit});
  }
  return t;
}

nlohmann::json scenario_summary_json(const scenario::Scenario& s) {
  nlohmann::json cluster = nlohmann::json::object();
  for (auto& f : cluster_figures(s)) cluster[f.key] = f.value.value;
  return {{"scenario", s.name}, {"cluster", cluster}, {"leases", lease_table(s).to_json()}};
}

std::string scenario_summary_text(const scenario::Scenario& s) {
  std::string out = cluster_table(s).to_text();
  if (!s.leases.empty()) out += "\n" + lease_table(s).to_text();
  return out;
}

}  // namespace leasesim::report
