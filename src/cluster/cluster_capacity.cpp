// Capacity over time (see cluster_simulation.hpp and docs/leases.md): the trays the tenants' leases
// provide come into service and leave it as engine events; with several tenants (or a bursting one)
// each tenant's jobs hold at most its leases' schedulable trays, plus what its overflow rule allows.
#include <algorithm>
#include <climits>
#include <cmath>

#include <fmt/format.h>

#include "leasesim/cluster/cluster_simulation.hpp"
#include "leasesim/cluster/random_stream.hpp"

namespace leasesim::cluster {

namespace {
std::int64_t ms_of(double s) { return static_cast<std::int64_t>(std::llround(s * 1000.0)); }

// GPUs of the tenant's leases from `t_ms` on (the last change at or before it).
long long gpus_at(const TenantCapacity& c, std::int64_t t_ms) {
  long long g = 0;
  for (const auto& [t, gpus] : c.gpus)
    if (ms_of(std::max(0.0, t)) <= t_ms) g = gpus;
  return g;
}
}  // namespace

// The random stream of a market request: keyed by its lease's name (FNV-1a), so a grant stays the
// same when other leases, jobs or failures change (common random numbers).
std::uint64_t market_stream(const std::string& lease) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const char c : "market:" + lease) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h | (1ULL << 63);
}

void ClusterSimulation::draw_market() {
  capacity_ = input_.capacity;
  market_grants_.clear();
  if (capacity_.market.empty()) return;
  for (const MarketRequest& m : capacity_.market) {
    long long peak = 0;
    for (const auto& [t, g] : m.gpus) peak = std::max(peak, g);
    RandomStream rng(input_.seed, market_stream(m.lease));
    const long long granted = m.curve.grant(peak, rng.uniform());
    market_grants_.push_back(
        {m.lease, m.tenant, peak, m.curve.ceiling_gpus, granted, m.curve.probability_at_least(peak)});
    auto it = std::find_if(capacity_.tenants.begin(), capacity_.tenants.end(),
                           [&](const TenantCapacity& c) { return c.tenant == m.tenant && c.site == m.site; });
    if (it == capacity_.tenants.end() || granted == 0) continue;
    // The tenant's step function plus min(asked at t, granted), on the union of their times.
    std::vector<double> times;
    for (const auto& [t, g] : it->gpus) times.push_back(t);
    for (const auto& [t, g] : m.gpus) times.push_back(t);
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    auto value_at = [](const std::vector<std::pair<double, long long>>& steps, double t) {
      long long v = 0;
      for (const auto& [s, g] : steps)
        if (s <= t) v = g;
      return v;
    };
    std::vector<std::pair<double, long long>> merged;
    for (const double t : times) {
      const long long v = value_at(it->gpus, t) + std::min(value_at(m.gpus, t), granted);
      if (merged.empty() || merged.back().second != v) merged.emplace_back(t, v);
    }
    if (merged.empty() || merged.front().first > 0) merged.insert(merged.begin(), {0.0, 0});
    it->gpus = std::move(merged);
  }
}

