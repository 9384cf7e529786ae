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

TEST_CASE("failure presets carry the published rates and the Llama 3 category mix", "[cluster]") {
  CHECK(cluster::failure_preset_names() == std::vector<std::string>{"llama3-405b", "meta-rsc1", "meta-rsc2"});
  CHECK(cluster::failure_preset("nope") == nullptr);
  auto total = [](const cluster::FailureModel& m) {
    double r = 0;
    for (const auto& p : m.processes) r += p.per_node_per_s;
    return r * 1000 * 86400;
  };
  CHECK(total(*cluster::failure_preset("meta-rsc1")) == Approx(6.50));
  CHECK(total(*cluster::failure_preset("meta-rsc2")) == Approx(2.34));
  const auto& llama = *cluster::failure_preset("llama3-405b");
  CHECK(total(llama) == Approx(3.79));
  double gpu = 0;
  for (const auto& p : llama.processes)
    if (p.component == cluster::Component::gpu) gpu += p.per_node_per_s * 1000 * 86400;
  CHECK(gpu == Approx(3.79 * 268 / 419));  // faulty GPU, HBM3, SRAM, GSP, SDC, thermal
  CHECK(cluster::scheduler_names().size() == 3);
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
