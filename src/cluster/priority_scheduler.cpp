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

// The queue is read in priority order from the view's ordered set (waiting_queue.hpp): the head is
// its first entry and the backfill candidates the next max_backfill_candidates, so a pass costs
// O(log Q) per start plus the candidates it examines, never a sort of the whole queue.
void PriorityScheduler::schedule(SchedulerView& view) {
  const WaitingQueue& queue = view.waiting();
  constexpr std::size_t window = std::size_t{1} + EasyBackfillScheduler::max_backfill_candidates;
  while (!queue.empty()) {
    const int head = queue.top();
    if (view.start(head)) continue;
    // The order at the start of this round, before any preemption requeues its victims.
    queue.first_by_priority(window, order_);
    if (!preemption_) {
      backfill(view, order_);
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
      backfill(view, order_);
      return;
    }
    for (std::size_t i = 0; i < needed; ++i) view.preempt(victims[i].job);
    if (!view.start(head)) {  // NVLink-group fit can still fail after the trays are free
      backfill(view, order_);
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
  // order[1..] is a copy: starts below remove jobs from the queue, not from it.
  for (std::size_t k = 1; k < order.size(); ++k) {
    const int job = order[k];
    if (!view.fits_now(job)) continue;
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
