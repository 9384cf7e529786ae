// Per-GPU memory accounting (see memory.hpp for the model and its sources).
#include "leasesim/workload/memory.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace leasesim::workload {
namespace {

// Bytes per parameter. Mixed-precision Adam as in Megatron-LM (Rajbhandari et al., ZeRO, arXiv
// 1910.02054, section 3.1: 2 + 2 + 12 bytes; Megatron keeps FP32 main gradients, so 4 for grads).
constexpr double kWeightBytes = 2.0;      // BF16 working weights
constexpr double kGradBytes = 4.0;        // FP32 main-gradient accumulation buffer
constexpr double kOptimizerBytes = 12.0;  // FP32 master copy + Adam m + Adam v
// Extra copies of linear weights in low precision, cached per iteration by Transformer Engine:
// FP8 one byte; NVFP4 half a byte plus one E4M3 scale per 16 elements (arXiv 2509.25149).
constexpr double kFp8WeightCopyBytes = 1.0;
constexpr double kFp4WeightCopyBytes = 0.5 + 1.0 / 16.0;
// Workspace: CUDA context, cuBLAS/NCCL buffers (~2 GB measured in Megatron-LM runs) plus ~5%
// allocator fragmentation of the rest. An engineering estimate, not fitted.
constexpr double kWorkspaceFixedBytes = 2e9;
constexpr double kFragmentation = 0.05;
// Logits of one microbatch: FP32 logits (4 B) and their BF16 copy (2 B) per vocabulary entry.
constexpr double kLogitBytes = 6.0;

}  // namespace

ParamCounts::ParamCounts(const TransformerSpec& m) {
  const double l = m.layers;
  nonexpert_per_layer = m.attention_params_per_layer() + m.norm_params_per_layer() + m.router_params_per_layer() +
                        (m.dense_layers() * m.dense_ffn_params_per_layer() +
                         m.moe_layers() * static_cast<double>(m.shared_experts) * m.expert_params()) /
                            l;
  expert_per_layer = m.moe_layers() * static_cast<double>(m.experts) * m.expert_params() / l;
  embedding = m.embedding_params();
  head = m.head_params();
}

StageParams ParamCounts::stage(const ParallelConfig& c, int layers, bool first, bool last) const {
  StageParams s;
  s.dense = layers * nonexpert_per_layer / c.tp;
  s.expert = layers * expert_per_layer / (static_cast<double>(c.tp) * c.ep);
  s.layer = s.dense + s.expert;
  if (first) s.dense += embedding / c.tp;
  if (last) s.dense += head / c.tp;
  return s;
}

StageParams stage_params(const TransformerSpec& m, const ParallelConfig& c, int layers, bool first, bool last) {
  return ParamCounts(m).stage(c, layers, first, last);
}

MemoryModel::MemoryModel(const TrainingJob& job) : job_(job), params_(job.model) {
  const TransformerSpec& m = job.model;
  if (job.precision == hw::Precision::fp8) copy_bytes_ = kFp8WeightCopyBytes;
  if (job.precision == hw::Precision::fp4) copy_bytes_ = kFp4WeightCopyBytes;
  lowp_fraction_ = 1.0 - static_cast<double>(job.bf16_layer_count()) / m.layers;

  // Activation multiples of tokens·h bytes (Korthikanti et al. eq. 1: 11 + 19 + 4 = 34 for GPT).
  const double h = m.hidden;
  const double q = static_cast<double>(m.heads) * m.head_dim_resolved() / h;
  const double kv = static_cast<double>(m.kv_heads_resolved()) * m.head_dim_resolved() / h;
  const double drop = m.dropout ? 1.0 : 0.0;
  const double up = m.gated ? 2.0 : 1.0;
  const double attention = 2.0 + 2.0 * q + 4.0 * kv + 2.0 * q + drop;
  const double norms = 4.0;
  for (const bool keep_act_out : {false, true}) {
    auto ffn = [&](double width, double copies) {
      const double f = width / h;
      return copies * (2.0 + up * 2.0 * f + (keep_act_out ? 2.0 * f : 0.0));
    };
    const double dense_mlp = ffn(m.ffn_resolved(), 1.0) + drop;
    const double moe_mlp = ffn(m.expert_ffn_resolved(), static_cast<double>(m.top_k + m.shared_experts)) + drop;
    const double mlp = (m.dense_layers() * dense_mlp + m.moe_layers() * moe_mlp) / m.layers;
    act_multiple_[keep_act_out ? 1 : 0] = attention + norms + mlp;
  }
  // Materialised scores: softmax output (2 B) + dropout mask and output (3 B) per score
  // (Korthikanti et al.'s 5·a·s²·b term); each GPU holds its heads for its s/cp queries.
  score_bytes_ = 2.0 + (m.dropout ? 3.0 : 0.0);
}

