// Shared-fabric contention: probe, joint solve, memo of rings alone, stretch and slowdown (see
// fabric_contention.hpp and docs/cluster-model.md, "Shared fabric").
#include "leasesim/cluster/fabric_contention.hpp"

#include <algorithm>
#include <cmath>

#include "leasesim/cluster/step_rate_cache.hpp"

namespace leasesim::cluster {

FabricContention::FabricContention(const hw::ClusterSpec& cluster, const perf::LinkRates& rates,
                                   const FabricContentionSettings& settings)
    : settings_(settings), tree_(perf::FabricTree::of(cluster, rates)) {
  const auto& o = cluster.fabric.oversubscription;
  contends_ = std::any_of(o.begin(), o.end(), [](double x) { return x > 1.0; });
}

void FabricContention::clear() {
  rings_.clear();
  domains_.clear();
  groups_.clear();
  solo_of_.clear();
  seconds_.clear();
}

bool FabricContention::add_ring(int job, std::uint32_t epoch, std::uint32_t placement,
                                std::vector<std::pair<long long, long long>>& domains, double scale_out_s,
                                long long ranks_per_domain) {
  if (scale_out_s <= 0 || ranks_per_domain <= 0) return false;
  std::sort(domains.begin(), domains.end());
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
  rings_.push_back({job, epoch, placement, domains_.size(), domains_.size() + n, bytes});
  domains_.insert(domains_.end(), domains.begin(), domains.begin() + static_cast<std::ptrdiff_t>(n));
  return true;
}

// One flow per hop of the ring, each capped by the job's GPUs in its sending domain.
void FabricContention::add_hops(perf::FabricProblemBuilder& builder, const Ring& r) {
  const std::size_t n = r.end - r.begin;
  for (std::size_t i = 0; i < n; ++i)
    builder.add_flow(domains_[r.begin + i].first, domains_[r.begin + (i + 1) % n].first, r.bytes,
                     static_cast<double>(domains_[r.begin + i].second) * tree_.gpu_nic_bw);
}

void FabricContention::solve_in_actor(std::string& error) {
  groups_.clear();
  solo_of_.clear();
  joint_builder_.reset(tree_, problem_);
  for (const Ring& r : rings_) {
    const auto first = static_cast<std::uint32_t>(problem_.flows.size());
    add_hops(joint_builder_, r);
    groups_.emplace_back(first, static_cast<std::uint32_t>(problem_.flows.size()));
  }
  // Each ring not yet timed alone on its placement runs again on a private copy of the tree, so the
  // stretch compares like with like (the oversubscription its placement meets alone is already in
  // the job's own flow price).
  for (std::size_t k = 0; k < rings_.size(); ++k) {
    const auto it = alone_.find(rings_[k].job);
    if (it != alone_.end() && it->second.placement == rings_[k].placement) continue;
    solo_builder_.attach(tree_, problem_);
    const auto first = static_cast<std::uint32_t>(problem_.flows.size());
    add_hops(solo_builder_, rings_[k]);
    groups_.emplace_back(first, static_cast<std::uint32_t>(problem_.flows.size()));
    solo_of_.push_back(k);
  }
  seconds_ = perf::FlowNetwork::instance().simulate_in_actor(problem_, groups_, settings_.window_s, error);
  if (!error.empty()) seconds_.clear();
}

std::vector<FabricContention::Stretch> FabricContention::stretches(
    const std::function<std::uint32_t(int job)>& epoch_of) {
  std::vector<Stretch> out;
  if (seconds_.size() != groups_.size()) return out;
  for (std::size_t s = 0; s < solo_of_.size(); ++s) {
    const Ring& r = rings_[solo_of_[s]];
    if (epoch_of(r.job) != r.epoch) continue;
    alone_[r.job] = {r.placement, seconds_[rings_.size() + s]};
  }
  const double q = settings_.stretch_quantum;
  for (std::size_t k = 0; k < rings_.size(); ++k) {
    const Ring& r = rings_[k];
    if (epoch_of(r.job) != r.epoch) continue;
    const auto it = alone_.find(r.job);
    if (it == alone_.end() || it->second.placement != r.placement || !(it->second.seconds > 0)) continue;
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
