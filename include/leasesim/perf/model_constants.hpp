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
  // Low-precision GEMMs reach a lower fraction of their (2x, 4x, 6x) peak than BF16 ones do of
  // theirs: more bytes per FLOP at the same HBM, scaling-factor handling, and clocks lowered under
  // the power limit when the tensor cores run faster. What else limits the end-to-end gain is
  // modelled explicitly (BF16 layers, quantization and weight-cast traffic, BF16 attention, norms,
  // activations, cross-entropy and optimizer, exposed communication); these two factors are the
  // residual, each fitted ONCE to one published end-to-end gain (docs/performance-model.md):
  //  - fp8: MXFP8 over BF16 = 1.25 (the middle of 1.22-1.28x), Llama3-70B on 1,856 B200, PyTorch
  //    (scenarios/calibration/mxfp8-llama3-70b-b200.json) → 0.74;
  //  - fp4: NVFP4 over FP8 = 1.52 (the middle of 1.31-1.73x), NVIDIA MaxText on GB300
  //    (scenarios/calibration/nvfp4-llama3-405b-gb300.json) → 0.44.
  // NVFP4 over BF16 on B200 (published: up to 1.59x) is then a check, not a fit.
  double fp8_gemm_relative = 0.74;
  double fp4_gemm_relative = 0.44;
  // Quantization traffic per quantized element (bytes through HBM): FP8 reads BF16 (2 B) and writes
  // an FP8 copy and its transpose (2 x 1 B). NVFP4 writes two 4-bit copies with one E4M3 scale per
  // 16 elements (2 x 0.5625 B); its random Hadamard transform of the weight-gradient operands (arXiv
  // 2509.25149) is a 16x16 matmul fused into the same cast kernel (Transformer Engine), so it adds
  // no HBM pass: 2 + 1.125 = 3.125 B.
  double fp8_quant_bytes = 4.0;
  double fp4_quant_bytes = 3.125;

  // --- attention -----------------------------------------------------------------------------------
  // FlashAttention-2 reaches ~50–70% of BF16 peak forward on A100 (Dao 2023, fig. 5–6) but only
  // ~35–40% on H100 (Shah et al. 2024, FlashAttention-3, fig. 1); 0.45 of executed FLOPs, fitted
  // inside that range. Causal masking skips half the blocks.
  double flash_attention_efficiency = 0.45;
  double causal_skip = 0.5;
  // Ring attention (CP > 1) computes attention block by block and, after every step but the first,
  // merges the step's partial output into the running one with the log-sum-exp correction (read the
  // running FP32 output, read the step's, write the corrected: 12 B per output element; Transformer
  // Engine's context-parallel attention). The backward accumulates dQ per step (FP32 read + write)
  // and dK/dV for the block in flight: taken as twice the forward's. Engineering estimate.
  double cp_merge_bytes = 12.0;
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
  // Ring attention: the share of one step's K/V transfer that may run under that step's attention
  // block (the step-by-step cap is in step_model.cpp); the transfer runs on its own stream.
  double cp_overlap = 1.0;
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