double MemoryModel::activation_bytes_per_layer(const ParallelConfig& c) const {
  const TransformerSpec& m = job_.model;
  const double h = m.hidden;
  const bool keep_act_out = c.recompute == Recompute::none;
  const double tokens = static_cast<double>(c.micro_batch) * m.seq_len / c.cp;
  double bytes = tokens * h * act_multiple_[keep_act_out ? 1 : 0] / c.tp;
  if (!job_.flash_attention && c.recompute == Recompute::none)
    bytes += score_bytes_ * tokens * m.seq_len * (static_cast<double>(m.heads) / c.tp);
  return bytes;
}

// One stage's memory. `held_layers` = layer-microbatches whose activations the stage holds at its peak.
MemoryBreakdown MemoryModel::stage_memory(const ParallelConfig& c, int layers, bool first, bool last,
                                          double held_layers, double act_per_layer) const {
  const TransformerSpec& m = job_.model;
  const StageParams p = params_.stage(c, layers, first, last);
  const double shard_dense = static_cast<double>(c.dp) * c.cp;
  const double shard_expert = std::max(1.0, shard_dense / c.ep);
  const double copy_bytes = copy_bytes_;
  const double lowp_fraction = lowp_fraction_;

  MemoryBreakdown b;
  const bool shard_opt = c.sharding != Sharding::none;
  const bool shard_grad = c.sharding == Sharding::zero2 || c.sharding == Sharding::fsdp;
  const double params_full = p.dense + p.expert;
  const double params_shard = p.dense / shard_dense + p.expert / shard_expert;

  if (c.sharding == Sharding::fsdp) {
    // Weights live sharded; two layers are gathered at a time (the one computing, the one prefetched),
    // and so are their low-precision copies: FSDP gathers the FP8/FP4 weights, it caches none.
    const double per_layer = layers > 0 ? p.layer / layers : 0;
    b.weights = kWeightBytes * (params_shard + 2.0 * per_layer);
    b.weights += copy_bytes * lowp_fraction * 2.0 * per_layer;
  } else {
    b.weights = kWeightBytes * params_full;
    b.weights += copy_bytes * lowp_fraction * p.layer;
  }
  b.gradients = kGradBytes * (shard_grad ? params_shard : params_full);
  b.optimizer = kOptimizerBytes * (shard_opt ? params_shard : params_full);

  const int ls = layers;
  if (c.recompute == Recompute::full) {
    // Only each layer's input is stored (BF16, sequence-parallel), plus one layer's full set while
    // that layer is recomputed in the backward.
    const double tokens = static_cast<double>(c.micro_batch) * m.seq_len / c.cp;
    const double input = 2.0 * tokens * m.hidden / c.tp;
    b.activations = input * held_layers + (ls > 0 ? act_per_layer : 0.0);
  } else {
    b.activations = act_per_layer * held_layers;
  }
  if (last) {
    const double tokens = static_cast<double>(c.micro_batch) * m.seq_len / c.cp;
    b.logits = kLogitBytes * tokens * m.vocab / c.tp;
  }
  const double subtotal = b.weights + b.gradients + b.optimizer + b.activations + b.logits;
  b.workspace = kWorkspaceFixedBytes + kFragmentation * subtotal;
  return b;
}

// Microbatches (in units of whole stages' layers) whose activations pipeline rank `r` holds at its
// peak, following the schedules as Megatron-LM implements them (schedules.py):
//  - 1F1B: rank r runs p−r−1 warm-up forwards, then one more before its first backward: it holds
//    min(p − r, m) microbatches of its layers;
//  - interleaved 1F1B with v model chunks per rank: (p−r−1)·2 + (v−1)·p warm-up chunk-forwards, plus
//    one, capped at the m·v chunk-microbatches of the iteration; each chunk holds 1/v of the rank's
//    layers. For rank 0 this is p·(1 + (p−1)/(p·v)) microbatches, Korthikanti et al.'s §4.2.3 factor.
double inflight_microbatches(int pp, int vpp, int microbatches, int rank) {
  const int m = std::max(1, microbatches);
  if (pp <= 1) return 1.0;
  if (vpp <= 1) return std::min(pp - rank, m);
  const double chunks = std::min(2.0 * (pp - rank - 1) + (vpp - 1.0) * pp + 1.0, static_cast<double>(m) * vpp);
  return chunks / vpp;
}

