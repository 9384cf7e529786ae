// The cluster layer's scale target (issue 4): 90 days of a Colossus-2-sized cluster — 7,680 GB300
// NVL72 racks, 552,960 GPUs — with 20 tenants, more than 10,000 jobs and meta-rsc1 failures, in the
// analytical fidelity: ≤ 10 s wall and ≤ 2 GB RSS on one core; issue 15: ≥ 250 K events per second.
// Prints per run the wall and CPU time, events and events per second (of both), a fingerprint of
// the result (so an optimisation can show it changed nothing), their medians, the process's peak
// RSS and the cores it saw. Run 1 also prices every job class (the auto-parallelism search); later
// runs reuse the process's step-rate memo, as sweep points do — so both medians are printed.
//
//   cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DLEASESIM_BENCH=ON -DLEASESIM_TESTS=OFF
//   cmake --build build-bench -j2 --target cluster_bench
//   ./build-bench/bench/cluster_bench [runs=5] [analytical|flow|flow:OVERSUBSCRIPTION] [days=90] [resolve_s=600]
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// FNV-1a over every job's start, end, interruptions and tokens kept, the cluster ledger and the
// failure count: equal fingerprints mean the same decisions and the same books.
std::uint64_t fingerprint(const cluster::SimulationResult& r) {
  std::uint64_t h = 1469598103934665603ULL;
  auto mix = [&](const void* p, std::size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 1099511628211ULL;
  };
  auto mix_d = [&](double d) { mix(&d, sizeof d); };
  for (const auto& j : r.jobs) {
    mix_d(j.start_s.value_or(-1));
    mix_d(j.end_s.value_or(-1));
    mix(&j.interruptions, sizeof j.interruptions);
    mix_d(j.tokens_trained);
  }
  const std::int64_t ledger[] = {r.total.productive, r.total.checkpointing, r.total.restarting, r.total.lost,
                                 r.total.idle,       r.total.failed,        r.total.spare,      r.total.unleased};
  mix(ledger, sizeof ledger);
  mix(&r.failures, sizeof r.failures);
  return h;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v.size() % 2 == 1 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  cluster::SimulationInput in = colossus2_90_days();
  if (argc > 2 && std::string(argv[2]).rfind("flow", 0) == 0) in.fidelity = cluster::Fidelity::flow;
  // "flow:4": the same with a 4:1 leaf tier, so the running jobs' rings contend (joint solves run).
  if (argc > 2 && std::string(argv[2]).rfind("flow:", 0) == 0)
    in.cluster.fabric.oversubscription = {std::atof(argv[2] + 5)};
  if (argc > 3) in.horizon_s = std::max(1, std::atoi(argv[3])) * 86400.0;  // a shorter horizon, for profiling
  // The shared fabric's shortest interval between joint solves (s; default 600; 0: every change).
  if (argc > 4) in.fabric_contention.resolve_interval_s = std::atof(argv[4]);
  std::vector<double> walls, cpus, rates, cpu_rates;
  for (int k = 0; k < runs; ++k) {
    const double cpu0 = cpu_seconds();
    const cluster::SimulationResult r = cluster::simulate(in);
    const double cpu = cpu_seconds() - cpu0;
    long long completed = 0;
    for (const auto& j : r.jobs) completed += j.status == "completed";
    const double util =
        r.total.total() > 0
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
      std::printf(
          "fabric: %lld joint simulations, %llu flow problems and %llu flows in all; %lld jobs slowed, worst mean "
          "slowdown %.3f\n",
          r.fabric_resolves, static_cast<unsigned long long>(perf::FlowNetwork::instance().problems()),
          static_cast<unsigned long long>(perf::FlowNetwork::instance().flows()), slowed, worst);
      const perf::FlowNetwork& net = perf::FlowNetwork::instance();
      std::printf(
          "live flows: %llu started as new communications, %llu resumed from idle, %llu restarted in place, %llu "
          "idle ones ended\n",
          static_cast<unsigned long long>(net.flows_started()), static_cast<unsigned long long>(net.flows_resumed()),
          static_cast<unsigned long long>(net.flows_restarted()), static_cast<unsigned long long>(net.flows_evicted()));
    }
    const auto events = static_cast<double>(r.events);
    std::printf(
        "run %d: %.3f s wall, %.3f s CPU, %lld events, %.0f events/s wall, %.0f events/s CPU; %zu jobs (%lld "
        "completed), "
        "%d failures, allocated %.1f%%, productive %.1f%% of GPU time, %.0f MWh; fingerprint %016llx\n",
        k + 1, r.wall_seconds, cpu, r.events, events / r.wall_seconds, events / cpu, r.jobs.size(), completed,
        r.failures, 100 * util, 100.0 * static_cast<double>(r.total.productive) / static_cast<double>(r.total.total()),
        r.energy_mwh, static_cast<unsigned long long>(fingerprint(r)));
    walls.push_back(r.wall_seconds);
    cpus.push_back(cpu);
    rates.push_back(events / r.wall_seconds);
    cpu_rates.push_back(events / cpu);
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf(
      "median over %d runs: %.3f s wall, %.3f s CPU, %.0f events/s wall, %.0f events/s CPU; peak RSS %.0f MB; %ld "
      "cores online\n",
      runs, median(walls), median(cpus), median(rates), median(cpu_rates),
      static_cast<double>(usage.ru_maxrss) / 1024.0, sysconf(_SC_NPROCESSORS_ONLN));
  if (runs > 1) {
    // Runs 2.. reuse the step rates priced by run 1 (the process memo), as a sweep worker's points do.
    const std::vector<double> later_cpu(cpus.begin() + 1, cpus.end()),
        later_rate(cpu_rates.begin() + 1, cpu_rates.end());
    std::printf("runs 2-%d (step rates memoised): median %.3f s CPU, %.0f events/s CPU\n", runs, median(later_cpu),
                median(later_rate));
  }
  return 0;
}
