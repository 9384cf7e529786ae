// The three published calibration points (docs/references.md, "Calibration points"), each run with its
// published configuration and ONE set of model constants (ModelConstants::fitted()): the achieved
// TFLOP/s per GPU must land within ±10% of the published figure.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "leasesim/perf/step_model.hpp"
#include "leasesim/scenario/workload_schema.hpp"
#include "perf_fixtures.hpp"

using namespace leasesim;
using workload::Recompute;
using workload::Sharding;

namespace {

void report(const char* name, const perf::StepResult& r, double published) {
  const auto& b = r.breakdown_s;
  WARN(name << ": " << r.tflops_per_gpu << " TFLOP/s per GPU (published " << published << ", ratio "
            << r.tflops_per_gpu / published << "), step " << r.step_time_s << " s = compute " << b.compute << " + tp "
            << b.tp_exposed << " + pp " << b.pp_exposed << " + dp " << b.dp_exposed << " + bubble " << b.bubble
            << " + opt " << b.optimizer << "; model TFLOP/s " << r.model_tflops_per_gpu << ", MFU " << r.mfu
            << ", memory " << r.memory_per_gpu.total() / 1e9 << " GB (fits " << r.fits << ")");
}

}  // namespace

TEST_CASE("megatron-1.7b on 32 A100 reaches the published 137 TFLOP/s per GPU within 10%", "[perf][calibration]") {
  const hw::ClusterSpec cluster = test::cluster_of("dgx-a100-80gb", 4);
  workload::TrainingJob job = test::job_of("megatron-1.7b", 512, 32);
  job.flash_attention = false;  // Megatron-LM SC'21 predates FlashAttention
  perf::AnalyticalStepModel model;
  const perf::StepResult r = model.evaluate(cluster, job, test::config(1, 1, 32, 16, Recompute::full, Sharding::none));
  REQUIRE(r.ok());
  report("megatron-1.7b", r, 137);
  CHECK(r.fits);
  CHECK(r.tflops_per_gpu == Approx(137).epsilon(0.10));
}

TEST_CASE("megatron-1t on 3072 A100 reaches the published 163 TFLOP/s per GPU within 10%", "[perf][calibration]") {
  const hw::ClusterSpec cluster = test::cluster_of("dgx-a100-80gb", 384);
  workload::TrainingJob job = test::job_of("megatron-1t", 3072, 3072);
  job.flash_attention = false;
  perf::AnalyticalStepModel model;
  const perf::StepResult r = model.evaluate(cluster, job, test::config(8, 64, 6, 1, Recompute::full, Sharding::none));
  REQUIRE(r.ok());
  report("megatron-1t", r, 163);
  CHECK(r.fits);
  CHECK(r.tflops_per_gpu == Approx(163).epsilon(0.10));
}

TEST_CASE("llama3-405b on 8192 H100 reaches the published 430 TFLOP/s per GPU within 10%", "[perf][calibration]") {
  // Meta's RoCE fabric is modelled as InfiniBand-equivalent (effective factor 1.0): Meta tuned it to
  // line rate for collectives (Llama 3 paper, §3.3.1); see docs/performance-model.md.
  const hw::ClusterSpec cluster = test::cluster_of("dgx-h100", 1024);
  workload::TrainingJob job = test::job_of("llama3-405b", 64 * 32, 8192);
  perf::AnalyticalStepModel model;
  // TP8 CP1 PP16 DP64, interleaved pipeline, micro batch 1, no recompute. The number of virtual
  // stages is not published; the paper's pipeline figure (fig. 6) interleaves two stages per rank. Meta's FSDP shards
  // the optimizer and the gradients and keeps the parameters gathered (no reshard after forward, Llama 3 §3.3.2): a
  // gradient reduce-scatter per microbatch and one parameter all-gather per iteration = our zero2.
  const perf::StepResult r =
      model.evaluate(cluster, job, test::config(8, 16, 64, 1, Recompute::none, Sharding::zero2, 1, 2));
  REQUIRE(r.ok());
  report("llama3-405b", r, 430);
  CHECK(r.tflops_per_gpu == Approx(430).epsilon(0.10));
  CHECK(r.mfu == Approx(0.43).epsilon(0.10));
}

namespace {

scenario::StepFile load_calibration(const std::string& name) {
  const auto loaded = scenario::load_step_file(std::string(LEASESIM_SOURCE_DIR) + "/scenarios/calibration/" + name);
  INFO(loaded.diagnostics.format());
  REQUIRE(loaded.step);
  return *loaded.step;
}

perf::StepResult evaluate_file(const scenario::StepFile& f, hw::Precision precision) {
  workload::TrainingJob job = f.job;
  job.precision = precision;
  perf::AnalyticalStepModel model;
  const perf::StepResult r = model.evaluate(f.cluster, job, job.parallelism.resolved());
  INFO(r.error);
  REQUIRE(r.ok());
  return r;
}

}  // namespace