// Layer-microbatches rank `rank` holds at its peak, chunk by chunk. Every chunk of a rank holds
// most/v layers, except where a rank has fewer layers than the fullest: rank 0 loses them from its
// first chunks, the last rank from its last (Llama 3 §3.3.2: "the first model chunk on the first
// stage has only the embedding, and the last model chunk on the last stage has only output
// projection and loss calculation"). Forwards run in Megatron-LM's order (schedules.py,
// get_schedule_table): groups of N = p microbatches (the last group takes the remainder), each
// group through chunk 0, 1, …, v−1; backwards in the same order with the chunks reversed. After W
// warm-up forwards each step runs one forward, then one backward; the peak is the largest sum of
// started-but-not-finished chunk-microbatches' layers. Allocation-free; the loop runs only for a
// rank with uneven chunks, and skips the whole N·v periods between the first group and the last.
double held_layer_microbatches(const StageLayers& sl, int pp, int vpp, int microbatches, int rank) {
  const int m = std::max(1, microbatches);
  if (pp <= 1) return sl.first;
  const bool first = rank == 0, last = rank == pp - 1;
  const double layers = first ? sl.first : last ? sl.last : sl.most;
  if (vpp <= 1) return std::min(pp - rank, m) * layers;
  const double full = static_cast<double>(sl.most) / vpp;
  const double deficit = sl.most - layers;
  auto chunk_layers = [&](int k) {
    const int pos = first ? k : vpp - 1 - k;  // the position counted from the end that loses layers
    return deficit <= 0 ? full : full - std::clamp(deficit - pos * full, 0.0, full);
  };
  const long long total = static_cast<long long>(m) * vpp;
  const long long warmup = std::min<long long>(2LL * (pp - rank - 1) + (vpp - 1LL) * pp, total);
  if (warmup >= total) return m * layers;  // every forward runs before the first backward
  if (deficit <= 0) return static_cast<double>(warmup + 1) * full;
  const long long n = pp;
  long long last_start = 0;  // the first microbatch of the last group
  while (last_start + n < m) last_start += n;
  const long long g_last = m - last_start;
  auto chunk_of = [&](long long j) -> int {  // chunk of the j-th forward in schedule order
    if (j < last_start * vpp) return static_cast<int>((j % (n * vpp)) / n);
    return static_cast<int>((j - last_start * vpp) / g_last);
  };
  double held = 0;
  for (long long j = 0; j <= warmup; ++j) held += chunk_layers(chunk_of(j));
  double peak = held;
  const long long steps = total - warmup - 1;
  const long long period = n * vpp;
  for (long long i = 0; i < steps; ++i) {
    if (i == period) {
      // From here on, while a whole period of forwards (and so of backwards, which trail them)
      // stays before the last group, a period adds each chunk N times and removes it N times:
      // skip whole periods, the sum unchanged.
      const long long room = last_start * vpp - (warmup + 1 + i) - period;
      if (room > 0) i += (room / period) * period;
      if (i >= steps) break;
    }
    held += chunk_layers(chunk_of(warmup + 1 + i)) - chunk_layers(vpp - 1 - chunk_of(i));
    peak = std::max(peak, held);
  }
  return peak;
}

double MemoryModel::held(const StageLayers& sl, int pp, int vpp, int microbatches, int rank) const {
  // pp, vpp and rank fit in 16 bits each (pp·vpp ≤ layers + 2); microbatches in the remaining 16+.
  const std::uint64_t key = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(microbatches)) << 48) ^
                            (static_cast<std::uint64_t>(pp & 0xffff) << 32) ^
                            (static_cast<std::uint64_t>(vpp & 0xffff) << 16) ^
                            static_cast<std::uint64_t>(rank & 0xffff);
  if (const auto it = held_memo_.find(key); it != held_memo_.end()) return it->second;
  const double h = held_layer_microbatches(sl, pp, vpp, microbatches, rank);
  held_memo_.emplace(key, h);
  return h;
}

