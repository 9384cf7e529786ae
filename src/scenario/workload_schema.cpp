// The `model` and `job` blocks: transformer shapes (with model presets), training jobs with
// "auto" parallelism fields, token counts written as "15T", and the step-file loader.
#include "leasesim/scenario/workload_schema.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "leasesim/scenario/catalog.hpp"
#include "leasesim/scenario/hardware_schema.hpp"
#include "leasesim/scenario/json_text.hpp"
#include "leasesim/workload/model_presets.hpp"

namespace leasesim::scenario {

using units::Dimension;
using workload::TrainingJob;
using workload::TransformerSpec;

namespace {

// A large count written with a suffix: "15T" tokens, "2.5B", "40e12", or a plain number.
std::optional<double> parse_large_count(std::string_view s) {
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  double scale = 1;
  if (!s.empty()) {
    switch (s.back()) {
      case 'k':
      case 'K':
        scale = 1e3;
        break;
      case 'M':
        scale = 1e6;
        break;
      case 'B':
      case 'G':
        scale = 1e9;
        break;
      case 'T':
        scale = 1e12;
        break;
      case 'P':
        scale = 1e15;
        break;
      default:
        break;
    }
    if (scale > 1) s.remove_suffix(1);
  }
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty() || !std::isfinite(v)) return std::nullopt;
  return v * scale;
}

// An integer or "auto" (left to the auto-parallelism search).
template <class T>
void int_or_auto(Schema<T>& s, const std::string& key, std::optional<int> T::*member, Bounds b,
                 const std::string& doc) {
  s.custom(field_doc(key, "integer or \"auto\"", "8", "\"auto\"", doc),
           [=](T& out, const Json& v, const std::string& path, Diagnostics& d) {
             if (v.is_string() && v.get_ref<const std::string&>() == "auto") {
               out.*member = std::nullopt;
               return;
             }
             if (!v.is_number()) return d.expected(path, "an integer or \"auto\"", describe_found(v));
             if (auto x = read_integer(v, path, b, d)) out.*member = static_cast<int>(*x);
           });
}

// A choice at job level stored in the parallelism request, or "auto".
template <class E>
void job_choice_or_auto(Schema<TrainingJob>& s, const std::string& key,
                        std::optional<E> workload::ParallelismRequest::*member,
                        std::vector<std::pair<std::string, E>> table, const std::string& doc) {
  FieldDoc f = field_doc(key, "one of", "\"auto\"", "\"auto\"", doc);
  for (const auto& [n, _] : table) f.choices.push_back(n);
  f.choices.push_back("auto");
  s.custom(f, [=, names = f.choices](TrainingJob& out, const Json& v, const std::string& path, Diagnostics& d) {
    if (auto name = read_choice(v, path, names, d)) {
      out.parallelism.*member = std::nullopt;
      for (const auto& [n, e] : table)
        if (n == *name) out.parallelism.*member = e;
    }
  });
}

Schema<workload::ParallelismRequest> parallelism_schema() {
  using P = workload::ParallelismRequest;
  Schema<P> s("parallelism", "Parallel degrees; any field may be \"auto\" (or the whole block).");
  int_or_auto(s, "tp", &P::tp, Bounds::at_least(1, 1024), "Tensor parallel (with sequence parallelism).");
  int_or_auto(s, "pp", &P::pp, Bounds::at_least(1, 1024), "Pipeline stages.");
  int_or_auto(s, "dp", &P::dp, Bounds::at_least(1, 10'000'000), "Data-parallel replicas.");
  int_or_auto(s, "cp", &P::cp, Bounds::at_least(1, 1024), "Context parallel (sequence split).");
  int_or_auto(s, "ep", &P::ep, Bounds::at_least(1, 4096), "Expert parallel (inside the DP ranks).");
  int_or_auto(s, "vpp", &P::vpp, Bounds::at_least(1, 64), "Virtual pipeline stages per GPU (interleaved 1F1B).");
  return s;
}

}  // namespace

