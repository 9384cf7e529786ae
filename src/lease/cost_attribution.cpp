// Splitting each lease-month's cost between jobs and idle capacity (see cost_attribution.hpp).
#include "leasesim/lease/cost_attribution.hpp"

#include <algorithm>

#include "leasesim/lease/billing_math.hpp"

namespace leasesim::lease {

CostAttribution attribute_costs(const Ledger& ledger, const cluster::SimulationResult& result) {
  CostAttribution out;
  out.job_cost.assign(result.jobs.size(), units::Money{});
  // (month, tenant) → the jobs' part of the month's cost.
  std::map<std::pair<std::int64_t, std::string>, std::int64_t> used;
  for (const LedgerRow& r : ledger.rows) {
    const units::Money cost = r.figures.tenant_cost();
    const std::int64_t a = r.figures.allocated, i = r.figures.idle;
    const std::int64_t jobs = a + i > 0 ? split_exact(cost.micros(), {a, i})[0] : 0;
    used[{r.month_start_utc, r.tenant}] += jobs;
    const units::Money idle = cost - units::Money::from_micros(jobs);
    out.idle_by_tenant[r.tenant] += idle;
    out.idle_total += idle;
  }
  // Each tenant-month's jobs part over its jobs by allocated GPU-ms.
  std::map<std::pair<std::int64_t, std::string>, std::vector<std::pair<std::size_t, std::int64_t>>> users;
  for (std::size_t k = 0; k < result.jobs.size(); ++k)
    for (const auto& [month, ms] : result.jobs[k].month_allocated_gpu_ms)
      if (ms > 0) users[{month, result.jobs[k].tenant}].emplace_back(k, ms);
  for (const auto& [key, micros] : used) {
    const auto it = users.find(key);
    if (it == users.end()) {  // a cost with no job behind it (cannot happen: allocated > 0 means a job ran)
      out.idle_by_tenant[key.second] += units::Money::from_micros(micros);
      out.idle_total += units::Money::from_micros(micros);
      continue;
    }
    std::vector<std::int64_t> weights;
    for (const auto& u : it->second) weights.push_back(u.second);
    const auto parts = split_exact(micros, weights);
    for (std::size_t p = 0; p < parts.size(); ++p) {
      out.job_cost[it->second[p].first] += units::Money::from_micros(parts[p]);
      out.jobs_total += units::Money::from_micros(parts[p]);
    }
  }
  return out;
}

}  // namespace leasesim::lease
