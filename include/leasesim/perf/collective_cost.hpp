// The analytical price of a collective: closed-form alpha-beta times on the link levels of its
// group. Bandwidth terms are NCCL's bus-bandwidth formulas (nccl-tests PERFORMANCE.md): all-reduce
// moves 2(n−1)/n of the buffer per GPU, reduce-scatter and all-gather (n−1)/n, all-to-all (n−1)/n
// of what a GPU sends. A group spread over several NVLink domains is hierarchical: the members of a
// domain first reduce/gather over NVLink, then each GPU exchanges 1/k of the data over its own
// scale-out rail with its peers in the other domains (rail-optimized fabric).
#pragma once

#include "leasesim/hw/cluster.hpp"
#include "leasesim/perf/collectives.hpp"

namespace leasesim::perf {

// Link rates as seen by collectives on one cluster.
struct LinkRates {
  double nvlink_bw = 0;     // bytes/s per GPU per direction, after NCCL bus efficiency
  double scale_out_bw = 0;  // bytes/s per GPU per direction, after technology and bus efficiency
  double nvlink_latency_s = 0;
  double scale_out_latency_s = 0;
};

LinkRates link_rates(const hw::ClusterSpec& cluster, const ModelConstants& k);

// Seconds one call of `op` takes on an idle fabric.
double collective_time(const CollectiveOp& op, const LinkRates& r);

}  // namespace leasesim::perf