void ClusterSimulation::build_capacity() {
  cap_of_tenant_.assign(sites_.size() * tenants_.size(), -1);
  draw_market();
  const CapacityPlan& plan = capacity_;
  if (!plan.enabled) return;
  const std::size_t C = plan.tenants.size();
  for (std::size_t c = 0; c < C; ++c) {
    const auto it = std::lower_bound(tenants_.begin(), tenants_.end(), plan.tenants[c].tenant);
    const auto site =
        static_cast<std::size_t>(std::clamp(plan.tenants[c].site, 0, static_cast<int>(sites_.size()) - 1));
    if (it != tenants_.end() && *it == plan.tenants[c].tenant)
      cap_of_tenant_[site * tenants_.size() + static_cast<std::size_t>(it - tenants_.begin())] = static_cast<int>(c);
    if (plan.tenants[c].overflow == OverflowPolicy::burst) burst_pool_ = true;
  }
  enforce_quota_ = C > 1 || burst_pool_ || multi_site_;
  quota_.assign(C, 0);
  held_.assign(C, 0);

  capacity_times_ = {0};
  for (const TenantCapacity& c : plan.tenants)
    for (const auto& [t, gpus] : c.gpus) {
      const std::int64_t ms = ms_of(t);
      if (ms > 0 && ms < grid_.horizon_ms) capacity_times_.push_back(ms);
    }
  std::sort(capacity_times_.begin(), capacity_times_.end());
  capacity_times_.erase(std::unique(capacity_times_.begin(), capacity_times_.end()), capacity_times_.end());
  const long long G = inventory_.gpus_per_tray(), T = inventory_.trays_per_rack();
  const long long S = std::min<long long>(T, input_.cluster.spare_trays_per_rack);
  for (std::int64_t t : capacity_times_) {
    std::vector<long long> trays(C);
    for (std::size_t c = 0; c < C; ++c) trays[c] = gpus_at(plan.tenants[c], t) / G;
    capacity_trays_.push_back(std::move(trays));
  }

  // The most each tenant's jobs can ever hold, in NVLink groups: a job larger than that is rejected.
  auto physical_groups = [&](long long in_service, int g) {
    return (in_service / T) * groups_in(static_cast<int>(T - S), static_cast<int>(G), g) +
           groups_in(static_cast<int>(std::max(0LL, in_service % T - S)), static_cast<int>(G), g);
  };
  for (std::size_t i = 0; i < jobs_.size(); ++i) {
    Job& j = jobs_[i];
    if (!j.reason.empty() || !j.profile) continue;
    const std::string& tenant = tenants_[static_cast<std::size_t>(j.tenant)];
    // The sites the job may hold trays in, and whether the tenant holds a lease in any of them.
    bool holds = false;
    for (std::size_t s = 0; s < sites_.size(); ++s)
      if ((j.pin < 0 || j.pin == static_cast<int>(s)) && cap_entry(static_cast<int>(s), j.tenant) >= 0) holds = true;
    if (!holds) {
      j.reason = j.pin >= 0 ? fmt::format("its tenant \"{}\" holds no lease in site \"{}\"", tenant,
                                          sites_[static_cast<std::size_t>(j.pin)].name)
                            : fmt::format("its tenant \"{}\" holds no lease", tenant);
      continue;
    }
    long long most = 0;
    for (const auto& trays : capacity_trays_) {
      long long across = 0;
      for (std::size_t s = 0; s < sites_.size(); ++s) {
        const int c = cap_entry(static_cast<int>(s), j.tenant);
        if ((j.pin >= 0 && j.pin != static_cast<int>(s)) || (c < 0 && multi_site_)) continue;
        long long leased = 0, quotas = 0;
        for (std::size_t e = 0; e < trays.size(); ++e) {
          if (plan.tenants[e].site != static_cast<int>(s) && multi_site_) continue;
          leased += trays[e];
          quotas += trays[e] * (T - S) / T;
        }
        const long long site_trays = static_cast<long long>(sites_[s].racks.hi - sites_[s].racks.lo) * T;
        const long long in_service = burst_pool_ ? site_trays : std::min(site_trays, leased);
        long long groups = physical_groups(in_service, j.group_gpus);
        if (enforce_quota_) {
          const OverflowPolicy o = plan.tenants[static_cast<std::size_t>(c)].overflow;
          const long long limit = o == OverflowPolicy::queue    ? trays[static_cast<std::size_t>(c)] * (T - S) / T
                                  : o == OverflowPolicy::borrow ? quotas
                                                                : LLONG_MAX / (G + 1);
          groups = std::min(groups, limit * G / j.group_gpus);
        }
        most = std::max(most, groups);
        across += groups;
      }
      if (j.across) most = std::max(most, across);
    }
    if (j.groups > most) {
      const long long gpus = j.profile->gpus;
      if (multi_site_) {
        j.reason = fmt::format("needs {} GPUs; the leases of \"{}\" provide at most {} schedulable GPUs {} at any time",
                               gpus, tenant, most * j.group_gpus,
                               j.across     ? "across sites"
                               : j.pin >= 0 ? "in its site"
                                            : "in any one site");
        continue;
      }
      j.reason =
          j.group_gpus > G
              ? fmt::format(
                    "needs {} GPUs in NVLink groups of {}; the leases of \"{}\" provide at most {} such GPUs at any "
                    "time",
                    gpus, j.group_gpus, tenant, most * j.group_gpus)
              : fmt::format("needs {} GPUs; the leases of \"{}\" provide at most {} schedulable GPUs at any time", gpus,
                            tenant, most * j.group_gpus);
      for (const MarketGrant& g : market_grants_) {
        if (g.tenant != tenant || g.granted_gpus >= g.requested_gpus) continue;
        j.reason += fmt::format(" (on-demand lease \"{}\" asked for {} GPUs; the market granted {}", g.lease,
                                g.requested_gpus, g.granted_gpus);
        j.reason += g.ceiling_gpus > 0 && g.requested_gpus > g.ceiling_gpus
                        ? fmt::format(": no grant exceeds its ceiling of {} GPUs)", g.ceiling_gpus)
                        : fmt::format(": a grant of all of it had a chance of {:.0f}%)", 100 * g.p_full);
      }
    }
  }
  // What each later change adds to (or takes from) the schedulable trays, for reservations.
  for (std::size_t k = 1; k < capacity_times_.size(); ++k) {
    const long long d = schedulable_trays(capacity_trays_[k]) - schedulable_trays(capacity_trays_[k - 1]);
    if (d != 0) capacity_deltas_.emplace_back(capacity_times_[k], d);
  }
  set_capacity(capacity_trays_.front());
}

