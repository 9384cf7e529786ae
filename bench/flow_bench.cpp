// Speed target of issue 3 for the flow fidelity: one iteration of a 16,384-GPU job on GB300 NVL72
// racks priced with SimGrid flows in ≤ 2 s wall and ≤ 1 GB RSS. Two jobs: Llama-3-405B (TP8 PP8
// DP256, dense) and DeepSeek-V3 (TP8 EP8 DP2048, MoE all-to-all), both FP8 on 228 racks, on a
// non-blocking fabric and on a 4:1 leaf tier. The first evaluation of the process also builds
// SimGrid's engine and the pooled platform (flow_network.cpp); it is reported apart as "cold_s".
// Run: cmake -S . -B build -DLEASESIM_BENCH=ON && cmake --build build -j2 --target flow_bench
//      && ./build/bench/flow_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <chrono>

#include "leasesim/perf/flow_step_model.hpp"
#include "leasesim/scenario/catalog.hpp"
#include "leasesim/workload/model_presets.hpp"

namespace {

using namespace leasesim;

hw::ClusterSpec gb300_cluster(int racks, std::vector<double> oversubscription) {
  hw::ClusterSpec c;
  c.rack = *scenario::Catalog::builtin().rack("gb300-nvl72");
  c.racks = racks;
  c.fabric.oversubscription = std::move(oversubscription);
  return c;
}

workload::TrainingJob job_of(const char* model, int global_batch) {
  workload::TrainingJob j;
  j.model = *workload::find_model_preset(model);
  j.global_batch = global_batch;
  j.tokens = 15e12;
  j.precision = hw::Precision::fp8;
  j.gpus = 16384;
  return j;
}

workload::ParallelConfig config(int tp, int pp, int dp, int ep, int vpp) {
  workload::ParallelConfig c;
  c.tp = tp;
  c.pp = pp;
  c.dp = dp;
  c.ep = ep;
  c.vpp = vpp;
  c.micro_batch = 1;
  c.recompute = workload::Recompute::selective;
  c.sharding = workload::Sharding::zero1;
  return c;
}

double peak_rss_mb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;  // Linux: kilobytes
}

double cold_seconds = -1;  // the process's first flow evaluation, engine and pools included

void run(benchmark::State& state, const hw::ClusterSpec& cluster, const workload::TrainingJob& job,
         const workload::ParallelConfig& c) {
  perf::FlowStepModel model;
  if (cold_seconds < 0) {
    const auto t0 = std::chrono::steady_clock::now();
    const perf::StepResult r = model.evaluate(cluster, job, c);
    cold_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!r.ok()) state.SkipWithError(r.error.c_str());
  }
  perf::StepResult r;
  for (auto _ : state) {
    r = model.evaluate(cluster, job, c);
    benchmark::DoNotOptimize(r.step_time_s);
  }
  if (!r.ok()) state.SkipWithError(r.error.c_str());
  state.counters["step_s"] = r.step_time_s;
  state.counters["flows"] = static_cast<double>(model.pricer().flows);
  state.counters["simulations"] = static_cast<double>(model.pricer().problems);
  state.counters["peak_rss_MB"] = peak_rss_mb();
  state.counters["cold_s"] = cold_seconds;
}

void BM_Flow_Llama3_405B_16kGb300(benchmark::State& state) {
  run(state, gb300_cluster(228, {}), job_of("llama3-405b", 2048), config(8, 8, 256, 1, 4));
}
BENCHMARK(BM_Flow_Llama3_405B_16kGb300)->Unit(benchmark::kMillisecond);

void BM_Flow_Llama3_405B_16kGb300_Leaf4to1(benchmark::State& state) {
  run(state, gb300_cluster(228, {4.0}), job_of("llama3-405b", 2048), config(8, 8, 256, 1, 4));
}
BENCHMARK(BM_Flow_Llama3_405B_16kGb300_Leaf4to1)->Unit(benchmark::kMillisecond);

void BM_Flow_DeepSeekV3_16kGb300(benchmark::State& state) {
  run(state, gb300_cluster(256, {}), job_of("deepseek-v3", 4096), config(8, 1, 2048, 8, 1));
}
BENCHMARK(BM_Flow_DeepSeekV3_16kGb300)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
