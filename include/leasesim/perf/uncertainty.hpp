// How far the step model's throughput may be off for a configuration: a P10–P90 band of the ratio
// (true tokens/s) / (modelled tokens/s), built from the calibration residuals and widened for every
// way the configuration differs from the calibrated cases (docs/performance-model.md, "Uncertainty").
//
// The calibrated region is BF16 dense training on Ampere/Hopper (the three published cases of
// docs/references.md); each residual is modelled / published − 1. Outside it, the band adds, in
// quadrature per side, a term for every unvalidated property: another GPU generation, FP8 or FP4
// (the spread of the published end-to-end gains), mixture of experts, very deep pipelines with few
// microbatches and long-context context parallelism (regimes where held-out checks found the model
// optimistic, so the low side widens more than the high side).
#pragma once

#include <string>

#include "leasesim/hw/cluster.hpp"
#include "leasesim/workload/training_job.hpp"

namespace leasesim::perf {

// Why a band is wider than the calibrated one (bits of ThroughputBand::widened).
enum BandReason : unsigned {
  band_other_generation = 1u << 0,
  band_fp8 = 1u << 1,
  band_fp4 = 1u << 2,
  band_moe = 1u << 3,
  band_deep_pipeline = 1u << 4,
  band_long_context = 1u << 5,
};

struct ThroughputBand {
  double p10 = 1.0;      // true / modelled throughput at the 10th percentile (≤ 1)
  double p90 = 1.0;      // … at the 90th (≥ 1)
  unsigned widened = 0;  // BandReason bits: what widened it beyond the calibration residuals

  // The factor at a standard-normal draw z: a two-piece log-normal with median 1 whose 10th and
  // 90th percentiles are p10 and p90 (z = ∓1.2816). The same z gives every job its own band's
  // factor, so a systematic model error moves all jobs together.
  double at(double z) const;
};

// The calibration residuals (modelled / published − 1) of the three BF16 cases, in the order
// megatron-1.7b, megatron-1t, llama3-405b-8k; tests/perf_calibration_test.cpp checks they are what
// the model gives today.
extern const double kCalibrationResiduals[3];

// "calibration residuals; FP4; deep pipeline, few microbatches": what the band is built from.
std::string band_basis(const ThroughputBand& b);

// Allocation-free (the step model calls it on every evaluation).
ThroughputBand throughput_band(const hw::ClusterSpec& cluster, const workload::TrainingJob& job,
                               const workload::ParallelConfig& c, int microbatches);

}  // namespace leasesim::perf
