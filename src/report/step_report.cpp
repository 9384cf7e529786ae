// Renders a priced training iteration as terminal text, JSON (one object) and CSV.
#include "leasesim/report/step_report.hpp"

#include <fmt/format.h>

#include <cctype>

#include "leasesim/report/format.hpp"
#include "leasesim/report/table.hpp"
#include "leasesim/units/quantity.hpp"

namespace leasesim::report {

namespace {

nlohmann::json parallelism_json(const workload::ParallelConfig& c) {
  return {{"tp", c.tp},
          {"pp", c.pp},
          {"dp", c.dp},
          {"cp", c.cp},
          {"ep", c.ep},
          {"vpp", c.vpp},
          {"micro_batch", c.micro_batch},
          {"recompute", workload::to_string(c.recompute)},
          {"sharding", workload::to_string(c.sharding)}};
}

std::string parallelism_text(const workload::ParallelConfig& c) {
  return fmt::format("TP{} PP{} DP{} CP{} EP{} VPP{} mb{} recompute={} sharding={}", c.tp, c.pp, c.dp, c.cp, c.ep,
                     c.vpp, c.micro_batch, workload::to_string(c.recompute), workload::to_string(c.sharding));
}

// "TP4 PP9 DP256 CP2 EP1 VPP8 mb1": the split alone (the terminal table's recompute and sharding
// columns say the rest).
std::string split_text(const workload::ParallelConfig& c) {
  return fmt::format("TP{} PP{} DP{} CP{} EP{} VPP{} mb{}", c.tp, c.pp, c.dp, c.cp, c.ep, c.vpp, c.micro_batch);
}

// "FP8" for fp8: peaks are named in capitals in table headers.
std::string precision_upper(hw::Precision p) {
  std::string s = hw::to_string(p);
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

Table configurations_table(const StepReport& r) {
  // MFU over the dense peak of the job's own precision, so never above 100%; the BF16-peak figure
  // is the JSON's "mfu".
  Table t({{"rank", "#", true},
           {"parallelism", "parallelism", false},
           {"gpus", "GPUs", true},
           {"step_time_s", "step s", true},
           {"tokens_per_s", "tokens/s", true},
           {"model_tflops_per_gpu", "model TFLOP/s/GPU", true},
           {"mfu_at_precision", "MFU (" + precision_upper(r.job.precision) + " peak)", true},
           {"memory_per_gpu_gb", "memory/GPU GB", true},
           {"time_to_train_days", "time to train (days)", true}},
          "Configurations (fastest first)");
  std::vector<const perf::StepResult*> all{&r.result};
  for (const auto& x : r.runners_up) all.push_back(&x);
  int rank = 1;
  for (const auto* x : all) {
    t.add_row({integer(rank++), parallelism_text(x->parallelism), integer(x->gpus_used), number(x->step_time_s, 3),
               number(x->tokens_per_s, 0), number(x->model_tflops_per_gpu, 1), number(x->mfu_at_precision, 3),
               number(x->memory_per_gpu.total() / 1e9, 1), number(x->time_to_train_s / units::seconds_per_day, 1)});
  }
  return t;
}

// The same configurations for a terminal: numbers for people, recompute and sharding in their
// own columns (left out first when the table is too wide).
Table configurations_text_table(const StepReport& r) {
  Table t({{"rank", "#", true},
           {"parallelism", "parallelism", false},
           {"recompute", "recompute", false, 2},
           {"sharding", "sharding", false, 3},
           {"gpus", "GPUs", true},
           {"step_time_s", "step s", true},
           {"tokens_per_s", "tokens/s", true},
           {"model_tflops_per_gpu", "TFLOP/s/GPU", true, 1},
           {"mfu_at_precision", "MFU (" + precision_upper(r.job.precision) + " peak)", true},
           {"memory_per_gpu_gb", "memory/GPU GB", true},
           {"time_to_train", "time to train", true}},
          "Configurations (fastest first; TFLOP/s/GPU: model FLOP/s, no recompute)");
  std::vector<const perf::StepResult*> all{&r.result};
  for (const auto& x : r.runners_up) all.push_back(&x);
  int rank = 1;
  for (const auto* x : all) {
    t.add_row({integer(rank++), split_text(x->parallelism), workload::to_string(x->parallelism.recompute),
               workload::to_string(x->parallelism.sharding), integer(x->gpus_used), number(x->step_time_s, 3),
               number(x->tokens_per_s, 0), number(x->model_tflops_per_gpu, 1),
               percentage(x->mfu_at_precision, 1, x->mfu_at_precision), number(x->memory_per_gpu.total() / 1e9, 1),
               Cell(duration(x->time_to_train_s), x->time_to_train_s)});
  }
  return t;
}

}  // namespace

nlohmann::json step_json(const StepReport& r) {
  const auto& x = r.result;
  const auto& b = x.breakdown_s;
  const auto& m = x.memory_per_gpu;
  nlohmann::json j = {
      {"job", r.job.name},
      {"model", r.job.model.name},
      {"precision", hw::to_string(r.job.precision)},
      {"gpu", r.cluster.rack.gpu.name},
      {"fidelity", std::string(perf::fidelity_name(r.fidelity))},
      {"gpus_used", x.gpus_used},
      {"parallelism", parallelism_json(x.parallelism)},
      {"microbatches", x.microbatches},
      {"global_batch_sequences", r.job.global_batch},
      {"step_time_s", x.step_time_s},
      {"tokens_per_s", x.tokens_per_s},
      {"tokens_per_s_p10", x.tokens_per_s * x.band.p10},
      {"tokens_per_s_p90", x.tokens_per_s * x.band.p90},
      {"throughput_band", {{"p10", x.band.p10}, {"p90", x.band.p90}, {"basis", perf::band_basis(x.band)}}},
      {"tflops_per_gpu", x.tflops_per_gpu},
      {"model_tflops_per_gpu", x.model_tflops_per_gpu},
      {"mfu", x.mfu},
      {"mfu_at_precision", x.mfu_at_precision},
      {"bubble_fraction", x.bubble_fraction},
      {"breakdown_s",
       {{"compute", b.compute},
        {"recompute", b.recompute},
        {"tp_exposed", b.tp_exposed},
        {"cp_exposed", b.cp_exposed},
        {"ep_exposed", b.ep_exposed},
        {"pp_exposed", b.pp_exposed},
        {"dp_exposed", b.dp_exposed},
        {"bubble", b.bubble},
        {"optimizer", b.optimizer}}},
      {"memory_per_gpu_bytes", m.total()},
      {"memory_breakdown_bytes",
       {{"weights", m.weights},
        {"gradients", m.gradients},
        {"optimizer", m.optimizer},
        {"activations", m.activations},
        {"logits", m.logits},
        {"workspace", m.workspace}}},
      {"usable_hbm_bytes", x.usable_hbm_bytes},
      {"fits", x.fits},
      {"tokens", r.job.tokens},
      {"time_to_train_s", x.time_to_train_s},
  };
  if (!r.memory_hint.empty()) j["memory_hint"] = r.memory_hint;
  if (!r.runners_up.empty()) {
    auto arr = nlohmann::json::array();
    for (const auto& y : r.runners_up) {
      arr.push_back({{"parallelism", parallelism_json(y.parallelism)},
                     {"gpus_used", y.gpus_used},
                     {"step_time_s", y.step_time_s},
                     {"tokens_per_s", y.tokens_per_s},
                     {"mfu", y.mfu},
                     {"mfu_at_precision", y.mfu_at_precision},
                     {"memory_per_gpu_bytes", y.memory_per_gpu.total()}});
    }
    j["runners_up"] = arr;
  }
  return j;
}

std::string step_text(const StepReport& r, Layout layout) {
  const auto& x = r.result;
  const auto& b = x.breakdown_s;
  const auto& m = x.memory_per_gpu;
  std::string out = wrap(fmt::format("{} — {} in {} on {} x {} ({} fidelity)", r.job.name, r.job.model.name,
                                     hw::to_string(r.job.precision), grouped(static_cast<long long>(x.gpus_used)),
                                     r.cluster.rack.gpu.name, perf::fidelity_name(r.fidelity)),
                         terminal_width, "  ");
  out += wrap(fmt::format("parallelism: {}   microbatches/iteration: {}   bubble: {:.1f}%",
                          parallelism_text(x.parallelism), x.microbatches, 100 * x.bubble_fraction),
              terminal_width, "  ") +
         "\n";

  Table time({{"part", "step time part", false}, {"seconds", "s", true}, {"share", "share", true}}, "Step time");
  const auto add = [&](const char* name, double s) {
    const double share = x.step_time_s > 0 ? s / x.step_time_s : 0;
    time.add_row({name, number(s, 4), percentage(share, 1, 100 * share)});
  };
  add("compute (incl. recompute)", b.compute);
  add("  of which recompute", b.recompute);
  add("TP exposed", b.tp_exposed);
  add("CP exposed", b.cp_exposed);
  add("EP exposed", b.ep_exposed);
  add("PP exposed", b.pp_exposed);
  add("DP exposed", b.dp_exposed);
  add("pipeline bubble", b.bubble);
  add("optimizer", b.optimizer);
  add("total", x.step_time_s);
  out += time.to_text(layout) + "\n";

  Table thr({{"metric", "throughput", false}, {"value", "value", true}, {"unit", "unit", false}}, "Throughput");
  thr.add_row({"tokens per second", number(x.tokens_per_s, 0), "tokens/s"});
  thr.add_row({"  P10 (model uncertainty)", number(x.tokens_per_s * x.band.p10, 0), "tokens/s"});
  thr.add_row({"  P90 (model uncertainty)", number(x.tokens_per_s * x.band.p90, 0), "tokens/s"});
  thr.add_row({"hardware FLOP/s per GPU (incl. recompute)", number(x.tflops_per_gpu, 1), "TFLOP/s"});
  thr.add_row({"model FLOP/s per GPU (no recompute)", number(x.model_tflops_per_gpu, 1), "TFLOP/s"});
  // Against the peak of the job's own precision (an FP8 job's BF16-peak MFU can pass 100%: it is
  // the JSON's "mfu").
  thr.add_row({fmt::format("MFU vs {} dense peak (the job's precision)", precision_upper(r.job.precision)),
               number(100 * x.mfu_at_precision, 1), "%"});
  if (r.job.tokens > 0) {
    thr.add_row({fmt::format("time to train {} tokens", compact_count(r.job.tokens)),
                 number(x.time_to_train_s / units::seconds_per_day, 1), "days"});
  }
  out += thr.to_text(layout);
  out += wrap(fmt::format("throughput band P10-P90: x{:.2f} to x{:.2f} of the modelled rate ({})", x.band.p10,
                          x.band.p90, perf::band_basis(x.band)),
              terminal_width, "  ") +
         "\n";

  Table mem({{"term", "memory per GPU", false}, {"gb", "GB", true}}, "Memory (busiest GPU)");
  mem.add_row({"weights", number(m.weights / 1e9, 1)});
  mem.add_row({"gradients", number(m.gradients / 1e9, 1)});
  mem.add_row({"optimizer states", number(m.optimizer / 1e9, 1)});
  mem.add_row({"activations", number(m.activations / 1e9, 1)});
  mem.add_row({"logits", number(m.logits / 1e9, 1)});
  mem.add_row({"workspace", number(m.workspace / 1e9, 1)});
  mem.add_row({"total", number(m.total() / 1e9, 1)});
  mem.add_row({"usable HBM", number(x.usable_hbm_bytes / 1e9, 1)});
  out += mem.to_text(layout);
  out += x.fits                  ? "fits: yes\n"
         : r.memory_hint.empty() ? fmt::format("fits: NO — {} dominates\n", m.dominant_term())
                                 : fmt::format("fits: NO — {}\n", r.memory_hint);  // the hint names what dominates
  if (!r.runners_up.empty()) out += "\n" + configurations_text_table(r).to_text(layout);
  return out;
}

std::string step_csv(const StepReport& r) { return configurations_table(r).to_csv(); }

}  // namespace leasesim::report