// Schedulable trays in service for a step's leased trays (spares held back), as retire/commission
// lay racks out: whole racks, at most one partial rack.
long long ClusterSimulation::schedulable_trays(const std::vector<long long>& trays) const {
  const long long T = inventory_.trays_per_rack();
  const long long S = std::min<long long>(T, input_.cluster.spare_trays_per_rack);
  long long total = 0;
  for (std::size_t s = 0; s < sites_.size(); ++s) {
    long long leased = 0;
    for (std::size_t e = 0; e < trays.size(); ++e)
      if (!multi_site_ || capacity_.tenants[e].site == static_cast<int>(s)) leased += trays[e];
    const long long site_trays = static_cast<long long>(sites_[s].racks.hi - sites_[s].racks.lo) * T;
    const long long n = burst_pool_ ? site_trays : std::min(site_trays, leased);
    total += (n / T) * (T - S) + std::max(0LL, n % T - S);
  }
  return total;
}

long long ClusterSimulation::in_service_in(const RackRange& range) const {
  if (range.all(inventory_)) return inventory_.in_service_total();
  const long long T = inventory_.trays_per_rack();
  long long n = 0;
  for (int r = std::max(0, range.lo); r < std::min(range.hi, inventory_.racks()); ++r) n += T - inventory_.out_in(r);
  return n;
}

void ClusterSimulation::apply_capacity(std::size_t k) {
  if (k == 0 || k >= capacity_times_.size()) return;
  set_now(capacity_times_[k]);
  ++events;
  set_capacity(capacity_trays_[k]);
}

void ClusterSimulation::set_capacity(const std::vector<long long>& trays) {
  const long long T = inventory_.trays_per_rack();
  const long long S = std::min<long long>(T, input_.cluster.spare_trays_per_rack);
  for (std::size_t c = 0; c < trays.size(); ++c) quota_[c] = trays[c] * (T - S) / T;
  // Each site's racks are in service as far as its own leases provide them.
  for (std::size_t s = 0; s < sites_.size(); ++s) {
    long long leased = 0;
    for (std::size_t c = 0; c < trays.size(); ++c)
      if (!multi_site_ || capacity_.tenants[c].site == static_cast<int>(s)) leased += trays[c];
    const RackRange& range = sites_[s].racks;
    const long long site_trays = static_cast<long long>(range.hi - range.lo) * T;
    const long long target = burst_pool_ ? site_trays : std::min(site_trays, leased);
    const long long current = in_service_in(range);
    if (target > current) commission_trays(target - current, range);
    if (target < current) retire_trays(current - target, range);
  }
  if (enforce_quota_) {
    // A tenant whose own capacity shrank below what its jobs hold checkpoints and requeues jobs
    // (lowest priority, then latest started) until it fits; borrowers and bursters keep running.
    for (std::size_t c = 0; c < trays.size(); ++c) {
      if (capacity_.tenants[c].overflow != OverflowPolicy::queue) continue;
      while (held_[c] > quota_[c]) {
        int victim = -1;
        for (int id : running_ids_) {
          const Job& j = jobs_[static_cast<std::size_t>(id)];
          const int site = multi_site_ ? j.site : 0;
          if (site < 0 || cap_entry(site, j.tenant) != static_cast<int>(c)) continue;
          if (victim < 0) {
            victim = id;
            continue;
          }
          const Job& v = jobs_[static_cast<std::size_t>(victim)];
          const int pj = tickets_[static_cast<std::size_t>(id)].priority,
                    pv = tickets_[static_cast<std::size_t>(victim)].priority;
          if (pj < pv || (pj == pv && j.first_start > v.first_start)) victim = id;
        }
        if (victim < 0) break;
        preempt(victim);
      }
    }
  }
  dirty_ = true;
}

