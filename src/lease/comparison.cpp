// Runs lease alternatives on common random numbers, ranks them on their ledgers, and finds the
// demand at which the winner's cost curve crosses each other alternative's.
#include "leasesim/lease/comparison.hpp"

#include "leasesim/lease/cost_attribution.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <tuple>
#include <utility>

#include "leasesim/cluster/random_stream.hpp"
#include "leasesim/lease/billing_math.hpp"
#include "leasesim/lease/contract_type.hpp"
#include "leasesim/lease/finance.hpp"
#include "leasesim/units/date.hpp"
#include "leasesim/units/quantity.hpp"
#include "leasesim/units/stats.hpp"

namespace leasesim::lease {

Spread spread_of(std::vector<double> v) {
  Spread s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  s.mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  s.p10 = units::quantile_sorted(v, 0.1);
  s.p90 = units::quantile_sorted(v, 0.9);
  return s;
}

namespace {

const auto average_month_ms = static_cast<std::int64_t>(std::llround(units::seconds_per_month * 1000));

struct Supply {
  const Lease* lease;
  const ContractType* type;
  std::int64_t capacity_ms;
  double order;
};

std::vector<Supply> supplies(const LedgerInput& in) {
  std::vector<Supply> out;
  for (const Lease& l : in.leases) {
    const ContractType& t = contract_type(l);
    const std::int64_t gpus = t.supplied_gpus(l, l.committed_gpus(in.rack));
    const double order = t.committed() ? t.quoted_price_per_gpu_hour(l, l.committed_gpus(in.rack))
                                       : 1e12 + t.marginal_price_per_gpu_hour(l).dollars();
    out.push_back({&l, &t, gpus * average_month_ms, order});
  }
  std::stable_sort(out.begin(), out.end(), [](const Supply& a, const Supply& b) { return a.order < b.order; });
  return out;
}

}  // namespace

double monthly_capacity_gpu_hours(const LedgerInput& in) {
  double ms = 0;
  for (const auto& s : supplies(in)) ms += static_cast<double>(s.capacity_ms);
  return ms / static_cast<double>(ms_per_hour);
}

units::Money monthly_cost_at(const LedgerInput& in, double gpu_hours) {
  auto left = static_cast<std::int64_t>(std::llround(std::max(0.0, gpu_hours) * ms_per_hour));
  units::Money cost;
  for (const auto& s : supplies(in)) {
    const std::int64_t used = std::min(left, s.capacity_ms);
    left -= used;
    cost += s.type->bill(*s.lease, BillingMonth{average_month_ms, average_month_ms, s.capacity_ms, used}).total();
  }
  for (const Tenant& t : in.tenants) {
    if (left > 0 && t.overflow.rule == OverflowRule::burst) return cost + price_of(t.overflow.price_per_gpu_hour, left);
  }
  return cost;
}

std::vector<const Lease*> exit_exposed_leases(const LedgerInput& in) {
  std::vector<const Lease*> out;
  for (const Lease& l : in.leases) {
    if (!l.provider || !l.termination || l.termination->notice_given) continue;
    Lease exited = l;
    exited.termination->notice_given = units::calendar_advance(l.start, l.termination->earliest_s);
    if (exited.end() < l.end()) out.push_back(&l);
  }
  return out;
}

namespace {

// The first notice date a lease's clause allows, and the end it would bring.
std::pair<std::int64_t, std::int64_t> first_exit(const Lease& l) {
  Lease exited = l;
  const std::int64_t notice = units::calendar_advance(l.start, l.termination->earliest_s);
  exited.termination->notice_given = notice;
  return {notice, exited.end()};
}

// The end of ledger month k: the next month's start, or the last row's end (the horizon's end).
std::int64_t month_end_of(const Ledger& ledger, std::size_t k) {
  if (k + 1 < ledger.months.size()) return ledger.months[k + 1];
  std::int64_t end = ledger.months[k];
  for (const auto& r : ledger.rows) end = std::max(end, r.month_end_utc);
  return end;
}

// The rent billed on `l` after its first possible exit, month by month: each month's fee net of
// SLA credits, prorated to the part of the lease's active time in the month after the exit end;
// placed in the provider's cash flows where provider_cash_flows puts the fee (prepaid months at
// signing, the others at the month's end).
ExitLoss exit_loss(const Lease& l, const Ledger& ledger) {
  const std::size_t n = ledger.months.size();
  ExitLoss e;
  e.flows.assign(n + 1, units::Money{});
  if (n == 0) return e;
  const std::int64_t exit_end = first_exit(l).second;
  for (std::size_t k = 0; k < n; ++k) {
    const std::int64_t from = std::max(ledger.months[k], l.start);
    const std::int64_t to = std::min(month_end_of(ledger, k), l.end());
    const std::int64_t after = to - std::max(from, exit_end);
    if (to <= from || after <= 0) continue;
    const LedgerFigures f = ledger.lease_month(l.name, ledger.months[k]);
    const units::Money lost = prorate(f.fee - f.sla_credit, after, to - from);
    e.at_risk += lost;
    const int index = units::month_number(ledger.months[k]) - units::month_number(l.start);
    const std::size_t at = index >= 0 && index < l.prepaid_months
                               ? static_cast<std::size_t>(std::max(0, static_cast<int>(k) - index))
                               : k + 1;
    e.flows[at] += lost;
  }
  return e;
}

Outcome outcome_of(const LedgerInput& in, const Ledger& ledger, std::uint64_t seed) {
  Outcome o;
  o.seed = seed;
  const LedgerFigures f = ledger.total();
  const DerivedCosts d = derive(f);
  o.total_cost = f.tenant_cost();
  o.sla_credits = f.sla_credit;
  o.usd_per_productive_gpu_hour = d.usd_per_productive_gpu_hour;
  o.usd_per_million_tokens = d.usd_per_million_tokens;
  o.tokens_trained = f.tokens_trained;
  o.deadline_misses = ledger.deadline_total().misses;
  o.idle_fraction = d.idle_fraction;
  const double months = static_cast<double>(std::max<std::size_t>(1, ledger.months.size()));
  o.allocated_gpu_hours_per_month = cluster::gpu_hours(f.allocated) / months;
  bool provider = false;
  units::Money revenue, margin;
  for (const Lease& l : in.leases) {
    if (!l.provider) continue;
    provider = true;
    const LedgerFigures lf = ledger.lease_total(l.name);
    revenue += lf.provider_revenue();
    margin += lf.provider_margin();
  }
  if (provider) {
    o.provider_revenue = revenue;
    o.provider_margin = margin;
  }
  for (const std::int64_t m : ledger.months)
    o.monthly_cost_usd.push_back(ledger.month_total(m).tenant_cost().dollars());
  const double rate = in.finance ? in.finance->discount_rate : 0.0;
  const LedgerCashFlows cf = cash_flows(in, ledger);
  o.cash_flows = cf.total.at;
  o.npv = lease::npv(cf.total.at, rate);
  o.fee_npv = lease::npv(cf.fees, rate);
  if (provider) {
    o.provider_cash_flows = provider_cash_flows(in, ledger);
    for (const Lease& l : in.leases) {
      if (!l.provider) continue;
      const LedgerFigures lf = ledger.lease_total(l.name);
      o.provider_rent += lf.fee - lf.sla_credit;
      o.provider_costs += lf.energy_cost + lf.depreciation + lf.opex;
    }
    for (const Lease* l : exit_exposed_leases(in)) o.provider_exits.push_back(exit_loss(*l, ledger));
  }
  return o;
}

// Over the replications: each exposed lease's rent at risk, the re-leasing recovery and what the
// provider's margin and payback become. `mean_flows` is the mean provider cash by month t; the
// ledger months are s.months (the horizon ends with the last).
std::vector<ProviderExit> provider_exits(const AlternativeSummary& s, const LedgerInput& in,
                                         const std::vector<units::Money>& mean_flows) {
  std::vector<ProviderExit> out;
  const auto leases = exit_exposed_leases(in);
  if (s.runs.empty() || s.months.empty() || leases.empty()) return out;
  const auto reps = static_cast<long double>(s.runs.size());
  const std::int64_t horizon_end = s.months.back().end_utc;
  const auto mean_of = [&](long double micros) {
    return units::Money::from_micros(static_cast<std::int64_t>(std::llround(micros / reps)));
  };
  for (std::size_t i = 0; i < leases.size(); ++i) {
    const Lease& l = *leases[i];
    ProviderExit x;
    x.lease = l.name;
    std::tie(x.first_notice_utc, x.exit_end_utc) = first_exit(l);
    x.held_end_utc = l.end();
    std::vector<units::Money> flows = mean_flows;  // this lease's exit alone
    std::vector<double> at_risk;
    long double sum = 0;
    std::vector<long double> lost(flows.size(), 0.0L);
    for (const auto& o : s.runs) {
      const ExitLoss& e = o.provider_exits.at(i);
      at_risk.push_back(e.at_risk.dollars());
      sum += static_cast<long double>(e.at_risk.micros());
      for (std::size_t t = 0; t < lost.size() && t < e.flows.size(); ++t)
        lost[t] += static_cast<long double>(e.flows[t].micros());
    }
    x.revenue_at_risk_usd = spread_of(at_risk);
    x.revenue_at_risk_mean = mean_of(sum);
    for (std::size_t t = 0; t < flows.size(); ++t) flows[t] -= mean_of(lost[t]);
    if (l.provider->releasing) {
      x.releasing = l.provider->releasing;
      x.releasing_from_utc = units::calendar_advance(x.exit_end_utc, x.releasing->delay_s);
      x.releasing_to_utc = std::min(x.held_end_utc, horizon_end);
      x.releasing_gpus = l.committed_gpus(in.rack);
      const auto relet = [&](std::int64_t from, std::int64_t to) {
        return to > from ? price_of(x.releasing->price_per_gpu_hour, (to - from) * 1000 * x.releasing_gpus)
                         : units::Money{};
      };
      x.recovered = relet(x.releasing_from_utc, x.releasing_to_utc);
      for (std::size_t k = 0; k < s.months.size() && k + 1 < flows.size(); ++k) {  // paid at each month's end
        flows[k + 1] += relet(std::max(x.releasing_from_utc, s.months[k].start_utc),
                              std::min(x.releasing_to_utc, s.months[k].end_utc));
      }
    }
    x.net_at_risk_usd = x.revenue_at_risk_mean.dollars() - x.recovered.dollars();
    x.margin_if_exited_usd = (s.provider_margin_usd ? s.provider_margin_usd->mean : 0.0) -
                             x.revenue_at_risk_mean.dollars() + x.recovered.dollars();
    x.payback_month_if_exited = payback_month(flows, s.discount_rate);
    out.push_back(std::move(x));
  }
  return out;
}

// Capacity-weighted quoted price per GPU-hour of the leases `pick` selects; unset when none.
template <class Pick>
std::optional<double> quoted_price(const LedgerInput& in, Pick pick) {
  double weighted = 0, gpus = 0;
  for (const Lease& l : in.leases) {
    if (!pick(l)) continue;
    const auto g = static_cast<double>(l.committed_gpus(in.rack));
    weighted += g * l.implied_price_per_gpu_hour(in.rack);
    gpus += g;
  }
  if (!(gpus > 0) || !(weighted > 0)) return std::nullopt;
  return weighted / gpus;
}

// Each month's cost and the cost to its end, over the replications (all share the ledger's months).
std::vector<MonthCost> month_costs(const Ledger& ledger, const std::vector<Outcome>& runs) {
  std::vector<MonthCost> out;
  std::vector<double> cumulative(runs.size(), 0.0);
  for (std::size_t k = 0; k < ledger.months.size(); ++k) {
    MonthCost mc;
    mc.start_utc = ledger.months[k];
    mc.end_utc = mc.start_utc;
    for (const LedgerRow& r : ledger.rows) {
      if (r.month_start_utc == mc.start_utc) mc.end_utc = std::max(mc.end_utc, r.month_end_utc);
    }
    std::vector<double> cost;
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const double c = k < runs[i].monthly_cost_usd.size() ? runs[i].monthly_cost_usd[k] : 0.0;
      cost.push_back(c);
      cumulative[i] += c;
    }
    mc.cost_usd = spread_of(cost);
    mc.cumulative_usd = spread_of(cumulative);
    out.push_back(mc);
  }
  return out;
}

// The listed jobs with a deadline over the replications' jobs (one list per replication, in order).
std::vector<JobDeadline> job_deadlines(const std::vector<std::vector<cluster::JobResult>>& results,
                                       const std::vector<std::vector<double>>& costs, double horizon_s) {
  std::vector<JobDeadline> out;
  if (results.empty()) return out;
  const double n = static_cast<double>(results.size());
  for (const cluster::JobResult& first : results.front()) {
    if (first.generated || !first.deadline_s) continue;
    JobDeadline d;
    d.name = first.name;
    d.deadline_s = *first.deadline_s;
    d.replications = static_cast<int>(results.size());
    // (end, verdict) per replication; an unfinished one's end is +infinity, so it sorts last.
    struct Rep {
      double key;
      std::optional<bool> met;
    };
    std::vector<Rep> reps;
    std::vector<double> cost;
    int met = 0, missed = 0;
    for (std::size_t k = 0; k < results.size(); ++k) {
      const auto& r = results[k];
      const auto it = std::find_if(r.begin(), r.end(),
                                   [&](const cluster::JobResult& j) { return !j.generated && j.name == d.name; });
      if (it != r.end() && k < costs.size()) cost.push_back(costs[k][static_cast<std::size_t>(it - r.begin())]);
      Rep rep{std::numeric_limits<double>::infinity(), std::nullopt};
      if (it != r.end()) {
        if (it->end_s)
          rep = {*it->end_s, it->deadline_met};
        else
          rep.met = it->deadline_met;
        if ((it->status == "rejected" || it->status == "blocked") && d.rejected_reason.empty())
          d.rejected_reason = it->reason;
      } else if (d.deadline_s <= horizon_s) {
        rep.met = false;
      }
      if (rep.met && *rep.met) ++met;
      if (rep.met && !*rep.met) ++missed;
      reps.push_back(rep);
    }
    std::stable_sort(reps.begin(), reps.end(), [](const Rep& a, const Rep& b) { return a.key < b.key; });
    // P50, P10 and P90 ends: the interpolated quantiles (units::quantile, as every other P90), a
    // replication that did not finish counting as later than any (so a quantile reaching it is none).
    std::vector<double> keys;
    for (const Rep& r : reps) keys.push_back(r.key);
    d.end_s = units::quantile_sorted_finite(keys, 0.5);
    d.end_p10_s = units::quantile_sorted_finite(keys, 0.1);
    d.end_p90_s = units::quantile_sorted_finite(keys, 0.9);
    d.deadline_met = reps[static_cast<std::size_t>(std::llround(0.5 * static_cast<double>(reps.size() - 1)))].met;
    d.deadline_met_fraction = met / n;
    d.deadline_missed_fraction = missed / n;
    d.cost_usd = spread_of(cost);
    out.push_back(std::move(d));
  }
  return out;
}

template <class Get>
Spread spread(const std::vector<Outcome>& runs, Get get) {
  std::vector<double> v;
  for (const auto& o : runs) v.push_back(get(o));
  return spread_of(v);
}

// Sort key: smaller is better. A zero $/M tokens (nothing trained) ranks last. rank_rule() says it in words.
std::vector<double> rank_key(const AlternativeSummary& a, RankBy by) {
  const double tokens = a.usd_per_million_tokens.mean > 0 ? a.usd_per_million_tokens.mean : 1e300;
  const double productive = a.usd_per_productive_gpu_hour.mean > 0 ? a.usd_per_productive_gpu_hour.mean : 1e300;
  switch (by) {
    case RankBy::deadline_misses_then_token_cost:
      return {a.deadline_misses.mean, tokens, a.total_cost_usd.mean};
    case RankBy::total_cost:
      return {a.total_cost_usd.mean, tokens};
    case RankBy::productive_gpu_hour_cost:
      return {productive, a.total_cost_usd.mean};
    case RankBy::token_cost:
      return {tokens, a.total_cost_usd.mean};
    case RankBy::p90_cost:
      return {a.total_cost_usd.p90, a.total_cost_usd.mean};
    case RankBy::cvar90_cost:
      return {a.cvar90_cost_usd, a.total_cost_usd.mean};
    case RankBy::npv:
      return {a.npv_usd.mean, a.total_cost_usd.mean};
  }
  return {};
}

int sign_of(units::Money m) { return m.micros() < 0 ? -1 : m.micros() > 0 ? 1 : 0; }

// The two monthly cost curves sampled at 1,000 even steps from 0 to the larger capacity; money is
// exact (integer micro-dollars), so equal curves compare equal. A change of the cheaper one between
// two samples is located by bisection.
BreakEven break_even(const AlternativeSummary& first, const LedgerInput& a, const AlternativeSummary& second,
                     const LedgerInput& b) {
  BreakEven be;
  be.first = first.name;
  be.second = second.name;
  be.observed_gpu_hours_per_month = first.allocated_gpu_hours_per_month.mean;
  const double top = std::max(monthly_capacity_gpu_hours(a), monthly_capacity_gpu_hours(b));
  auto diff = [&](double x) { return sign_of(monthly_cost_at(a, x) - monthly_cost_at(b, x)); };
  const int steps = 1000;
  int first_sign = 0, last_sign = 0;  // the first and the latest nonzero signs seen
  double last_x = 0;                  // where `last_sign` was last seen
  bool first_somewhere = false, second_somewhere = false;
  for (int i = 0; i <= steps; ++i) {
    const double x = top > 0 ? top * i / steps : 0;
    const int cur = diff(x);
    if (cur < 0) first_somewhere = true;
    if (cur > 0) second_somewhere = true;
    if (cur != 0 && last_sign != 0 && cur != last_sign) {
      double lo = last_x, hi = x;  // diff(lo) has last_sign, diff(hi) does not
      for (int k = 0; k < 60; ++k) {
        const double mid = (lo + hi) / 2;
        (diff(mid) == last_sign ? lo : hi) = mid;
      }
      be.crossings.push_back((lo + hi) / 2);
    }
    if (cur != 0) {
      if (first_sign == 0) first_sign = cur;
      last_sign = cur;
      last_x = x;
    }
    if (top <= 0) break;
  }
  be.order = !first_somewhere && !second_somewhere ? CostOrder::same
             : first_somewhere && second_somewhere ? CostOrder::crosses
             : first_somewhere                     ? CostOrder::first_cheaper
                                                   : CostOrder::second_cheaper;
  be.crosses = be.order == CostOrder::crosses;
  if (be.crosses) {
    be.gpu_hours_per_month = be.crossings.front();
    const double cap = monthly_capacity_gpu_hours(a);
    be.utilization_of_first = cap > 0 ? be.gpu_hours_per_month / cap : 0;
  }
  auto name_of = [&](int sign) { return sign < 0 ? first.name : sign > 0 ? second.name : std::string(); };
  be.cheaper_below = name_of(first_sign);
  be.cheaper_above = name_of(last_sign);
  return be;
}

// Risk, money over time and the provider's view of one alternative, from its replications.
void finance_figures(AlternativeSummary& s, const LedgerInput& in) {
  std::vector<double> costs;
  for (const auto& o : s.runs) costs.push_back(o.total_cost.dollars());
  s.cvar90_cost_usd = units::cvar(costs, 0.9);
  s.discount_rate = in.finance ? in.finance->discount_rate : 0.0;
  s.npv_usd = spread(s.runs, [](const Outcome& o) { return o.npv.dollars(); });
  double fee_npv = 0;
  for (const auto& o : s.runs) fee_npv += o.fee_npv.dollars();
  s.fee_npv_usd = s.runs.empty() ? 0 : fee_npv / static_cast<double>(s.runs.size());
  const std::size_t months = s.runs.empty() ? 0 : s.runs.front().cash_flows.size();
  s.cash_flows_usd.assign(months, 0.0);
  for (const auto& o : s.runs) {
    for (std::size_t t = 0; t < months && t < o.cash_flows.size(); ++t)
      s.cash_flows_usd[t] += o.cash_flows[t].dollars() / static_cast<double>(s.runs.size());
  }
  s.buys = std::any_of(in.leases.begin(), in.leases.end(), [](const Lease& l) { return l.type == "purchase"; });
  s.lease_price_per_gpu_hour = quoted_price(in, [](const Lease& l) {
    const ContractType* t = find_contract_type(l.type);
    return t && t->committed() && l.type != "purchase";
  });
  if (s.provider_margin_usd && !s.runs.empty()) {
    // The mean provider cash flow of each month, then its discounted payback.
    std::vector<long double> mean(s.runs.front().provider_cash_flows.size(), 0.0L);
    double rent = 0, costs_usd = 0, revenue = 0;
    for (const auto& o : s.runs) {
      for (std::size_t t = 0; t < mean.size() && t < o.provider_cash_flows.size(); ++t)
        mean[t] += static_cast<long double>(o.provider_cash_flows[t].micros());
      rent += o.provider_rent.dollars();
      costs_usd += o.provider_costs.dollars();
      revenue += o.provider_revenue ? o.provider_revenue->dollars() : 0.0;
    }
    const auto n = static_cast<long double>(s.runs.size());
    std::vector<units::Money> flows;
    for (const long double m : mean)
      flows.push_back(units::Money::from_micros(static_cast<std::int64_t>(std::llround(m / n))));
    s.provider_payback_month = payback_month(flows, s.discount_rate);
    s.provider_exits = provider_exits(s, in, flows);
    const auto price = quoted_price(in, [](const Lease& l) { return l.provider.has_value(); });
    if (price && rent > 0) {
      // margin(s) = s · rent + (revenue − rent) − costs = 0
      s.provider_break_even_rent_per_gpu_hour = *price * (costs_usd - (revenue - rent)) / rent;
    }
  }
}

}  // namespace

