// Jobs writing checkpoints at the same time share the storage's write bandwidth B.
//
// The model (docs/cluster-model.md, "Checkpoints"; docs/assumptions.md, limit 7): job i writes a
// checkpoint of S_i bytes every period P_i (its interval of training plus its stall); one write takes
// w_i = S_i / b_i at the rate b_i it gets, so it is writing a fraction d_i = w_i / P_i of its time
// (≤ 1: a checkpoint never starts before the previous write has finished). Jobs' rhythms are not
// synchronised (each starts at its own (re)start instant), so the model takes their phases as
// independent: while i writes, each other job j writes with probability d_j, and the number K_i of
// other writers is Poisson-binomial. The storage is shared equally among the writers (max-min; no
// writer has a cap below its share: the catalog carries no per-host storage-network figure, so a
// writer's cap is B itself), so i writes at B / (1 + K) while K others write, and over one write its
// bytes come at the time-average of that rate:
//     b_i = B · E[1 / (1 + K_i)],  K_i = Σ_{j≠i} Bernoulli(d_j)
// — exact under independence, and never below the mean-field B / (1 + Σ d_j) (Jensen). Because d_j
// depends on b_j (and a job's Young/Daly interval on its stall, raised to at least its write time),
// b is a fixed point: starting from every job alone (b = B, the smallest d), each step is monotone
// (lower rates → longer writes → more overlap → lower rates), so the iteration descends to the
// largest fixed point. A job with a given `write_time` keeps it (its own rate is S_i / w_i) but
// still occupies the storage for its d_i.
#pragma once

#include <vector>

#include "leasesim/cluster/checkpoint_cycle.hpp"

namespace leasesim::cluster {

// What one running job asks of the storage: the inputs of its resolve_checkpoint.
struct CheckpointDemand {
  const CheckpointPolicy* policy = nullptr;
  double params = 0;
  long long gpus = 0, nodes = 0;
  double failures_per_node_s = 0;
  double work_s = 0;
};

struct SharedWrites {
  std::vector<CheckpointCycle> cycles;  // each job's rhythm at its share
  std::vector<double> rate;             // bytes/s each job writes at (its share; its own with a given write time)
  std::vector<double> share;            // bytes/s of each job's expected share of B (the fixed point)
  std::vector<double> duty;             // d_i: the fraction of its time each job is writing
  int iterations = 0;
};

// E[1 / (1 + K_i)] for every i, K_i the number of writers among the others, job j writing with
// probability duty[j] (each clamped to [0, 1]); O(n²).
std::vector<double> expected_share_fractions(const std::vector<double>& duty);

// The fixed point of the sharing model for the jobs running together. `start` (optional): a first
// guess per job (its share at the previous solve; ≤ 0 or beyond B: alone, B), which saves
// iterations when the running set changed by one job; without it every job starts alone, from
// where the iteration descends monotonically to the largest fixed point.
SharedWrites share_storage_writes(const std::vector<CheckpointDemand>& jobs, const hw::ClusterSpec& cluster,
                                  const std::vector<double>* start = nullptr);

}  // namespace leasesim::cluster
