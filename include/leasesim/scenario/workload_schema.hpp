// Field definitions of the workload blocks: `model` (a transformer, or a preset name with
// overrides) and `job` (a training job: tokens, batch, precision, parallelism with "auto" fields).
// A step file is {"cluster": {...}, "job": {...}}; full scenarios reuse the same job block.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "leasesim/hw/cluster.hpp"
#include "leasesim/scenario/diagnostics.hpp"
#include "leasesim/scenario/schema.hpp"
#include "leasesim/workload/training_job.hpp"
#include "leasesim/workload/transformer.hpp"

namespace leasesim::scenario {

Schema<workload::TransformerSpec> model_schema();

// A large count: 15e12, "15T", "2.5B", "16M" (within `b`), or nullopt with the problem in `d`.
std::optional<double> read_large_count(const Json& v, const std::string& path, const Bounds& b, Diagnostics& d);
Schema<workload::TrainingJob> job_schema();

// A job's precision must have a dense peak on the GPU (an A100 has no FP8 or FP4 tensor cores):
// otherwise "PATH: expected a precision the a100-80gb GPU supports (bf16), found "fp8"".
void check_precision_supported(const workload::TrainingJob& job, const hw::GpuSpec& gpu, const std::string& path,
                               Diagnostics& d);

// `leasesim step FILE`: a cluster and one job.
struct StepFile {
  hw::ClusterSpec cluster;
  workload::TrainingJob job;
};

struct StepLoadResult {
  std::optional<StepFile> step;
  Diagnostics diagnostics;
};

StepLoadResult load_step_file(const std::string& path);
const Schema<StepFile>& step_file_schema();

}  // namespace leasesim::scenario
