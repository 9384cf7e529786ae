// The ONE set of constants of the step model. Each is either a published figure (cited) or fitted
// once to the three calibration points of docs/references.md (marked "fitted");
// docs/performance-model.md lists them with the reasoning. No per-case tuning: every evaluation,
// on every GPU, uses ModelConstants::fitted().
#pragma once

namespace leasesim::perf {

struct ModelConstants {
  // --- GEMMs -------------------------------------------------------------------------------------
  // Achievable fraction of the dense tensor peak for a large GEMM in a real training step (kernel
  // gaps, clocks under power limits, launch overhead included). Fitted; cuBLAS reaches 0.75–0.9 in
  // isolation on A100/H100, end-to-end steps lose more.
  double gemm_efficiency = 0.70;
  // Shape penalty: each GEMM dimension d contributes d / (d + gemm_half_dim). 128-wide tensor-core
  // tiles make dims below ~128 waste most of a tile (CUTLASS tile shapes); fitted to 48.
  double gemm_half_dim = 48;
  // Fraction of a GEMM's own HBM traffic (inputs once, output once) that does not overlap its math:
  // a roofline with partial overlap. It is what makes a GPU with more FLOPs per byte of HBM
  // (H100: 295 FLOP/B vs A100: 153) reach a lower fraction of its peak on the same GEMM. Fitted.
  double gemm_memory_exposed = 0.5;
  // Low-precision GEMMs reach a lower fraction of their (2x, 4x, 6x) peak: more bytes per FLOP and
  // scaling-factor handling. FP8: H100 cuBLASLt ~1,300–1,450 of 1,979 TFLOP/s vs BF16 ~700–750 of
  // 989 (NVIDIA Transformer Engine benchmarks) → ~0.9 relative. FP4 (NVFP4 block scaling, 16-element
  // blocks) is taken lower, 0.8 (NVIDIA MaxText GB300 results, docs/references.md: 1.31–1.73x over FP8).
  double fp8_gemm_relative = 0.90;
  double fp4_gemm_relative = 0.80;
  // Quantization traffic per quantized element (bytes through HBM): FP8 reads BF16 (2 B) and writes
  // an FP8 copy and its transpose (2 x 1 B); NVFP4 also applies a random Hadamard transform before the
  // weight-gradient GEMM (arXiv 2509.25149), ~one extra BF16 read/write (4 B), plus 2 x 0.56 B.
  double fp8_quant_bytes = 4.0;
  double fp4_quant_bytes = 7.1;

  // --- attention -----------------------------------------------------------------------------------
  // FlashAttention-2 reaches ~50–70% of BF16 peak forward on A100 (Dao 2023, fig. 5–6) but only
  // ~35–40% on H100 (Shah et al. 2024, FlashAttention-3, fig. 1); 0.45 of executed FLOPs, fitted
  // inside that range. Causal masking skips half the blocks.
  double flash_attention_efficiency = 0.45;
  double causal_skip = 0.5;
  // FlashAttention's backward runs 5 matmuls to the forward's 2 (recomputes S and P): 2.5x.
  double flash_backward_ratio = 2.5;
  // Materialised (pre-2022) attention: scale-mask-softmax reads and writes 2 B per score, dropout
  // reads 2 B and writes 2 B + a 1 B mask: 9 B per score forward (Megatron-LM fused kernels).
  double softmax_bytes_per_score = 9.0;

  // --- memory-bound work ---------------------------------------------------------------------------
  // Elementwise HBM traffic per token per hidden unit per layer, forward: two norms (read+write 2 B
  // each), two residual adds (3 x 2 B), rotary/bias/dropout; ~24 B. Engineering estimate.
  double elementwise_bytes_per_hidden = 24.0;
  // Fraction of HBM bandwidth a streaming kernel achieves (STREAM-like copy on A100/H100 ~85–90%).
  double hbm_efficiency = 0.85;
  // Adam step traffic per parameter: read master, m, v, grad (4 x 4 B), write master, m, v (3 x 4 B)
  // and the BF16 weight (2 B) = 30 B.
  double optimizer_bytes_per_param = 30.0;
  // Cross-entropy over the vocabulary: FP32 logits written, read by softmax, written as gradient.
  double cross_entropy_bytes_per_logit = 12.0;

  // --- communication -------------------------------------------------------------------------------
  // NCCL bus bandwidth as a fraction of the per-direction link rate: nccl-tests all-reduce busbw on
  // DGX A100 ~230–240 GB/s of 300 GB/s, DGX H100 ~360–370 GB/s of 450 GB/s → 0.8.
  double nvlink_bus_efficiency = 0.80;
  // Over InfiniBand NDR/HDR per-GPU rails nccl-tests reach ~85–90% of line rate at large messages.
  double scale_out_bus_efficiency = 0.85;
  double nvlink_latency_s = 3e-6;  // per algorithm step, NCCL on NVSwitch
  // Fraction of each kind of communication that can hide behind compute.
  double tp_overlap = 0.0;  // Megatron TP collectives sit on the critical path (SC'21, §3.2)
  double cp_overlap = 0.9;  // ring attention overlaps the KV exchange with attention blocks
  double ep_overlap = 0.0;  // Megatron's all-to-all dispatcher is synchronous
  double pp_overlap = 0.0;  // 1F1B send/recv between stages is exposed
  double dp_overlap = 1.0;  // bucketed gradient reduce-scatter/param all-gather overlap, window-capped

  // The constants used for every evaluation.
  static const ModelConstants& fitted() {
    static const ModelConstants c{};
    return c;
  }
};

}  // namespace leasesim::perf
