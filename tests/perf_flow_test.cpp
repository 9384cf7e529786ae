// The flow fidelity of the step model: it agrees with the analytical model on an idle non-blocking
// fabric (the 5% test), and unlike it sees oversubscribed tiers and placements that spread a
// job's rings over more of the fabric.
#include <catch2/catch.hpp>

#include "leasesim/perf/flow_step_model.hpp"
#include "leasesim/perf/step_model.hpp"
#include "perf_fixtures.hpp"

using namespace leasesim;
using workload::Recompute;
using workload::Sharding;

namespace {

struct Both {
  perf::StepResult analytical, flow;
};

Both evaluate(const hw::ClusterSpec& cluster, const workload::TrainingJob& job, const workload::ParallelConfig& c,
              const std::vector<long long>& domains = {}) {
  perf::AnalyticalStepModel a;
  perf::FlowStepModel f;
  Both out{a.evaluate(cluster, job, c),
           domains.empty() ? f.evaluate(cluster, job, c) : f.evaluate(cluster, job, c, domains)};
  INFO(out.analytical.error << out.flow.error);
  REQUIRE(out.analytical.ok());
  REQUIRE(out.flow.ok());
  return out;
}

hw::ClusterSpec with_oversubscription(hw::ClusterSpec c, std::vector<double> o) {
  c.fabric.oversubscription = std::move(o);
  return c;
}

// A DP-heavy job: DeepSeek-V3 (671B parameters, 37B active) on 8 NVL72 racks, TP8 EP8 DP72: the
// expert gradients (each GPU holds 1/64 of the experts) are all-reduced over 9 racks with little
// backward compute to hide behind, so exposed DP is most of the step.
workload::TrainingJob dp_heavy_job(long long gpus = 576) {
  return test::job_of("deepseek-v3", static_cast<int>(gpus / 8), gpus, hw::Precision::fp8);
}
workload::ParallelConfig dp_heavy_config(int dp = 72) {
  return test::config(8, 1, dp, 1, Recompute::selective, Sharding::none, 1, 1, 8);
}

}  // namespace

TEST_CASE("flow and analytical step times agree within 5% on an idle non-blocking fabric", "[flow]") {
  SECTION("llama3-70b FP8 on 2,048 GB300") {
    const auto job = test::job_of("llama3-70b", 1024, 2048, hw::Precision::fp8);
    const auto c = test::config(8, 4, 64, 1, Recompute::selective, Sharding::zero1, 1, 5);
    const Both r = evaluate(test::cluster_of("gb300-nvl72", 29), job, c);
    WARN("llama3-70b: analytical " << r.analytical.step_time_s << " s, flow " << r.flow.step_time_s << " s");
    CHECK(r.flow.fidelity == perf::Fidelity::flow);
    CHECK(r.analytical.fidelity == perf::Fidelity::analytical);
    CHECK(r.flow.step_time_s == Approx(r.analytical.step_time_s).epsilon(0.05));
  }
  SECTION("a DP-heavy job") {
    const Both r = evaluate(test::cluster_of("gb300-nvl72", 9), dp_heavy_job(), dp_heavy_config());
    WARN("dp-heavy: analytical " << r.analytical.step_time_s << " s (dp exposed " << r.analytical.breakdown_s.dp_exposed
                                 << "), flow " << r.flow.step_time_s << " s (dp exposed "
                                 << r.flow.breakdown_s.dp_exposed << ")");
    CHECK(r.analytical.breakdown_s.dp_exposed > 0.1 * r.analytical.step_time_s);
    CHECK(r.flow.step_time_s == Approx(r.analytical.step_time_s).epsilon(0.05));
  }
  SECTION("Llama 3 405B on 8,192 H100 (DGX nodes as NVLink domains)") {
    const auto job = test::job_of("llama3-405b", 2048, 8192);
    const auto c = test::config(8, 16, 64, 1, Recompute::none, Sharding::zero1, 1, 2);
    const Both r = evaluate(test::cluster_of("dgx-h100", 1024), job, c);
    WARN("llama3-405b: analytical " << r.analytical.step_time_s << " s, flow " << r.flow.step_time_s << " s");
    CHECK(r.flow.step_time_s == Approx(r.analytical.step_time_s).epsilon(0.05));
  }
  SECTION("dense DP-heavy: llama3-70b, TP8 DP64 on 512 H100") {
    const auto job = test::job_of("llama3-70b", 64, 512, hw::Precision::fp8);
    const Both r = evaluate(test::cluster_of("dgx-h100", 64), job,
                            test::config(8, 1, 64, 1, Recompute::selective, Sharding::none));
    WARN("llama3-70b DP64: analytical " << r.analytical.step_time_s << " s (dp exposed "
                                        << r.analytical.breakdown_s.dp_exposed << "), flow " << r.flow.step_time_s
                                        << " s");
    CHECK(r.analytical.breakdown_s.dp_exposed > 0.2 * r.analytical.step_time_s);
    CHECK(r.flow.step_time_s == Approx(r.analytical.step_time_s).epsilon(0.05));
  }
}

