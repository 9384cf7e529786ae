// Parameter and FLOP counts of the model presets against the published totals and against the
// Megatron-LM closed forms (calibration.md).
#include <catch2/catch.hpp>

#include "leasesim/workload/model_presets.hpp"

using leasesim::workload::find_model_preset;
using leasesim::workload::TransformerSpec;

namespace {
const TransformerSpec& preset(const char* name) {
  const TransformerSpec* m = find_model_preset(name);
  REQUIRE(m != nullptr);
  return *m;
}

// Narayanan et al. SC'21: P = 12·l·h²·(1 + 13/(12h) + (V+s)/(12·l·h)).
double megatron_params(const TransformerSpec& m) {
  const double l = m.layers, h = m.hidden, V = m.vocab, s = m.seq_len;
  return 12 * l * h * h * (1 + 13 / (12 * h) + (V + s) / (12 * l * h));
}
// F = 96·B·s·l·h²·(1 + s/(6h) + V/(16·l·h)) per iteration with full recompute; per token here.
double megatron_flops_per_token_full_recompute(const TransformerSpec& m) {
  const double l = m.layers, h = m.hidden, V = m.vocab, s = m.seq_len;
  return 96 * l * h * h * (1 + s / (6 * h) + V / (16 * l * h));
}
}  // namespace

TEST_CASE("GPT presets match the Megatron parameter and FLOP formulas within 1%", "[workload]") {
  for (const char* name : {"megatron-1.7b", "gpt3-175b", "megatron-1t"}) {
    const TransformerSpec& m = preset(name);
    INFO(name);
    CHECK(m.params_total() == Approx(megatron_params(m)).epsilon(0.01));
    // Hardware FLOPs with full recompute = model FLOPs + one more forward of the layers.
    const double with_recompute =
        m.model_flops_per_token() + m.linear_flops_per_token() + m.attention_flops_per_token();
    CHECK(with_recompute == Approx(megatron_flops_per_token_full_recompute(m)).epsilon(0.01));
  }
}

TEST_CASE("published model sizes come out of the preset shapes", "[workload]") {
  CHECK(preset("megatron-1.7b").params_total() == Approx(1.7e9).epsilon(0.03));
  CHECK(preset("gpt3-175b").params_total() == Approx(175e9).epsilon(0.02));
  CHECK(preset("megatron-1t").params_total() == Approx(1008e9).epsilon(0.01));
  CHECK(preset("llama3-8b").params_total() == Approx(8.03e9).epsilon(0.02));
  CHECK(preset("llama3-70b").params_total() == Approx(70.6e9).epsilon(0.02));
  CHECK(preset("llama3-405b").params_total() == Approx(405.9e9).epsilon(0.02));
}

TEST_CASE("deepseek-v3 has ~671B parameters of which ~37B are active per token", "[workload]") {
  const TransformerSpec& m = preset("deepseek-v3");
  CHECK(m.moe_layers() == 58);
  CHECK(m.params_total() == Approx(671e9).epsilon(0.03));
  // Attention is approximated as standard MHA (MLA is ~10% smaller), so active lands a little high.
  CHECK(m.params_active() == Approx(37e9).epsilon(0.06));
}

TEST_CASE("the hypothetical frontier models are ~2T parameters and labelled hypothetical", "[workload]") {
  const TransformerSpec& dense = preset("frontier-2t-dense");
  const TransformerSpec& moe = preset("frontier-2t-moe");
  CHECK(dense.hypothetical);
  CHECK(moe.hypothetical);
  CHECK(dense.params_total() == Approx(2.0e12).epsilon(0.03));
  CHECK(moe.params_total() == Approx(2.0e12).epsilon(0.05));
  CHECK(moe.params_active() < 0.05 * moe.params_total());
  CHECK(dense.source.find("HYPOTHETICAL") != std::string::npos);
}

TEST_CASE("model FLOPs per token are about 6 x active parameters plus attention", "[workload]") {
  const TransformerSpec& m = preset("llama3-405b");
  const double six_n = 6.0 * m.params_active();
  CHECK(m.model_flops_per_token() > six_n);
  CHECK(m.model_flops_per_token() < 1.15 * six_n);
  CHECK(preset("llama3-70b").validate().empty());
  TransformerSpec bad = m;
  bad.kv_heads = 7;
  CHECK_FALSE(bad.validate().empty());
}
