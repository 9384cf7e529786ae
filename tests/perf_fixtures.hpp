// Shared helpers of the perf/workload tests: clusters built from the built-in catalog and jobs
// built from the model presets, so every test reads as "this model, this many GPUs of that kind".
#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "leasesim/hw/cluster.hpp"
#include "leasesim/scenario/catalog.hpp"
#include "leasesim/workload/model_presets.hpp"
#include "leasesim/workload/training_job.hpp"

namespace leasesim::test {

// `racks` copies of a catalog rack on a non-blocking InfiniBand fat tree (effective factor 1.0).
inline hw::ClusterSpec cluster_of(const std::string& rack_name, int racks) {
  const hw::RackSpec* rack = scenario::Catalog::builtin().rack(rack_name);
  REQUIRE(rack != nullptr);
  hw::ClusterSpec c;
  c.rack = *rack;
  c.racks = racks;
  c.fabric.technology = hw::FabricTechnology::infiniband;
  c.fabric.effective_bandwidth_factor = 1.0;
  return c;
}

inline workload::TrainingJob job_of(const std::string& model, int global_batch, long long gpus,
                                    hw::Precision precision = hw::Precision::bf16) {
  const workload::TransformerSpec* m = workload::find_model_preset(model);
  REQUIRE(m != nullptr);
  workload::TrainingJob j;
  j.name = model;
  j.model = *m;
  j.global_batch = global_batch;
  j.gpus = gpus;
  j.precision = precision;
  return j;
}

inline workload::ParallelConfig config(int tp, int pp, int dp, int micro_batch, workload::Recompute r,
                                       workload::Sharding s, int cp = 1, int vpp = 1, int ep = 1) {
  workload::ParallelConfig c;
  c.tp = tp;
  c.pp = pp;
  c.dp = dp;
  c.cp = cp;
  c.ep = ep;
  c.vpp = vpp;
  c.micro_batch = micro_batch;
  c.recompute = r;
  c.sharding = s;
  return c;
}

}  // namespace leasesim::test
