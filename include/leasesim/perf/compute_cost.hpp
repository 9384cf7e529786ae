// Compute time of one microbatch on one GPU of the busiest pipeline stage, and the FLOPs it does.
//
// Linear-layer GEMMs run at the precision's dense peak × gemm_efficiency × a shape factor
// Π d/(d + gemm_half_dim) over the per-GPU GEMM dims (so efficiency falls as tp/ep shrink them),
// plus memory-bound quantization for FP8/FP4. Attention cores, the output head and the embedding
// stay BF16 (every published FP8/FP4 recipe, docs/references.md). FlashAttention runs at a fixed
// efficiency on its executed (causal) FLOPs; materialised attention as batched GEMMs plus
// memory-bound softmax. Norms, residuals, activation functions, cross-entropy and the optimizer
// are memory-bound at HBM bandwidth.
#pragma once

#include "leasesim/hw/gpu.hpp"
#include "leasesim/perf/model_constants.hpp"
#include "leasesim/workload/training_job.hpp"

namespace leasesim::perf {

using workload::ParallelConfig;

struct MicrobatchCompute {
  // Seconds per microbatch on the busiest stage's GPU.
  double forward_s = 0;              // forward of the stage's layers (+ head/embedding where they sit)
  double backward_s = 0;             // backward, including any recomputed forward
  double recompute_s = 0;            // the recomputed part inside backward_s
  double attention_s = 0;            // attention-core time (forward + backward), CP overlap window
  double layer_forward_s = 0;        // one average transformer layer's forward
  double layer_attention_fwd_s = 0;  // one layer's attention core, forward (ring-attention step windows)
  double layer_attention_bwd_s = 0;  // … and backward
};

MicrobatchCompute microbatch_compute(const workload::TrainingJob& job, const ParallelConfig& c, const hw::GpuSpec& gpu,
                                     const ModelConstants& k);

// Seconds of the optimizer step on one GPU: memory-bound Adam over its (sharded) parameters.
double optimizer_time(const workload::TrainingJob& job, const ParallelConfig& c, const hw::GpuSpec& gpu,
                      const ModelConstants& k);

}  // namespace leasesim::perf