// Racks leave service whole where possible: the racks with the fewest trays held by jobs first
// (highest index among equals), unheld trays before held ones; jobs on a leaving tray are
// checkpointed and requeued.
void ClusterSimulation::retire_trays(long long n, const RackRange& range) {
  const int T = inventory_.trays_per_rack();
  std::vector<int> racks;
  for (int r = std::max(0, range.lo); r < std::min(range.hi, inventory_.racks()); ++r)
    if (inventory_.out_in(r) < T) racks.push_back(r);
  std::sort(racks.begin(), racks.end(), [&](int a, int b) {
    const int ha = inventory_.held_in(a), hb = inventory_.held_in(b);
    return ha != hb ? ha < hb : a > b;
  });
  for (int rack : racks) {
    if (n <= 0) break;
    const long long first = static_cast<long long>(rack) * T, last = first + T;
    auto retire_unheld = [&] {
      for (long long t = last - 1; t >= first && n > 0; --t)
        if (inventory_.in_service(t) && inventory_.job_of(t) < 0) {
          inventory_.retire(t);
          --n;
        }
    };
    retire_unheld();
    if (n <= 0) break;
    std::vector<int> holders;
    for (long long t = last - 1; t >= first; --t)
      if (inventory_.in_service(t) && inventory_.job_of(t) >= 0 &&
          std::find(holders.begin(), holders.end(), inventory_.job_of(t)) == holders.end())
        holders.push_back(inventory_.job_of(t));
    for (int id : holders) preempt(id);
    retire_unheld();
  }
}

// Trays come into service filling partly served racks first, then the lowest-numbered racks.
void ClusterSimulation::commission_trays(long long n, const RackRange& range) {
  const int T = inventory_.trays_per_rack();
  std::vector<int> racks;
  for (int r = std::max(0, range.lo); r < std::min(range.hi, inventory_.racks()); ++r)
    if (inventory_.out_in(r) > 0) racks.push_back(r);
  std::stable_sort(racks.begin(), racks.end(),
                   [&](int a, int b) { return (inventory_.out_in(a) < T) > (inventory_.out_in(b) < T); });
  for (int rack : racks) {
    for (long long t = static_cast<long long>(rack) * T; t < static_cast<long long>(rack + 1) * T && n > 0; ++t)
      if (!inventory_.in_service(t)) {
        inventory_.commission(t);
        --n;
      }
    if (n <= 0) break;
  }
}

bool ClusterSimulation::within_allowance(const Job& j, long long trays) const {
  return within_allowance(j, trays, j.across ? -1 : std::max(0, j.site));
}

bool ClusterSimulation::within_allowance(const Job& j, long long trays, int site) const {
  if (!enforce_quota_) return true;
  if (site < 0) {
    // Across sites: the tenant's trays over every site it holds leases in, within their quotas
    // (plus, borrowing, what other tenants leave idle).
    long long held = 0, quota = 0, others = 0;
    bool burst = false;
    for (std::size_t s = 0; s < sites_.size(); ++s) {
      const int c = cap_entry(static_cast<int>(s), j.tenant);
      if (c < 0) continue;
      const auto ci = static_cast<std::size_t>(c);
      held += held_[ci];
      quota += quota_[ci];
      if (capacity_.tenants[ci].overflow == OverflowPolicy::burst) burst = true;
      if (capacity_.tenants[ci].overflow == OverflowPolicy::borrow)
        for (std::size_t o = 0; o < quota_.size(); ++o)
          if (capacity_.tenants[o].site == static_cast<int>(s) && o != ci)
            others += std::max(0LL, quota_[o] - held_[o]);
    }
    return burst || held + trays <= quota + others;
  }
  const int c = cap_entry(site, j.tenant);
  if (c < 0) return false;
  const auto ci = static_cast<std::size_t>(c);
  switch (capacity_.tenants[ci].overflow) {
    case OverflowPolicy::queue:
      return held_[ci] + trays <= quota_[ci];
    case OverflowPolicy::borrow: {
      long long others = 0;  // other tenants' idle quota in the same site
      for (std::size_t o = 0; o < quota_.size(); ++o)
        if (o != ci && (!multi_site_ || capacity_.tenants[o].site == site))
          others += std::max(0LL, quota_[o] - held_[o]);
      return held_[ci] + trays <= quota_[ci] + others;
    }
    case OverflowPolicy::burst:
      return true;
  }
  return true;
}

void ClusterSimulation::adjust_held(Job& j, int rack, long long delta) {
  if (cap_of_tenant_.empty() || held_.empty()) return;
  const int c = cap_entry(site_of_rack(rack), j.tenant);
  if (c >= 0) held_[static_cast<std::size_t>(c)] += delta;
}

void ClusterSimulation::note_month_use(Job& j, std::int64_t gpus, std::int64_t a, std::int64_t b) {
  if (gpus <= 0) return;
  grid_.for_months(a, b, [&](int m, std::int64_t lo, std::int64_t hi) {
    if (!j.month_gpu_ms.empty() && j.month_gpu_ms.back().first == m)
      j.month_gpu_ms.back().second += gpus * (hi - lo);
    else
      j.month_gpu_ms.emplace_back(m, gpus * (hi - lo));
  });
}

}  // namespace leasesim::cluster