TEST_CASE("every calibration case's published configuration fits its GPU's memory, but one stated exception",
          "[perf][calibration][memory]") {
  // Every file under scenarios/calibration/ (a new one is checked without being listed here). The
  // one exception is Llama 3 405B at 8,192 GPUs, whose gap is stated in docs/assumptions.md (limit
  // 2) and pinned by the next test; a second file that does not fit fails here.
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(std::string(LEASESIM_SOURCE_DIR) + "/scenarios/calibration"))
    if (e.path().extension() == ".json") names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  REQUIRE(names.size() >= 7);
  for (const std::string& name : names) {
    const scenario::StepFile f = load_calibration(name);
    REQUIRE(f.job.parallelism.complete());
    const perf::StepResult r = evaluate_file(f, f.job.precision);
    INFO(name << ": " << r.memory_per_gpu.total() / 1e9 << " GB of " << r.usable_hbm_bytes / 1e9 << " GB usable");
    if (name == "llama3-405b-8k.json") {
      CHECK_FALSE(r.fits);
      continue;
    }
    CHECK(r.fits);
    // …and its BF16 baseline too (the published gains are measured against it on the same setup).
    CHECK(evaluate_file(f, hw::Precision::bf16).fits);
  }
}

TEST_CASE(
    "llama3-405b: Megatron's interleaved warm-up does not fit an H100 at any v, without it or with 16 "
    "microbatches it does",
    "[perf][calibration][memory]") {
  // The known limit (docs/assumptions.md, limit 2): rank 1 holds (p − r − 1)·2 + (v − 1)·p + 1
  // chunk-microbatches of 8/v layers at Korthikanti's 31.75·s·b·h/t bytes per layer (0.533 GB).
  // v = 2: 180 layer-microbatches, ~96 GB; v = 8 (one layer per virtual stage, Llama 3's layout):
  // 141, ~75 GB, 88.4 GB in all against 85.5. Meta ran it in 80 GB, so its schedule keeps less
  // than Megatron's; the model does not guess by how much.
  const scenario::StepFile f = load_calibration("llama3-405b-8k.json");
  const perf::StepResult r = evaluate_file(f, hw::Precision::bf16);
  CHECK_FALSE(r.fits);
  CHECK(std::string(r.memory_per_gpu.dominant_term()) == "activations");
  CHECK(r.memory_per_gpu.total() < 1.35 * r.usable_hbm_bytes);
  const double per_layer = 31.75 * 8192.0 * 16384.0 / 8;  // bytes per layer and microbatch
  CHECK(r.memory_per_gpu.activations == Approx(180 * per_layer).epsilon(1e-6));
  scenario::StepFile v8 = f;
  v8.job.parallelism.vpp = 8;  // 126 layers + the embedding-only and head-only stages = 16 × 8
  const perf::StepResult r8 = evaluate_file(v8, hw::Precision::bf16);
  CHECK_FALSE(r8.fits);
  CHECK(r8.memory_per_gpu.activations == Approx(141 * per_layer).epsilon(1e-6));
  CHECK(r8.memory_per_gpu.total() > r8.usable_hbm_bytes);
  CHECK(r8.memory_per_gpu.total() < 1.05 * r8.usable_hbm_bytes);  // misses by less than 5%
  scenario::StepFile plain = f;
  plain.job.parallelism.vpp = 1;
  const perf::StepResult p = evaluate_file(plain, hw::Precision::bf16);
  CHECK(p.fits);
  CHECK(p.memory_per_gpu.activations == Approx(120 * per_layer).epsilon(1e-6));  // 15 × 8 layers
  // Llama 3's 16,384-GPU row: dp 128, 16 microbatches; 16·v chunk-microbatches never exceed the
  // warm-up, so every rank holds all 16 microbatches of its 8 layers, at any v.
  scenario::StepFile wide = v8;
  wide.job.gpus = 16384;
  wide.cluster.racks = 2048;
  wide.job.parallelism.dp = 128;
  const perf::StepResult w = evaluate_file(wide, hw::Precision::bf16);
  CHECK(w.fits);
  CHECK(w.memory_per_gpu.activations == Approx(128 * per_layer).epsilon(1e-6));
}

TEST_CASE("the three BF16 calibration residuals are the ones the uncertainty band is built from",
          "[perf][calibration][uncertainty]") {
  const struct {
    const char* file;
    double published;
  } cases[3] = {{"megatron-1.7b.json", 137}, {"megatron-1t.json", 163}, {"llama3-405b-8k.json", 430}};
  for (int i = 0; i < 3; ++i) {
    const scenario::StepFile f = load_calibration(cases[i].file);
    const perf::StepResult r = evaluate_file(f, f.job.precision);
    INFO(cases[i].file);
    CHECK(r.tflops_per_gpu / cases[i].published - 1.0 == Approx(perf::kCalibrationResiduals[i]).margin(0.002));
    // Calibrated BF16 on Ampere/Hopper: the narrowest band, within ±10%.
    CHECK(r.band.widened == 0);
    CHECK(r.band.p10 > 0.9);
    CHECK(r.band.p90 < 1.1);
  }
}

