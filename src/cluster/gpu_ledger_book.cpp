// Booking GPU time into the ledgers, split at calendar months and days (see gpu_ledger_book.hpp).
#include "leasesim/cluster/gpu_ledger_book.hpp"

#include <algorithm>

#include "leasesim/units/date.hpp"

namespace leasesim::cluster {

std::int64_t& slot(GpuTimeLedger& l, GpuState s) {
  switch (s) {
    case GpuState::productive:
      return l.productive;
    case GpuState::checkpointing:
      return l.checkpointing;
    case GpuState::restarting:
      return l.restarting;
    case GpuState::lost:
      return l.lost;
    case GpuState::idle:
      return l.idle;
    case GpuState::failed:
      return l.failed;
    case GpuState::spare:
      return l.spare;
    case GpuState::unleased:
      return l.unleased;
  }
  return l.idle;
}

void add_scaled(GpuTimeLedger& into, const StateMs& per_gpu, std::int64_t gpus) {
  for (int s = 0; s < gpu_state_count; ++s)
    slot(into, static_cast<GpuState>(s)) += per_gpu[static_cast<std::size_t>(s)] * gpus;
}

CalendarGrid::CalendarGrid(std::int64_t start, std::int64_t horizon) : start_utc(start), horizon_ms(horizon) {
  // Calendar months from the month holding the start; the first and last are clipped to the horizon.
  const std::int64_t day0 = start >= 0 ? start / 86400 : (start - 86399) / 86400;
  units::CivilDate d = units::civil_from_days(day0);
  d.day = 1;
  const std::int64_t first_of_month = units::days_from_civil(d) * 86400;
  month_begin_ms.push_back(0);
  month_begin_utc.push_back(start);
  for (int k = 1;; ++k) {
    const std::int64_t utc = units::add_months(first_of_month, k);
    const std::int64_t ms = (utc - start) * 1000;
    if (ms >= horizon) break;
    month_begin_ms.push_back(ms);
    month_begin_utc.push_back(utc);
  }
  month_begin_ms.push_back(horizon);
  month_begin_utc.push_back(start + horizon / 1000);
  days = (horizon + day_ms - 1) / day_ms;
}

int CalendarGrid::month_of(std::int64_t t) const {
  const auto it = std::upper_bound(month_begin_ms.begin(), month_begin_ms.end(), t);
  return std::clamp(static_cast<int>(it - month_begin_ms.begin()) - 1, 0, months() - 1);
}

GpuLedgerBook::GpuLedgerBook(const CalendarGrid& grid, int racks, int tenants)
    : grid_(grid),
      months_(static_cast<std::size_t>(grid.months())),
      racks_(static_cast<std::size_t>(racks)),
      tenant_months_(static_cast<std::size_t>(tenants),
                     std::vector<GpuTimeLedger>(static_cast<std::size_t>(grid.months()))),
      tenant_tokens_(static_cast<std::size_t>(tenants),
                     std::vector<double>(static_cast<std::size_t>(grid.months()), 0.0)),
      tenant_completions_(static_cast<std::size_t>(tenants),
                          std::vector<int>(static_cast<std::size_t>(grid.months()), 0)),
      daily_allocated_(static_cast<std::size_t>(grid.days), 0) {}

void GpuLedgerBook::book_pool(GpuState s, std::int64_t gpus, std::int64_t a, std::int64_t b) {
  if (b <= a || gpus == 0) return;
  slot(total_, s) += gpus * (b - a);
  grid_.for_months(a, b, [&](int m, std::int64_t lo, std::int64_t hi) {
    slot(months_[static_cast<std::size_t>(m)], s) += gpus * (hi - lo);
  });
}

void GpuLedgerBook::book_days(std::int64_t gpus, std::int64_t a, std::int64_t b) {
  for (std::int64_t d = a / CalendarGrid::day_ms; d < grid_.days && d * CalendarGrid::day_ms < b; ++d) {
    const std::int64_t lo = std::max(a, d * CalendarGrid::day_ms);
    const std::int64_t hi = std::min(b, (d + 1) * CalendarGrid::day_ms);
    if (hi > lo) daily_allocated_[static_cast<std::size_t>(d)] += gpus * (hi - lo);
  }
}

void GpuLedgerBook::book_job(int tenant, GpuState s, std::int64_t gpus, std::int64_t a, std::int64_t b,
                             StateMs& per_gpu) {
  if (b <= a) return;
  per_gpu[static_cast<std::size_t>(s)] += b - a;
  slot(total_, s) += gpus * (b - a);
  auto& tm = tenant_months_[static_cast<std::size_t>(tenant)];
  grid_.for_months(a, b, [&](int m, std::int64_t lo, std::int64_t hi) {
    slot(months_[static_cast<std::size_t>(m)], s) += gpus * (hi - lo);
    slot(tm[static_cast<std::size_t>(m)], s) += gpus * (hi - lo);
  });
  book_days(gpus, a, b);
}

void GpuLedgerBook::book_job_cycle(int tenant, const CheckpointCycle& cycle, std::int64_t origin, GpuState train,
                                   std::int64_t gpus, std::int64_t a, std::int64_t b, StateMs& per_gpu,
                                   double tokens_per_ms) {
  if (b <= a) return;
  auto& tm = tenant_months_[static_cast<std::size_t>(tenant)];
  for (int m = grid_.month_of(a); m < grid_.months() && grid_.month_begin_ms[static_cast<std::size_t>(m)] < b; ++m) {
    const std::int64_t lo = std::max(a, grid_.month_begin_ms[static_cast<std::size_t>(m)]);
    const std::int64_t hi = std::min(b, grid_.month_begin_ms[static_cast<std::size_t>(m) + 1]);
    if (hi <= lo) continue;
    const std::int64_t work = cycle.compute_in(hi - origin) - cycle.compute_in(lo - origin);
    const std::int64_t stall = (hi - lo) - work;
    per_gpu[static_cast<std::size_t>(train)] += work;
    per_gpu[static_cast<std::size_t>(GpuState::checkpointing)] += stall;
    for (GpuTimeLedger* l : {&total_, &months_[static_cast<std::size_t>(m)], &tm[static_cast<std::size_t>(m)]}) {
      slot(*l, train) += gpus * work;
      l->checkpointing += gpus * stall;
    }
    if (train == GpuState::productive)
      tenant_tokens_[static_cast<std::size_t>(tenant)][static_cast<std::size_t>(m)] +=
          static_cast<double>(work) * tokens_per_ms;
  }
  book_days(gpus, a, b);
}

void GpuLedgerBook::add_completion(int tenant, std::int64_t t) {
  ++tenant_completions_[static_cast<std::size_t>(tenant)][static_cast<std::size_t>(grid_.month_of(t))];
}

}  // namespace leasesim::cluster
