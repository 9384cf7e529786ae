// Several sites in one cluster simulation (docs/leases.md, "Several sites"): the facility's racks
// are partitioned into sites (SimulationInput::sites), each with its own leases. A job holds trays
// of one site only — its pin, or the first site (in the scenario's order) that holds it when it
// starts — so its NVLink groups, its replacements after a failure and its scale-out traffic stay on
// that site's fabric. A job no site can ever hold is rejected with the largest site's size, unless
// it may span sites: then it is placed over every site's racks and its step is priced by the step
// model on the fewest sites that hold it, over the inter-site link (hw::SiteSpan).
#include <algorithm>

#include <fmt/format.h>

#include "leasesim/cluster/cluster_simulation.hpp"

namespace leasesim::cluster {

int ClusterSimulation::site_of_rack(int rack) const {
  if (!multi_site_) return 0;
  for (std::size_t s = 0; s < sites_.size(); ++s)
    if (rack >= sites_[s].racks.lo && rack < sites_[s].racks.hi) return static_cast<int>(s);
  return 0;
}

RackRange ClusterSimulation::range_of(const Job& j) const {
  if (!multi_site_ || j.across || j.site < 0) return RackRange{};
  return sites_[static_cast<std::size_t>(j.site)].racks;
}

int ClusterSimulation::site_for(const Job& j, bool with_spares) const {
  const long long trays = trays_for(j.groups, inventory_.gpus_per_tray(), j.group_gpus);
  const auto holds = [&](const RackRange& range) {
    const long long free =
        with_spares ? spare_group_capacity(j.group_gpus, range) : group_capacity(inventory_, j.group_gpus, range);
    return free >= j.groups;
  };
  if (j.across) return within_allowance(j, trays, -1) && holds(RackRange{}) ? -1 : -2;
  for (std::size_t s = 0; s < sites_.size(); ++s) {
    if (j.pin >= 0 && static_cast<int>(s) != j.pin) continue;
    if (within_allowance(j, trays, static_cast<int>(s)) && holds(sites_[s].racks)) return static_cast<int>(s);
  }
  return -2;
}

StepRateCache& ClusterSimulation::span_cache(int sites) {
  auto& [cluster, cache] = span_steps_[sites];
  if (!cache) {
    cluster = std::make_unique<hw::ClusterSpec>(input_.cluster);
    cluster->span = input_.inter_site;
    cluster->span.sites = sites;
    cache = std::make_unique<StepRateCache>(*cluster, input_.fidelity);
    if (input_.sample_throughput || input_.throughput_scale != 1.0)
      cache->set_rate_adjustment(input_.throughput_scale, rate_z_);
  }
  return *cache;
}

void ClusterSimulation::resolve_sites(int id) {
  Job& j = jobs_[static_cast<std::size_t>(id)];
  const JobTicket& t = tickets_[static_cast<std::size_t>(id)];
  const JobSpec* spec = t.source >= 0 ? &input_.jobs[static_cast<std::size_t>(t.source)] : nullptr;
  if (spec && !spec->site.empty()) {
    const auto it =
        std::find_if(sites_.begin(), sites_.end(), [&](const SiteRacks& s) { return s.name == spec->site; });
    if (it == sites_.end()) {
      j.reason = fmt::format("its site \"{}\" is not one of the scenario's sites", spec->site);
      return;
    }
    j.pin = static_cast<int>(it - sites_.begin());
  }
  const int T = inventory_.trays_per_rack(), G = inventory_.gpus_per_tray();
  const int usable = T - std::min(T, input_.cluster.spare_trays_per_rack);
  const auto site_groups = [&](std::size_t s, int g) {
    return static_cast<long long>(sites_[s].racks.hi - sites_[s].racks.lo) * groups_in(usable, G, g);
  };
  // The largest site the job may use (its pin, else any).
  std::size_t largest = j.pin >= 0 ? static_cast<std::size_t>(j.pin) : 0;
  if (j.pin < 0)
    for (std::size_t s = 1; s < sites_.size(); ++s)
      if (site_groups(s, j.group_gpus) > site_groups(largest, j.group_gpus)) largest = s;
  if (j.groups <= site_groups(largest, j.group_gpus)) return;
  const long long held = site_groups(largest, j.group_gpus) * j.group_gpus;
  if (j.pin >= 0) {
    j.reason = fmt::format("needs {} GPUs; its site \"{}\" holds {} schedulable GPUs", j.profile->gpus,
                           sites_[largest].name, held);
    return;
  }
  if (!spec || !spec->span_sites) {
    j.reason = fmt::format(
        "needs {} GPUs; the largest site \"{}\" holds {} schedulable GPUs (a job with "
        "span_sites may run across sites)",
        j.profile->gpus, sites_[largest].name, held);
    return;
  }
  // Across sites: priced on the fewest sites that hold it (largest first), over the inter-site link.
  // The price may choose another parallelism (and NVLink group), so count the sites again after it.
  int sites = 0;
  for (int round = 0; round < 3; ++round) {
    std::vector<long long> sizes;
    for (std::size_t s = 0; s < sites_.size(); ++s) sizes.push_back(site_groups(s, j.group_gpus));
    std::sort(sizes.rbegin(), sizes.rend());
    long long sum = 0;
    int k = 0;
    while (k < static_cast<int>(sizes.size()) && sum < j.groups) sum += sizes[static_cast<std::size_t>(k++)];
    if (sum < j.groups) {
      j.reason = fmt::format("needs {} GPUs in NVLink groups of {}; the sites together hold {} such GPUs",
                             j.profile->gpus, j.group_gpus, sum * j.group_gpus);
      return;
    }
    if (k == sites) break;
    sites = k;
    j.profile = &span_cache(sites).profile(t.source, t.training_job());
    if (!j.profile->error.empty()) {
      j.reason = j.profile->error;
      return;
    }
    j.group_gpus = std::max(1, j.profile->nvlink_group_gpus);
    j.groups = (j.profile->gpus + j.group_gpus - 1) / j.group_gpus;
  }
  j.across = true;
  j.span_sites = sites;
}

}  // namespace leasesim::cluster
