// Shape of the aggregated fat tree and the links of each flow's path (see flow_fabric.hpp).
#include "leasesim/perf/flow_fabric.hpp"

#include <algorithm>
#include <cmath>

namespace leasesim::perf {

FabricTree FabricTree::of(const hw::ClusterSpec& cluster, const LinkRates& rates) {
  FabricTree t;
  const hw::RackSpec& rack = cluster.rack;
  const hw::FabricSpec& f = cluster.fabric;
  t.domain_gpus = std::max(1, rack.nvlink_domain_gpus > 0 ? rack.nvlink_domain_gpus : rack.gpus);
  t.gpu_nic_bw = rates.scale_out_bw;
  t.gpu_nvlink_bw = rates.nvlink_bw;
  const int tiers = std::max(1, f.tiers);
  const int radix = std::max(2, f.switch_radix);
  const int nodes_per_domain = std::max(1, t.domain_gpus / std::max(1, rack.gpus_per_node));
  // Down ports of a switch at tier l: the radix split down:up = oversubscription (the top tier, having
  // no uplinks, would use all its ports down but never bounds a group here).
  auto down_ports = [&](int l) {
    const double o = std::max(1.0, f.oversubscription_at(l));
    return std::max(1.0, std::floor(radix * o / (1.0 + o)));
  };
  // Leaf group: rail-optimized, one leaf port per node per rail; otherwise one port per GPU.
  const double leaf_ports = down_ports(0);
  const double per_domain_ports = f.rail_optimized ? nodes_per_domain : t.domain_gpus;
  long long span = std::max(1LL, static_cast<long long>(leaf_ports / per_domain_ports));
  double capacity = static_cast<double>(span) * t.domain_gpus * t.gpu_nic_bw;  // downlink capacity
  for (int l = 0; l + 1 < tiers; ++l) {
    if (l > 0) {
      span *= static_cast<long long>(down_ports(l));
      capacity *= down_ports(l);
    }
    capacity /= std::max(1.0, f.oversubscription_at(l));
    t.span.push_back(span);
    t.up_capacity.push_back(capacity);
  }
  return t;
}

int FabricTree::top_level(long long a, long long b) const {
  if (a == b) return -2;
  int top = -1;
  for (std::size_t l = 0; l < span.size(); ++l)
    if (a / span[l] != b / span[l]) top = static_cast<int>(l);
  return top;
}

void FabricProblemBuilder::reset(const FabricTree& tree, FlowProblem& problem) {
  tree_ = &tree;
  problem_ = &problem;
  problem.clear();
  links_.clear();
}

void FabricProblemBuilder::attach(const FabricTree& tree, FlowProblem& problem) {
  tree_ = &tree;
  problem_ = &problem;
  links_ = {};  // clear() would walk every bucket a large problem left behind
}

std::uint32_t FabricProblemBuilder::link(std::uint64_t key, double capacity) {
  auto [it, inserted] = links_.try_emplace(key, static_cast<std::uint32_t>(problem_->link_capacity.size()));
  if (inserted) problem_->link_capacity.push_back(capacity);
  return it->second;
}

namespace {
// Link keys: kind in the top 8 bits, level in the next 8, then the domain or group index.
enum : std::uint64_t { kNvlink = 1, kNicUp = 2, kNicDown = 3, kTrunkUp = 4, kTrunkDown = 5 };
std::uint64_t key(std::uint64_t kind, std::uint64_t level, long long index) {
  return kind << 56 | level << 48 | static_cast<std::uint64_t>(index);
}
}  // namespace

void FabricProblemBuilder::add_flow(long long src, long long dst, double bytes, double rate_cap) {
  const FabricTree& t = *tree_;
  NetworkFlow flow;
  flow.bytes = bytes;
  flow.rate_cap = rate_cap;
  flow.path_begin = static_cast<std::uint32_t>(problem_->path.size());
  const double domain_nic = t.domain_gpus * t.gpu_nic_bw;
  if (src == dst) {
    problem_->path.push_back(link(key(kNvlink, 0, src), t.domain_gpus * t.gpu_nvlink_bw));
  } else {
    const int top = t.top_level(src, dst);
    problem_->path.push_back(link(key(kNicUp, 0, src), domain_nic));
    for (int l = 0; l <= top; ++l) problem_->path.push_back(link(key(kTrunkUp, l, src / t.span[l]), t.up_capacity[l]));
    for (int l = top; l >= 0; --l)
      problem_->path.push_back(link(key(kTrunkDown, l, dst / t.span[l]), t.up_capacity[l]));
    problem_->path.push_back(link(key(kNicDown, 0, dst), domain_nic));
  }
  flow.path_end = static_cast<std::uint32_t>(problem_->path.size());
  problem_->flows.push_back(flow);
}

}  // namespace leasesim::perf
