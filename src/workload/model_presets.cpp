// The built-in model presets with their sources. Shapes are copied from the cited papers/configs;
// parameter counts are derived (tests check them against the published totals).
#include "leasesim/workload/model_presets.hpp"

#include <algorithm>
#include <map>

namespace leasesim::workload {
namespace {

// GPT-style (Megatron-LM) model: learned positions, biases, LayerNorm, tied embeddings, dropout.
TransformerSpec gpt(std::string name, int layers, int hidden, int heads, std::string source) {
  TransformerSpec m;
  m.name = std::move(name);
  m.layers = layers;
  m.hidden = hidden;
  m.heads = heads;
  m.vocab = 51200;  // GPT-2 BPE padded to 51,200 (Narayanan et al. SC'21, Table 1)
  m.seq_len = 2048;
  m.biases = true;
  m.learned_position_embeddings = true;
  m.tied_embeddings = true;
  m.dropout = true;
  m.source = std::move(source);
  return m;
}

// Llama-style model: RMSNorm, rotary positions, SwiGLU, GQA, untied head, no dropout.
TransformerSpec llama(std::string name, int layers, int hidden, int heads, int kv_heads, int ffn, std::string source) {
  TransformerSpec m;
  m.name = std::move(name);
  m.layers = layers;
  m.hidden = hidden;
  m.heads = heads;
  m.kv_heads = kv_heads;
  m.ffn_hidden = ffn;
  m.vocab = 128256;  // Llama 3 tokenizer (Llama 3 paper, Table 3)
  m.seq_len = 8192;
  m.gated = true;
  m.source = std::move(source);
  return m;
}

std::map<std::string, TransformerSpec, std::less<>> build() {
  std::map<std::string, TransformerSpec, std::less<>> r;
  auto add = [&r](TransformerSpec m) { r.emplace(m.name, std::move(m)); };

  add(gpt("megatron-1.7b", 24, 2304, 24,
          "Narayanan et al., SC'21 (arXiv 2104.04473), Table 1 row 1: 1.7B, l=24, h=2304, 24 heads"));
  add(gpt("gpt3-175b", 96, 12288, 96,
          "Brown et al. 2020 (arXiv 2005.14165) Table 2.1; as trained in Narayanan et al. SC'21 Table 1 "
          "(V=51,200, s=2048)"));
  add(gpt("megatron-1t", 128, 25600, 160,
          "Narayanan et al., SC'21 (arXiv 2104.04473), Table 1 last row: 1008B, l=128, h=25600, 160 heads"));

  add(llama("llama3-8b", 32, 4096, 32, 8, 14336,
            "Llama 3 herd of models (arXiv 2407.21783), Table 3: 32 layers, d=4096, FFN 14336, 32/8 heads"));
  add(llama("llama3-70b", 80, 8192, 64, 8, 28672,
            "Llama 3 herd of models (arXiv 2407.21783), Table 3: 80 layers, d=8192, FFN 28672, 64/8 heads"));
  add(llama("llama3-405b", 126, 16384, 128, 8, 53248,
            "Llama 3 herd of models (arXiv 2407.21783), Table 3: 126 layers, d=16384, FFN 53248, 128/8 heads"));

  {
    // Multi-head latent attention is approximated by standard attention over h (4·h² weights per
    // layer, ~10% more than MLA's low-rank projections); the multi-token-prediction module is left
    // out, as in the published 671B/37B counts.
    TransformerSpec m;
    m.name = "deepseek-v3";
    m.layers = 61;
    m.hidden = 7168;
    m.heads = 128;
    m.ffn_hidden = 18432;  // the 3 leading dense layers
    m.vocab = 129280;
    m.seq_len = 4096;
    m.gated = true;
    m.experts = 256;
    m.top_k = 8;
    m.expert_ffn_hidden = 2048;
    m.shared_experts = 1;
    m.first_dense_layers = 3;
    m.source =
        "DeepSeek-V3 technical report (arXiv 2412.19437), section 4.2: 61 layers, h=7168, "
        "128 heads, 1 shared + 256 routed experts (top-8, width 2048), first 3 layers dense; "
        "671B total, 37B active";
    add(m);
  }
  {
    TransformerSpec m = llama("frontier-2t-dense", 144, 32768, 256, 16, 118784,
                              "HYPOTHETICAL: a ~2.0T dense Llama-style model for capacity planning "
                              "(144 layers, d=32768, 256/16 heads, FFN 118784); not a published model");
    m.hypothetical = true;
    add(m);
  }
  {
    TransformerSpec m = llama("frontier-2t-moe", 96, 8192, 64, 8, 24576,
                              "HYPOTHETICAL: a ~2.0T-total / ~66B-active DeepSeek-style MoE for capacity "
                              "planning (96 layers, d=8192, 384 routed experts top-8 + 1 shared, width "
                              "2304, first 3 layers dense); not a published model");
    m.experts = 384;
    m.top_k = 8;
    m.expert_ffn_hidden = 2304;
    m.shared_experts = 1;
    m.first_dense_layers = 3;
    m.hypothetical = true;
    add(m);
  }
  return r;
}

const std::map<std::string, TransformerSpec, std::less<>>& registry() {
  static const auto r = build();
  return r;
}

}  // namespace

const TransformerSpec* find_model_preset(std::string_view name) {
  const auto& r = registry();
  const auto it = r.find(name);
  return it == r.end() ? nullptr : &it->second;
}

std::vector<std::string> model_preset_names() {
  std::vector<std::string> names;
  for (const auto& [name, spec] : registry()) names.push_back(name);
  return names;
}

}  // namespace leasesim::workload
