// The one place that maps a scheduler policy to its class (see scheduler.hpp).
#include "leasesim/cluster/scheduler.hpp"

namespace leasesim::cluster {

std::unique_ptr<Scheduler> make_scheduler(const SchedulerSpec& spec) {
  switch (spec.policy) {
    case SchedulerPolicy::fifo:
      return std::make_unique<FifoScheduler>();
    case SchedulerPolicy::easy_backfill:
      return std::make_unique<EasyBackfillScheduler>();
    case SchedulerPolicy::priority:
      return std::make_unique<PriorityScheduler>(spec.preemption);
  }
  return std::make_unique<FifoScheduler>();
}

std::vector<std::string> scheduler_names() { return {"easy-backfill", "fifo", "priority"}; }

}  // namespace leasesim::cluster
