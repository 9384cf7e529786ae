// How `leasesim step` shows a priced training iteration: the chosen parallelism, the step-time
// breakdown, throughput in the three FLOP conventions, memory per GPU by term, time to train.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "leasesim/perf/step_model.hpp"
#include "leasesim/report/table.hpp"
#include "leasesim/workload/training_job.hpp"

namespace leasesim::report {

struct StepReport {
  const workload::TrainingJob& job;
  const hw::ClusterSpec& cluster;
  perf::StepResult result;
  perf::Fidelity fidelity = perf::Fidelity::analytical;
  std::vector<perf::StepResult> runners_up;  // from the auto search (--top N)
  std::string memory_hint;                   // when it does not fit: what would
};

nlohmann::json step_json(const StepReport& r);
std::string step_text(const StepReport& r, Layout layout = Layout::narrow);  // wide: every column
std::string step_csv(const StepReport& r);                                   // one row per configuration (chosen first)

}  // namespace leasesim::report
