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

#include <cstdint>
#include <string>
#include <unordered_map>

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

// The model's per-layer parameter counts, computed once (stage_params(m, …) is
// ParamCounts(m).stage(…)).
struct ParamCounts {
  explicit ParamCounts(const TransformerSpec& m);
  StageParams stage(const ParallelConfig& c, int layers, bool first, bool last) const;
  double nonexpert_per_layer = 0, expert_per_layer = 0, embedding = 0, head = 0;
};

// Microbatches' worth of a rank's layers whose activations pipeline rank `rank` (0-based) of a
// pp-stage pipeline with vpp chunks per rank holds at its peak (Megatron-LM's 1F1B and interleaved
// warm-up counts, capped by the iteration's microbatches).
double inflight_microbatches(int pp, int vpp, int microbatches, int rank);

// Layer-microbatches whose activations pipeline rank `rank` holds at its peak, counted chunk by
// chunk: the ranks with fewer layers than the fullest (stage_layers: the first and the last) lose
// them from their first chunk (rank 0: it then holds only the embedding) and their last chunk (the
// last rank: only the head), as in Llama 3's pipeline. Equals inflight_microbatches × the rank's
// layers when its chunks are even.
double held_layer_microbatches(const StageLayers& sl, int pp, int vpp, int microbatches, int rank);

// Memory on the busiest GPU. Allocation-free.
MemoryBreakdown memory_per_gpu(const TrainingJob& job, const ParallelConfig& c);

// memory_per_gpu for many configurations of one job (the auto-parallelism search's loop): what
// depends only on the job — per-layer parameter counts, the low-precision share, the activation
// multiples — is computed once, by the same expressions, so per_gpu(c) == memory_per_gpu(job, c)
// bit for bit (memory_per_gpu is this class). Holds a reference to `job`.
class MemoryModel {
 public:
  explicit MemoryModel(const TrainingJob& job);
  MemoryBreakdown per_gpu(const ParallelConfig& c) const;
  double activation_bytes_per_layer(const ParallelConfig& c) const;

 private:
  MemoryBreakdown stage_memory(const ParallelConfig& c, int layers, bool first, bool last, double held_layers,
                               double act_per_layer) const;
  const TrainingJob& job_;
  ParamCounts params_;
  double copy_bytes_ = 0;     // low-precision weight copy bytes per parameter
  double lowp_fraction_ = 0;  // share of layers in FP8/FP4
  double act_multiple_[2]{};  // activation bytes per token·h: [recompute != none, recompute == none]
  double score_bytes_ = 0;    // per materialised attention score
  // held_layer_microbatches by (pp, vpp, microbatches, rank): a parallelism search asks for the same
  // pipeline shape under many tp/cp/dp/recompute choices, and the chunk walk is its costliest term.
  double held(const StageLayers& sl, int pp, int vpp, int microbatches, int rank) const;
  mutable std::unordered_map<std::uint64_t, double> held_memo_;
};

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
