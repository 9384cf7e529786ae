// Shared builders of the cluster-simulation tests: small GB300 NVL72 clusters, fixed-parallelism
// jobs (no auto search, so every test is fast) and the checks every simulation result must pass.
#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "leasesim/cluster/simulate.hpp"
#include "perf_fixtures.hpp"

namespace leasesim::test {

// A Llama-3-8B job on `gpus` GPUs, TP4 (one NVL72 tray per tensor-parallel group), data parallel.
inline cluster::JobSpec fixed_job(const std::string& name, long long gpus, double tokens,
                                  const std::string& tenant = "t") {
  cluster::JobSpec j;
  j.training = job_of("llama3-8b", static_cast<int>(gpus / 4) * 8, gpus, hw::Precision::bf16);
  j.training.name = name;
  j.training.tokens = tokens;
  workload::ParallelismRequest& p = j.training.parallelism;
  p.tp = 4;
  p.pp = 1;
  p.cp = 1;
  p.ep = 1;
  p.vpp = 1;
  p.dp = static_cast<int>(gpus / 4);
  p.micro_batch = 1;
  p.recompute = workload::Recompute::selective;
  p.sharding = workload::Sharding::zero1;
  j.tenant = tenant;
  return j;
}

inline cluster::SimulationInput small_cluster(int racks, double horizon_s) {
  cluster::SimulationInput in;
  in.cluster = cluster_of("gb300-nvl72", racks);
  in.cluster.power.rack_overhead_watts = 20'000;
  in.start_utc = 1'782'864'000;  // 2026-07-01T00:00:00Z
  in.horizon_s = horizon_s;
  in.seed = 7;
  return in;
}

// Every GPU in exactly one state at every instant: totals, months and racks sum to GPUs × time.
inline void require_conservation(const cluster::SimulationInput& in, const cluster::SimulationResult& r) {
  const std::int64_t horizon_ms = static_cast<std::int64_t>(in.horizon_s * 1000.0 + 0.5);
  REQUIRE(r.total.total() == in.cluster.gpus() * horizon_ms);
  std::int64_t months = 0;
  for (const auto& m : r.months) {
    REQUIRE(m.gpu_ms.total() == in.cluster.gpus() * (m.month_end_utc - m.month_start_utc) * 1000);
    months += m.gpu_ms.total();
  }
  REQUIRE(months == r.total.total());
  REQUIRE(static_cast<int>(r.per_rack.size()) == in.cluster.racks);
  for (const auto& rack : r.per_rack) REQUIRE(rack.total() == in.cluster.rack.gpus * horizon_ms);
}

}  // namespace leasesim::test