std::optional<double> read_large_count(const Json& v, const std::string& path, const Bounds& b, Diagnostics& d) {
  std::optional<double> x;
  if (v.is_number())
    x = v.get<double>();
  else if (v.is_string())
    x = parse_large_count(v.get_ref<const std::string&>());
  if (!x || !std::isfinite(*x)) {
    d.expected(path, "a count (e.g. 15e12 or \"15T\")", describe_found(v));
    return std::nullopt;
  }
  if (!b.contains(*x)) {
    d.expected(path, describe_bounds(Dimension::count, b), describe_found(v));
    return std::nullopt;
  }
  return x;
}

Schema<TransformerSpec> model_schema() {
  using M = TransformerSpec;
  const Need need = Need::required;
  Schema<M> s("model", "A decoder-only transformer, dense or mixture-of-experts; or a model preset name.");
  s.text("name", &M::name, "Name used in reports.")
      .integer("layers", &M::layers, Bounds::at_least(1, 10'000), "Transformer layers.", need)
      .example(R"(126)")
      .integer("hidden", &M::hidden, Bounds::at_least(1, 1'000'000), "Model width h.", need)
      .example(R"(16384)")
      .integer("heads", &M::heads, Bounds::at_least(1, 10'000), "Attention (query) heads.", need)
      .example(R"(128)")
      .integer("kv_heads", &M::kv_heads, Bounds::at_least(0, 10'000), "Key/value heads (GQA); 0 = heads.")
      .example(R"(8)")
      .integer("head_dim", &M::head_dim, Bounds::at_least(0, 100'000), "Head dimension; 0 = hidden / heads.")
      .example(R"(128)")
      .integer("ffn_hidden", &M::ffn_hidden, Bounds::at_least(0, 10'000'000), "Dense FFN width; 0 = 4·hidden.")
      .example(R"(53248)")
      .integer("vocab", &M::vocab, Bounds::at_least(1, 100'000'000), "Vocabulary size.", need)
      .example(R"(128256)")
      .integer("seq_len", &M::seq_len, Bounds::at_least(1, 100'000'000), "Sequence length in tokens.", need)
      .example(R"(8192)")
      .boolean("gated", &M::gated, "SwiGLU/GeGLU FFN (three matrices).")
      .boolean("biases", &M::biases, "Linear biases and LayerNorm (GPT/Megatron style).")
      .boolean("learned_position_embeddings", &M::learned_position_embeddings, "GPT-style position table.")
      .boolean("tied_embeddings", &M::tied_embeddings, "Output head shares the input embedding.")
      .boolean("dropout", &M::dropout, "Dropout masks stored as activations.")
      .integer("experts", &M::experts, Bounds::at_least(0, 100'000), "Routed experts per MoE layer (0 = dense).")
      .example(R"(256)")
      .integer("top_k", &M::top_k, Bounds::at_least(0, 1024), "Routed experts per token.")
      .example(R"(8)")
      .integer("expert_ffn_hidden", &M::expert_ffn_hidden, Bounds::at_least(0, 10'000'000),
               "Width of one expert; 0 = ffn_hidden.")
      .example(R"(2048)")
      .integer("shared_experts", &M::shared_experts, Bounds::at_least(0, 1024), "Always-active experts per MoE layer.")
      .example(R"(1)")
      .integer("moe_layer_every", &M::moe_layer_every, Bounds::at_least(1, 10'000), "Every k-th layer is MoE.")
      .example(R"(1)")
      .integer("first_dense_layers", &M::first_dense_layers, Bounds::at_least(0, 10'000),
               "Leading dense layers before the first MoE layer.")
      .example(R"(3)")
      .text("source", &M::source, "Where the configuration comes from.");
  s.check([](M& m, const Json&, const std::string& path, Diagnostics& d) {
    if (auto why = m.validate(); !why.empty()) d.error(path, "inconsistent model: " + why);
  });
  s.presets([](const std::string& n) { return workload::find_model_preset(n); }, workload::model_preset_names());
  return s;
}

Schema<TrainingJob> job_schema() {
  using J = TrainingJob;
  const auto parallelism = parallelism_schema();
  Schema<J> s("job", "A training job: model, tokens, batch, precision and parallelism.");
  s.text("name", &J::name, "Name used in reports.")
      .block("model", &J::model, model_schema(), "A model preset name or a model block.", Need::required)
      .custom(field_doc("tokens", "count", "\"15T\"", "0", "Tokens to train (for the time to train)."),
              [](J& j, const Json& v, const std::string& path, Diagnostics& d) {
                if (auto x = read_large_count(v, path, Bounds::at_least(0, 1e18), d)) j.tokens = *x;
              })
      .integer("global_batch", &J::global_batch, Bounds::at_least(1, 100'000'000),
               "Sequences per iteration (or give global_batch_tokens).")
      .example(R"(2048)")
      .custom(field_doc("global_batch_tokens", "count", "\"16M\"", "", "Tokens per iteration; a multiple of seq_len."),
              [](J&, const Json&, const std::string&, Diagnostics&) {})  // resolved in the check below
      .custom(field_doc("micro_batch", "integer or \"auto\"", "1", "\"auto\"", "Sequences per microbatch."),
              [](J& j, const Json& v, const std::string& path, Diagnostics& d) {
                if (v.is_string() && v.get_ref<const std::string&>() == "auto") return;
                if (!v.is_number()) return d.expected(path, "an integer or \"auto\"", describe_found(v));
                if (auto x = read_integer(v, path, Bounds::at_least(1, 65536), d))
                  j.parallelism.micro_batch = static_cast<int>(*x);
              })
      .custom(holding(field_doc("parallelism", "block or \"auto\"", "{\"tp\": 8, \"pp\": \"auto\"}", "\"auto\"",
                                "Parallel degrees tp, pp, dp, cp, ep, vpp; any may be \"auto\"."),
                      parallelism),
              [p = parallelism](J& j, const Json& v, const std::string& path, Diagnostics& d) {
                if (v.is_string() && v.get_ref<const std::string&>() == "auto") return;
                p.read(v, path, j.parallelism, d);
              })
      .choice("precision", &J::precision,
              {{"bf16", hw::Precision::bf16}, {"fp8", hw::Precision::fp8}, {"fp4", hw::Precision::fp4}},
              "Precision of the linear-layer GEMMs; attention, norms, embedding and head stay BF16.")
      .custom(field_doc("bf16_layers", "integer, fraction or percentage", "4", "fp4: 4 (NeMo), else 0",
                        "Transformer layers kept in BF16: a count (4) or a fraction (0.16 or \"16%\")."),
              [](J& j, const Json& v, const std::string& path, Diagnostics& d) {
                if (v.is_number_integer() || v.is_number_unsigned()) {
                  if (auto n = read_integer(v, path, Bounds::at_least(0, 10'000), d))
                    j.bf16_layers = workload::Bf16Layers::count(static_cast<int>(*n));
                } else if (auto f = read_quantity(v, path, Dimension::fraction, Bounds::at_least(0, 1), d)) {
                  j.bf16_layers = workload::Bf16Layers::fraction(*f);
                }
              })
      .integer("gpus", &J::gpus, Bounds::at_least(1, 10'000'000), "GPUs the job may use; default: all schedulable.")
      .example(R"(16384)")
      .boolean("flash_attention", &J::flash_attention, "Fused attention (no s×s score matrix stored).")
      .choice("cp_comm", &J::cp_comm, {{"ring", workload::CpComm::ring}, {"all_gather", workload::CpComm::all_gather}},
              "How context-parallel ranks exchange K/V: ring attention overlapped step by step, or Llama 3's "
              "all-gather of K and V per layer (backward: reduce-scatter of dK/dV), exposed.");
  using workload::Recompute;
  using workload::Sharding;
  job_choice_or_auto<Sharding>(
      s, "sharding", &workload::ParallelismRequest::sharding,
      {{"none", Sharding::none}, {"zero1", Sharding::zero1}, {"zero2", Sharding::zero2}, {"fsdp", Sharding::fsdp}},
      "How optimizer states, gradients and weights split over data-parallel ranks.");
  job_choice_or_auto<Recompute>(
      s, "recompute", &workload::ParallelismRequest::recompute,
      {{"none", Recompute::none}, {"selective", Recompute::selective}, {"full", Recompute::full}},
      "Activation recomputation.");
  s.check([](J& j, const Json& v, const std::string& path, Diagnostics& d) {
    if (!v.is_object()) return;
    const bool has_seqs = v.contains("global_batch"), has_tokens = v.contains("global_batch_tokens");
    if (has_seqs == has_tokens) {
      return d.expected(path, "exactly one of \"global_batch\" (sequences) or \"global_batch_tokens\"",
                        has_seqs ? "both" : "neither");
    }
    if (has_tokens && j.model.seq_len > 0) {
      const auto tokens = read_large_count(v["global_batch_tokens"], pointer_join(path, "global_batch_tokens"),
                                           Bounds::positive(1e15), d);
      if (!tokens) return;
      const double seqs = *tokens / j.model.seq_len;
      if (std::abs(seqs - std::round(seqs)) > 1e-9 || seqs < 1) {
        return d.expected(pointer_join(path, "global_batch_tokens"),
                          fmt::format("a multiple of the model's seq_len ({})", j.model.seq_len),
                          describe_found(v["global_batch_tokens"]));
      }
      j.global_batch = static_cast<int>(std::lround(seqs));
    }
    if (j.precision != hw::Precision::bf16 && !v.contains("bf16_layers")) j.bf16_layers.reset();
    if (j.name.empty()) j.name = j.model.name;
  });
  return s;
}

void check_precision_supported(const TrainingJob& job, const hw::GpuSpec& gpu, const std::string& path,
                               Diagnostics& d) {
  if (gpu.dense_flops(job.precision) > 0) return;
  std::string supported;
  for (const auto p : {hw::Precision::bf16, hw::Precision::fp8, hw::Precision::fp4}) {
    if (gpu.dense_flops(p) > 0) supported += (supported.empty() ? "" : ", ") + std::string(hw::to_string(p));
  }
  d.expected(path,
             fmt::format("a precision the {} GPU supports ({})", gpu.name, supported.empty() ? "none" : supported),
             fmt::format("\"{}\"", hw::to_string(job.precision)));
}

namespace {

Schema<StepFile> make_step_file_schema() {
  const Catalog& catalog = Catalog::builtin();
  Schema<StepFile> s("step file", "One job on one cluster, for `leasesim step`.");
  s.block("cluster", &StepFile::cluster, cluster_schema(catalog), "The cluster.", Need::required)
      .block("job", &StepFile::job, job_schema(), "The training job.", Need::required);
  s.check([](StepFile& f, const Json&, const std::string&, Diagnostics& d) {
    if (f.job.gpus > f.cluster.schedulable_gpus()) {
      d.expected("/job/gpus", fmt::format("at most the cluster's {} schedulable GPUs", f.cluster.schedulable_gpus()),
                 std::to_string(f.job.gpus));
    }
    check_precision_supported(f.job, f.cluster.rack.gpu, "/job/precision", d);
  });
  return s;
}

}  // namespace

const Schema<StepFile>& step_file_schema() {
  static const Schema<StepFile> schema = make_step_file_schema();
  return schema;
}

StepLoadResult load_step_file(const std::string& path) {
  StepLoadResult result{std::nullopt, Diagnostics(path)};
  auto doc = read_json_file(path, result.diagnostics);
  if (!doc) return result;
  StepFile f;
  step_file_schema().read(*doc, "", f, result.diagnostics);
  if (result.diagnostics.ok()) result.step = std::move(f);
  return result;
}

}  // namespace leasesim::scenario
