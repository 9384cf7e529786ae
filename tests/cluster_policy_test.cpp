// Scheduler policies, failure presets and the flow fidelity, each on a case small enough to reason
// about by hand.
#include "cluster_test_fixtures.hpp"
#include "leasesim/cluster/failure_presets.hpp"
#include "leasesim/cluster/scheduler.hpp"

using namespace leasesim;

namespace {

// Two racks (144 GPUs): a long 128-GPU job, a second 128-GPU job that must wait, a short 16-GPU job.
cluster::SimulationInput queue_case(cluster::SchedulerPolicy policy) {
  auto in = test::small_cluster(2, 2 * 86400.0);
  in.scheduler.policy = policy;
  const double rate_probe = 1e9;  // tokens; durations below are set relative to the job's own rate
  auto a = test::fixed_job("a", 128, rate_probe);
  auto b = test::fixed_job("b", 128, rate_probe);
  auto c = test::fixed_job("c", 16, rate_probe);
  b.submit_s = 1;
  c.submit_s = 2;
  in.jobs = {a, b, c};
  return in;
}

}  // namespace

TEST_CASE("easy backfill starts a short job that does not delay the head; fifo makes it wait", "[cluster]") {
  // Size the jobs in time: a runs ~10 h, b ~1 h, c ~1 h.
  auto probe = queue_case(cluster::SchedulerPolicy::fifo);
  const auto rates = cluster::simulate(probe);
  auto scaled = [&](cluster::SchedulerPolicy policy) {
    auto in = queue_case(policy);
    in.jobs[0].training.tokens = rates.jobs[0].tokens_per_s * 10 * 3600;
    in.jobs[1].training.tokens = rates.jobs[1].tokens_per_s * 3600;
    in.jobs[2].training.tokens = rates.jobs[2].tokens_per_s * 3600;
    return cluster::simulate(in);
  };
  const auto easy = scaled(cluster::SchedulerPolicy::easy_backfill);
  const auto fifo = scaled(cluster::SchedulerPolicy::fifo);
  REQUIRE(easy.jobs[2].start_s.has_value());
  CHECK(*easy.jobs[2].start_s == 2.0);
  CHECK(*fifo.jobs[2].start_s == *fifo.jobs[0].end_s);  // waits behind b, then starts beside it
  // The head (b) is not delayed by the backfilled job: it starts when a ends, in both.
  CHECK(*easy.jobs[1].start_s == *fifo.jobs[1].start_s);
  CHECK(*easy.jobs[1].start_s == *easy.jobs[0].end_s);
}

TEST_CASE("priority with preemption stops a lower-priority job at its progress and starts the urgent one",
          "[cluster]") {
  auto in = queue_case(cluster::SchedulerPolicy::priority);
  in.jobs.resize(2);
  in.jobs[0].training.tokens = 1e13;
  in.jobs[1].priority = 5;
  in.jobs[1].submit_s = 100;
  in.jobs[1].training.tokens = 1e10;
  in.scheduler.preemption = true;
  const auto with = cluster::simulate(in);
  test::require_conservation(in, with);
  CHECK(*with.jobs[1].start_s == 100.0);
  CHECK(with.jobs[0].interruptions == 0);
  CHECK(with.total.lost == 0);  // checkpoint-and-stop keeps the work
  in.scheduler.preemption = false;
  const auto without = cluster::simulate(in);
  CHECK_FALSE(without.jobs[1].start_s.has_value());
}

