// A decoder-only transformer (dense or mixture-of-experts) as a value, and the arithmetic every
// later layer needs from it: parameter counts (total and active per token) and FLOPs per token.
//
// FLOPs follow the Megatron-LM convention (Narayanan et al., SC'21, eq. 3; docs/references.md): one
// multiply-add is 2 FLOPs, the attention quadratic term is counted for the full s x s score matrix
// (4·s·h per token per layer forward, no causal halving), the logits GEMM is 2·h·V per token, and a
// backward pass costs twice its forward. Norms, softmax and elementwise ops are not counted as FLOPs
// (they are priced as memory traffic by the step model).
#pragma once

#include <string>

namespace leasesim::workload {

struct TransformerSpec {
  std::string name;
  int layers = 0;
  int hidden = 0;      // model width h
  int heads = 0;       // attention (query) heads
  int kv_heads = 0;    // key/value heads (GQA); 0 → heads
  int head_dim = 0;    // 0 → hidden / heads
  int ffn_hidden = 0;  // dense FFN width; 0 → 4·hidden
  int vocab = 0;
  int seq_len = 0;
  bool gated = false;   // SwiGLU/GeGLU FFN: three matrices (gate, up, down) instead of two
  bool biases = false;  // linear-layer biases and LayerNorm (2h) instead of RMSNorm (h): GPT/Megatron
  bool learned_position_embeddings = false;  // GPT-style s x h position table (rotary: false)
  bool tied_embeddings = false;              // output head shares the input embedding matrix
  bool dropout = false;                      // dropout masks stored as activations (Korthikanti et al. count them)

  // Mixture of experts (0 experts = dense).
  int experts = 0;             // routed experts per MoE layer
  int top_k = 0;               // routed experts per token
  int expert_ffn_hidden = 0;   // width of one routed (and one shared) expert; 0 → ffn_hidden
  int shared_experts = 0;      // always-active experts per MoE layer
  int moe_layer_every = 1;     // every k-th layer (after first_dense_layers) is MoE
  int first_dense_layers = 0;  // leading dense layers before the first MoE layer (DeepSeek-V3: 3)

  std::string source;         // where the configuration comes from
  bool hypothetical = false;  // not a published model: a planning placeholder

  // --- resolved shape -----------------------------------------------------------------------------
  int kv_heads_resolved() const { return kv_heads > 0 ? kv_heads : heads; }
  int head_dim_resolved() const { return head_dim > 0 ? head_dim : (heads > 0 ? hidden / heads : 0); }
  int ffn_resolved() const { return ffn_hidden > 0 ? ffn_hidden : 4 * hidden; }
  int expert_ffn_resolved() const { return expert_ffn_hidden > 0 ? expert_ffn_hidden : ffn_resolved(); }
  bool is_moe() const { return experts > 0 && top_k > 0; }
  int moe_layers() const;  // how many layers carry routed experts
  int dense_layers() const { return layers - moe_layers(); }
  int ffn_matrices() const { return gated ? 3 : 2; }

  // --- parameters (count, not bytes) --------------------------------------------------------------
  double attention_params_per_layer() const;  // Q, K, V, O projections (+ biases)
  double dense_ffn_params_per_layer() const;  // one dense FFN (+ biases)
  double expert_params() const;               // one routed or shared expert (+ biases)
  double norm_params_per_layer() const;       // two norms per layer
  double router_params_per_layer() const;     // the MoE gate
  double embedding_params() const;            // token (+ position) embedding
  double head_params() const;                 // output head (0 when tied) + final norm
  double layer_params_total() const;          // all layers, every expert
  double params_total() const;                // everything stored
  double params_active() const;               // touched by one token (top_k + shared experts)

  // --- FLOPs per token, forward pass, Megatron convention -----------------------------------------
  double linear_flops_per_token() const;     // all transformer-layer GEMMs, active experts only
  double attention_flops_per_token() const;  // QK^T and AV: 4·s·(heads·head_dim) per layer
  double logits_flops_per_token() const;     // 2·h·V
  double forward_flops_per_token() const;    // the sum of the three
  // Model FLOPs of one training token: forward + backward (3x forward), no recompute.
  double model_flops_per_token() const { return 3.0 * forward_flops_per_token(); }

  // A readable problem with the shape, or "" when it is consistent.
  std::string validate() const;

  bool operator==(const TransformerSpec&) const = default;
};

}  // namespace leasesim::workload
