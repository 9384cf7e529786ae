// Shared-fabric contention: probe, joint solve, memo of rings alone, stretch and slowdown (see
// fabric_contention.hpp and docs/cluster-model.md, "Shared fabric").
#include "leasesim/cluster/fabric_contention.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "leasesim/cluster/step_rate_cache.hpp"

namespace leasesim::cluster {

FabricContention::FabricContention(const hw::ClusterSpec& cluster, const perf::LinkRates& rates,
                                   const FabricContentionSettings& settings)
    : settings_(settings), tree_(perf::FabricTree::of(cluster, rates)) {
  const auto& o = cluster.fabric.oversubscription;
  contends_ = std::any_of(o.begin(), o.end(), [](double x) { return x > 1.0; });
  // The joint tree's links a ring can touch: each domain's NIC up and down, each group's trunk up
  // and down at every level (a ring's hops never stay inside one domain).
  const long long domains = static_cast<long long>(cluster.racks) * std::max(1, cluster.rack.nvlink_domains());
  long long links = 2 * domains;
  for (long long span : tree_.span) links += 2 * ((domains + span - 1) / std::max(1LL, span));
  max_joint_links_ = static_cast<std::size_t>(links);
}

void FabricContention::clear() {
  rings_.clear();
  domains_.clear();
  solo_of_.clear();
  seconds_.clear();
}

bool FabricContention::add_ring(int job, std::uint32_t epoch, std::vector<std::pair<long long, long long>>& domains,
                                double scale_out_s, long long ranks_per_domain) {
  if (scale_out_s <= 0 || ranks_per_domain <= 0) return false;
  if (!std::is_sorted(domains.begin(), domains.end())) std::sort(domains.begin(), domains.end());
  std::size_t n = 0;
  for (std::size_t k = 0; k < domains.size(); ++k) {
    if (n > 0 && domains[n - 1].first == domains[k].first)
      domains[n - 1].second += domains[k].second;
    else
      domains[n++] = domains[k];
  }
  if (n < 2) return false;
  // The job's per-iteration scale-out traffic as one ring over its domains, sized so that on a
  // non-blocking tree, at ranks_per_domain GPUs per domain, it takes scale_out_s.
  const double bytes = scale_out_s * static_cast<double>(ranks_per_domain) * tree_.gpu_nic_bw;
  rings_.push_back({job, epoch, domains_.size(), domains_.size() + n, bytes});
  domains_.insert(domains_.end(), domains.begin(), domains.begin() + static_cast<std::ptrdiff_t>(n));
  return true;
}

// One flow per hop of the ring, each capped by the job's GPUs in its sending domain.
void FabricContention::hops_of(const Ring& r, std::vector<Hop>& out) const {
  out.clear();
  const std::size_t n = r.end - r.begin;
  for (std::size_t i = 0; i < n; ++i) {
    Hop h;
    h.src = domains_[r.begin + i].first;
    h.dst = domains_[r.begin + (i + 1) % n].first;
    h.rate_cap = static_cast<double>(domains_[r.begin + i].second) * tree_.gpu_nic_bw;
    h.bytes = r.bytes;
    out.push_back(std::move(h));
  }
}

void FabricContention::add_hops(perf::FabricProblemBuilder& builder, const Ring& r) {
  const std::size_t n = r.end - r.begin;
  for (std::size_t i = 0; i < n; ++i)
    builder.add_flow(domains_[r.begin + i].first, domains_[r.begin + (i + 1) % n].first, r.bytes,
                     static_cast<double>(domains_[r.begin + i].second) * tree_.gpu_nic_bw);
}

// Whether a live ring's hops are already exactly ring r's (same ends, caps and bytes, in order).
bool FabricContention::live_as_ring(const LiveRing& live, const Ring& r) const {
  const std::size_t n = r.end - r.begin;
  if (live.hops.size() != n) return false;
  for (std::size_t i = 0; i < n; ++i) {
    const Hop& h = live.hops[i];
    if (h.src != domains_[r.begin + i].first || h.dst != domains_[r.begin + (i + 1) % n].first || h.bytes != r.bytes ||
        h.rate_cap != static_cast<double>(domains_[r.begin + i].second) * tree_.gpu_nic_bw)
      return false;
  }
  return true;
}

bool FabricContention::same_ring(const Alone& a, const Ring& r) const {
  if (a.bytes != r.bytes || a.domains.size() != r.end - r.begin) return false;
  return std::equal(a.domains.begin(), a.domains.end(), domains_.begin() + static_cast<std::ptrdiff_t>(r.begin));
}

void FabricContention::start_joint(Hop& h) {
  perf::FlowNetwork& net = perf::FlowNetwork::instance();
  joint_.path.clear();
  joint_.flows.clear();
  joint_builder_.add_flow(h.src, h.dst, h.bytes, h.rate_cap);
  while (joint_pool_link_.size() < joint_.link_capacity.size())
    joint_pool_link_.push_back(net.acquire_link(joint_.link_capacity[joint_pool_link_.size()]));
  h.path.clear();
  for (std::uint32_t link : joint_.path) h.path.push_back(joint_pool_link_[link]);
  h.slot = net.start_flow(h.path.data(), h.path.size(), h.rate_cap);
}

FabricContention::~FabricContention() { release_all(); }

void FabricContention::release_all() {
  if (live_.empty() && joint_pool_link_.empty() && solo_pool_link_.empty()) return;
  perf::FlowNetwork& net = perf::FlowNetwork::instance();
  for (auto& [job, ring] : live_)
    for (const Hop& h : ring.hops) net.stop_flow(h.slot);
  live_.clear();
  for (std::uint32_t link : joint_pool_link_) net.release_link(link);
  joint_pool_link_.clear();
  for (std::uint32_t link : solo_pool_link_) net.release_link(link);
  solo_pool_link_.clear();
  joint_.clear();
  joint_builder_ = {};
}

void FabricContention::solve_in_actor(std::string& error) {
  perf::FlowNetwork& net = perf::FlowNetwork::instance();
  if (joint_pool_link_.empty() && joint_.link_capacity.empty()) joint_builder_.reset(tree_, joint_);
  // The rings not yet timed alone on their hops run again on a private copy of the tree each, so
  // the stretch compares like with like (the oversubscription its placement meets alone is already
  // in the job's own flow price).
  solo_.clear();
  solo_of_.clear();
  std::vector<std::pair<std::size_t, std::size_t>> solo_flows;
  for (std::size_t k = 0; k < rings_.size(); ++k) {
    const auto it = alone_.find(rings_[k].job);
    if (it != alone_.end() && same_ring(it->second, rings_[k])) continue;
    solo_builder_.attach(tree_, solo_);
    const std::size_t first = solo_.flows.size();
    add_hops(solo_builder_, rings_[k]);
    solo_flows.emplace_back(first, solo_.flows.size());
    solo_of_.push_back(k);
  }
  // Pools: a bound on what this solve may add (every hop of every ring new, each with a full path).
  std::size_t hops = 0;
  for (const Ring& r : rings_) hops += r.end - r.begin;
  std::size_t live_hops = 0;
  for (const auto& [job, ring] : live_) live_hops += ring.hops.size();
  const std::size_t joint_links_left = max_joint_links_ - std::min(max_joint_links_, joint_pool_link_.size());
  const std::size_t solo_links_new =
      solo_.link_capacity.size() - std::min(solo_.link_capacity.size(), solo_pool_link_.size());
  if (hops + solo_.flows.size() > net.free_slots() + live_hops ||
      solo_links_new + joint_links_left > net.free_links()) {
    error = "flow fidelity: the shared fabric's " + std::to_string(hops) + " ring hops and " +
            std::to_string(solo_.flows.size()) + " hops timed alone exceed the flow network's pools (" +
            std::to_string(perf::FlowNetwork::kMaxLiveFlows) + " live flows)";
    seconds_.clear();
    return;
  }
  // Diff each ring's hops against its live ones: a hop with the same ends, cap and bytes keeps its
  // flow; the others start; live hops no ring wants any more stop.
  for (auto& [job, ring] : live_) ring.seen = false;
  for (const Ring& r : rings_) {
    LiveRing& live = live_[r.job];
    live.seen = true;
    if (live_as_ring(live, r)) continue;  // unchanged: every hop keeps its flow
    hops_of(r, want_);
    std::vector<Hop> kept;
    kept.reserve(want_.size());
    std::unordered_map<long long, std::size_t> old;  // src → index in live.hops (a ring leaves each domain once)
    for (std::size_t i = 0; i < live.hops.size(); ++i) old.emplace(live.hops[i].src, i);
    std::vector<char> used(live.hops.size(), 0);
    for (Hop& h : want_) {
      const auto it = old.find(h.src);
      if (it != old.end()) {
        Hop& o = live.hops[it->second];
        if (!used[it->second] && o.dst == h.dst && o.rate_cap == h.rate_cap && o.bytes == h.bytes) {
          used[it->second] = 1;
          kept.push_back(std::move(o));
          continue;
        }
      }
      kept.push_back(std::move(h));
      kept.back().slot = perf::FlowNetwork::kNoSlot;
    }
    for (std::size_t i = 0; i < live.hops.size(); ++i)
      if (!used[i]) net.stop_flow(live.hops[i].slot);
    live.hops = std::move(kept);
  }
  for (auto it = live_.begin(); it != live_.end();) {
    if (it->second.seen) {
      ++it;
      continue;
    }
    for (const Hop& h : it->second.hops) net.stop_flow(h.slot);
    it = live_.erase(it);
  }
  const double now = perf::FlowNetwork::clock();
  for (auto& [job, ring] : live_)
    for (Hop& h : ring.hops) {
      if (h.slot == perf::FlowNetwork::kNoSlot) {
        start_joint(h);
        h.started_s = now;
      } else if (h.rate_cap * (now - h.started_s) > 0.4 * perf::FlowNetwork::kLiveBytes &&
                 net.remaining(h.slot) < 0.6 * perf::FlowNetwork::kLiveBytes) {
        // A live flow that has moved 40% of its bytes starts afresh (same route): what it moves in a
        // window is then read between two values of one binary exponent, as exactly as from a fresh
        // flow (and it never completes between solves).
        net.restart_flow(h.slot);
        h.started_s = now;
      }
    }
  // The rings timed alone use the same pooled links from one solve to the next (link i of this
  // solve's private copies is solo_pool_link_[i]), so a hop's route recurs and its stopped flow is
  // resumed rather than a new one started.
  while (solo_pool_link_.size() < solo_.link_capacity.size())
    solo_pool_link_.push_back(net.acquire_link(solo_.link_capacity[solo_pool_link_.size()]));
  for (std::size_t i = 0; i < solo_.link_capacity.size(); ++i)
    net.set_link_capacity(solo_pool_link_[i], solo_.link_capacity[i]);
  std::vector<std::uint32_t> solo_slots;
  std::vector<std::uint32_t> path;
  for (const perf::NetworkFlow& flow : solo_.flows) {
    path.clear();
    for (std::uint32_t k = flow.path_begin; k < flow.path_end; ++k) path.push_back(solo_pool_link_[solo_.path[k]]);
    solo_slots.push_back(net.start_flow(path.data(), path.size(), flow.rate_cap));
  }

  std::vector<std::uint32_t> slots;
  for (const Ring& r : rings_)
    for (const Hop& h : live_.at(r.job).hops) slots.push_back(h.slot);
  slots.insert(slots.end(), solo_slots.begin(), solo_slots.end());
  const std::vector<double> rates = net.rates_in_actor(slots, settings_.window_s);
  seconds_.assign(rings_.size() + solo_of_.size(), 0.0);
  std::size_t at = 0;
  auto slowest = [&](std::size_t n, double bytes) {
    double worst = 0;
    for (std::size_t h = 0; h < n; ++h, ++at) {
      const double rate = rates[at];
      worst = std::max(worst, rate > 0 ? bytes / rate : std::numeric_limits<double>::infinity());
    }
    return worst;
  };
  for (std::size_t k = 0; k < rings_.size(); ++k)
    seconds_[k] = slowest(rings_[k].end - rings_[k].begin, rings_[k].bytes);
  for (std::size_t s = 0; s < solo_of_.size(); ++s) {
    const Ring& r = rings_[solo_of_[s]];
    seconds_[rings_.size() + s] = slowest(r.end - r.begin, r.bytes);
  }
  for (std::uint32_t slot : solo_slots) net.stop_flow(slot);
  net.count_problem(slots.size());
}

std::vector<FabricContention::Stretch> FabricContention::stretches(
    const std::function<std::uint32_t(int job)>& epoch_of) {
  std::vector<Stretch> out;
  if (seconds_.size() != rings_.size() + solo_of_.size()) return out;
  for (std::size_t s = 0; s < solo_of_.size(); ++s) {
    const Ring& r = rings_[solo_of_[s]];
    if (epoch_of(r.job) != r.epoch) continue;
    Alone& a = alone_[r.job];
    a.bytes = r.bytes;
    a.domains.assign(domains_.begin() + static_cast<std::ptrdiff_t>(r.begin),
                     domains_.begin() + static_cast<std::ptrdiff_t>(r.end));
    a.seconds = seconds_[rings_.size() + s];
  }
  const double q = settings_.stretch_quantum;
  for (std::size_t k = 0; k < rings_.size(); ++k) {
    const Ring& r = rings_[k];
    if (epoch_of(r.job) != r.epoch) continue;
    const auto it = alone_.find(r.job);
    if (it == alone_.end() || !same_ring(it->second, r) || !(it->second.seconds > 0)) continue;
    out.push_back({r.job, std::max(1.0, std::round(seconds_[k] / it->second.seconds / q) * q)});
  }
  return out;
}

double FabricContention::slowdown(StepRateCache& steps, const JobProfile& profile, double stretch) {
  return steps.stretched_step_s(profile, stretch) / profile.step_time_s;
}

bool FabricContention::moves(double current, double proposed) const {
  return std::abs(proposed - current) > settings_.slowdown_tolerance * current;
}

}  // namespace leasesim::cluster
