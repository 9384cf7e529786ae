// THE description of the communication of one training iteration: a list of collective operations,
// built once per (job, configuration, placement), then priced by an evaluator — the analytical
// alpha-beta model (collective_cost.hpp) or the SimGrid flow model, which runs the same ops as flows.
//
// The list describes what ONE GPU of the busiest pipeline stage takes part in during one iteration;
// every GPU of the job runs the same pattern in its own groups (`concurrent_groups` of them run at
// once across the job). Message sizes follow the NCCL convention: `bytes` is the all-reduce buffer,
// the all-gather output, the reduce-scatter input, the total one GPU sends in an all-to-all, or the
// message of a send/recv.
#pragma once

#include <vector>

#include "leasesim/perf/model_constants.hpp"
#include "leasesim/perf/placement.hpp"
#include "leasesim/workload/training_job.hpp"

namespace leasesim::perf {

enum class CollectiveKind { all_reduce, reduce_scatter, all_gather, all_to_all, send_recv };
const char* to_string(CollectiveKind k);

// The compute an op may hide behind (capped by that compute's duration).
enum class OverlapWindow {
  none,               // exposed
  layer_compute,      // the transformer-layer compute of every microbatch
  attention_compute,  // the attention-core compute of every microbatch
  first_forward,      // the forward of the iteration's first microbatch
  last_backward,      // the backward of the iteration's last microbatch
  every_backward,     // the backward of every microbatch
  every_pass,         // the forward and backward of every microbatch
};

struct CollectiveOp {
  CollectiveKind kind = CollectiveKind::all_reduce;
  ParallelDim dim = ParallelDim::tp;
  GroupPlacement group;     // size, stride, members per NVLink domain, link level
  double bytes = 0;         // per GPU per call (NCCL convention above)
  double calls = 0;         // per iteration
  double overlappable = 0;  // fraction of the op's time that may hide behind compute
  OverlapWindow window = OverlapWindow::none;
  long long concurrent_groups = 1;  // groups of this kind running at once across the job
  const char* what = "";            // human label ("sequence-parallel all-gather")
};

// Fills `ops` (cleared first; capacity is reused, so a warm vector does not allocate).
void build_collectives(const workload::TrainingJob& job, const ParallelConfig& c, const Placement& p,
                       const ModelConstants& k, std::vector<CollectiveOp>& ops);

}  // namespace leasesim::perf