TEST_CASE("an oversubscribed fabric slows a DP-heavy job in flow fidelity only", "[flow]") {
  const auto base = test::cluster_of("gb300-nvl72", 9);
  const Both flat = evaluate(base, dp_heavy_job(), dp_heavy_config());
  const Both over = evaluate(with_oversubscription(base, {4.0}), dp_heavy_job(), dp_heavy_config());
  WARN("dp-heavy, leaf 4:1: flow " << over.flow.step_time_s << " s vs " << flat.flow.step_time_s
                                   << " s non-blocking; dp exposed " << over.flow.breakdown_s.dp_exposed << " vs "
                                   << flat.flow.breakdown_s.dp_exposed);
  CHECK(over.analytical.step_time_s == Approx(flat.analytical.step_time_s));  // blind to it
  // Radix 64 at 4:1 gives 51 leaf ports: two racks per leaf group, so every second ring hop leaves the
  // leaf over an uplink of half a rack's NIC bandwidth.
  CHECK(over.flow.step_time_s > 1.3 * flat.flow.step_time_s);
  CHECK(over.flow.breakdown_s.dp_exposed > 1.6 * flat.flow.breakdown_s.dp_exposed);
  // Only the scale-out traffic pays: tensor-parallel traffic of a TP job stays on NVLink.
  CHECK(over.flow.breakdown_s.compute == Approx(flat.flow.breakdown_s.compute));
}

TEST_CASE("a job whose rings cross more of an oversubscribed fabric is slower", "[flow]") {
  // 64 GB300 racks under radix-64 switches with a 4:1 spine-to-core tier: pods of 51 racks. The same
  // job packed (ring neighbours in the same pod) or interleaved over two pods (every ring hop crosses
  // the core): the second is slower, and on a non-blocking fabric both are the same.
  // DeepSeek-V3 TP8 EP8 packs 64 ranks per rack (8 GPUs idle), so 64 racks hold DP512.
  const auto big_job = dp_heavy_job(4096);
  const auto c = dp_heavy_config(512);
  std::vector<long long> packed(64), interleaved(64);
  for (long long j = 0; j < 64; ++j) {
    packed[j] = j;
    interleaved[j] = (j % 2) * 51 + j / 2;
  }
  const auto cluster = with_oversubscription(test::cluster_of("gb300-nvl72", 102), {1.0, 4.0});
  const Both p = evaluate(cluster, big_job, c, packed);
  const Both i = evaluate(cluster, big_job, c, interleaved);
  WARN("placement on [1, 4]: packed " << p.flow.step_time_s << " s, interleaved over two pods " << i.flow.step_time_s
                                      << " s (analytical " << p.analytical.step_time_s << " s)");
  CHECK(p.flow.step_time_s == Approx(p.analytical.step_time_s).epsilon(0.05));
  CHECK(i.flow.step_time_s > 1.2 * p.flow.step_time_s);
  const auto flat = test::cluster_of("gb300-nvl72", 102);
  CHECK(evaluate(flat, big_job, c, interleaved).flow.step_time_s == Approx(p.flow.step_time_s).epsilon(0.01));
}

TEST_CASE("flow fidelity reports placement errors and can be called repeatedly", "[flow]") {
  perf::FlowStepModel model;
  const auto cluster = test::cluster_of("gb300-nvl72", 9);
  const auto r1 = model.evaluate(cluster, dp_heavy_job(), dp_heavy_config());
  const auto r2 = model.evaluate(cluster, dp_heavy_job(), dp_heavy_config());
  CHECK(model.pricer().ranks_per_domain() == 64);
  REQUIRE(r1.ok());
  CHECK(r2.step_time_s == Approx(r1.step_time_s).epsilon(1e-9));
  CHECK(model.pricer().flows > 0);
  const auto short_list = model.evaluate(cluster, dp_heavy_job(), dp_heavy_config(), {0, 1, 2});
  CHECK_THAT(short_list.error, Catch::Contains("needs 9 NVLink domains, 3 given"));
  const auto twice = model.evaluate(cluster, dp_heavy_job(), dp_heavy_config(), {0, 1, 2, 3, 4, 5, 6, 7, 7});
  CHECK_THAT(twice.error, Catch::Contains("domain 7 is given twice"));
  const auto outside = model.evaluate(cluster, dp_heavy_job(), dp_heavy_config(), {0, 1, 2, 3, 4, 5, 6, 7, 9});
  CHECK_THAT(outside.error, Catch::Contains("outside the cluster"));
}
