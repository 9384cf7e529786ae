// First come, first served: strict submission order, no job overtakes a waiting one.
#include "leasesim/cluster/scheduler.hpp"

namespace leasesim::cluster {

void FifoScheduler::schedule(SchedulerView& view) {
  while (!view.waiting().empty()) {
    if (!view.start(view.waiting().front())) return;
  }
}

}  // namespace leasesim::cluster
