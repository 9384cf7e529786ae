// First come, first served: strict submission order, no job overtakes a waiting one.
#include "leasesim/cluster/scheduler.hpp"

namespace leasesim::cluster {

void FifoScheduler::schedule(SchedulerView& view) {
  const WaitingQueue& queue = view.waiting();
  while (!queue.empty()) {
    if (!view.start(queue.front())) return;
  }
}

}  // namespace leasesim::cluster