MemoryBreakdown MemoryModel::per_gpu(const ParallelConfig& c) const {
  const StageLayers sl = stage_layers(job_.model.layers, c.pp);
  const double act = activation_bytes_per_layer(c);
  const int mbs = job_.microbatches(c);
  if (c.pp == 1) return stage_memory(c, sl.first, true, true, sl.first, act);
  // The candidates for the busiest GPU: rank 0 (embedding, most in flight), rank 1 (the first with
  // a full share of layers, two chunk-microbatches fewer in flight; every later middle rank holds
  // fewer still) and the last rank (head, logits).
  auto held_by = [&](int rank) { return held(sl, c.pp, c.vpp, mbs, rank); };
  const MemoryBreakdown first = stage_memory(c, sl.first, true, false, held_by(0), act);
  const MemoryBreakdown last = stage_memory(c, sl.last, false, true, held_by(c.pp - 1), act);
  const MemoryBreakdown mid = c.pp > 2 ? stage_memory(c, sl.most, false, false, held_by(1), act) : first;
  const MemoryBreakdown* worst = &first;
  if (last.total() > worst->total()) worst = &last;
  if (mid.total() > worst->total()) worst = &mid;
  return *worst;
}

const char* MemoryBreakdown::dominant_term() const {
  const std::array<std::pair<double, const char*>, 5> terms{{{weights, "weights"},
                                                             {gradients, "gradients"},
                                                             {optimizer, "optimizer"},
                                                             {activations, "activations"},
                                                             {logits, "logits"}}};
  const auto* best = &terms[0];
  for (const auto& t : terms)
    if (t.first > best->first) best = &t;
  return best->second;
}

double activation_bytes_per_layer(const TrainingJob& job, const ParallelConfig& c) {
  return MemoryModel(job).activation_bytes_per_layer(c);
}

MemoryBreakdown memory_per_gpu(const TrainingJob& job, const ParallelConfig& c) { return MemoryModel(job).per_gpu(c); }

MemoryVerdict check_memory(const TrainingJob& job, const ParallelConfig& c, double usable_bytes) {
  MemoryVerdict v;
  const MemoryBreakdown b = memory_per_gpu(job, c);
  v.required_bytes = b.total();
  v.usable_bytes = usable_bytes;
  v.dominant = b.dominant_term();
  v.fits = v.required_bytes <= usable_bytes;
  if (v.fits) return v;

  auto gb = [](double x) { return x / 1e9; };
  auto try_fix = [&](ParallelConfig alt, const std::string& what) {
    if (!v.hint.empty() || alt == c || !job.check(alt).empty()) return;
    const double need = memory_per_gpu(job, alt).total();
    if (need <= usable_bytes) v.hint = fmt::format("{} would need {:.1f} GB per GPU", what, gb(need));
  };
  ParallelConfig alt = c;
  if (c.recompute != Recompute::full) {
    alt.recompute = Recompute::full;
    try_fix(alt, "recompute=full");
  }
  alt = c;
  if (c.sharding != Sharding::fsdp && c.dp > 1) {
    alt.sharding = c.sharding == Sharding::none ? Sharding::zero1 : Sharding::fsdp;
    try_fix(alt, fmt::format("sharding={}", to_string(alt.sharding)));
  }
  if (c.micro_batch > 1) {
    alt = c;
    alt.micro_batch = 1;
    try_fix(alt, "micro_batch=1");
  }
  for (int f = 2; f <= 16 && v.hint.empty(); f *= 2) {
    alt = c;
    alt.pp = c.pp * f;
    alt.dp = std::max(1, c.dp / f);
    try_fix(alt, fmt::format("pp={} (dp={})", alt.pp, alt.dp));
    alt = c;
    alt.tp = c.tp * f;
    alt.dp = std::max(1, c.dp / f);
    try_fix(alt, fmt::format("tp={} (dp={})", alt.tp, alt.dp));
  }
  if (v.hint.empty())
    v.hint = fmt::format(
        "needs {:.1f} GB of {:.1f} GB usable; no nearby configuration fits: add GPUs "
        "or use a GPU with more HBM",
        gb(v.required_bytes), gb(usable_bytes));
  else
    v.hint = fmt::format("needs {:.1f} GB of {:.1f} GB usable ({} dominates); {}", gb(v.required_bytes),
                         gb(usable_bytes), v.dominant, v.hint);
  return v;
}

}  // namespace leasesim::workload
