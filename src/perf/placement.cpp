// Maps each parallel group onto NVLink domains (see placement.hpp for the rank order).
#include "leasesim/perf/placement.hpp"

#include <algorithm>

namespace leasesim::perf {

const char* to_string(ParallelDim d) {
  switch (d) {
    case ParallelDim::tp:
      return "tp";
    case ParallelDim::cp:
      return "cp";
    case ParallelDim::ep:
      return "ep";
    case ParallelDim::pp:
      return "pp";
    case ParallelDim::dp:
      return "dp";
  }
  return "?";
}

const char* to_string(LinkLevel l) { return l == LinkLevel::nvlink ? "nvlink" : "scale-out"; }

const GroupPlacement& Placement::of(ParallelDim d) const {
  switch (d) {
    case ParallelDim::tp:
      return tp;
    case ParallelDim::cp:
      return cp;
    case ParallelDim::ep:
      return ep;
    case ParallelDim::pp:
      return pp;
    case ParallelDim::dp:
      return dp;
  }
  return dp;
}

namespace {

// Members of a group of `size` GPUs at rank distance `stride` that share one domain of `domain` GPUs.
GroupPlacement group(int size, long long stride, int domain) {
  GroupPlacement g;
  g.size = size;
  g.stride = static_cast<int>(std::min<long long>(stride, 1LL << 30));
  const long long fit = stride >= domain ? 1 : domain / stride;
  g.per_domain = static_cast<int>(std::clamp<long long>(fit, 1, size));
  g.level = g.per_domain >= size ? LinkLevel::nvlink : LinkLevel::scale_out;
  return g;
}

}  // namespace

Placement place(const ParallelConfig& c, const hw::RackSpec& rack) {
  Placement p;
  p.domain_gpus = std::max(1, rack.nvlink_domain_gpus);
  const int d = p.domain_gpus;
  const long long tp = c.tp, cp = c.cp, dp = c.dp;
  p.tp = group(c.tp, 1, d);
  p.cp = group(c.cp, tp, d);
  p.ep = group(c.ep, tp * cp, d);
  p.dp = group(c.dp, tp * cp, d);
  p.pp = group(c.pp, tp * cp * dp, d);
  p.dense_grad = group(c.dp * c.cp, tp, d);
  p.expert_grad = group(std::max(1, c.dp * c.cp / c.ep), tp * c.ep, d);
  return p;
}

}  // namespace leasesim::perf
