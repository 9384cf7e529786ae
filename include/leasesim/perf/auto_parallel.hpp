// Auto-parallelism: the fastest configurations of a job that fit in memory, over tp/pp/dp/cp/ep/
// vpp/micro_batch/recompute/sharding, honouring every field the job's ParallelismRequest fixes.
// A client of the step model (like Vidur's capacity search), not woven into it.
//
// Deterministic: candidates are ranked by step time, then fewer GPUs, then the configuration
// fields in order (tp, pp, dp, cp, ep, vpp, micro_batch, recompute, sharding), smaller first.
// Pruning: for a given shape the recompute modes are tried cheapest first (none → selective →
// full) and the search stops at the first that fits; sharding likewise (zero1 → zero2 → fsdp);
// dp is tried from the largest that fits the GPU count down, at most three values. Once top_n are
// kept, a configuration whose compute time alone exceeds the slowest of them is not evaluated (a
// step is never shorter than its compute), which changes no result.
#pragma once

#include <vector>

#include "leasesim/hw/cluster.hpp"
#include "leasesim/perf/step_model.hpp"

namespace leasesim::perf {

struct SearchOptions {
  int top_n = 5;    // how many runners-up to keep
  int max_tp = 64;  // search limits (the request's fixed values override them)
  int max_pp = 128;
  int max_cp = 32;
  int max_micro_batch = 16;
  int max_vpp = 8;
  int dp_candidates = 3;  // largest feasible dp values tried per shape
  bool bound = true;      // skip configurations whose compute alone cannot make the top_n
};

struct SearchResult {
  std::vector<StepResult> best;  // fastest first; empty when nothing fits
  long long evaluated = 0;       // step-model evaluations
  long long bounded = 0;         // fitting configurations skipped: their compute alone is slower
                                 // than the slowest of the top_n already kept
  long long memory_checks = 0;   // configurations whose memory was computed
  std::string reason;            // why `best` is empty
};

// GPUs: job.gpus when set, else the cluster's schedulable GPUs.
SearchResult search_parallelism(const hw::ClusterSpec& cluster, const workload::TrainingJob& job,
                                const SearchOptions& options = {},
                                const ModelConstants& constants = ModelConstants::fitted());

}  // namespace leasesim::perf
