// Speed targets of issue 3 for the analytical step model: one evaluation ≤ 20 µs; the
// auto-parallelism search for frontier-2t-dense in FP8 on 100,000 GB300 ≤ 1 s.
// Run: cmake -S . -B build -DLEASESIM_BENCH=ON && cmake --build build -j2 --target step_bench
//      && ./build/bench/step_bench
#include <benchmark/benchmark.h>

#include "leasesim/perf/auto_parallel.hpp"
#include "leasesim/perf/step_model.hpp"
#include "leasesim/scenario/catalog.hpp"
#include "leasesim/workload/model_presets.hpp"

namespace {

using namespace leasesim;

hw::ClusterSpec gb300_cluster(int racks) {
  hw::ClusterSpec c;
  c.rack = *scenario::Catalog::builtin().rack("gb300-nvl72");
  c.racks = racks;
  return c;
}

workload::TrainingJob frontier_job(long long gpus) {
  workload::TrainingJob j;
  j.model = *workload::find_model_preset("frontier-2t-dense");
  j.global_batch = 4096;  // 33.5M tokens per iteration at s = 8192
  j.tokens = 40e12;
  j.precision = hw::Precision::fp8;
  j.gpus = gpus;
  return j;
}

void BM_AnalyticalEvaluation(benchmark::State& state) {
  const hw::ClusterSpec cluster = gb300_cluster(1389);
  const workload::TrainingJob job = frontier_job(100000);
  workload::ParallelConfig c;
  c.tp = 8;
  c.pp = 16;
  c.dp = 256;
  c.vpp = 3;
  c.micro_batch = 1;
  c.recompute = workload::Recompute::selective;
  c.sharding = workload::Sharding::zero1;
  perf::AnalyticalStepModel model;
  perf::StepResult r;
  model.evaluate(cluster, job, c, r);
  if (!r.ok()) state.SkipWithError(r.error.c_str());
  for (auto _ : state) {
    model.evaluate(cluster, job, c, r);
    benchmark::DoNotOptimize(r.step_time_s);
  }
}
BENCHMARK(BM_AnalyticalEvaluation);

void BM_AutoSearchFrontier2tFp8On100kGb300(benchmark::State& state) {
  const hw::ClusterSpec cluster = gb300_cluster(1389);
  const workload::TrainingJob job = frontier_job(100000);
  long long evaluated = 0;
  for (auto _ : state) {
    const perf::SearchResult s = perf::search_parallelism(cluster, job);
    evaluated = s.evaluated;
    benchmark::DoNotOptimize(s.best.data());
  }
  state.counters["evaluations"] = static_cast<double>(evaluated);
}
BENCHMARK(BM_AutoSearchFrontier2tFp8On100kGb300)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
