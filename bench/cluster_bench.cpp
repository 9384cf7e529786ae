// The cluster layer's scale target (issue 4): 90 days of a Colossus-2-sized cluster — 7,680 GB300
// NVL72 racks, 552,960 GPUs — with 20 tenants, more than 10,000 jobs and meta-rsc1 failures, in the
// analytical fidelity: ≤ 10 s wall and ≤ 2 GB RSS on one core. Prints wall time, events and events/s
// per run and their medians, and the process's peak RSS.
//
//   cmake -S . -B build -DLEASESIM_BENCH=ON && cmake --build build -j2 --target cluster_bench
//   ./build/bench/cluster_bench [runs=3] [analytical|flow|flow:OVERSUBSCRIPTION] [days=90]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "leasesim/cluster/simulate.hpp"
#include "leasesim/perf/flow_network.hpp"
#include "leasesim/scenario/catalog.hpp"
#include "leasesim/workload/model_presets.hpp"

using namespace leasesim;

namespace {

workload::TrainingJob training(const char* model, int tp, int pp, hw::Precision precision) {
  workload::TrainingJob j;
  j.model = *workload::find_model_preset(model);
  j.global_batch = 4096;
  j.precision = precision;
  j.parallelism.tp = tp;
  j.parallelism.pp = pp;
  j.parallelism.cp = 1;
  j.parallelism.ep = 1;
  j.parallelism.vpp = 1;
  j.parallelism.micro_batch = 1;
  j.parallelism.recompute = workload::Recompute::selective;
  j.parallelism.sharding = workload::Sharding::zero1;  // dp left to the search, per job size
  return j;
}

cluster::SimulationInput colossus2_90_days() {
  cluster::SimulationInput in;
  in.cluster.rack = *scenario::Catalog::builtin().rack("gb300-nvl72");
  in.cluster.racks = 7680;
  in.cluster.spare_trays_per_rack = 1;
  in.cluster.power.rack_overhead_watts = 20'000;
  in.start_utc = 1'782'864'000;  // 2026-07-01
  in.horizon_s = 90 * 86400.0;
  in.failures = *cluster::failure_preset("meta-rsc1");
  in.scheduler.policy = cluster::SchedulerPolicy::easy_backfill;
  in.seed = 2026;
  // 20 tenants: background classes of different model sizes; ~115 arrivals per day in all.
  const char* models[] = {"llama3-8b", "llama3-70b", "llama3-405b"};
  const int tps[] = {4, 8, 8}, pps[] = {1, 2, 8};
  for (int t = 0; t < 20; ++t) {
    cluster::JobClass k;
    const int m = t % 3;
    k.name = "tenant" + std::to_string(t) + "-" + models[m];
    k.tenant = "tenant" + std::to_string(t);
    k.arrivals_per_s = 5.8 / 86400.0;
    k.gpus = {{256, 4}, {512, 4}, {1024, 3}, {2048, 2}, {4096, 1}, {8192, 0.5}};
    k.runtime = {cluster::Distribution::lognormal, 3 * 86400.0, 1.0};
    k.training = training(models[m], tps[m], pps[m], hw::Precision::fp8);
    in.generators.push_back(k);
  }
  // Two frontier-scale listed jobs of two of the tenants.
  for (int i = 0; i < 2; ++i) {
    cluster::JobSpec j;
    j.training = training("llama3-405b", 8, 16, hw::Precision::fp8);
    j.training.name = "frontier-" + std::to_string(i);
    j.training.gpus = 65'536;
    j.training.parallelism.dp = 512;
    j.training.global_batch = 8192;
    j.training.tokens = 15e12;
    j.tenant = "tenant" + std::to_string(i);
    j.submit_s = i * 86400.0;
    in.jobs.push_back(j);
  }
  return in;
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
  cluster::SimulationInput in = colossus2_90_days();
  if (argc > 2 && std::string(argv[2]).rfind("flow", 0) == 0) in.fidelity = cluster::Fidelity::flow;
  // "flow:4": the same with a 4:1 leaf tier, so the running jobs' rings contend (joint solves run).
  if (argc > 2 && std::string(argv[2]).rfind("flow:", 0) == 0) in.cluster.fabric.oversubscription = {std::atof(argv[2] + 5)};
  if (argc > 3) in.horizon_s = std::max(1, std::atoi(argv[3])) * 86400.0;  // a shorter horizon, for profiling
  std::vector<double> walls, rates;
  for (int k = 0; k < runs; ++k) {
    const cluster::SimulationResult r = cluster::simulate(in);
    long long completed = 0;
    for (const auto& j : r.jobs) completed += j.status == "completed";
    const double util = r.total.total() > 0
                            ? static_cast<double>(r.total.productive + r.total.checkpointing + r.total.restarting + r.total.lost) /
                                  static_cast<double>(r.total.total())
                            : 0.0;
    long long flow_priced = 0;
    for (const auto& j : r.jobs) flow_priced += j.step_fidelity == "flow";
    if (in.fidelity == cluster::Fidelity::flow) {
      std::printf("jobs priced with flows: %lld of %zu\n", flow_priced, r.jobs.size());
      double worst = 1;
      long long slowed = 0;
      for (const auto& j : r.jobs) {
        worst = std::max(worst, j.fabric_slowdown);
        slowed += j.fabric_slowdown > 1.0;
      }
      std::printf("fabric: %lld joint simulations, %llu flow problems and %llu flows in all; %lld jobs slowed, worst mean slowdown %.3f\n",
                  r.fabric_resolves, static_cast<unsigned long long>(perf::FlowNetwork::instance().problems()),
                  static_cast<unsigned long long>(perf::FlowNetwork::instance().flows()), slowed, worst);
    }
    std::printf("run %d: %.2f s wall, %lld events, %.0f events/s; %zu jobs (%lld completed), %d failures, "
                "allocated %.1f%%, productive %.1f%% of GPU time, %.0f MWh\n",
                k + 1, r.wall_seconds, r.events, static_cast<double>(r.events) / r.wall_seconds, r.jobs.size(), completed,
                r.failures, 100 * util, 100.0 * static_cast<double>(r.total.productive) / static_cast<double>(r.total.total()),
                r.energy_mwh);
    walls.push_back(r.wall_seconds);
    rates.push_back(static_cast<double>(r.events) / r.wall_seconds);
  }
  std::sort(walls.begin(), walls.end());
  std::sort(rates.begin(), rates.end());
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("median over %d runs: %.2f s wall, %.0f events/s; peak RSS %.0f MB\n", runs, walls[walls.size() / 2],
              rates[rates.size() / 2], static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}