std::string rank_rule(RankBy by) {
  const char* keys = "";
  switch (by) {
    case RankBy::deadline_misses_then_token_cost:
      keys = "fewest mean deadline misses, then lowest mean $/M tokens, then lowest mean total cost";
      break;
    case RankBy::total_cost:
      keys = "lowest mean total cost, then lowest mean $/M tokens";
      break;
    case RankBy::productive_gpu_hour_cost:
      keys = "lowest mean $/productive GPU-hour, then lowest mean total cost";
      break;
    case RankBy::token_cost:
      keys = "lowest mean $/M tokens, then lowest mean total cost";
      break;
    case RankBy::p90_cost:
      keys = "lowest P90 total cost (interpolated), then lowest mean total cost";
      break;
    case RankBy::cvar90_cost:
      keys = "lowest CVaR90 total cost (mean of the worst 10% of replications), then lowest mean total cost";
      break;
    case RankBy::npv:
      keys = "lowest mean NPV of the tenants' cash flows, then lowest mean total cost";
      break;
  }
  return std::string(keys) +
         ", then name (A-Z, bytewise); a $/M tokens or $/productive GPU-hour of 0 "
         "(nothing trained) counts as the worst";
}

const char* cost_order_name(CostOrder o) {
  switch (o) {
    case CostOrder::crosses:
      return "crosses";
    case CostOrder::first_cheaper:
      return "winner_cheaper";
    case CostOrder::second_cheaper:
      return "versus_cheaper";
    case CostOrder::same:
      return "same";
  }
  return "";
}

