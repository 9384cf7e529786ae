// Capacity over time from the leases (see capacity.hpp).
#include "leasesim/lease/capacity.hpp"

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "leasesim/lease/contract_type.hpp"
#include "leasesim/units/date.hpp"

namespace leasesim::lease {

namespace {

// First instant of the calendar month holding `utc`.
std::int64_t month_floor(std::int64_t utc) {
  const std::int64_t day = utc >= 0 ? utc / 86400 : (utc - 86399) / 86400;
  units::CivilDate d = units::civil_from_days(day);
  d.day = 1;
  return units::days_from_civil(d) * 86400;
}

cluster::OverflowPolicy policy(OverflowRule r) {
  switch (r) {
    case OverflowRule::queue:
      return cluster::OverflowPolicy::queue;
    case OverflowRule::borrow:
      return cluster::OverflowPolicy::borrow;
    case OverflowRule::burst:
      return cluster::OverflowPolicy::burst;
  }
  return cluster::OverflowPolicy::queue;
}

// A step function of GPUs from its changes (UTC → +/- GPUs), as seconds from the horizon start:
// the first entry at 0 holds everything that changed at or before the start.
std::vector<std::pair<double, long long>> steps_from(const std::map<std::int64_t, long long>& delta,
                                                     std::int64_t horizon_start_utc) {
  std::vector<std::pair<double, long long>> steps{{0.0, 0}};
  long long gpus = 0;
  for (const auto& [utc, d] : delta) {
    gpus += d;
    const double s = static_cast<double>(utc - horizon_start_utc);
    if (s <= 0)
      steps.front().second = gpus;
    else
      steps.emplace_back(s, gpus);
  }
  return steps;
}

}  // namespace

cluster::CapacityPlan capacity_plan(const std::vector<Lease>& leases, const std::vector<Tenant>& tenants,
                                    const hw::RackSpec& rack, std::int64_t horizon_start_utc,
                                    const std::vector<std::string>& sites) {
  cluster::CapacityPlan plan;
  if (leases.empty()) return plan;
  plan.enabled = true;
  const int site_count = std::max<int>(1, static_cast<int>(sites.size()));
  for (int site = 0; site < site_count; ++site)
    for (const Tenant& t : tenants) {
      const auto in_site = [&](const Lease& l) {
        return sites.empty() || l.site == sites[static_cast<std::size_t>(site)];
      };
      if (!sites.empty() &&
          std::none_of(leases.begin(), leases.end(), [&](const Lease& l) { return l.tenant == t.name && in_site(l); }))
        continue;
      // The tenant's GPUs as a step function: +gpus where a lease's capacity starts or changes.
      std::map<std::int64_t, long long> delta;
      for (const Lease& l : leases) {
        if (l.tenant != t.name || !in_site(l)) continue;
        const ContractType& type = contract_type(l);
        const cluster::MarketCurve* market = type.market(l);
        // A market lease asks for its nominal capacity; the simulation draws what is granted.
        std::map<std::int64_t, long long> own;
        std::map<std::int64_t, long long>& steps = market ? own : delta;
        const std::int64_t from = type.available_from(l), to = l.end();
        if (to <= from) continue;
        const std::int64_t first_month = month_floor(l.start);
        long long current = 0;
        std::int64_t at = from;
        for (int k = 0;; ++k) {
          const std::int64_t month = units::add_months(first_month, k), next = units::add_months(first_month, k + 1);
          if (month >= to) break;
          if (next <= from) continue;
          const long long nominal = l.gpus_in_month(rack, k);
          const long long g = market ? nominal : type.supplied_gpus(l, nominal);
          if (g != current) {
            steps[std::max(at, month)] += g - current;
            current = g;
          }
          at = next;
          if (k > 1200) break;  // 100 years: the loader bounds terms far below this
        }
        if (current != 0) steps[to] -= current;
        if (!market) continue;
        cluster::MarketRequest r{l.name, l.tenant, site, *market, steps_from(own, horizon_start_utc)};
        r.curve.block_gpus = rack.gpus;
        plan.market.push_back(std::move(r));
      }
      cluster::TenantCapacity c;
      c.tenant = t.name;
      c.site = site;
      c.overflow = policy(t.overflow.rule);
      c.gpus = steps_from(delta, horizon_start_utc);
      plan.tenants.push_back(std::move(c));
    }
  return plan;
}

}  // namespace leasesim::lease
