// Renders a lease comparison (lease/comparison.hpp) for `leasesim compare`.
#include "leasesim/report/compare_report.hpp"

#include <fmt/format.h>

#include <cmath>
#include <regex>

#include "leasesim/report/format.hpp"
#include "leasesim/units/date.hpp"
#include "leasesim/units/money.hpp"

namespace leasesim::report {

namespace {

const char* rank_by_text(lease::RankBy by) {
  switch (by) {
    case lease::RankBy::deadline_misses_then_token_cost:
      return "fewest deadline misses, then lowest $/M tokens";
    case lease::RankBy::total_cost:
      return "lowest total cost";
    case lease::RankBy::productive_gpu_hour_cost:
      return "lowest $/productive GPU-hour";
    case lease::RankBy::token_cost:
      return "lowest $/M tokens";
    case lease::RankBy::p90_cost:
      return "lowest P90 total cost";
    case lease::RankBy::cvar90_cost:
      return "lowest CVaR90 total cost";
    case lease::RankBy::npv:
      return "lowest NPV";
  }
  return "";
}

nlohmann::json spread_json(const lease::Spread& s) { return {{"mean", s.mean}, {"p10", s.p10}, {"p90", s.p90}}; }

// The mean, and the P10-P90 range when the replications differ: "11.89 (11.87-11.90)".
std::string with_range(const lease::Spread& s, int decimals, double scale = 1, const char* suffix = "") {
  const std::string mean = grouped(s.mean * scale, decimals) + suffix;
  const std::string lo = grouped(s.p10 * scale, decimals), hi = grouped(s.p90 * scale, decimals);
  if (lo == hi) return mean;
  return fmt::format("{} ({}-{}{})", mean, lo, hi, suffix);
}

// The same for dollars: "$735M ($730M-$740M)", "$11.89 ($11.87-$11.90)".
std::string usd_range(const lease::Spread& s) {
  const std::string mean = usd(s.mean), lo = usd(s.p10), hi = usd(s.p90);
  return lo == hi ? mean : fmt::format("{} ({}-{})", mean, lo, hi);
}

std::string grouped_int(long long v) { return grouped(v); }
std::string grouped_number(double v) { return grouped(static_cast<long long>(std::llround(v))); }

// A job's end or deadline as a UTC date, from seconds after the horizon start.
std::string date_at(std::int64_t start_utc, double offset_s) {
  return units::format_date(start_utc + static_cast<std::int64_t>(std::llround(offset_s)));
}
nlohmann::json date_json(std::int64_t start_utc, const std::optional<double>& offset_s) {
  return offset_s ? nlohmann::json(date_at(start_utc, *offset_s)) : nlohmann::json();
}
// The day only, for the terminal table ("2026-12-18").
std::string day_at(std::int64_t start_utc, const std::optional<double>& offset_s) {
  return offset_s ? date_at(start_utc, *offset_s).substr(0, 10) : "not done";
}

std::string margin_text(const lease::AlternativeSummary& a) {
  if (!a.provider_margin_usd) return "n/a";
  const auto money = usd(a.provider_margin_usd->mean);
  if (!a.provider_margin_fraction) return money;
  return fmt::format("{} ({:.1f}%)", money, 100 * *a.provider_margin_fraction);
}

// The cheaper alternative over demand, in words.
std::string cost_order_text(const lease::BreakEven& b) {
  switch (b.order) {
    case lease::CostOrder::same:
      return "same cost at every demand";
    case lease::CostOrder::first_cheaper:
      return b.first + " cheaper at every demand";
    case lease::CostOrder::second_cheaper:
      return b.second + " cheaper at every demand";
    case lease::CostOrder::crosses:
      break;
  }
  if (b.crossings.size() <= 1) return b.cheaper_below + " below, " + b.cheaper_above + " above";
  // Each crossing hands the lead to the other alternative.
  std::string out = b.cheaper_below + " below " + grouped_number(b.crossings.front());
  std::string cheaper = b.cheaper_below;
  for (std::size_t i = 1; i < b.crossings.size(); ++i) {
    cheaper = cheaper == b.first ? b.second : b.first;
    out += ", " + cheaper + " to " + grouped_number(b.crossings[i]);
  }
  return out + ", " + b.cheaper_above + " above";
}

// Why a job missed its deadline, short (the terminal table's last column).
std::string why_text(const lease::JobDeadline& j) {
  if (!j.rejected_reason.empty()) return short_rejection(j.rejected_reason);
  if (j.deadline_met_fraction >= 1) return "-";
  const int met = static_cast<int>(std::lround(j.deadline_met_fraction * j.replications));
  if (j.replications == 1) return j.end_s ? "finished late" : "not finished";
  return fmt::format("missed in {} of {} runs", j.replications - met, j.replications);
}

// "12-16..12-21" (month-day, the year of the P50 end when both share it), or full dates.
std::string range_text(std::int64_t start_utc, const lease::JobDeadline& j) {
  if (j.end_p10_s == j.end_p90_s) return "-";
  const std::string p50 = day_at(start_utc, j.end_s), lo = day_at(start_utc, j.end_p10_s),
                    hi = day_at(start_utc, j.end_p90_s);
  const bool same_year = j.end_p10_s && j.end_p90_s && lo.substr(0, 4) == hi.substr(0, 4) &&
                         (!j.end_s || p50.substr(0, 4) == lo.substr(0, 4));
  if (lo == hi) return same_year ? lo.substr(5) : lo;  // apart by less than a day
  return same_year ? lo.substr(5) + ".." + hi.substr(5) : lo + ".." + hi;
}

}  // namespace

std::string short_rejection(const std::string& reason) {
  // cluster_simulation.cpp: "needs N GPUs in NVLink groups of G; the cluster can hold at most M such GPUs"
  static const std::regex capacity(
      R"(^needs (\d+) GPUs in NVLink groups of (\d+); the cluster can hold at most (\d+) such GPUs$)");
  std::smatch m;
  if (std::regex_match(reason, m, capacity)) {
    return "needs " + grouped_int(std::stoll(m[1].str())) + " GPUs; " + grouped_int(std::stoll(m[3].str())) +
           " schedulable";
  }
  // cluster_capacity.cpp, with a market grant: "needs N GPUs; the leases of "T" provide at most M
  // schedulable GPUs at any time (on-demand lease "L" asked for A GPUs; the market granted G…)"
  static const std::regex market(
      R"(^needs (\d+) GPUs; the leases of "[^"]*" provide at most (\d+) schedulable GPUs at any time \(on-demand lease "[^"]*" asked for (\d+) GPUs; the market granted (\d+).*$)");
  if (std::regex_match(reason, m, market)) {
    return "needs " + grouped_int(std::stoll(m[1].str())) + " GPUs; market granted " +
           grouped_int(std::stoll(m[4].str()));
  }
  // cluster_results.cpp: a chained job whose predecessor never completed.
  static const std::regex blocked(R"(^predecessor ([^ ]+) (rejected|blocked).*$)");
  if (std::regex_match(reason, m, blocked)) return "blocked: " + m[1].str() + " " + m[2].str();
  static const std::regex waiting(R"(^waiting for ([^,]+), (unfinished|not submitted) .*$)");
  if (std::regex_match(reason, m, waiting)) return "blocked: " + m[1].str() + " " + m[2].str();
  return reason;
}

Table ranking_table(const lease::Comparison& c) {
  const bool ranges = c.replications > 1;
  // On a terminal the columns with the highest `drop` rank are left out first.
  Table t({{"rank", "#", true},
           {"alternative", "alternative", false},
           {"total_cost_musd", ranges ? "total cost (P10-P90)" : "total cost", true},
           {"usd_per_productive_gpu_hour", "$/productive GPU-h", true, 2},
           {"usd_per_million_tokens", "$/M tokens", true},
           {"deadline_misses", "deadline misses", true},
           {"idle_pct", "idle", true},
           {"sla_credits_musd", "SLA credits", true, 5},
           {"allocated_gpu_hours_per_month", "used GPU-h/month", true, 4},
           {"capacity_gpu_hours_per_month", "capacity GPU-h/month", true, 6},
           {"provider_margin_usd", "provider margin", true, 3}},
          fmt::format("Lease alternatives, ranked by {} ({} replication{} each, common random numbers)",
                      rank_by_text(c.rank_by), c.replications, c.replications == 1 ? "" : "s"));
  int rank = 0;
  for (const auto& a : c.ranked) {
    t.add_row(
        {integer(++rank), a.name, Cell(usd_range(a.total_cost_usd), a.total_cost_usd.mean / 1e6),
         Cell(usd_range(a.usd_per_productive_gpu_hour), a.usd_per_productive_gpu_hour.mean),
         Cell(usd_range(a.usd_per_million_tokens), a.usd_per_million_tokens.mean),
         Cell(with_range(a.deadline_misses, 1), a.deadline_misses.mean),
         Cell(with_range(a.idle_fraction, 1, 100, "%"), 100 * a.idle_fraction.mean),
         Cell(usd_range(a.sla_credits_usd), a.sla_credits_usd.mean / 1e6),
         number(a.allocated_gpu_hours_per_month.mean, 0), number(a.capacity_gpu_hours_per_month, 0),
         Cell(margin_text(a), a.provider_margin_usd ? nlohmann::json(a.provider_margin_usd->mean) : nlohmann::json())});
  }
  return t;
}

Table break_even_table(const lease::Comparison& c) {
  Table t({{"winner", "winner", false},
           {"versus", "versus", false},
           {"break_even_gpu_hours_per_month", "GPU-h/month", true},
           {"break_even_utilization_pct", "of capacity", true},
           {"observed_gpu_hours_per_month", "used GPU-h/month", true, 1},
           {"verdict", "cheaper", false}},
          "Break-even demand per month and as a share of the winner's capacity (monthly cost curves, committed "
          "capacity first, then the cheapest; demand 0 to the larger capacity; used: the simulated demand)");
  for (const auto& b : c.break_evens) {
    const bool same = b.order == lease::CostOrder::same;
    t.add_row({b.first, b.second, b.crosses ? number(b.gpu_hours_per_month, 0) : Cell(same ? "-" : "never", nullptr),
               b.crosses ? percentage(b.utilization_of_first, 1, 100 * b.utilization_of_first) : Cell("-", nullptr),
               number(b.observed_gpu_hours_per_month, 0), cost_order_text(b)});
  }
  return t;
}

std::string rate_text(double rate) { return fmt::format("{:g}%", 100 * rate); }

// The instant of cash-flow time t: the horizon start, then each ledger month's end.
std::string flow_date(const lease::AlternativeSummary& a, std::size_t t) {
  if (t == 0) return units::format_date(a.start_utc);
  return t <= a.months.size() ? units::format_date(a.months[t - 1].end_utc) : "";
}

// The largest probability of missing a listed deadline, and whose.
std::string worst_miss_text(const lease::AlternativeSummary& a) {
  const lease::JobDeadline* worst = nullptr;
  for (const auto& j : a.jobs)
    if (!worst || j.deadline_missed_fraction > worst->deadline_missed_fraction) worst = &j;
  if (!worst) return "-";
  return fmt::format("{:.0f}% {}", 100 * worst->deadline_missed_fraction, worst->name);
}

Table risk_table(const lease::Comparison& c) {
  const std::string rate = rate_text(c.discount_rate.value_or(0));
  Table t({{"alternative", "alternative", false},
           {"expected_cost_usd", "expected cost", true},
           {"p90_cost_usd", "P90 cost", true},
           {"cvar90_cost_usd", "CVaR90 cost", true},
           {"npv_usd", "NPV at " + rate + "/yr", true},
           {"worst_miss", "P(miss) worst deadline", false, 2},
           {"provider_payback", "provider payback", false, 3},
           {"provider_break_even_rent", "break-even rent $/GPU-h", true, 1}},
          fmt::format("Risk and money over time (cost over {} replication{}; CVaR90: mean of the worst 10%; NPV: "
                      "monthly cash flows discounted at {} a year, each month paid at its end)",
                      c.replications, c.replications == 1 ? "" : "s", rate));
  for (const auto& a : c.ranked) {
    const std::string payback =
        !a.provider_margin_usd ? "n/a"
        : a.provider_payback_month
            ? fmt::format("month {} ({})", *a.provider_payback_month,
                          flow_date(a, static_cast<std::size_t>(*a.provider_payback_month)).substr(0, 10))
            : "not in horizon";
    t.add_row({a.name, Cell(usd(a.total_cost_usd.mean), a.total_cost_usd.mean),
               Cell(usd(a.total_cost_usd.p90), a.total_cost_usd.p90), Cell(usd(a.cvar90_cost_usd), a.cvar90_cost_usd),
               Cell(usd_range(a.npv_usd), a.npv_usd.mean), worst_miss_text(a), payback,
               a.provider_break_even_rent_per_gpu_hour ? money(*a.provider_break_even_rent_per_gpu_hour)
                                                       : Cell("n/a", nullptr)});
  }
  return t;
}

// The provider's exposure to each tenant's exit at the first date its clause allows.
Table exit_risk_table(const lease::Comparison& c) {
  Table t({{"alternative", "alternative", false},
           {"lease", "lease", false},
           {"exit_end", "first exit", false},
           {"revenue_at_risk_usd", "rent at risk", true},
           {"recovered_usd", "re-let for", true},
           {"net_at_risk_usd", "net at risk", true},
           {"margin_if_exited_usd", "margin if exited", true},
           {"payback_if_exited", "payback if exited", false}},
          "Provider exit risk: the tenant gives notice at the first date its termination clause allows (rent net of "
          "SLA credits after that end, within the horizon; usage charges not counted; energy and opex as simulated; "
          "re-let for: what re-leasing the freed racks recovers)");
  for (const auto& a : c.ranked) {
    for (const auto& x : a.provider_exits) {
      const std::string payback =
          x.payback_month_if_exited
              ? fmt::format("month {} ({})", *x.payback_month_if_exited,
                            flow_date(a, static_cast<std::size_t>(*x.payback_month_if_exited)).substr(0, 10))
              : "not in horizon";
      t.add_row({a.name, x.lease, units::format_date(x.exit_end_utc).substr(0, 10),
                 Cell(usd(x.revenue_at_risk_mean.dollars()), x.revenue_at_risk_mean.dollars()),
                 x.releasing ? Cell(usd(x.recovered.dollars()), x.recovered.dollars()) : Cell("-", nullptr),
                 Cell(usd(x.net_at_risk_usd), x.net_at_risk_usd),
                 Cell(usd(x.margin_if_exited_usd), x.margin_if_exited_usd), payback});
    }
  }
  return t;
}

nlohmann::json provider_exits_json(const lease::AlternativeSummary& a) {
  auto out = nlohmann::json::array();
  for (const auto& x : a.provider_exits) {
    nlohmann::json releasing;
    if (x.releasing) {
      releasing = {{"price_per_gpu_hour_usd", x.releasing->price_per_gpu_hour.dollars()},
                   {"delay_days", x.releasing->delay_s / 86400},
                   {"from", units::format_date(x.releasing_from_utc)},
                   {"to", units::format_date(x.releasing_to_utc)},
                   {"gpus", x.releasing_gpus},
                   {"recovered_usd", x.recovered.dollars()}};
    }
    out.push_back({{"lease", x.lease},
                   {"first_notice", units::format_date(x.first_notice_utc)},
                   {"exit_end", units::format_date(x.exit_end_utc)},
                   {"held_end", units::format_date(x.held_end_utc)},
                   {"revenue_at_risk_usd", x.revenue_at_risk_mean.dollars()},
                   {"revenue_at_risk_usd_spread", spread_json(x.revenue_at_risk_usd)},
                   {"releasing", std::move(releasing)},
                   {"net_at_risk_usd", x.net_at_risk_usd},
                   {"margin_if_exited_usd", x.margin_if_exited_usd},
                   {"payback_month_if_exited",
                    x.payback_month_if_exited ? nlohmann::json(*x.payback_month_if_exited) : nlohmann::json()}});
  }
  return out;
}

Table lease_or_buy_table(const lease::Comparison& c) {
  Table t({{"lease", "lease", false},
           {"buy", "buy", false},
           {"lease_npv_usd", "lease NPV", true},
           {"buy_npv_usd", "buy NPV", true},
           {"price_per_gpu_hour_usd", "lease $/GPU-h", true},
           {"break_even_price_per_gpu_hour_usd", "break-even $/GPU-h", true},
           {"verdict", "cheaper at today's price", false}},
          fmt::format("Lease or buy: the lease price per GPU-hour at which leasing and buying have equal NPV (at {} "
                      "a year; every fee scaled, usage and energy as simulated)",
                      rate_text(c.discount_rate.value_or(0))));
  for (const auto& lb : c.lease_or_buy) {
    const std::string verdict = lb.lease_npv_usd < lb.buy_npv_usd   ? "lease"
                                : lb.lease_npv_usd > lb.buy_npv_usd ? "buy"
                                                                    : "same";
    t.add_row({lb.lease, lb.buy, Cell(usd(lb.lease_npv_usd), lb.lease_npv_usd),
               Cell(usd(lb.buy_npv_usd), lb.buy_npv_usd), money(lb.price_per_gpu_hour),
               lb.break_even_price_per_gpu_hour ? money(*lb.break_even_price_per_gpu_hour) : Cell("-", nullptr),
               verdict});
  }
  return t;
}

Table contiguity_table(const lease::Comparison& c) {
  Table t({{"one_site", "one site", false},
           {"sites", "sites", false},
           {"one_site_npv_usd", "NPV one", true},
           {"sites_npv_usd", "NPV sites", true},
           {"tokens_ratio", "tokens", true, 1},
           {"one_site_price_per_gpu_hour_usd", "one $/GPU-h", true},
           {"price_per_gpu_hour_usd", "sites $/GPU-h", true},
           {"break_even_price_per_gpu_hour_usd", "break-even $/GPU-h", true},
           {"premium_per_gpu_hour_usd", "premium", true}},
          fmt::format("The price of contiguity: the several-site price per GPU-hour at which both cost the same per "
                      "token trained over the horizon (NPV at {} a year; every fee scaled, usage and energy as "
                      "simulated); tokens: the sites' tokens trained as a share of the one site's; premium: the "
                      "one-site price minus "
                      "the break-even",
                      rate_text(c.discount_rate.value_or(0))));
  for (const auto& k : c.contiguity) {
    const bool premium = k.break_even_price_per_gpu_hour && k.one_site_price_per_gpu_hour;
    t.add_row(
        {k.one_site, fmt::format("{} ({} sites)", k.sites, k.site_count),
         Cell(usd(k.one_site_npv_usd), k.one_site_npv_usd), Cell(usd(k.sites_npv_usd), k.sites_npv_usd),
         k.one_site_tokens > 0
             ? percentage(k.sites_tokens / k.one_site_tokens, 1, 100 * k.sites_tokens / k.one_site_tokens)
             : Cell("-", nullptr),
         k.one_site_price_per_gpu_hour ? money(*k.one_site_price_per_gpu_hour) : Cell("-", nullptr),
         money(k.price_per_gpu_hour),
         k.break_even_price_per_gpu_hour ? money(*k.break_even_price_per_gpu_hour) : Cell("-", nullptr),
         premium ? money(*k.one_site_price_per_gpu_hour - *k.break_even_price_per_gpu_hour) : Cell("-", nullptr)});
  }
  return t;
}

Table job_deadline_table(const lease::Comparison& c) {
  Table t(
      {{"alternative", "alternative", false},
       {"job", "job", false},
       {"end", "end P50", false},
       {"end_p10_p90", "P10-P90", false, c.replications > 1 ? 1 : Column::wide_only},
       {"deadline", "deadline", false, 2},
       {"deadline_met", "met", false},
       {"cost", "job cost", true},
       {"why", "why", false}},
      "Deadlines by alternative (end P50 and P10-P90 over the replications, month-day; met: the median replication's)");
  for (const auto& a : c.ranked) {
    for (const auto& j : a.jobs) {
      const std::string met = !j.deadline_met ? "-" : *j.deadline_met ? "yes" : "NO";
      const bool blocked =
          j.rejected_reason.rfind("predecessor ", 0) == 0 || j.rejected_reason.rfind("waiting for ", 0) == 0;
      const std::string end =
          !j.end_s && !j.rejected_reason.empty() ? (blocked ? "blocked" : "rejected") : day_at(a.start_utc, j.end_s);
      t.add_row({a.name, j.name, Cell(end, date_json(a.start_utc, j.end_s)), range_text(a.start_utc, j),
                 date_at(a.start_utc, j.deadline_s).substr(0, 10), met,
                 !j.rejected_reason.empty() ? Cell("-", nullptr) : money(j.cost_usd.mean), why_text(j)});
    }
  }
  return t;
}

std::string compare_text(const std::string& title, const lease::Comparison& c, Layout layout) {
  std::string out = title.empty() ? "" : wrap(title) + "\n";
  out += ranking_table(c).to_text(layout);
  out += wrap("Ties: " + lease::rank_rule(c.rank_by) + ".", terminal_width);
  if (!c.provider_costs) out += "Provider margin: n/a (no alternative's lease carries the provider rider).\n";
  const Table deadlines = job_deadline_table(c);
  if (deadlines.rows() > 0) out += "\n" + deadlines.to_text(layout);
  if (!c.break_evens.empty()) out += "\n" + break_even_table(c).to_text(layout);
  out += "\n" + risk_table(c).to_text(layout);
  if (!c.lease_or_buy.empty()) out += "\n" + lease_or_buy_table(c).to_text(layout);
  if (!c.contiguity.empty()) out += "\n" + contiguity_table(c).to_text(layout);
  const Table exits = exit_risk_table(c);
  if (exits.rows() > 0) out += "\n" + exits.to_text(layout);
  return out;
}

nlohmann::json jobs_json(const lease::AlternativeSummary& a) {
  auto jobs = nlohmann::json::array();
  for (const auto& j : a.jobs) {
    jobs.push_back(
        {{"name", j.name},
         {"end", date_json(a.start_utc, j.end_s)},
         {"end_p10", date_json(a.start_utc, j.end_p10_s)},
         {"end_p90", date_json(a.start_utc, j.end_p90_s)},
         {"deadline", date_at(a.start_utc, j.deadline_s)},
         {"deadline_met", j.deadline_met ? nlohmann::json(*j.deadline_met) : nlohmann::json()},
         {"deadline_met_fraction", j.deadline_met_fraction},
         {"miss_probability", j.deadline_missed_fraction},
         {"cost_usd", {{"mean", j.cost_usd.mean}, {"p10", j.cost_usd.p10}, {"p90", j.cost_usd.p90}}},
         {"rejected_reason",
          j.rejected_reason.empty() ? nlohmann::json() : nlohmann::json(short_rejection(j.rejected_reason))}});
  }
  return jobs;
}

// The tenants' cost month by month: in the month and from the horizon's start to its end.
nlohmann::json months_json(const lease::AlternativeSummary& a) {
  auto months = nlohmann::json::array();
  for (const auto& m : a.months) {
    months.push_back({{"start", units::format_date(m.start_utc)},
                      {"end", units::format_date(m.end_utc)},
                      {"tenant_cost_usd", spread_json(m.cost_usd)},
                      {"cumulative_cost_usd", spread_json(m.cumulative_usd)}});
  }
  return months;
}

nlohmann::json compare_json(const std::string& title, const lease::Comparison& c) {
  auto ranked = nlohmann::json::array();
  for (const auto& a : c.ranked) {
    auto runs = nlohmann::json::array();
    for (const auto& o : a.runs) {
      runs.push_back({{"seed", o.seed},
                      {"total_cost_usd", o.total_cost.dollars()},
                      {"total_cost_micro_usd", o.total_cost.micros()},
                      {"usd_per_productive_gpu_hour", o.usd_per_productive_gpu_hour},
                      {"usd_per_million_tokens", o.usd_per_million_tokens},
                      {"deadline_misses", o.deadline_misses},
                      {"idle_fraction", o.idle_fraction},
                      {"sla_credits_usd", o.sla_credits.dollars()},
                      {"npv_usd", o.npv.dollars()}});
    }
    auto flows = nlohmann::json::array();
    for (std::size_t t = 0; t < a.cash_flows_usd.size(); ++t)
      flows.push_back({{"t_months", t}, {"at", flow_date(a, t)}, {"usd", a.cash_flows_usd[t]}});
    ranked.push_back(
        {{"alternative", a.name},
         {"description", a.description},
         {"total_cost_usd", spread_json(a.total_cost_usd)},
         {"usd_per_productive_gpu_hour", spread_json(a.usd_per_productive_gpu_hour)},
         {"usd_per_million_tokens", spread_json(a.usd_per_million_tokens)},
         {"deadline_misses", spread_json(a.deadline_misses)},
         {"idle_fraction", spread_json(a.idle_fraction)},
         {"sla_credits_usd", spread_json(a.sla_credits_usd)},
         {"allocated_gpu_hours_per_month", spread_json(a.allocated_gpu_hours_per_month)},
         {"capacity_gpu_hours_per_month", a.capacity_gpu_hours_per_month},
         {"provider_margin_usd", a.provider_margin_usd ? spread_json(*a.provider_margin_usd) : nlohmann::json()},
         {"provider_revenue_usd", a.provider_revenue_usd ? spread_json(*a.provider_revenue_usd) : nlohmann::json()},
         {"provider_margin_fraction",
          a.provider_margin_fraction ? nlohmann::json(*a.provider_margin_fraction) : nlohmann::json()},
         {"p90_cost_usd", a.total_cost_usd.p90},
         {"cvar90_cost_usd", a.cvar90_cost_usd},
         {"npv_usd", a.npv_usd.mean},
         {"npv_usd_spread", spread_json(a.npv_usd)},
         {"fee_npv_usd", a.fee_npv_usd},
         {"discount_rate", a.discount_rate},
         {"buys", a.buys},
         {"lease_price_per_gpu_hour_usd",
          a.lease_price_per_gpu_hour ? nlohmann::json(*a.lease_price_per_gpu_hour) : nlohmann::json()},
         {"provider_payback_month",
          a.provider_payback_month ? nlohmann::json(*a.provider_payback_month) : nlohmann::json()},
         {"provider_break_even_rent_per_gpu_hour_usd", a.provider_break_even_rent_per_gpu_hour
                                                           ? nlohmann::json(*a.provider_break_even_rent_per_gpu_hour)
                                                           : nlohmann::json()},
         {"provider_exit_risk", provider_exits_json(a)},
         {"cash_flows_usd", std::move(flows)},
         {"jobs", jobs_json(a)},
         {"months", months_json(a)},
         {"replications", std::move(runs)}});
  }
  auto breaks = nlohmann::json::array();
  for (const auto& b : c.break_evens) {
    breaks.push_back(
        {{"winner", b.first},
         {"versus", b.second},
         {"crosses", b.crosses},
         {"break_even_gpu_hours_per_month", b.crosses ? nlohmann::json(b.gpu_hours_per_month) : nlohmann::json()},
         {"break_even_utilization", b.crosses ? nlohmann::json(b.utilization_of_first) : nlohmann::json()},
         {"crossings", b.crossings},
         {"cost_order", lease::cost_order_name(b.order)},
         {"verdict", cost_order_text(b)},
         {"observed_gpu_hours_per_month", b.observed_gpu_hours_per_month},
         {"cheaper_below", b.cheaper_below.empty() ? nlohmann::json() : nlohmann::json(b.cheaper_below)},
         {"cheaper_above", b.cheaper_above.empty() ? nlohmann::json() : nlohmann::json(b.cheaper_above)}});
  }
  auto lease_or_buy = nlohmann::json::array();
  for (const auto& lb : c.lease_or_buy) {
    lease_or_buy.push_back(
        {{"lease", lb.lease},
         {"buy", lb.buy},
         {"lease_npv_usd", lb.lease_npv_usd},
         {"buy_npv_usd", lb.buy_npv_usd},
         {"price_per_gpu_hour_usd", lb.price_per_gpu_hour},
         {"break_even_price_per_gpu_hour_usd",
          lb.break_even_price_per_gpu_hour ? nlohmann::json(*lb.break_even_price_per_gpu_hour) : nlohmann::json()}});
  }
  auto contiguity = nlohmann::json::array();
  for (const auto& k : c.contiguity) {
    const auto opt = [](const std::optional<double>& x) { return x ? nlohmann::json(*x) : nlohmann::json(); };
    contiguity.push_back({{"one_site", k.one_site},
                          {"sites", k.sites},
                          {"site_count", k.site_count},
                          {"one_site_npv_usd", k.one_site_npv_usd},
                          {"sites_npv_usd", k.sites_npv_usd},
                          {"one_site_tokens", k.one_site_tokens},
                          {"sites_tokens", k.sites_tokens},
                          {"one_site_price_per_gpu_hour_usd", opt(k.one_site_price_per_gpu_hour)},
                          {"price_per_gpu_hour_usd", k.price_per_gpu_hour},
                          {"break_even_price_per_gpu_hour_usd", opt(k.break_even_price_per_gpu_hour)}});
  }
  nlohmann::json doc = {
      {"compare", title},
      {"ranked_by", rank_by_text(c.rank_by)},
      {"discount_rate", c.discount_rate ? nlohmann::json(*c.discount_rate) : nlohmann::json()},
      {"cash_flow_convention",
       "t months from the horizon start; each ledger month's bill paid at its end (t = k), prepaid fees at signing; "
       "discounted by (1 + discount_rate)^(t/12); NPVs rounded to the cent"},
      {"lease_or_buy", std::move(lease_or_buy)},
      {"rank_rule", lease::rank_rule(c.rank_by)},
      {"provider_costs", c.provider_costs},
      {"replications", c.replications},
      {"alternatives", std::move(ranked)},
      {"break_evens", std::move(breaks)}};
  // Only a compare with a several-site alternative (the others keep their document byte for byte).
  if (!contiguity.empty()) doc["contiguity"] = std::move(contiguity);
  return doc;
}

std::string compare_csv(const lease::Comparison& c) {
  Table t({{"rank", "rank", true},
           {"alternative", "alternative", false},
           {"total_cost_usd_mean", "", true},
           {"total_cost_usd_p10", "", true},
           {"total_cost_usd_p90", "", true},
           {"usd_per_productive_gpu_hour_mean", "", true},
           {"usd_per_productive_gpu_hour_p10", "", true},
           {"usd_per_productive_gpu_hour_p90", "", true},
           {"usd_per_million_tokens_mean", "", true},
           {"usd_per_million_tokens_p10", "", true},
           {"usd_per_million_tokens_p90", "", true},
           {"deadline_misses_mean", "", true},
           {"idle_fraction_mean", "", true},
           {"sla_credits_usd_mean", "", true},
           {"sla_credits_usd_p10", "", true},
           {"sla_credits_usd_p90", "", true},
           {"cvar90_cost_usd", "", true},
           {"npv_usd_mean", "", true},
           {"provider_margin_usd_mean", "", true},
           {"provider_margin_fraction", "", true}});
  int rank = 0;
  for (const auto& a : c.ranked) {
    auto n = [](double v) { return Cell(fmt::format("{}", v), v); };
    t.add_row({integer(++rank),
               a.name,
               n(a.total_cost_usd.mean),
               n(a.total_cost_usd.p10),
               n(a.total_cost_usd.p90),
               n(a.usd_per_productive_gpu_hour.mean),
               n(a.usd_per_productive_gpu_hour.p10),
               n(a.usd_per_productive_gpu_hour.p90),
               n(a.usd_per_million_tokens.mean),
               n(a.usd_per_million_tokens.p10),
               n(a.usd_per_million_tokens.p90),
               n(a.deadline_misses.mean),
               n(a.idle_fraction.mean),
               n(a.sla_credits_usd.mean),
               n(a.sla_credits_usd.p10),
               n(a.sla_credits_usd.p90),
               n(a.cvar90_cost_usd),
               n(a.npv_usd.mean),
               a.provider_margin_usd ? n(a.provider_margin_usd->mean) : Cell("", nullptr),
               a.provider_margin_fraction ? n(*a.provider_margin_fraction) : Cell("", nullptr)});
  }
  return t.to_csv();
}

std::string compare_jobs_csv(const lease::Comparison& c) {
  Table t({{"rank", "", true},
           {"alternative", "", false},
           {"job", "", false},
           {"end", "", false},
           {"end_p10", "", false},
           {"end_p90", "", false},
           {"deadline", "", false},
           {"deadline_met", "", false},
           {"deadline_met_fraction", "", true},
           {"cost_usd", "", true},
           {"rejected_reason", "", false}});
  int rank = 0;
  for (const auto& a : c.ranked) {
    ++rank;
    for (const auto& j : a.jobs) {
      auto date = [&](const std::optional<double>& s) { return Cell("", date_json(a.start_utc, s)); };
      t.add_row({integer(rank), a.name, j.name, date(j.end_s), date(j.end_p10_s), date(j.end_p90_s),
                 date_at(a.start_utc, j.deadline_s),
                 Cell("", j.deadline_met ? nlohmann::json(*j.deadline_met) : nlohmann::json()),
                 Cell("", j.deadline_met_fraction), Cell("", j.cost_usd.mean),
                 j.rejected_reason.empty() ? Cell("", nullptr) : Cell(short_rejection(j.rejected_reason))});
    }
  }
  return t.to_csv();
}

}  // namespace leasesim::report
