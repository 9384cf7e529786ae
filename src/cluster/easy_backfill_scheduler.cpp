// EASY backfilling (Lifka 1995): the head of the queue gets a reservation at the earliest time
// enough trays free up; later jobs start now when they fit and do not delay that reservation.
// The reservation counts trays, not NVLink-group fit, so it is an estimate (as every planned end is:
// failures are not foreseen).
#include <algorithm>
#include <cstdint>

#include "leasesim/cluster/scheduler.hpp"

namespace leasesim::cluster {

void EasyBackfillScheduler::schedule(SchedulerView& view) {
  const WaitingQueue& queue = view.waiting();
  while (!queue.empty() && view.start(queue.front())) {}
  if (queue.size() < 2) return;
  // The head and the candidates behind it, in queue order (copied: starts remove them).
  queue.first(std::size_t{1} + max_backfill_candidates, order_);
  const int head = order_.front();
  // The reservation is computed only once a candidate fits now: most passes of a full cluster find none.
  bool reserved = false;
  std::int64_t shadow = INT64_MAX;
  long long extra = 0;
  auto reserve = [&] {
    reserved = true;
    if (const auto r = view.reservation(view.trays_needed(head))) {
      shadow = r->t;
      extra = r->extra_trays;
    }
  };
  for (std::size_t k = 1; k < order_.size(); ++k) {
    const int job = order_[k];
    if (!view.fits_now(job)) continue;
    if (!reserved) reserve();
    const long long trays = view.trays_needed(job);
    const bool ends_in_time = shadow != INT64_MAX && view.now() + view.expected_run_ms(job) <= shadow;
    if (!ends_in_time && trays > extra) continue;
    if (view.start(job) && !ends_in_time) extra -= trays;
  }
}

}  // namespace leasesim::cluster
