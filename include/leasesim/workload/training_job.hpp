// A training job: which model, how many tokens, the batch, the precision recipe and the parallelism
// — as requested (any field may be left to the auto-parallelism search) and as resolved
// (`ParallelConfig`, every field fixed). The perf layer prices a (job, ParallelConfig) pair.
//
// Conventions (Megatron-LM): gpus = tp · cp · pp · dp; expert parallelism ep is carved out of the
// data-parallel ranks (ep divides dp); global_batch = dp · micro_batch · microbatches.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "leasesim/hw/gpu.hpp"
#include "leasesim/workload/transformer.hpp"

namespace leasesim::workload {

// How optimizer state, gradients and weights are split across data-parallel ranks.
//   none  — every DP rank holds everything; gradients all-reduced once per iteration.
//   zero1 — optimizer states sharded (Megatron distributed optimizer): gradient reduce-scatter and
//           parameter all-gather once per iteration.
//   zero2 — zero1 + gradients sharded: the reduce-scatter runs after every microbatch.
//   fsdp  — zero2 + weights sharded (ZeRO-3): weights all-gathered layer by layer in the forward
//           and again in the backward of every microbatch.
enum class Sharding { none, zero1, zero2, fsdp };

// Activation recomputation (Korthikanti et al. 2022, arXiv 2205.05198).
//   none      — store every activation.
//   selective — recompute the attention core and the FFN activation function; store the rest.
//   full      — store only each layer's input; re-run the whole layer forward in the backward.
enum class Recompute { none, selective, full };

// How context-parallel ranks exchange K and V (Megatron-Core's `cp_comm_type`: p2p / all_gather).
//   ring       — ring attention (Liu et al. 2023): K/V blocks passed step by step around the CP
//                group, each transfer hidden behind that step's attention block.
//   all_gather — Llama 3 (§3.3.2): all-gather K and V over the CP group before attention (and
//                reduce-scatter dK/dV in the backward); the transfer is exposed, not overlapped.
enum class CpComm { ring, all_gather };

const char* to_string(Sharding s);
const char* to_string(Recompute r);
std::optional<Sharding> parse_sharding(std::string_view text);        // "none", "zero1", "zero2", "fsdp"
std::optional<Recompute> parse_recompute(std::string_view text);      // "none", "selective", "full"
std::optional<hw::Precision> parse_precision(std::string_view text);  // "bf16", "fp8", "fp4"

// A fully resolved parallel configuration: what the step model prices.
struct ParallelConfig {
  int tp = 1;           // tensor parallel (with sequence parallelism when > 1)
  int pp = 1;           // pipeline stages
  int dp = 1;           // data parallel replicas
  int cp = 1;           // context parallel (sequence split, ring attention)
  int ep = 1;           // expert parallel, inside the DP ranks
  int vpp = 1;          // virtual pipeline stages per GPU (interleaved 1F1B when > 1)
  int micro_batch = 1;  // sequences per microbatch
  Recompute recompute = Recompute::none;
  Sharding sharding = Sharding::none;

  long long gpus() const { return static_cast<long long>(tp) * cp * pp * dp; }
  bool operator==(const ParallelConfig&) const = default;
};

// What the user fixed; every empty field is chosen by the auto-parallelism search.
struct ParallelismRequest {
  std::optional<int> tp, pp, dp, cp, ep, vpp, micro_batch;
  std::optional<Recompute> recompute;
  std::optional<Sharding> sharding;

  // True when every field is fixed, so no search is needed.
  bool complete() const { return tp && pp && dp && cp && ep && vpp && micro_batch && recompute && sharding; }
  ParallelConfig resolved() const;  // the fixed fields, 1/none where empty

  bool operator==(const ParallelismRequest&) const = default;
};

// Transformer layers kept in BF16 in an FP8/FP4 recipe: a count or a fraction of the layers.
struct Bf16Layers {
  bool is_fraction = false;
  double value = 0;
  static Bf16Layers count(int n) { return {false, static_cast<double>(n)}; }
  static Bf16Layers fraction(double f) { return {true, f}; }

  bool operator==(const Bf16Layers&) const = default;
};

// How the transformer layers split over pipeline stages: as even as possible, the remainder on the
// middle stages first (the first and last stages also carry the embedding and the output head;
// Llama 3 removes a layer from each for the same reason).
struct StageLayers {
  int first = 0;  // layers on the first stage
  int last = 0;   // layers on the last stage (== first when pp == 1)
  int most = 0;   // layers on the fullest stage
};
StageLayers stage_layers(int layers, int pp);

// Whether pp ranks of vpp chunks each can hold `layers` layers: every virtual stage holds at least
// one layer, except that the first may hold only the embedding and the last only the output head
// and loss — Llama 3's pipeline (§3.3.2), which runs its 126 layers as 16 × 8 one-layer stages that
// way. stage_layers then gives the first and the last rank the missing layers.
inline bool virtual_stages_fit(int layers, int pp, int vpp) {
  return vpp <= 1 || static_cast<long long>(pp) * vpp <= layers + 2LL;
}

struct TrainingJob {
  std::string name;
  TransformerSpec model;
  double tokens = 0;     // tokens to train (for time_to_train)
  int global_batch = 0;  // sequences per iteration
  ParallelismRequest parallelism;
  hw::Precision precision = hw::Precision::bf16;  // of the linear-layer GEMMs
  std::optional<Bf16Layers> bf16_layers;          // unset → default_bf16_layers(precision)
  long long gpus = 0;                             // GPUs available to the job
  // Fused attention that never stores the s x s score matrix (FlashAttention, Dao et al. 2022).
  // false for pre-2022 stacks such as the Megatron-LM SC'21 runs, which materialise the scores.
  bool flash_attention = true;
  CpComm cp_comm = CpComm::ring;  // how CP ranks exchange K/V (no effect when cp = 1)

  // NeMo's NVFP4 recipe keeps the last 4 transformer layers in BF16 (docs/references.md; the NVFP4 paper,
  // arXiv 2509.25149, kept ~16% of linear layers on its 12B model — set a fraction for that).
  // FP8 recipes (Transformer Engine) quantize every transformer layer; BF16 has nothing to keep.
  static Bf16Layers default_bf16_layers(hw::Precision p);

  // Transformer layers that run their linear GEMMs in BF16 (all of them for a BF16 job).
  int bf16_layer_count() const;
  double tokens_per_iteration() const { return static_cast<double>(global_batch) * model.seq_len; }
  // Microbatches per pipeline per iteration for a configuration (0 when the batch does not split).
  int microbatches(const ParallelConfig& c) const;

  // A readable reason the configuration cannot run this job (divisibility, limits), or "".
  std::string check(const ParallelConfig& c) const;

  bool operator==(const TrainingJob&) const = default;
};

}  // namespace leasesim::workload
