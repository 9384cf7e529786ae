// Memory per GPU of a training job under a parallel configuration: weights, gradients, optimizer
// states (by precision and sharding), activations (by recompute mode, sequence/context parallelism
// and the microbatches a 1F1B pipeline keeps in flight), the logits buffer and a workspace reserve.
// The busiest GPU decides: the first pipeline stage holds the most in-flight activations and the
// embedding, the last stage the output head and the logits; the larger of the two is reported.
//
// Activation sizes follow Korthikanti et al., "Reducing Activation Recomputation in Large Transformer
// Models" (arXiv 2205.05198), eq. 1-5, generalised to GQA, gated FFNs and MoE, with sequence
// parallelism whenever tp > 1.
#pragma once

#include <string>

#include "leasesim/workload/training_job.hpp"

namespace leasesim::workload {

struct MemoryBreakdown {
  double weights = 0;      // bytes: BF16 weights (+ FP8/FP4 copies), FSDP gather buffer
  double gradients = 0;    // bytes: FP32 main-gradient buffer
  double optimizer = 0;    // bytes: FP32 master weights + Adam first and second moments
  double activations = 0;  // bytes: stored activations of all in-flight microbatches
  double logits = 0;       // bytes: output-head logits of one microbatch (last stage)
  double workspace = 0;    // bytes: CUDA context, NCCL/cuBLAS buffers, allocator fragmentation

  double total() const { return weights + gradients + optimizer + activations + logits + workspace; }
  // The largest term's name: "weights", "gradients", "optimizer", "activations", "logits".
  const char* dominant_term() const;
};

// Parameters held by one GPU of a pipeline stage with `layers` transformer layers (counts, not bytes).
struct StageParams {
  double dense = 0;   // non-expert parameters (replicated over dp·cp; gradients reduced there)
  double expert = 0;  // routed-expert parameters (replicated over dp·cp/ep)
  double layer = 0;   // the part of dense + expert inside transformer layers
};
StageParams stage_params(const TransformerSpec& m, const ParallelConfig& c, int layers, bool first, bool last);

// Memory on the busiest GPU. Allocation-free; call it in search loops.
MemoryBreakdown memory_per_gpu(const TrainingJob& job, const ParallelConfig& c);

// Stored activation bytes of one transformer layer for one microbatch on one GPU (before
// multiplying by in-flight microbatches), averaged over dense and MoE layers.
double activation_bytes_per_layer(const TrainingJob& job, const ParallelConfig& c);

struct MemoryVerdict {
  bool fits = false;
  double required_bytes = 0;
  double usable_bytes = 0;
  std::string dominant;  // the largest term
  std::string hint;      // "" when it fits; otherwise a nearby configuration that would fit
};

// Fits/doesn't-fit with the dominant term and, when it does not fit, what would (recompute, sharding,
// more pipeline or tensor parallelism, a smaller micro batch). Allocates; not for search loops.
MemoryVerdict check_memory(const TrainingJob& job, const ParallelConfig& c, double usable_bytes);

}  // namespace leasesim::workload
