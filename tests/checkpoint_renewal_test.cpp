// Checkpoints that add up (issue 12 §2). One job under Poisson failures with a fixed checkpoint
// rhythm: its mean completion time must equal the renewal expectation — exactly, not the
// first-order closed form the ETTR test (cluster_ettr_test.cpp) uses. A segment of T seconds
// (Δ of training plus a blocking write C, committed at its end), interrupted at rate λ, each
// interruption followed by a restart R that a failure can interrupt too, takes on average
//   E[T_seg] = e^{λR} · (e^{λT} − 1) / λ
// (the classic renewal argument: Daly 2006, eq. 3, with failures during restart). The job's wall
// time is the sum over its segments: 47 of Δ + C and a last one of Δ with no checkpoint after it.
// Also here: a checkpoint never starts before the previous write has finished, and an async
// checkpoint is committed only when written.
#include <cmath>
#include <vector>

#include "cluster_test_fixtures.hpp"
#include "leasesim/cluster/checkpoint_cycle.hpp"
#include "leasesim/cluster/failure_presets.hpp"

using namespace leasesim;

namespace {

constexpr double hour = 3600.0;

struct Setup {
  cluster::SimulationInput in;
  double lambda = 0;  // interruptions per second of the job
};

// A 64-GPU job (16 trays of one rack) on two racks with spares; failures per tray at `per_tray_per_s`,
// repaired in a minute, so a replacement tray is always free and the job restarts at once.
Setup setup(double tokens, double per_tray_per_s) {
  Setup s{test::small_cluster(2, 20 * 86400.0), 16 * per_tray_per_s};
  s.in.cluster.spare_trays_per_rack = 2;
  auto job = test::fixed_job("renewal", 64, tokens);
  job.restart_overhead_s = 900;
  job.checkpoint.interval_s = 1 * hour;
  job.checkpoint.write_time_s = 0.1 * hour;
  job.checkpoint.async = false;
  s.in.jobs.push_back(job);
  if (per_tray_per_s > 0) {
    cluster::FailureProcess p;
    p.component = cluster::Component::node;
    p.category = "tray";
    p.per_unit_per_s = per_tray_per_s;
    p.repair = {cluster::Distribution::fixed, 60.0, 1.0};
    s.in.failures.processes.push_back(p);
  }
  return s;
}

}  // namespace

TEST_CASE("one job's mean completion time under Poisson failures is the renewal expectation", "[cluster][checkpoint]") {
  // The job's step rate, priced once without failures, sets 48 h of training exactly.
  const auto priced = cluster::simulate(setup(1e12, 0).in);
  REQUIRE(priced.jobs.size() == 1);
  const double tps = priced.jobs[0].tokens_per_s;
  REQUIRE(tps > 0);
  const double work_s = 48 * hour;

  Setup s = setup(std::floor(tps * work_s), 1.0 / (48 * hour));  // λ = 16 trays / 48 h = 1 per 3 h
  const int reps = 400;
  const auto runs = cluster::simulate_replications(s.in, reps);
  const double R = 900 + runs.front().jobs[0].restart_read_s;
  const double C = 0.1 * hour, D = 1 * hour, lambda = s.lambda;
  const auto seg = [&](double T) { return std::exp(lambda * R) * std::expm1(lambda * T) / lambda; };
  const double exact = 47 * seg(D + C) + seg(D);
  // The first-order form: every segment stretched by λ·(T/2 + R).
  const auto first = [&](double T) { return T * (1 + lambda * (T / 2 + R)); };
  const double first_order = 47 * first(D + C) + first(D);

  double sum = 0, sum2 = 0, interruptions = 0;
  for (const auto& r : runs) {
    REQUIRE(r.jobs.size() == 1);
    REQUIRE(r.jobs[0].end_s);
    REQUIRE(r.jobs[0].start_s);
    CHECK(r.jobs[0].checkpoint_interval_s == Approx(D));
    const double wall = *r.jobs[0].end_s - *r.jobs[0].start_s;
    sum += wall;
    sum2 += wall * wall;
    interruptions += r.jobs[0].interruptions;
  }
  const double mean = sum / reps;
  const double se = std::sqrt((sum2 / reps - mean * mean) / reps);
  INFO("mean wall " << mean / hour << " h ± " << se / hour << " (SE); renewal " << exact / hour << " h; first order "
                    << first_order / hour << " h; interruptions per run " << interruptions / reps);
  CHECK(std::abs(mean - exact) < 4 * se);
  // The test tells the exact expectation from the first-order one.
  CHECK(std::abs(exact - first_order) > 8 * se);
  CHECK(std::abs(mean - first_order) > 4 * se);
}

