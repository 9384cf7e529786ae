// Renders a lease comparison (lease/comparison.hpp) for `leasesim compare`.
#include "leasesim/report/compare_report.hpp"

#include <fmt/format.h>

namespace leasesim::report {

namespace {

const char* rank_by_text(lease::RankBy by) {
  switch (by) {
    case lease::RankBy::deadline_misses_then_token_cost: return "fewest deadline misses, then lowest $/M tokens";
    case lease::RankBy::total_cost: return "lowest total cost";
    case lease::RankBy::productive_gpu_hour_cost: return "lowest $/productive GPU-hour";
    case lease::RankBy::token_cost: return "lowest $/M tokens";
  }
  return "";
}

nlohmann::json spread_json(const lease::Spread& s) { return {{"mean", s.mean}, {"p10", s.p10}, {"p90", s.p90}}; }

std::string with_range(const lease::Spread& s, int decimals, double scale = 1, const char* prefix = "") {
  if (s.p10 == s.p90) return fmt::format("{}{:.{}f}", prefix, s.mean * scale, decimals);
  return fmt::format("{}{:.{}f} ({:.{}f}-{:.{}f})", prefix, s.mean * scale, decimals, s.p10 * scale, decimals,
                     s.p90 * scale, decimals);
}

}  // namespace

Table ranking_table(const lease::Comparison& c) {
  Table t({{"rank", "#", true},
           {"alternative", "alternative", false},
           {"total_cost_musd", "total cost $M (P10-P90)", true},
           {"usd_per_productive_gpu_hour", "$/productive GPU-h", true},
           {"usd_per_million_tokens", "$/M tokens", true},
           {"deadline_misses", "deadline misses", true},
           {"idle_pct", "idle %", true},
           {"sla_credits_musd", "SLA credits $M", true},
           {"allocated_gpu_hours_per_month", "used GPU-h/month", true},
           {"capacity_gpu_hours_per_month", "capacity GPU-h/month", true}},
          fmt::format("Lease alternatives, ranked by {} ({} replication{} each, common random numbers)",
                      rank_by_text(c.rank_by), c.replications, c.replications == 1 ? "" : "s"));
  int rank = 0;
  for (const auto& a : c.ranked) {
    t.add_row({integer(++rank), a.name, Cell(with_range(a.total_cost_usd, 1, 1e-6), a.total_cost_usd.mean / 1e6),
               Cell(with_range(a.usd_per_productive_gpu_hour, 2), a.usd_per_productive_gpu_hour.mean),
               Cell(with_range(a.usd_per_million_tokens, 2), a.usd_per_million_tokens.mean),
               Cell(with_range(a.deadline_misses, 1), a.deadline_misses.mean),
               Cell(with_range(a.idle_fraction, 1, 100), 100 * a.idle_fraction.mean),
               Cell(with_range(a.sla_credits_usd, 2, 1e-6), a.sla_credits_usd.mean / 1e6),
               number(a.allocated_gpu_hours_per_month.mean, 0), number(a.capacity_gpu_hours_per_month, 0)});
  }
  return t;
}

Table break_even_table(const lease::Comparison& c) {
  Table t({{"winner", "winner", false},
           {"versus", "versus", false},
           {"break_even_gpu_hours_per_month", "break-even GPU-h/month", true},
           {"break_even_utilization_pct", "= % of winner's capacity", true},
           {"observed_gpu_hours_per_month", "simulated use GPU-h/month", true},
           {"cheaper_below", "cheaper below", false},
           {"cheaper_above", "cheaper above", false}},
          "Break-even demand (monthly cost curves, committed capacity first, then the cheapest)");
  for (const auto& b : c.break_evens) {
    t.add_row({b.first, b.second,
               b.crosses ? number(b.gpu_hours_per_month, 0) : Cell("never", nullptr),
               b.crosses ? number(100 * b.utilization_of_first, 1) : Cell("-", nullptr),
               number(b.observed_gpu_hours_per_month, 0), b.cheaper_below, b.cheaper_above});
  }
  return t;
}

std::string compare_text(const std::string& title, const lease::Comparison& c) {
  std::string out = title.empty() ? "" : title + "\n\n";
  out += ranking_table(c).to_text();
  if (!c.break_evens.empty()) out += "\n" + break_even_table(c).to_text();
  return out;
}

nlohmann::json compare_json(const std::string& title, const lease::Comparison& c) {
  auto ranked = nlohmann::json::array();
  for (const auto& a : c.ranked) {
    auto runs = nlohmann::json::array();
    for (const auto& o : a.runs) {
      runs.push_back({{"seed", o.seed}, {"total_cost_usd", o.total_cost.dollars()},
                      {"total_cost_micro_usd", o.total_cost.micros()},
                      {"usd_per_productive_gpu_hour", o.usd_per_productive_gpu_hour},
                      {"usd_per_million_tokens", o.usd_per_million_tokens}, {"deadline_misses", o.deadline_misses},
                      {"idle_fraction", o.idle_fraction}, {"sla_credits_usd", o.sla_credits.dollars()}});
    }
    ranked.push_back({{"alternative", a.name}, {"description", a.description},
                      {"total_cost_usd", spread_json(a.total_cost_usd)},
                      {"usd_per_productive_gpu_hour", spread_json(a.usd_per_productive_gpu_hour)},
                      {"usd_per_million_tokens", spread_json(a.usd_per_million_tokens)},
                      {"deadline_misses", spread_json(a.deadline_misses)}, {"idle_fraction", spread_json(a.idle_fraction)},
                      {"sla_credits_usd", spread_json(a.sla_credits_usd)},
                      {"allocated_gpu_hours_per_month", spread_json(a.allocated_gpu_hours_per_month)},
                      {"capacity_gpu_hours_per_month", a.capacity_gpu_hours_per_month}, {"replications", std::move(runs)}});
  }
  auto breaks = nlohmann::json::array();
  for (const auto& b : c.break_evens) {
    breaks.push_back({{"winner", b.first}, {"versus", b.second}, {"crosses", b.crosses},
                      {"break_even_gpu_hours_per_month", b.crosses ? nlohmann::json(b.gpu_hours_per_month) : nlohmann::json()},
                      {"break_even_utilization", b.crosses ? nlohmann::json(b.utilization_of_first) : nlohmann::json()},
                      {"observed_gpu_hours_per_month", b.observed_gpu_hours_per_month},
                      {"cheaper_below", b.cheaper_below}, {"cheaper_above", b.cheaper_above}});
  }
  return {{"compare", title}, {"ranked_by", rank_by_text(c.rank_by)}, {"replications", c.replications},
          {"alternatives", std::move(ranked)}, {"break_evens", std::move(breaks)}};
}

std::string compare_csv(const lease::Comparison& c) {
  Table t({{"rank", "rank", true}, {"alternative", "alternative", false},
           {"total_cost_usd_mean", "", true}, {"total_cost_usd_p10", "", true}, {"total_cost_usd_p90", "", true},
           {"usd_per_productive_gpu_hour_mean", "", true}, {"usd_per_productive_gpu_hour_p10", "", true},
           {"usd_per_productive_gpu_hour_p90", "", true}, {"usd_per_million_tokens_mean", "", true},
           {"usd_per_million_tokens_p10", "", true}, {"usd_per_million_tokens_p90", "", true},
           {"deadline_misses_mean", "", true}, {"idle_fraction_mean", "", true}, {"sla_credits_usd_mean", "", true},
           {"sla_credits_usd_p10", "", true}, {"sla_credits_usd_p90", "", true}});
  int rank = 0;
  for (const auto& a : c.ranked) {
    auto n = [](double v) { return Cell(fmt::format("{}", v), v); };
    t.add_row({integer(++rank), a.name, n(a.total_cost_usd.mean), n(a.total_cost_usd.p10), n(a.total_cost_usd.p90),
               n(a.usd_per_productive_gpu_hour.mean), n(a.usd_per_productive_gpu_hour.p10),
               n(a.usd_per_productive_gpu_hour.p90), n(a.usd_per_million_tokens.mean), n(a.usd_per_million_tokens.p10),
               n(a.usd_per_million_tokens.p90), n(a.deadline_misses.mean), n(a.idle_fraction.mean),
               n(a.sla_credits_usd.mean), n(a.sla_credits_usd.p10), n(a.sla_credits_usd.p90)});
  }
  return t.to_csv();
}

}  // namespace leasesim::report
