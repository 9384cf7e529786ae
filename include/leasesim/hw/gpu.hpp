// A GPU model as catalog data: the figures the step model and the energy model read.
//
// Values come from data/catalog/gpus.json, which cites NVIDIA's datasheets for every figure
// (see docs/hardware.md). Peaks are dense tensor-core FLOP/s: never the "with sparsity" number.
#pragma once

#include <string>

namespace leasesim::hw {

// The arithmetic precision of the linear-layer GEMMs of a training job.
enum class Precision { bf16, fp8, fp4 };

struct GpuSpec {
  std::string name;             // catalog key, e.g. "gb300"
  std::string description;      // "NVIDIA GB300 (Blackwell Ultra) in an NVL72 rack"
  double bf16_flops = 0;        // dense BF16 tensor FLOP/s
  double fp8_flops = 0;         // dense FP8 tensor FLOP/s; 0 when the GPU has no FP8 tensor cores
  double fp4_flops = 0;         // dense FP4 tensor FLOP/s; 0 when unsupported
  double hbm_bytes = 0;         // physical HBM capacity
  double hbm_usable_bytes = 0;  // capacity a framework can allocate
  double hbm_bandwidth = 0;     // bytes/s
  double nvlink_bandwidth = 0;  // bytes/s per GPU, both directions together (NVLink 5: 1.8 TB/s)
  double nic_bandwidth = 0;     // bytes/s per GPU of scale-out NIC, one direction (800 Gb/s = 100 GB/s)
  double tdp_watts = 0;         // maximum board power
  double idle_watts = 0;        // power when allocated but not computing
  std::string source;           // where the figures come from

  // Dense peak at a precision; 0 when the GPU does not support it.
  double dense_flops(Precision p) const {
    switch (p) {
      case Precision::bf16:
        return bf16_flops;
      case Precision::fp8:
        return fp8_flops;
      case Precision::fp4:
        return fp4_flops;
    }
    return 0;
  }

  bool operator==(const GpuSpec&) const = default;
};

const char* to_string(Precision p);

}  // namespace leasesim::hw