TEST_CASE("failure presets count each rate per the unit that fails: Llama 3 keeps its 419, GB300 trays are derived",
          "[cluster][failures]") {
  CHECK(cluster::failure_preset_names() == std::vector<std::string>{"llama3-405b", "meta-rsc1", "meta-rsc2"});
  CHECK(cluster::failure_preset("nope") == nullptr);
  constexpr double day = 86400;
  auto per_day = [&](const cluster::FailureModel& m, const hw::ClusterSpec& c, auto&& keep) {
    double r = 0;
    for (const auto& p : m.processes)
      if (keep(p)) r += cluster::cluster_rate_per_s(p, c) * day;
    return r;
  };
  auto all = [](const cluster::FailureProcess&) { return true; };
  // Meta's RSC rates are per 8-GPU DGX A100 node: on a DGX A100 cluster they come back per node.
  const auto a100 = test::cluster_of("dgx-a100-80gb", 1000);  // 1,000 nodes
  CHECK(per_day(*cluster::failure_preset("meta-rsc1"), a100, all) == Approx(6.50));
  CHECK(per_day(*cluster::failure_preset("meta-rsc2"), a100, all) == Approx(2.34));

  // Llama 3: 16,384 H100 in 2,048 8-GPU hosts for 54 days had 419 interruptions (Table 5).
  const auto& llama = *cluster::failure_preset("llama3-405b");
  const auto meta = test::cluster_of("dgx-h100", 2048);
  CHECK(per_day(llama, meta, all) * 54 == Approx(419));
  auto gpu_causes = [](const cluster::FailureProcess& p) { return p.unit == cluster::FailureUnit::gpu; };
  auto host_causes = [](const cluster::FailureProcess& p) { return p.unit == cluster::FailureUnit::host; };
  CHECK(per_day(llama, meta, gpu_causes) * 54 == Approx(268));   // faulty GPU, HBM3, SRAM, GSP, SDC, thermal
  CHECK(per_day(llama, meta, host_causes) * 54 == Approx(109));  // host maintenance … memory (46), software (63)

  // The same preset on GB300 NVL72: 4-GPU trays. Per GPU the GPU, NIC and link causes are Llama 3's
  // (268 + 7 + 35) / (16,384 × 54); the host and software causes are per host, and a GPU has half a
  // host's share on 8-GPU hosts but a quarter-host on 4-GPU trays: twice Meta's per-GPU rate.
  const auto gb300 = test::cluster_of("gb300-nvl72", 256);  // 18,432 GPUs, 4,608 trays
  const double gpus = 256.0 * 72, trays = 256.0 * 18;
  CHECK(per_day(llama, gb300, gpu_causes) == Approx(268.0 / (16'384 * 54) * gpus));
  CHECK(per_day(llama, gb300, host_causes) == Approx(109.0 / (2'048 * 54) * trays));
  const double per_gpu_day = per_day(llama, gb300, all) / gpus;
  CHECK(per_gpu_day == Approx((310.0 + 2 * 109.0) / (16'384 * 54)));
  // Before the units the whole 3.79 per 1000 "node"-days was applied per 4-GPU tray: 2x per GPU.
  CHECK(per_gpu_day < 0.65 * (3.79 / 1000 / 4));
  CHECK(cluster::scheduler_names().size() == 3);
}

TEST_CASE("the Llama 3 preset simulated on Llama 3's own cluster gives its hardware interruptions back",
          "[cluster][failures]") {
  // 2,048 DGX H100 hosts for 54 days, no jobs: the GPU, host and NIC causes (268 + 46 + 7 = 321
  // expected; software and fabric faults need a job to interrupt) take hosts out at their rates.
  cluster::SimulationInput in;
  in.cluster = test::cluster_of("dgx-h100", 2048);
  in.start_utc = 1'782'864'000;
  in.horizon_s = 54 * 86400.0;
  in.failures = *cluster::failure_preset("llama3-405b");
  int failures = 0;
  for (int seed = 1; seed <= 4; ++seed) {
    in.seed = static_cast<std::uint64_t>(seed);
    failures += cluster::simulate(in).failures;
  }
  // 4 × 321 = 1,284 expected (a little less: a host already down cannot fail again); Poisson σ ≈ 36.
  CHECK(failures > 1284 - 150);
  CHECK(failures < 1284 + 150);
}

TEST_CASE("the flow fidelity prices a job's step with flows and still balances the ledger", "[cluster]") {
  auto in = test::small_cluster(4, 86400.0);
  in.jobs.push_back(test::fixed_job("j", 256, 1e11));
  in.fidelity = cluster::Fidelity::flow;
  const auto flow = cluster::simulate(in);
  test::require_conservation(in, flow);
  INFO(flow.jobs[0].step_fidelity);
  CHECK(flow.jobs[0].step_fidelity == "flow");
  in.fidelity = cluster::Fidelity::analytical;
  const auto analytical = cluster::simulate(in);
  CHECK(flow.jobs[0].step_time_s >= analytical.jobs[0].step_time_s * 0.99);
}
