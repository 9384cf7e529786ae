// The process-wide step-rate memo behind StepRateCache: later simulations in one process (sweep
// points, plan capacities) reuse a priced job only when nothing the step model reads has changed.
#include <catch2/catch.hpp>

#include "cluster_test_fixtures.hpp"
#include "leasesim/cluster/step_rate_cache.hpp"

using namespace leasesim;

namespace {

cluster::SimulationInput memo_input(int racks, const std::string& name, double tokens) {
  cluster::SimulationInput in = test::small_cluster(racks, 86'400);
  cluster::JobSpec j = test::fixed_job(name, 64, tokens);
  j.training.parallelism.dp.reset();  // leave one choice to the search, so pricing is not trivial
  in.jobs.push_back(j);
  return in;
}

}  // namespace

TEST_CASE("the step-rate memo reuses a priced job across simulations only when its rate cannot differ",
          "[cluster][memo]") {
  cluster::StepRateCache::clear_process_memo();
  const auto first = cluster::simulate(memo_input(2, "a", 1e9));
  REQUIRE(cluster::StepRateCache::process_memo_size() == 1);

  // Another name, token count and cluster size (analytical fidelity): the same entry, the same rate.
  const auto second = cluster::simulate(memo_input(3, "b", 5e9));
  CHECK(cluster::StepRateCache::process_memo_size() == 1);
  REQUIRE(first.jobs.size() == 1);
  REQUIRE(second.jobs.size() == 1);
  CHECK(second.jobs[0].step_time_s == first.jobs[0].step_time_s);
  CHECK(second.jobs[0].parallelism == first.jobs[0].parallelism);

  // A batch that changes the step: priced afresh, and its step time differs.
  cluster::SimulationInput bigger = memo_input(2, "a", 1e9);
  bigger.jobs[0].training.global_batch *= 2;
  const auto third = cluster::simulate(bigger);
  CHECK(cluster::StepRateCache::process_memo_size() == 2);
  REQUIRE(third.jobs.size() == 1);
  CHECK(third.jobs[0].step_time_s > 1.5 * first.jobs[0].step_time_s);

  // A fabric change is part of the key too.
  cluster::SimulationInput slower = memo_input(2, "a", 1e9);
  slower.cluster.fabric.effective_bandwidth_factor = 0.25;
  cluster::simulate(slower);
  CHECK(cluster::StepRateCache::process_memo_size() == 3);

  // Same results as without the memo.
  cluster::StepRateCache::clear_process_memo();
  const auto fresh = cluster::simulate(memo_input(3, "b", 5e9));
  CHECK(fresh.jobs[0].step_time_s == second.jobs[0].step_time_s);
  CHECK(fresh.jobs[0].end_s == second.jobs[0].end_s);
}
