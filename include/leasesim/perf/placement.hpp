// Where the parallel groups of a configuration land on the hardware: which of tp/cp/ep/dp/pp fit in
// one NVLink domain and which cross the scale-out fabric. Ranks are laid out Megatron-style, tp
// innermost, then cp, then dp (ep being the innermost ep ranks of dp), then pp outermost
// (Megatron-LM's default order "tp-cp-ep-dp-pp"), and consecutive ranks fill an NVLink domain
// (RackSpec::nvlink_domain_gpus: 8 on DGX/HGX, 72 on NVL72) before the next.
#pragma once

#include "leasesim/hw/rack.hpp"
#include "leasesim/workload/training_job.hpp"

namespace leasesim::perf {

using workload::ParallelConfig;

enum class ParallelDim { tp, cp, ep, pp, dp };
const char* to_string(ParallelDim d);

// The link level a group's traffic uses. scale_out means hierarchical: the members inside one
// NVLink domain talk over NVLink, the domains over the scale-out fabric (one NIC/rail per GPU).
enum class LinkLevel { nvlink, scale_out };
const char* to_string(LinkLevel l);

struct GroupPlacement {
  int size = 1;        // GPUs in one group
  int stride = 1;      // rank distance between consecutive members
  int per_domain = 1;  // members of one group inside one NVLink domain
  LinkLevel level = LinkLevel::nvlink;
  int domains() const { return (size + per_domain - 1) / per_domain; }
};

struct Placement {
  int domain_gpus = 1;  // GPUs per NVLink domain
  GroupPlacement tp, cp, ep, dp, pp;
  GroupPlacement dense_grad;   // dp·cp ranks holding the same non-expert weights (stride tp)
  GroupPlacement expert_grad;  // dp·cp/ep ranks holding the same experts (stride tp·ep)
  const GroupPlacement& of(ParallelDim d) const;
};

Placement place(const ParallelConfig& c, const hw::RackSpec& rack);

}  // namespace leasesim::perf
