// The aggregated platform of the flow fidelity, as plain numbers: one endpoint per NVLink domain
// (an NVL72 rack, a DGX node), because inside a domain every GPU reaches every other at full NVLink
// rate (the physics allows aggregating it into one link), and above it a tree of switch groups whose
// uplinks carry the fabric's oversubscription.
//
//   domain d ── NIC up/down (domain GPUs × per-GPU scale-out rate) ── leaf group ── trunk ── ... top
//   domain d ── NVLink link (domain GPUs × per-GPU NVLink rate) for traffic that stays inside it
//
// Rail-optimized fabrics are rail planes that carry the same traffic (NCCL's PXN puts a message on the
// destination GPU's rail over NVLink first), so the planes are added up into one tree: a leaf group is
// the set of domains whose GPUs share rail leaves — switch_radix ports split down:up by the leaf
// oversubscription, one port per node per rail — and each higher tier groups `down ports` children.
// A group's uplink capacity is its downlink capacity divided by the oversubscription at that tier
// boundary; the top tier holds every group (it grows to fit rather than capping the cluster size).
// Switches are taken as ideally load-balanced (adaptive routing): parallel uplinks are one trunk.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "leasesim/hw/cluster.hpp"
#include "leasesim/perf/collective_cost.hpp"
#include "leasesim/perf/flow_network.hpp"

namespace leasesim::perf {

// The tree's shape, derived from the cluster's FabricSpec.
struct FabricTree {
  int domain_gpus = 1;
  double gpu_nic_bw = 0;     // bytes/s per GPU per direction (LinkRates::scale_out_bw)
  double gpu_nvlink_bw = 0;  // bytes/s per GPU per direction (LinkRates::nvlink_bw)
  // span[l]: NVLink domains under one group at trunk level l (l = 0: leaf group); one entry per tier
  // boundary (tiers − 1 of them). up_capacity[l]: bytes/s of that group's uplink (and of its downlink).
  std::vector<long long> span;
  std::vector<double> up_capacity;

  static FabricTree of(const hw::ClusterSpec& cluster, const LinkRates& rates);
  // The highest trunk level a flow between two domains climbs (−1: same leaf group, −2: same domain).
  int top_level(long long a, long long b) const;
};

// Builds FlowProblems on a FabricTree: allocates each domain's and each group's links on first use, so
// a problem only holds the part of the cluster its flows touch.
class FabricProblemBuilder {
 public:
  void reset(const FabricTree& tree, FlowProblem& problem);
  // Starts a private copy of the tree in `problem` without clearing it: flows added from now on
  // share links only with each other (e.g. to time one job's traffic alone beside a joint run).
  void attach(const FabricTree& tree, FlowProblem& problem);
  // Adds one flow from domain `src` to domain `dst` (cluster-wide NVLink domain indices).
  void add_flow(long long src, long long dst, double bytes, double rate_cap);

 private:
  std::uint32_t link(std::uint64_t key, double capacity);
  const FabricTree* tree_ = nullptr;
  FlowProblem* problem_ = nullptr;
  std::unordered_map<std::uint64_t, std::uint32_t> links_;
};

}  // namespace leasesim::perf
