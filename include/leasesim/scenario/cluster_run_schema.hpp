// Field definitions of the blocks that drive the cluster simulation: `jobs` (a training-job block
// plus tenant, submit, priority, deadline, checkpoint, restart_overhead), `generators` (Poisson
// job classes for background demand), `failures` (a preset and/or explicit processes, maintenance)
// and `scheduler`.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "leasesim/cluster/inputs.hpp"
#include "leasesim/scenario/schema.hpp"

namespace leasesim::scenario {

// A moment written as a date ("2026-09-01") or as an offset from the horizon start ("30 d", 0).
struct TimePoint {
  bool is_date = false;
  double value = 0;  // UTC seconds when is_date, else seconds from the horizon start
  double offset_from(std::int64_t horizon_start) const {
    return is_date ? value - static_cast<double>(horizon_start) : value;
  }
};

// A job as written: the simulation's JobSpec plus times that may be dates.
struct ScenarioJob {
  cluster::JobSpec spec;
  TimePoint submit;
  std::optional<TimePoint> deadline;
};

struct ScenarioJobClass {
  cluster::JobClass spec;
  std::optional<TimePoint> from, until;
};

Schema<ScenarioJob> scenario_job_schema();
Schema<ScenarioJobClass> job_class_schema();
Schema<cluster::FailureModel> failures_schema();
Schema<cluster::SchedulerSpec> scheduler_schema();

}  // namespace leasesim::scenario