Comparison compare_alternatives(const std::vector<Alternative>& alternatives, int replications, std::uint64_t seed,
                                const SimulationRunner& run, RankBy rank_by) {
  Comparison c;
  c.rank_by = rank_by;
  c.replications = std::max(1, replications);
  std::vector<std::pair<AlternativeSummary, const Alternative*>> all;
  for (const Alternative& alt : alternatives) {
    AlternativeSummary s;
    s.name = alt.name;
    s.description = alt.description;
    s.capacity_gpu_hours_per_month = monthly_capacity_gpu_hours(alt.ledger);
    std::vector<std::vector<cluster::JobResult>> jobs;  // per replication
    std::vector<std::vector<double>> costs;             // per replication, per job: its own cost
    for (int i = 0; i < c.replications; ++i) {
      cluster::SimulationInput input = alt.input;
      input.seed = cluster::replication_seed(seed, i);
      cluster::SimulationResult result = run(input);
      const Ledger ledger = build_ledger(alt.ledger, result);
      s.runs.push_back(outcome_of(alt.ledger, ledger, input.seed));
      if (i + 1 == c.replications) s.months = month_costs(ledger, s.runs);
      std::vector<double> cost;
      for (const units::Money& m : attribute_costs(ledger, result).job_cost) cost.push_back(m.dollars());
      costs.push_back(std::move(cost));
      jobs.push_back(std::move(result.jobs));
    }
    s.start_utc = alt.input.start_utc;
    s.jobs = job_deadlines(jobs, costs, alt.input.horizon_s);
    s.total_cost_usd = spread(s.runs, [](const Outcome& o) { return o.total_cost.dollars(); });
    s.sla_credits_usd = spread(s.runs, [](const Outcome& o) { return o.sla_credits.dollars(); });
    s.usd_per_productive_gpu_hour = spread(s.runs, [](const Outcome& o) { return o.usd_per_productive_gpu_hour; });
    s.usd_per_million_tokens = spread(s.runs, [](const Outcome& o) { return o.usd_per_million_tokens; });
    s.deadline_misses = spread(s.runs, [](const Outcome& o) { return o.deadline_misses; });
    s.idle_fraction = spread(s.runs, [](const Outcome& o) { return o.idle_fraction; });
    s.allocated_gpu_hours_per_month = spread(s.runs, [](const Outcome& o) { return o.allocated_gpu_hours_per_month; });
    if (!s.runs.empty() && s.runs.front().provider_margin) {
      c.provider_costs = true;
      s.provider_margin_usd = spread(s.runs, [](const Outcome& o) { return o.provider_margin->dollars(); });
      s.provider_revenue_usd = spread(s.runs, [](const Outcome& o) { return o.provider_revenue->dollars(); });
      if (s.provider_revenue_usd->mean != 0)
        s.provider_margin_fraction = s.provider_margin_usd->mean / s.provider_revenue_usd->mean;
    }
    finance_figures(s, alt.ledger);
    if (alt.ledger.finance && !c.discount_rate) c.discount_rate = alt.ledger.finance->discount_rate;
    all.push_back({std::move(s), &alt});
  }
  std::stable_sort(all.begin(), all.end(), [rank_by](const auto& x, const auto& y) {
    const auto kx = rank_key(x.first, rank_by), ky = rank_key(y.first, rank_by);
    if (kx != ky) return kx < ky;
    return x.first.name < y.first.name;
  });
  for (std::size_t i = 1; i < all.size(); ++i) {
    c.break_evens.push_back(break_even(all[0].first, all[0].second->ledger, all[i].first, all[i].second->ledger));
  }
  for (const auto& [lease_side, lease_alt] : all) {
    if (lease_side.buys || !lease_side.lease_price_per_gpu_hour) continue;
    for (const auto& [buy_side, buy_alt] : all) {
      if (!buy_side.buys) continue;
      LeaseOrBuy lb;
      lb.lease = lease_side.name;
      lb.buy = buy_side.name;
      lb.lease_npv_usd = lease_side.npv_usd.mean;
      lb.buy_npv_usd = buy_side.npv_usd.mean;
      lb.price_per_gpu_hour = *lease_side.lease_price_per_gpu_hour;
      if (lease_side.fee_npv_usd > 0) {
        const double rest = lease_side.npv_usd.mean - lease_side.fee_npv_usd;
        lb.break_even_price_per_gpu_hour = lb.price_per_gpu_hour * (lb.buy_npv_usd - rest) / lease_side.fee_npv_usd;
      }
      c.lease_or_buy.push_back(std::move(lb));
    }
  }
  for (const auto& [many, many_alt] : all) {
    if (many_alt->input.sites.size() < 2 || !many.lease_price_per_gpu_hour) continue;
    for (const auto& [one, one_alt] : all) {
      if (one_alt->input.sites.size() >= 2) continue;
      Contiguity k;
      k.one_site = one.name;
      k.sites = many.name;
      k.site_count = static_cast<int>(many_alt->input.sites.size());
      k.one_site_npv_usd = one.npv_usd.mean;
      k.sites_npv_usd = many.npv_usd.mean;
      k.one_site_price_per_gpu_hour = one.lease_price_per_gpu_hour;
      k.price_per_gpu_hour = *many.lease_price_per_gpu_hour;
      const auto mean_tokens = [](const AlternativeSummary& a) {
        double w = 0;
        for (const Outcome& o : a.runs) w += o.tokens_trained;
        return a.runs.empty() ? 0.0 : w / static_cast<double>(a.runs.size());
      };
      k.one_site_tokens = mean_tokens(one);
      k.sites_tokens = mean_tokens(many);
      if (many.fee_npv_usd > 0) {
        const double rest = many.npv_usd.mean - many.fee_npv_usd;
        const double target =
            k.one_site_tokens > 0 ? k.one_site_npv_usd * k.sites_tokens / k.one_site_tokens : k.one_site_npv_usd;
        k.break_even_price_per_gpu_hour = k.price_per_gpu_hour * (target - rest) / many.fee_npv_usd;
      }
      c.contiguity.push_back(std::move(k));
    }
  }
  for (auto& [s, alt] : all) c.ranked.push_back(std::move(s));
  return c;
}

}  // namespace leasesim::lease
