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
  // A job spanning sites (hw::SiteSpan): the link between two sites, each direction, and its latency.
  int sites = 1;
  double inter_site_bw = 0;
  double inter_site_latency_s = 0;
};

LinkRates link_rates(const hw::ClusterSpec& cluster, const ModelConstants& k);

// Seconds one call of `op` takes on an idle fabric.
double collective_time(const CollectiveOp& op, const LinkRates& r);

// A job spanning r.sites > 1 sites has its ranks in r.sites consecutive blocks (pp outermost, as
// placement.hpp lays them out). Which traffic crosses a site boundary: the pipeline's send/recv
// when the sites split it at stage boundaries (pp a multiple of the sites, or dp = 1), else the
// data-parallel collectives (each data-parallel group has members in every site).
bool crosses_sites(const CollectiveOp& op, const ParallelConfig& c, const LinkRates& r);
// The flows of `op` that share one site pair's link in one direction: every concurrent group
// crosses each boundary once per direction, a ring collective with one flow per member of a domain
// (the hierarchical algorithm's rail rings), a send/recv with one.
double inter_site_flows(const CollectiveOp& op);
// Seconds one call of a crossing `op` takes: its scale-out stage runs at the slower of the GPU's
// rail and its share of the inter-site link (inter_site_bw / inter_site_flows), and every latency
// step of it pays the inter-site latency on top of the fabric's. collective_time(op, r) for an op
// that does not cross.
double spanning_collective_time(const CollectiveOp& op, const ParallelConfig& c, const LinkRates& r);

}  // namespace leasesim::perf
