// The GPU-time ledger: exact conservation on a busy multi-tenant cluster, determinism, an exact
// rollback to the last checkpoint, and failed trays that run nothing until they are back.
#include "cluster_test_fixtures.hpp"
#include "leasesim/cluster/failure_presets.hpp"

using namespace leasesim;

namespace {

// Two tenants' background demand plus a listed job, llama3-405b failures, two spare trays per rack.
cluster::SimulationInput busy_cluster(cluster::SchedulerPolicy policy) {
  auto in = test::small_cluster(12, 75 * 86400.0);  // crosses two calendar-month boundaries
  in.cluster.spare_trays_per_rack = 1;
  in.scheduler.policy = policy;
  in.jobs.push_back(test::fixed_job("big", 512, 4e12, "alpha"));
  for (const char* tenant : {"alpha", "beta"}) {
    cluster::JobClass k;
    k.name = std::string(tenant) + "-bg";
    k.tenant = tenant;
    k.arrivals_per_s = 1.0 / 3600;
    k.gpus = {{64, 3.0}, {128, 2.0}, {256, 1.0}};
    k.runtime = {cluster::Distribution::exponential, 8 * 3600.0, 1.0};
    k.training = test::fixed_job("bg", 64, 0).training;
    k.training.parallelism.dp.reset();  // sized per job: dp chosen by the search, tp fixed
    in.generators.push_back(k);
  }
  cluster::FailureModel f = *cluster::failure_preset("llama3-405b");
  for (auto& p : f.processes) p.per_unit_per_s *= 5;  // more failures than life, to exercise recovery
  in.failures = f;
  return in;
}

}  // namespace

TEST_CASE("every GPU is in exactly one state: ledgers sum to GPUs × time, in total, per month and per rack",
          "[cluster]") {
  for (auto policy :
       {cluster::SchedulerPolicy::fifo, cluster::SchedulerPolicy::easy_backfill, cluster::SchedulerPolicy::priority}) {
    const auto in = busy_cluster(policy);
    const auto r = cluster::simulate(in);
    INFO("policy " << cluster::to_string(policy));
    test::require_conservation(in, r);
    REQUIRE(r.months.size() == 3);  // July, August, part of September
    CHECK(r.failures > 0);
    CHECK(r.total.lost > 0);
    CHECK(r.total.productive > 0);
    long long completed = 0;
    for (const auto& j : r.jobs) completed += j.status == "completed";
    CHECK(completed > 100);
    // No GPU is allocated twice: a rack never books more allocated time than it has GPUs.
    for (double u : r.daily_utilization) {
      CHECK(u >= 0.0);
      CHECK(u <= 1.0);
    }
    // Tenant-months hold only allocation states and add up to the cluster's allocated time.
    std::int64_t tenant_alloc = 0;
    for (const auto& tm : r.tenant_months) {
      CHECK(tm.gpu_ms.idle + tm.gpu_ms.failed + tm.gpu_ms.spare == 0);
      tenant_alloc += tm.gpu_ms.total();
    }
    CHECK(tenant_alloc == r.total.productive + r.total.checkpointing + r.total.restarting + r.total.lost);
    CHECK(r.energy_mwh > 0);
  }
}

TEST_CASE("the same input and seed give the identical result; another seed does not", "[cluster]") {
  const auto in = busy_cluster(cluster::SchedulerPolicy::easy_backfill);
  const auto a = cluster::simulate(in);
  const auto b = cluster::simulate(in);
  REQUIRE(a.jobs.size() == b.jobs.size());
  for (std::size_t i = 0; i < a.jobs.size(); ++i) {
    CHECK(a.jobs[i].name == b.jobs[i].name);
    CHECK(a.jobs[i].start_s == b.jobs[i].start_s);
    CHECK(a.jobs[i].end_s == b.jobs[i].end_s);
    CHECK(a.jobs[i].interruptions == b.jobs[i].interruptions);
    CHECK(a.jobs[i].tokens_trained == b.jobs[i].tokens_trained);
  }
  CHECK(a.total.productive == b.total.productive);
  CHECK(a.total.lost == b.total.lost);
  CHECK(a.events == b.events);
  CHECK(a.failures_by_category == b.failures_by_category);
  for (std::size_t k = 0; k < a.per_rack.size(); ++k) CHECK(a.per_rack[k].productive == b.per_rack[k].productive);
  CHECK(a.daily_utilization == b.daily_utilization);
  auto other = in;
  other.seed = 8;
  CHECK(cluster::simulate(other).total.productive != a.total.productive);
}

