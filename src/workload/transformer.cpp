// Parameter and FLOP counts of a decoder-only transformer (see transformer.hpp for conventions).
#include "leasesim/workload/transformer.hpp"

#include <fmt/format.h>

namespace leasesim::workload {

int TransformerSpec::moe_layers() const {
  if (!is_moe()) return 0;
  const int every = moe_layer_every > 0 ? moe_layer_every : 1;
  const int eligible = layers - first_dense_layers;
  return eligible <= 0 ? 0 : (eligible + every - 1) / every;
}

double TransformerSpec::attention_params_per_layer() const {
  const double h = hidden, q = static_cast<double>(heads) * head_dim_resolved();
  const double kv = static_cast<double>(kv_heads_resolved()) * head_dim_resolved();
  double p = h * q + 2.0 * h * kv + q * h;
  if (biases) p += q + 2.0 * kv + h;
  return p;
}

double TransformerSpec::dense_ffn_params_per_layer() const {
  const double h = hidden, f = ffn_resolved();
  double p = ffn_matrices() * h * f;
  if (biases) p += (gated ? 2.0 : 1.0) * f + h;
  return p;
}

double TransformerSpec::expert_params() const {
  const double h = hidden, f = expert_ffn_resolved();
  double p = ffn_matrices() * h * f;
  if (biases) p += (gated ? 2.0 : 1.0) * f + h;
  return p;
}

double TransformerSpec::norm_params_per_layer() const { return (biases ? 4.0 : 2.0) * hidden; }

double TransformerSpec::router_params_per_layer() const {
  return is_moe() ? static_cast<double>(hidden) * experts : 0.0;
}

double TransformerSpec::embedding_params() const {
  double p = static_cast<double>(vocab) * hidden;
  if (learned_position_embeddings) p += static_cast<double>(seq_len) * hidden;
  return p;
}

double TransformerSpec::head_params() const {
  const double final_norm = (biases ? 2.0 : 1.0) * hidden;
  return (tied_embeddings ? 0.0 : static_cast<double>(vocab) * hidden) + final_norm;
}

double TransformerSpec::layer_params_total() const {
  const double common = attention_params_per_layer() + norm_params_per_layer();
  const double moe = router_params_per_layer() + (experts + shared_experts) * expert_params();
  return layers * common + dense_layers() * dense_ffn_params_per_layer() + moe_layers() * moe;
}

double TransformerSpec::params_total() const { return layer_params_total() + embedding_params() + head_params(); }

double TransformerSpec::params_active() const {
  const double common = attention_params_per_layer() + norm_params_per_layer();
  const double moe = router_params_per_layer() + (top_k + shared_experts) * expert_params();
  return layers * common + dense_layers() * dense_ffn_params_per_layer() + moe_layers() * moe + embedding_params() +
         head_params();
}

double TransformerSpec::linear_flops_per_token() const {
  // 2 FLOPs per weight of every GEMM a token passes through; biases and norms are not GEMMs.
  const double h = hidden, d = head_dim_resolved();
  const double attn = 2.0 * (h * heads * d + 2.0 * h * kv_heads_resolved() * d + heads * d * h);
  const double dense_ffn = 2.0 * ffn_matrices() * h * ffn_resolved();
  const double expert = 2.0 * ffn_matrices() * h * expert_ffn_resolved();
  const double moe = 2.0 * h * experts + (top_k + shared_experts) * expert;
  return layers * attn + dense_layers() * dense_ffn + moe_layers() * moe;
}

double TransformerSpec::attention_flops_per_token() const {
  return 4.0 * seq_len * static_cast<double>(heads) * head_dim_resolved() * layers;
}

double TransformerSpec::logits_flops_per_token() const { return 2.0 * hidden * static_cast<double>(vocab); }

double TransformerSpec::forward_flops_per_token() const {
  return linear_flops_per_token() + attention_flops_per_token() + logits_flops_per_token();
}

std::string TransformerSpec::validate() const {
  if (layers <= 0) return fmt::format("model '{}': layers must be positive, found {}", name, layers);
  if (hidden <= 0) return fmt::format("model '{}': hidden must be positive, found {}", name, hidden);
  if (heads <= 0) return fmt::format("model '{}': heads must be positive, found {}", name, heads);
  if (head_dim <= 0 && hidden % heads != 0)
    return fmt::format("model '{}': hidden {} is not a multiple of heads {} (set head_dim)", name, hidden, heads);
  if (kv_heads_resolved() > heads || heads % kv_heads_resolved() != 0)
    return fmt::format("model '{}': kv_heads {} must divide heads {}", name, kv_heads_resolved(), heads);
  if (vocab <= 0) return fmt::format("model '{}': vocab must be positive, found {}", name, vocab);
  if (seq_len <= 0) return fmt::format("model '{}': seq_len must be positive, found {}", name, seq_len);
  if (experts > 0 && (top_k <= 0 || top_k > experts))
    return fmt::format("model '{}': top_k must be in 1..experts ({}), found {}", name, experts, top_k);
  if (first_dense_layers < 0 || first_dense_layers > layers)
    return fmt::format("model '{}': first_dense_layers must be in 0..{}, found {}", name, layers, first_dense_layers);
  return {};
}

}  // namespace leasesim::workload
