// EASY backfilling (Lifka 1995): the head of the queue gets a reservation at the earliest time
// enough trays free up; later jobs start now when they fit and do not delay that reservation.
// The reservation counts trays, not NVLink-group fit, so it is an estimate (as every planned end is:
// failures are not foreseen).
#include <algorithm>

#include "leasesim/cluster/scheduler.hpp"

namespace leasesim::cluster {

void EasyBackfillScheduler::schedule(SchedulerView& view) {
  while (!view.waiting().empty() && view.start(view.waiting().front())) {
  }
  if (view.waiting().size() < 2) return;
  const int head = view.waiting().front();
  const long long need = view.trays_needed(head);
  std::vector<SchedulerView::Running> running = view.running();
  std::sort(running.begin(), running.end(), [](const auto& a, const auto& b) {
    return a.planned_end != b.planned_end ? a.planned_end < b.planned_end : a.job < b.job;
  });
  long long available = view.free_trays();
  std::int64_t shadow = INT64_MAX;
  for (const auto& r : running) {
    available += r.trays;
    if (available >= need) {
      shadow = r.planned_end;
      break;
    }
  }
  long long extra = shadow == INT64_MAX ? 0 : available - need;
  const std::vector<int> candidates(view.waiting().begin() + 1,
                                    view.waiting().begin() + std::min<std::ptrdiff_t>(
                                        static_cast<std::ptrdiff_t>(view.waiting().size()), 1 + max_backfill_candidates));
  for (int job : candidates) {
    const long long trays = view.trays_needed(job);
    const bool ends_in_time = shadow != INT64_MAX && view.now() + view.expected_run_ms(job) <= shadow;
    const bool uses_spare_room = trays <= extra;
    if (!ends_in_time && !uses_spare_room) continue;
    if (!view.fits_now(job)) continue;
    if (view.start(job) && !ends_in_time) extra -= trays;
  }
}

}  // namespace leasesim::cluster
