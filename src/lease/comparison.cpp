// Runs lease alternatives on common random numbers, ranks them on their ledgers, and finds the
// demand at which the winner's cost curve crosses each other alternative's.
#include "leasesim/lease/comparison.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "leasesim/cluster/random_stream.hpp"
#include "leasesim/lease/billing_math.hpp"
#include "leasesim/lease/contract_type.hpp"
#include "leasesim/units/quantity.hpp"

namespace leasesim::lease {

Spread spread_of(std::vector<double> v) {
  Spread s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  s.mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  auto at = [&v](double q) {
    const double pos = q * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
  };
  s.p10 = at(0.1);
  s.p90 = at(0.9);
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

namespace {

Outcome outcome_of(const Ledger& ledger, std::uint64_t seed) {
  Outcome o;
  o.seed = seed;
  const LedgerFigures f = ledger.total();
  const DerivedCosts d = derive(f);
  o.total_cost = f.tenant_cost();
  o.sla_credits = f.sla_credit;
  o.usd_per_productive_gpu_hour = d.usd_per_productive_gpu_hour;
  o.usd_per_million_tokens = d.usd_per_million_tokens;
  o.deadline_misses = ledger.deadline_total().misses;
  o.idle_fraction = d.idle_fraction;
  const double months = static_cast<double>(std::max<std::size_t>(1, ledger.months.size()));
  o.allocated_gpu_hours_per_month = cluster::gpu_hours(f.allocated) / months;
  return o;
}

template <class Get>
Spread spread(const std::vector<Outcome>& runs, Get get) {
  std::vector<double> v;
  for (const auto& o : runs) v.push_back(get(o));
  return spread_of(v);
}

// Sort key: smaller is better. A zero $/M tokens (nothing trained) ranks last.
std::vector<double> rank_key(const AlternativeSummary& a, RankBy by) {
  const double tokens = a.usd_per_million_tokens.mean > 0 ? a.usd_per_million_tokens.mean : 1e300;
  const double productive = a.usd_per_productive_gpu_hour.mean > 0 ? a.usd_per_productive_gpu_hour.mean : 1e300;
  switch (by) {
    case RankBy::deadline_misses_then_token_cost: return {a.deadline_misses.mean, tokens, a.total_cost_usd.mean};
    case RankBy::total_cost: return {a.total_cost_usd.mean, tokens};
    case RankBy::productive_gpu_hour_cost: return {productive, a.total_cost_usd.mean};
    case RankBy::token_cost: return {tokens, a.total_cost_usd.mean};
  }
  return {};
}

BreakEven break_even(const AlternativeSummary& first, const LedgerInput& a, const AlternativeSummary& second,
                     const LedgerInput& b) {
  BreakEven be;
  be.first = first.name;
  be.second = second.name;
  be.observed_gpu_hours_per_month = first.allocated_gpu_hours_per_month.mean;
  const double top = std::max(monthly_capacity_gpu_hours(a), monthly_capacity_gpu_hours(b));
  auto diff = [&](double x) { return (monthly_cost_at(a, x) - monthly_cost_at(b, x)).dollars(); };
  const int steps = 1000;
  double prev_x = 0, prev = diff(0);
  for (int i = 1; i <= steps && top > 0; ++i) {
    const double x = top * i / steps;
    const double cur = diff(x);
    if ((prev < 0) != (cur < 0) && prev != 0) {
      double lo = prev_x, hi = x;
      for (int k = 0; k < 60; ++k) {
        const double mid = (lo + hi) / 2;
        ((diff(mid) < 0) == (prev < 0) ? lo : hi) = mid;
      }
      be.crosses = true;
      be.gpu_hours_per_month = (lo + hi) / 2;
      const double cap = monthly_capacity_gpu_hours(a);
      be.utilization_of_first = cap > 0 ? be.gpu_hours_per_month / cap : 0;
      be.cheaper_below = prev < 0 ? first.name : second.name;
      be.cheaper_above = prev < 0 ? second.name : first.name;
      return be;
    }
    prev_x = x;
    prev = cur;
  }
  be.cheaper_below = be.cheaper_above = prev <= 0 ? first.name : second.name;
  return be;
}

}  // namespace

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
    for (int i = 0; i < c.replications; ++i) {
      cluster::SimulationInput input = alt.input;
      input.seed = cluster::replication_seed(seed, i);
      const Ledger ledger = build_ledger(alt.ledger, run(input));
      s.runs.push_back(outcome_of(ledger, input.seed));
    }
    s.total_cost_usd = spread(s.runs, [](const Outcome& o) { return o.total_cost.dollars(); });
    s.sla_credits_usd = spread(s.runs, [](const Outcome& o) { return o.sla_credits.dollars(); });
    s.usd_per_productive_gpu_hour = spread(s.runs, [](const Outcome& o) { return o.usd_per_productive_gpu_hour; });
    s.usd_per_million_tokens = spread(s.runs, [](const Outcome& o) { return o.usd_per_million_tokens; });
    s.deadline_misses = spread(s.runs, [](const Outcome& o) { return o.deadline_misses; });
    s.idle_fraction = spread(s.runs, [](const Outcome& o) { return o.idle_fraction; });
    s.allocated_gpu_hours_per_month = spread(s.runs, [](const Outcome& o) { return o.allocated_gpu_hours_per_month; });
    all.push_back({std::move(s), &alt});
  }
  std::stable_sort(all.begin(), all.end(), [rank_by](const auto& x, const auto& y) {
    return rank_key(x.first, rank_by) < rank_key(y.first, rank_by);
  });
  for (std::size_t i = 1; i < all.size(); ++i) {
    c.break_evens.push_back(break_even(all[0].first, all[0].second->ledger, all[i].first, all[i].second->ledger));
  }
  for (auto& [s, alt] : all) c.ranked.push_back(std::move(s));
  return c;
}

}  // namespace leasesim::lease