TEST_CASE("llama3-405b at 128K tokens with Llama 3's all-gather CP reaches the published 380 TFLOP/s within 10%",
          "[perf][calibration][cp]") {
  // Llama 3 Table 4, third row: 16,384 H100, TP8 CP16 PP16 DP8, 16 sequences of 131,072 tokens per
  // DP rank, 380 TFLOP/s per GPU. The file names the paper's CP algorithm (cp_comm all_gather); ring
  // attention on the same configuration is the more optimistic of the two.
  const scenario::StepFile f = load_calibration("llama3-405b-128k.json");
  REQUIRE(f.job.cp_comm == workload::CpComm::all_gather);
  const perf::StepResult ag = evaluate_file(f, hw::Precision::bf16);
  report("llama3-405b-128k all_gather", ag, 380);
  CHECK(ag.fits);
  CHECK(ag.tflops_per_gpu == Approx(380).epsilon(0.10));
  scenario::StepFile ring = f;
  ring.job.cp_comm = workload::CpComm::ring;
  const perf::StepResult rr = evaluate_file(ring, hw::Precision::bf16);
  report("llama3-405b-128k ring", rr, 380);
  CHECK(ag.tflops_per_gpu < rr.tflops_per_gpu);
  // The exposed all-gather is small under GQA (one KV head per TP rank): a few percent of the step.
  CHECK(ag.breakdown_s.cp_exposed > 0.01 * ag.step_time_s);
  CHECK(ag.breakdown_s.cp_exposed < 0.10 * ag.step_time_s);
}

TEST_CASE("MXFP8 over BF16 on the published Llama-3-70B, 1,856-B200 setup is inside 1.22-1.28x",
          "[perf][calibration][precision]") {
  const scenario::StepFile f = load_calibration("mxfp8-llama3-70b-b200.json");
  const double gain =
      evaluate_file(f, hw::Precision::fp8).tokens_per_s / evaluate_file(f, hw::Precision::bf16).tokens_per_s;
  WARN("MXFP8 / BF16 on 1,856 B200: " << gain);
  CHECK(gain >= 1.22);
  CHECK(gain <= 1.28);
}

TEST_CASE("NVFP4 over BF16 on B200 stays at or below the published best of 1.59x", "[perf][calibration][precision]") {
  const scenario::StepFile f = load_calibration("nvfp4-llama3-70b-b200.json");
  const double gain =
      evaluate_file(f, hw::Precision::fp4).tokens_per_s / evaluate_file(f, hw::Precision::bf16).tokens_per_s;
  WARN("NVFP4 / BF16 on B200: " << gain);
  // "Up to 1.59x": the best published case; a typical dense setup lands below it, but well above
  // the FP8 gain (1.22-1.28x).
  CHECK(gain <= 1.59);
  CHECK(gain >= 1.35);
}

TEST_CASE("NVFP4 over FP8 on the GB300 MaxText-like setup is inside 1.31-1.73x", "[perf][calibration][precision]") {
  const scenario::StepFile f = load_calibration("nvfp4-llama3-405b-gb300.json");
  const double gain =
      evaluate_file(f, hw::Precision::fp4).tokens_per_s / evaluate_file(f, hw::Precision::fp8).tokens_per_s;
  WARN("NVFP4 / FP8 on GB300: " << gain);
  CHECK(gain >= 1.31);
  CHECK(gain <= 1.73);
}

TEST_CASE("low precision on Blackwell carries a wider band than calibrated BF16 on Hopper", "[perf][uncertainty]") {
  const perf::StepResult bf16 = evaluate_file(load_calibration("llama3-405b-8k.json"), hw::Precision::bf16);
  const scenario::StepFile gb300 = load_calibration("nvfp4-llama3-405b-gb300.json");
  const perf::StepResult fp8 = evaluate_file(gb300, hw::Precision::fp8);
  const perf::StepResult fp4 = evaluate_file(gb300, hw::Precision::fp4);
  CHECK(fp8.band.p90 - fp8.band.p10 > bf16.band.p90 - bf16.band.p10);
  CHECK(fp4.band.p90 - fp4.band.p10 > fp8.band.p90 - fp8.band.p10);
  CHECK((fp4.band.widened & perf::band_fp4) != 0);
  CHECK((fp4.band.widened & perf::band_other_generation) != 0);
  CHECK(fp4.band.p10 < 1.0);
  CHECK(fp4.band.p90 > 1.0);
}
