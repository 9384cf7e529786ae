// Compute-time model of one microbatch (see compute_cost.hpp for the model).
#include "leasesim/perf/compute_cost.hpp"

#include <algorithm>

#include "leasesim/workload/memory.hpp"

namespace leasesim::perf {
namespace {

using hw::Precision;
using workload::Recompute;

struct Gpu {
  double bf16_peak;
  double lowp_peak;      // peak of the job's linear-GEMM precision
  double lowp_rel;       // its relative achievable efficiency
  double quant_bytes;    // HBM bytes per quantized element (0 for BF16)
  double weight_quants;  // times per microbatch each low-precision weight is quantized
  double lowp_bytes;     // bytes per GEMM input element at the job precision
  double hbm;            // effective bytes/s
};

double shape(double d, const ModelConstants& k) { return d / (d + k.gemm_half_dim); }

// Seconds of one GEMM [m x k] · [k x n]: math at the shape-dependent efficiency plus the exposed
// part of its HBM traffic (inputs at `in_bytes` per element, BF16 output).
double gemm(double m, double n, double kk, double peak, double rel, double in_bytes, double hbm,
            const ModelConstants& k) {
  if (m <= 0 || n <= 0 || kk <= 0) return 0;
  const double eff = k.gemm_efficiency * rel * shape(m, k) * shape(n, k) * shape(kk, k);
  const double traffic = in_bytes * (m * kk + kk * n) + 2.0 * m * n;
  return 2.0 * m * n * kk / (peak * eff) + k.gemm_memory_exposed * traffic / hbm;
}

// Forward + backward seconds of a linear layer GEMM at BF16 and at the job precision; the backward
// is a data-gradient and a weight-gradient GEMM of the same size. `count` identical GEMMs.
struct LinearTime {
  double bf16_fwd = 0, lowp_fwd = 0;
  double bf16_bwd = 0, lowp_bwd = 0;
};
void linear(LinearTime& t, double m, double n, double kk, double count, const Gpu& g, const ModelConstants& k) {
  const double b = count * gemm(m, n, kk, g.bf16_peak, 1.0, 2.0, g.hbm, k);
  t.bf16_fwd += b;
  t.bf16_bwd += 2.0 * b;
  const double l = count * gemm(m, n, kk, g.lowp_peak, g.lowp_rel, g.lowp_bytes, g.hbm, k);
  // Quantize the input (forward), the output gradient and the transposed input (backward).
  const double qf = g.quant_bytes > 0 ? count * g.quant_bytes * m * kk / g.hbm : 0.0;
  const double qb = g.quant_bytes > 0 ? count * g.quant_bytes * (m * n + m * kk) / g.hbm : 0.0;
  // The weight (and its transposed copy for the data gradient), once per forward pass when the
  // weights are re-gathered for every microbatch (FSDP), else once per iteration (cached).
  const double qw = g.quant_bytes > 0 ? count * g.quant_bytes * n * kk * g.weight_quants / g.hbm : 0.0;
  t.lowp_fwd += l + qf + qw;
  t.lowp_bwd += 2.0 * l + qb;
}

struct LayerTime {
  double fwd = 0, bwd = 0;  // without recompute
  double attn_fwd = 0, attn_bwd = 0;
  double act_fn_fwd = 0;  // activation-function elementwise (selective recompute reruns it)
};

LayerTime layer_time(const workload::TrainingJob& job, const ParallelConfig& c, const Gpu& g, const ModelConstants& k,
                     bool moe, double bf16_share) {
  const workload::TransformerSpec& m = job.model;
  const double t = c.tp;
  const double tokens = static_cast<double>(c.micro_batch) * m.seq_len / c.cp;
  const double h = m.hidden, d = m.head_dim_resolved();
  const double q = m.heads * d, kv = m.kv_heads_resolved() * d;
  const double up = m.gated ? 2.0 : 1.0;

  LinearTime lt;
  linear(lt, tokens, (q + 2.0 * kv) / t, h, 1.0, g, k);  // QKV
  linear(lt, tokens, h, q / t, 1.0, g, k);               // output projection
  double ffn_width_tokens = 0;                           // Σ tokens·width through activation fns
  if (!moe) {
    const double f = m.ffn_resolved();
    linear(lt, tokens, up * f / t, h, 1.0, g, k);
    linear(lt, tokens, h, f / t, 1.0, g, k);
    ffn_width_tokens = tokens * f / t;
  } else {
    const double ef = m.expert_ffn_resolved();
    // Balanced routing: each of the GPU's experts/ep experts sees ep·tokens·top_k/experts tokens.
    const double per_expert = tokens * m.top_k * c.ep / m.experts;
    const double local = static_cast<double>(m.experts) / c.ep;
    linear(lt, per_expert, up * ef / t, h, local, g, k);
    linear(lt, per_expert, h, ef / t, local, g, k);
    if (m.shared_experts > 0) {
      const double sf = ef * m.shared_experts;
      linear(lt, tokens, up * sf / t, h, 1.0, g, k);
      linear(lt, tokens, h, sf / t, 1.0, g, k);
    }
    // Router GEMM, BF16 (tiny).
    const double r = gemm(tokens, m.experts, h, g.bf16_peak, 1.0, 2.0, g.hbm, k);
    lt.bf16_fwd += r;
    lt.lowp_fwd += r;
    lt.bf16_bwd += 2.0 * r;
    lt.lowp_bwd += 2.0 * r;
    ffn_width_tokens = tokens * (m.top_k + m.shared_experts) * ef / t;
  }

  LayerTime out;
  const double lin_fwd = bf16_share * lt.bf16_fwd + (1.0 - bf16_share) * lt.lowp_fwd;
  const double lin_bwd = bf16_share * lt.bf16_bwd + (1.0 - bf16_share) * lt.lowp_bwd;

  // Attention core, BF16 always. Each GPU has heads/tp heads and s/cp queries against s keys.
  const double heads = static_cast<double>(m.heads) / t;
  const double scores = tokens * m.seq_len * heads;  // per microbatch
  if (job.flash_attention) {
    const double flops = 4.0 * scores * d * k.causal_skip;
    out.attn_fwd = flops / (g.bf16_peak * k.flash_attention_efficiency);
    out.attn_bwd = k.flash_backward_ratio * out.attn_fwd;
    if (c.cp > 1 && job.cp_comm == workload::CpComm::ring) {  // all-gathered K/V: one pass, no merge
      const double merge = (c.cp - 1.0) * tokens * heads * d * k.cp_merge_bytes / g.hbm;
      out.attn_fwd += merge;
      out.attn_bwd += 2.0 * merge;
    }
  } else {
    // Batched GEMMs QK^T [s/cp x d]·[d x s] and PV [s/cp x s]·[s x d] per head and sequence, plus
    // the softmax/dropout traffic over the materialised scores.
    const double batch = heads * c.micro_batch;
    const double sq = static_cast<double>(m.seq_len) / c.cp, sk = m.seq_len;
    const double bmm =
        batch * (gemm(sq, sk, d, g.bf16_peak, 1.0, 2.0, g.hbm, k) + gemm(sq, d, sk, g.bf16_peak, 1.0, 2.0, g.hbm, k));
    const double softmax = scores * k.softmax_bytes_per_score / g.hbm;
    out.attn_fwd = bmm + softmax;
    out.attn_bwd = 2.0 * out.attn_fwd;
  }

  // Elementwise: norms/residuals over the sequence-parallel shard, activation function over the
  // FFN width (gated reads two inputs: 6 B per element, otherwise 4 B).
  const double elem = tokens * h / t * k.elementwise_bytes_per_hidden / g.hbm;
  out.act_fn_fwd = ffn_width_tokens * (m.gated ? 6.0 : 4.0) / g.hbm;

  out.fwd = lin_fwd + out.attn_fwd + elem + out.act_fn_fwd;
  out.bwd = lin_bwd + out.attn_bwd + 2.0 * (elem + out.act_fn_fwd);
  return out;
}

}  // namespace

MicrobatchCompute microbatch_compute(const workload::TrainingJob& job, const ParallelConfig& c, const hw::GpuSpec& gpu,
                                     const ModelConstants& k) {
  const workload::TransformerSpec& m = job.model;
  Gpu g{};
  g.bf16_peak = gpu.bf16_flops;
  g.hbm = gpu.hbm_bandwidth * k.hbm_efficiency;
  const double lowp = gpu.dense_flops(job.precision);
  if (job.precision == Precision::bf16 || lowp <= 0) {
    g.lowp_peak = gpu.bf16_flops;
    g.lowp_rel = 1.0;
    g.quant_bytes = 0;
    g.weight_quants = 0;
    g.lowp_bytes = 2.0;
  } else {
    g.lowp_peak = lowp;
    g.lowp_rel = job.precision == Precision::fp8 ? k.fp8_gemm_relative : k.fp4_gemm_relative;
    g.quant_bytes = job.precision == Precision::fp8 ? k.fp8_quant_bytes : k.fp4_quant_bytes;
    g.lowp_bytes = job.precision == Precision::fp8 ? 1.0 : 0.5 + 1.0 / 16.0;
    g.weight_quants = c.sharding == workload::Sharding::fsdp ? 1.0 : 1.0 / std::max(1, job.microbatches(c));
  }
  // The NeMo recipe keeps the LAST layers in BF16; spreading them evenly over stages is a mild
  // simplification (the last stage may be a little slower than modelled).
  const double bf16_share = static_cast<double>(job.bf16_layer_count()) / m.layers;

  const double moe_share = m.layers > 0 ? static_cast<double>(m.moe_layers()) / m.layers : 0.0;
  LayerTime avg;
  auto mix = [&](const LayerTime& lt, double w) {
    avg.fwd += w * lt.fwd;
    avg.bwd += w * lt.bwd;
    avg.attn_fwd += w * lt.attn_fwd;
    avg.attn_bwd += w * lt.attn_bwd;
    avg.act_fn_fwd += w * lt.act_fn_fwd;
  };
  if (moe_share < 1.0) mix(layer_time(job, c, g, k, false, bf16_share), 1.0 - moe_share);
  if (moe_share > 0.0) mix(layer_time(job, c, g, k, true, bf16_share), moe_share);

  double recompute = 0;
  if (c.recompute == workload::Recompute::full) recompute = avg.fwd;
  if (c.recompute == workload::Recompute::selective) recompute = avg.attn_fwd + avg.act_fn_fwd;

  // Output head (BF16 logits GEMM + FP32 cross-entropy) and embedding lookup.
  const double tokens = static_cast<double>(c.micro_batch) * m.seq_len / c.cp;
  const double logits = tokens * m.vocab / c.tp;
  const double head_fwd = gemm(tokens, m.vocab / static_cast<double>(c.tp), m.hidden, g.bf16_peak, 1.0, 2.0, g.hbm, k) +
                          logits * k.cross_entropy_bytes_per_logit / g.hbm;
  const double head_bwd = 2.0 * head_fwd;
  const double embed_fwd = tokens * m.hidden * 2.0 / c.tp * 2.0 / g.hbm;  // gather + write
  const double embed_bwd = 2.0 * embed_fwd;

  const workload::StageLayers sl = workload::stage_layers(m.layers, c.pp);
  auto stage = [&](int layers, bool first, bool last) {
    MicrobatchCompute s;
    s.forward_s = layers * avg.fwd + (first ? embed_fwd : 0) + (last ? head_fwd : 0);
    s.recompute_s = layers * recompute;
    s.backward_s = layers * avg.bwd + s.recompute_s + (first ? embed_bwd : 0) + (last ? head_bwd : 0);
    s.attention_s = layers * (avg.attn_fwd + avg.attn_bwd);
    s.layer_forward_s = avg.fwd;
    s.layer_attention_fwd_s = avg.attn_fwd;
    s.layer_attention_bwd_s = avg.attn_bwd;
    return s;
  };
  if (c.pp == 1) return stage(sl.first, true, true);
  const MicrobatchCompute candidates[3] = {stage(sl.first, true, false), stage(sl.last, false, true),
                                           stage(sl.most, false, false)};
  const MicrobatchCompute* worst = &candidates[0];
  for (const auto& s : candidates)
    if (s.forward_s + s.backward_s > worst->forward_s + worst->backward_s) worst = &s;
  return *worst;
}

double optimizer_time(const workload::TrainingJob& job, const ParallelConfig& c, const hw::GpuSpec& gpu,
                      const ModelConstants& k) {
  const workload::StageLayers sl = workload::stage_layers(job.model.layers, c.pp);
  const workload::StageParams p = workload::stage_params(job.model, c, sl.most, c.pp == 1, c.pp == 1);
  double params = p.dense + p.expert;
  if (c.sharding != workload::Sharding::none) {
    const double dense_shard = static_cast<double>(c.dp) * c.cp;
    params = p.dense / dense_shard + p.expert / std::max(1.0, dense_shard / c.ep);
  }
  return params * k.optimizer_bytes_per_param / (gpu.hbm_bandwidth * k.hbm_efficiency);
}

}  // namespace leasesim::perf