TEST_CASE("a checkpoint never starts before the previous write has finished, async included", "[cluster][checkpoint]") {
  const hw::ClusterSpec cluster = test::small_cluster(2, 86400).cluster;
  const double params = 70e9;  // 980 GB of checkpoint at 14 B/param
  cluster::CheckpointPolicy p;
  p.write_time_s = 60;
  p.async = true;
  SECTION("an interval given shorter than the write is raised to it") {
    p.interval_s = 10;
    const auto c = cluster::resolve_checkpoint(p, params, 64, 16, 1e-6, cluster, 86400);
    CHECK(c.interval_ms == 60'000);
    CHECK(c.write_s == 60);
    CHECK(c.stall_s == Approx(params * 14 / 64 / cluster::async_snapshot_bytes_per_s));  // 0.31 s
    CHECK(c.commit_lag_ms == 60'000 - c.stall_ms);
  }
  SECTION("a Young/Daly interval below the write is raised to it") {
    // Interrupted every ~10 s per tray: Young/Daly on a 0.31 s stall would checkpoint every ~0.6 s.
    const auto c = cluster::resolve_checkpoint(p, params, 64, 16, 1.0 / 160, cluster, 86400);
    CHECK(c.interval_ms == 60'000);
  }
  SECTION("Young/Daly uses the stall that blocks training, not the overlapped write") {
    const double rate = 16 * 1e-6;
    const auto c = cluster::resolve_checkpoint(p, params, 64, 16, 1e-6, cluster, 86400);
    CHECK(c.interval_ms == std::llround(1000 * std::sqrt(2 * c.stall_s / rate)));
  }
}

TEST_CASE("an async checkpoint is committed only once written; a restart reads it back", "[cluster][checkpoint]") {
  const hw::ClusterSpec cluster = test::small_cluster(2, 86400).cluster;
  cluster::CheckpointPolicy p;
  p.interval_s = 600;
  p.write_time_s = 120;
  p.async = true;
  const double params = 8e9;
  const auto c = cluster::resolve_checkpoint(p, params, 64, 16, 1e-6, cluster, 86400);
  const std::int64_t period = c.period();
  // The first snapshot ends at one period; its write finishes a commit lag later.
  CHECK(c.committed_in(period) == 0);
  CHECK(c.committed_in(period + c.commit_lag_ms - 1) == 0);
  CHECK(c.committed_in(period + c.commit_lag_ms) == c.interval_ms);
  CHECK(c.committed_in(2 * period + c.commit_lag_ms) == 2 * c.interval_ms);
  // Blocking: committed at the end of the write, which is the stall.
  p.async = false;
  const auto b = cluster::resolve_checkpoint(p, params, 64, 16, 1e-6, cluster, 86400);
  CHECK(b.commit_lag_ms == 0);
  CHECK(b.stall_ms == 120'000);
  CHECK(b.committed_in(b.period()) == b.interval_ms);
  // Reading 112 GB back at the storage's read bandwidth.
  CHECK(c.read_s == Approx(params * cluster::checkpoint_bytes_per_param / cluster.storage.read_bandwidth));
  CHECK(c.read_s > 0);
}
