// The shared-fabric contention unit on its own (cluster/fabric_contention.hpp): the non-blocking rule,
// how a job's trays become one ring over its NVLink domains, and the tolerance on a slowdown's move.
// Its joint solve runs inside a cluster simulation (tests/cluster_fabric_test.cpp).
#include <catch2/catch.hpp>

#include "cluster_test_fixtures.hpp"
#include "leasesim/cluster/fabric_contention.hpp"
#include "leasesim/perf/model_constants.hpp"

using namespace leasesim;

namespace {

cluster::FabricContention contention_on(std::vector<double> oversubscription,
                                        const cluster::FabricContentionSettings& settings = {}) {
  cluster::SimulationInput in = test::small_cluster(18, 86'400.0);
  in.cluster.fabric.oversubscription = std::move(oversubscription);
  return cluster::FabricContention(in.cluster, perf::link_rates(in.cluster, perf::ModelConstants::fitted()), settings);
}

}  // namespace

TEST_CASE("the fabric can contend only where a tier boundary is oversubscribed", "[cluster][fabric]") {
  CHECK_FALSE(contention_on({1.0}).can_contend());
  CHECK_FALSE(contention_on({1.0, 1.0}).can_contend());
  CHECK(contention_on({4.0}).can_contend());
  CHECK(contention_on({1.0, 7.0}).can_contend());  // Meta's Llama 3 cluster: non-blocking leaf, 7:1 above
  CHECK(contention_on({1.0001}).can_contend());
}

TEST_CASE("a job's trays become one ring over its NVLink domains, only when it spans two or more",
          "[cluster][fabric]") {
  cluster::FabricContention f = contention_on({4.0});
  // GB300 NVL72: one NVLink domain per rack, 72 GPUs.
  REQUIRE(f.tree().domain_gpus == 72);
  std::vector<std::pair<long long, long long>> one_domain = {{3, 4}, {3, 4}, {3, 64}};
  CHECK_FALSE(f.add_ring(0, 1, one_domain, 2.0, 72));
  CHECK(f.empty());
  std::vector<std::pair<long long, long long>> two = {{5, 4}, {3, 4}, {5, 4}};
  CHECK(f.add_ring(1, 1, two, 2.0, 8));
  CHECK(f.rings() == 1);
  // Trays of one domain are merged: the input is sorted by domain, (3, 4) and (5, 4 + 4).
  REQUIRE(two.size() == 3);
  CHECK(two[0] == std::make_pair(3LL, 4LL));
  CHECK(two[1] == std::make_pair(5LL, 8LL));
  // No scale-out traffic, or no ranks per domain: no ring.
  std::vector<std::pair<long long, long long>> more = {{7, 72}, {8, 72}};
  CHECK_FALSE(f.add_ring(2, 1, more, 0.0, 72));
  CHECK_FALSE(f.add_ring(2, 1, more, 1.0, 0));
  CHECK(f.rings() == 1);
  f.clear();
  CHECK(f.empty());
}

TEST_CASE("a job's slowdown moves only beyond the tolerance", "[cluster][fabric]") {
  const cluster::FabricContention f = contention_on({4.0});
  CHECK(f.settings().slowdown_tolerance == 0.01);
  CHECK_FALSE(f.moves(1.0, 1.009));
  CHECK_FALSE(f.moves(1.0, 0.991));
  CHECK(f.moves(1.0, 1.011));
  CHECK(f.moves(1.5, 1.4));
  cluster::FabricContentionSettings loose;
  loose.slowdown_tolerance = 0.1;
  const cluster::FabricContention g = contention_on({4.0}, loose);
  CHECK_FALSE(g.moves(1.0, 1.09));
  CHECK(g.moves(1.0, 1.11));
}
