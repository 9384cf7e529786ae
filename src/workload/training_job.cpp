// Names of the job enums, the BF16-layer recipe, and the structural checks of a parallel
// configuration against a job (divisibility rules of Megatron-LM).
#include "leasesim/workload/training_job.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace leasesim::workload {

const char* to_string(Sharding s) {
  switch (s) {
    case Sharding::none:
      return "none";
    case Sharding::zero1:
      return "zero1";
    case Sharding::zero2:
      return "zero2";
    case Sharding::fsdp:
      return "fsdp";
  }
  return "?";
}

const char* to_string(Recompute r) {
  switch (r) {
    case Recompute::none:
      return "none";
    case Recompute::selective:
      return "selective";
    case Recompute::full:
      return "full";
  }
  return "?";
}

std::optional<Sharding> parse_sharding(std::string_view t) {
  if (t == "none") return Sharding::none;
  if (t == "zero1") return Sharding::zero1;
  if (t == "zero2") return Sharding::zero2;
  if (t == "fsdp") return Sharding::fsdp;
  return std::nullopt;
}

std::optional<Recompute> parse_recompute(std::string_view t) {
  if (t == "none") return Recompute::none;
  if (t == "selective") return Recompute::selective;
  if (t == "full") return Recompute::full;
  return std::nullopt;
}

std::optional<hw::Precision> parse_precision(std::string_view t) {
  if (t == "bf16") return hw::Precision::bf16;
  if (t == "fp8") return hw::Precision::fp8;
  if (t == "fp4") return hw::Precision::fp4;
  return std::nullopt;
}

ParallelConfig ParallelismRequest::resolved() const {
  ParallelConfig c;
  c.tp = tp.value_or(1);
  c.pp = pp.value_or(1);
  c.dp = dp.value_or(1);
  c.cp = cp.value_or(1);
  c.ep = ep.value_or(1);
  c.vpp = vpp.value_or(1);
  c.micro_batch = micro_batch.value_or(1);
  c.recompute = recompute.value_or(Recompute::none);
  c.sharding = sharding.value_or(Sharding::none);
  return c;
}

StageLayers stage_layers(int layers, int pp) {
  if (pp <= 1) return {layers, layers, layers};
  const int base = layers / pp, rem = layers % pp;
  const int spill = std::max(0, rem - (pp - 2));  // remainder the middle stages cannot take
  StageLayers s;
  s.first = base + (spill >= 1 ? 1 : 0);
  s.last = base + (spill >= 2 ? 1 : 0);
  s.most = base + (rem > 0 ? 1 : 0);
  return s;
}

Bf16Layers TrainingJob::default_bf16_layers(hw::Precision p) {
  return p == hw::Precision::fp4 ? Bf16Layers::count(4) : Bf16Layers::count(0);
}

int TrainingJob::bf16_layer_count() const {
  const int l = model.layers;
  if (precision == hw::Precision::bf16) return l;
  const Bf16Layers b = bf16_layers.value_or(default_bf16_layers(precision));
  const double n = b.is_fraction ? std::ceil(b.value * l - 1e-9) : b.value;
  return std::clamp(static_cast<int>(n), 0, l);
}

int TrainingJob::microbatches(const ParallelConfig& c) const {
  const long long per_step = static_cast<long long>(c.dp) * c.micro_batch;
  if (per_step <= 0 || global_batch % per_step != 0) return 0;
  return static_cast<int>(global_batch / per_step);
}

std::string TrainingJob::check(const ParallelConfig& c) const {
  const TransformerSpec& m = model;
  if (c.tp < 1 || c.pp < 1 || c.dp < 1 || c.cp < 1 || c.ep < 1 || c.vpp < 1 || c.micro_batch < 1)
    return "every parallelism degree and the micro batch must be at least 1";
  if (gpus > 0 && c.gpus() > gpus) return fmt::format("tp·cp·pp·dp = {} GPUs but the job has {}", c.gpus(), gpus);
  if (m.heads % c.tp != 0) return fmt::format("tp {} must divide the {} attention heads", c.tp, m.heads);
  if (m.seq_len % c.cp != 0) return fmt::format("cp {} must divide seq_len {}", c.cp, m.seq_len);
  if (c.pp > m.layers) return fmt::format("pp {} exceeds the {} layers", c.pp, m.layers);
  if (c.vpp > 1 && c.pp == 1) return "vpp > 1 needs pp > 1";
  if (!virtual_stages_fit(m.layers, c.pp, c.vpp))
    return fmt::format(
        "pp·vpp = {} exceeds the {} layers + 2 (a first chunk holding only the embedding, a last only the head)",
        c.pp * c.vpp, m.layers);
  if (c.ep > 1 && !m.is_moe()) return "ep > 1 needs a mixture-of-experts model";
  if (c.ep > 1 && m.experts % c.ep != 0) return fmt::format("ep {} must divide {} experts", c.ep, m.experts);
  if (c.dp % c.ep != 0) return fmt::format("ep {} must divide dp {}", c.ep, c.dp);
  const int mbs = microbatches(c);
  if (mbs == 0)
    return fmt::format("global batch {} is not a multiple of dp·micro_batch = {}", global_batch,
                       static_cast<long long>(c.dp) * c.micro_batch);
  // Interleaving with fewer microbatches than stages is allowed (Llama 3's schedule runs it; the
  // step model prices the rounds it then waits for: docs/performance-model.md, "Deep pipelines").
  return {};
}

}  // namespace leasesim::workload