TEST_CASE("a failure rolls the job back exactly to its last checkpoint; the failed rack runs nothing until repaired",
          "[cluster]") {
  auto in = test::small_cluster(2, 3 * 3600.0);
  auto job = test::fixed_job("j", 64, 1e15);  // 16 trays of rack 0; runs past the horizon
  job.checkpoint.interval_s = 1000;
  job.checkpoint.write_time_s = 100;
  job.restart_overhead_s = 600;
  in.jobs.push_back(job);
  // Planned maintenance is the deterministic failure: rack 0 goes out at 2,500 s for one hour.
  in.failures.maintenance.push_back({2500, 3600, 0, 1});
  const auto r = cluster::simulate(in);
  test::require_conservation(in, r);
  REQUIRE(r.jobs[0].interruptions == 1);
  // Two full cycles (1,000 s training + 100 s write) were committed; the 300 s after them are lost.
  const std::int64_t gpus = 64;
  CHECK(r.total.lost == gpus * 300'000);
  const auto& rack0 = r.per_rack[0];
  CHECK(rack0.productive == gpus * 2'000'000);
  CHECK(rack0.checkpointing == gpus * 200'000);
  CHECK(rack0.lost == gpus * 300'000);
  CHECK(rack0.restarting == 0);  // the job restarted on rack 1
  CHECK(rack0.failed == 72LL * 3'600'000);
  CHECK(rack0.idle == 8LL * 2'500'000 + 72LL * (10'800'000 - 6'100'000));
  // Rack 1: restart (600 s) from 2,500 s, then training in the same rhythm until the horizon.
  const auto& rack1 = r.per_rack[1];
  CHECK(rack1.restarting == gpus * 600'000);
  CHECK(rack1.productive + rack1.checkpointing == gpus * (10'800'000 - 3'100'000));
  // Kept work: 2,000 s before the failure + every full 1,000 s cycle after the restart.
  const double committed_s = 2000 + 1000 * ((10'800 - 3'100) / 1100);
  CHECK(r.jobs[0].tokens_trained == Approx(committed_s * r.jobs[0].tokens_per_s).epsilon(1e-9));
}

TEST_CASE("a job too large for the cluster never starts and says why; deadlines are met or missed", "[cluster]") {
  auto in = test::small_cluster(2, 2 * 86400.0);
  in.jobs.push_back(test::fixed_job("too-big", 288, 1e9));
  auto quick = test::fixed_job("quick", 64, 0);
  auto slow = test::fixed_job("slow", 64, 0);
  const auto r0 = cluster::simulate([&] {
    auto probe = in;
    probe.jobs = {quick};
    probe.jobs[0].training.tokens = 1e9;
    return probe;
  }());
  const double rate = r0.jobs[0].tokens_per_s;
  REQUIRE(rate > 0);
  quick.training.tokens = rate * 3600;  // one hour of training
  quick.deadline_s = 2 * 3600;
  slow.training.tokens = rate * 5 * 3600;
  slow.deadline_s = 4 * 3600;
  in.jobs.push_back(quick);
  in.jobs.push_back(slow);
  const auto r = cluster::simulate(in);
  test::require_conservation(in, r);
  CHECK(r.jobs[0].status == "rejected");
  CHECK_FALSE(r.jobs[0].start_s.has_value());
  CHECK(r.jobs[0].reason.find("at most 144") != std::string::npos);
  CHECK(r.jobs[1].status == "completed");
  CHECK(r.jobs[1].deadline_met == true);
  CHECK(r.jobs[2].status == "completed");
  CHECK(r.jobs[2].deadline_met == false);
}
