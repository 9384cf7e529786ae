// Priority order (larger first, then submission order). When the first job does not fit, it gets a
// reservation at the earliest time enough trays come back (running jobs' planned ends, failed trays'
// repairs) and later jobs backfill EASY-style: they start now if they fit and either end before the
// reservation or use only trays the head will not need — so a head waiting for capacity (a job that
// needs every tray, re-placed after failures) does not idle the cluster, and is not delayed by it.
// With preemption, the head may first stop running jobs of strictly lower priority — lowest
// priority, then latest planned end first — when doing so frees enough trays for it.
#include <algorithm>
#include <cstdint>

#include "leasesim/cluster/scheduler.hpp"

namespace leasesim::cluster {

void PriorityScheduler::schedule(SchedulerView& view) {
  while (!view.waiting().empty()) {
    std::vector<int> order = view.waiting();
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return view.priority(a) > view.priority(b); });
    const int head = order.front();
    if (view.start(head)) continue;
    if (!preemption_) {
      backfill(view, order);
      return;
    }
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
    if (freed < view.trays_needed(head)) {
      backfill(view, order);
      return;
    }
    for (std::size_t i = 0; i < needed; ++i) view.preempt(victims[i].job);
    if (!view.start(head)) {  // NVLink-group fit can still fail after the trays are free
      backfill(view, order);
      return;
    }
  }
}

void PriorityScheduler::backfill(SchedulerView& view, const std::vector<int>& order) {
  if (order.size() < 2) return;
  const int head = order.front();
  bool reserved = false;
  std::int64_t shadow = INT64_MAX;
  long long extra = 0;
  const std::size_t last = std::min(order.size(), std::size_t{1} + EasyBackfillScheduler::max_backfill_candidates);
  const std::vector<int> candidates(order.begin() + 1, order.begin() + static_cast<std::ptrdiff_t>(last));
  for (int job : candidates) {
    if (job == head || !view.fits_now(job)) continue;
    if (!reserved) {
      reserved = true;
      if (const auto r = view.reservation(view.trays_needed(head))) {
        shadow = r->t;
        extra = r->extra_trays;
      }
    }
    const long long trays = view.trays_needed(job);
    const bool ends_in_time = shadow != INT64_MAX && view.now() + view.expected_run_ms(job) <= shadow;
    if (!ends_in_time && trays > extra) continue;
    if (view.start(job) && !ends_in_time) extra -= trays;
  }
}

}  // namespace leasesim::cluster
