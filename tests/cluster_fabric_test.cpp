// Flow fidelity in the cluster simulation: the running jobs' scale-out traffic shares the fabric's
// links, is simulated jointly on SimGrid whenever the set of running jobs changes, and stretches each
// job's step by its share of the contention.
#include <catch2/catch.hpp>

#include "cluster_test_fixtures.hpp"

using namespace leasesim;

namespace {

// DeepSeek-V3 (TP8 EP8, one 64-GPU NVLink group per GB300 NVL72 rack) on 9 racks: DP72 over the
// fabric with little backward compute to hide it (perf_flow_test.cpp), so contention shows.
cluster::JobSpec dp_heavy(const std::string& name, double tokens) {
  cluster::JobSpec j;
  j.training = test::job_of("deepseek-v3", 72, 576, hw::Precision::fp8);
  j.training.name = name;
  j.training.tokens = tokens;
  workload::ParallelismRequest& p = j.training.parallelism;
  p.tp = 8;
  p.pp = 1;
  p.dp = 72;
  p.cp = 1;
  p.ep = 8;
  p.vpp = 1;
  p.micro_batch = 1;
  p.recompute = workload::Recompute::selective;
  p.sharding = workload::Sharding::none;
  j.tenant = name;
  return j;
}

// 18 racks, leaf groups of two racks behind a 4:1 leaf uplink; no failures, flow fidelity.
cluster::SimulationInput shared_fabric(double oversubscription) {
  cluster::SimulationInput in = test::small_cluster(18, 30 * 86'400.0);
  in.cluster.fabric.oversubscription = {oversubscription};
  in.fidelity = cluster::Fidelity::flow;
  return in;
}

const cluster::JobResult& job(const cluster::SimulationResult& r, const std::string& name) {
  for (const auto& j : r.jobs)
    if (j.name == name) return j;
  FAIL("no job " << name);
  return r.jobs.front();
}

double run_days(const cluster::JobResult& j) { return (*j.end_s - *j.start_s) / 86'400.0; }

}  // namespace

TEST_CASE("jobs sharing oversubscribed links slow each other in flow fidelity, and recover when alone",
          "[cluster][fabric]") {
  const double tokens = 1.5e11;

  cluster::SimulationInput alone = shared_fabric(4.0);
  alone.jobs = {dp_heavy("a", tokens)};
  const auto solo = cluster::simulate(alone);
  const auto& a_solo = job(solo, "a");
  REQUIRE(a_solo.end_s);
  CHECK(a_solo.step_fidelity == "flow");
  CHECK(a_solo.fabric_slowdown == 1.0);  // its own price already has its placement's oversubscription
  test::require_conservation(alone, solo);

  cluster::SimulationInput both = shared_fabric(4.0);
  both.jobs = {dp_heavy("a", tokens), dp_heavy("b", tokens)};
  const auto shared = cluster::simulate(both);
  const auto& a = job(shared, "a");
  const auto& b = job(shared, "b");
  REQUIRE(a.end_s);
  REQUIRE(b.end_s);
  WARN("alone " << run_days(a_solo) << " d; together " << run_days(a) << " d and " << run_days(b) << " d; slowdown "
                << a.fabric_slowdown << ", " << b.fabric_slowdown << "; " << shared.fabric_resolves
                << " joint simulations");
  CHECK(shared.fabric_resolves >= 1);
  // Both pay, and the same (symmetric placements); the run takes longer by the slowdown.
  CHECK(a.fabric_slowdown > 1.05);
  CHECK(a.fabric_slowdown == Approx(b.fabric_slowdown).epsilon(0.01));
  CHECK(run_days(a) > run_days(a_solo) * 1.04);
  CHECK(run_days(a) == Approx(run_days(a_solo) * a.fabric_slowdown).epsilon(0.02));
  // Tokens are still exactly the job's; the ledger still sums to GPUs × horizon.
  CHECK(a.tokens_trained == Approx(tokens));
  test::require_conservation(both, shared);

  // A short neighbour: b ends early and a runs at its own rate again (re-solved when b leaves).
  cluster::SimulationInput short_b = shared_fabric(4.0);
  short_b.jobs = {dp_heavy("a", tokens), dp_heavy("b", tokens / 4)};
  const auto partly = cluster::simulate(short_b);
  const auto& a2 = job(partly, "a");
  REQUIRE(a2.end_s);
  CHECK(a2.fabric_slowdown > 1.0);
  CHECK(a2.fabric_slowdown < a.fabric_slowdown - 0.5 * (a.fabric_slowdown - 1.0));
  CHECK(run_days(a2) < run_days(a));
  CHECK(run_days(a2) > run_days(a_solo));
  test::require_conservation(short_b, partly);

  // Deterministic.
  const auto again = cluster::simulate(both);
  CHECK(job(again, "a").end_s == a.end_s);
  CHECK(again.fabric_resolves == shared.fabric_resolves);
}

TEST_CASE("on a non-blocking fabric, jobs on their own racks do not slow each other", "[cluster][fabric]") {
  cluster::SimulationInput both = shared_fabric(1.0);
  both.jobs = {dp_heavy("a", 1.5e11), dp_heavy("b", 1.5e11)};
  const auto r = cluster::simulate(both);
  CHECK(r.fabric_resolves == 0);  // provably no contention: no joint simulation is run
  CHECK(job(r, "a").fabric_slowdown == 1.0);
  CHECK(job(r, "b").fabric_slowdown == 1.0);
}

TEST_CASE("analytical fidelity never runs the joint fabric simulation", "[cluster][fabric]") {
  cluster::SimulationInput both = shared_fabric(4.0);
  both.fidelity = cluster::Fidelity::analytical;
  both.jobs = {dp_heavy("a", 1.5e11), dp_heavy("b", 1.5e11)};
  const auto r = cluster::simulate(both);
  CHECK(r.fabric_resolves == 0);
  CHECK(job(r, "a").fabric_slowdown == 1.0);
}

TEST_CASE(
    "the re-solve interval delays a contention change by at most its length, and moves a job's end by "
    "that delay times the rate it lost",
    "[cluster][fabric]") {
  const double tokens = 1.5e11;
  // The slowdown a pays while b shares its uplink all along (both the same size: they end together).
  cluster::SimulationInput both = shared_fabric(4.0);
  both.jobs = {dp_heavy("a", tokens), dp_heavy("b", tokens)};
  const double s = job(cluster::simulate(both), "a").fabric_slowdown;
  REQUIRE(s > 1.05);

  // b leaves a few simulated minutes in; c, a job inside one tray (no fabric traffic), arrives at
  // 500 s. Every change solved: a runs at its own rate from b's end on. With the 10-minute interval
  // the change after the first solve (at 0 s) is solved at 600 s and, like every solve, applies
  // from the last event before it: c's arrival, 500 s.
  cluster::SimulationInput in = shared_fabric(4.0);
  cluster::JobSpec c = test::fixed_job("c", 4, 1e9);
  c.submit_s = 500;
  in.jobs = {dp_heavy("a", tokens), dp_heavy("b", 5e7), c};
  in.fabric_contention.resolve_interval_s = 0;
  const auto every = cluster::simulate(in);
  in.fabric_contention.resolve_interval_s = 600;
  const auto throttled = cluster::simulate(in);
  const double b_end = *job(every, "b").end_s;
  REQUIRE(b_end > 0);
  REQUIRE(b_end < 500);
  CHECK(*job(throttled, "b").end_s == b_end);  // b ran shared all its life either way
  const double delay = 500 - b_end;
  const double moved = *job(throttled, "a").end_s - *job(every, "a").end_s;
  WARN("b ends at " << b_end << " s; a's end moves by " << moved << " s (slowdown " << s << ")");
  // a trains at 1/s instead of 1 for `delay` seconds: it ends delay·(1 − 1/s) later (checkpoint
  // writes stretch it by their share of the wall time), never more than the interval would allow.
  CHECK(moved == Approx(delay * (1 - 1 / s)).epsilon(0.05));
  CHECK(moved <= 600 * (1 - 1 / s) * 1.05);
  test::require_conservation(in, throttled);
  // Without the unrelated arrival the throttled solve applies from b's end: nothing moves.
  in.jobs.pop_back();
  const auto quiet_throttled = cluster::simulate(in);
  in.fabric_contention.resolve_interval_s = 0;
  CHECK(*job(cluster::simulate(in), "a").end_s == *job(quiet_throttled, "a").end_s);
}
