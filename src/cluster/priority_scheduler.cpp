// Priority order (larger first, then submission order), stopping at the first job that does not
// fit. With preemption, that job may stop running jobs of strictly lower priority — lowest priority,
// then latest planned end first — when doing so frees enough trays for it.
#include <algorithm>

#include "leasesim/cluster/scheduler.hpp"

namespace leasesim::cluster {

void PriorityScheduler::schedule(SchedulerView& view) {
  while (!view.waiting().empty()) {
    std::vector<int> order = view.waiting();
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return view.priority(a) > view.priority(b); });
    const int head = order.front();
    if (view.start(head)) continue;
    if (!preemption_) return;
    std::vector<SchedulerView::Running> victims;
    for (const auto& r : view.running())
      if (r.priority < view.priority(head)) victims.push_back(r);
    std::sort(victims.begin(), victims.end(), [](const auto& a, const auto& b) {
      if (a.priority != b.priority) return a.priority < b.priority;
      if (a.planned_end != b.planned_end) return a.planned_end > b.planned_end;
      return a.job < b.job;
    });
    long long freed = view.free_trays();
    std::size_t needed = 0;
    while (needed < victims.size() && freed < view.trays_needed(head)) freed += victims[needed++].trays;
    if (freed < view.trays_needed(head)) return;
    for (std::size_t i = 0; i < needed; ++i) view.preempt(victims[i].job);
    if (!view.start(head)) return;  // NVLink-group fit can still fail after the trays are free
  }
}

}  // namespace leasesim::cluster
