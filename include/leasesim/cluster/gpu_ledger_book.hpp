// Where GPU time is booked while the simulation runs: the cluster total, calendar months, tenant
// months, racks and the daily allocation series, all in integer GPU-milliseconds so that every
// ledger sums exactly to GPUs × time (results.hpp).
//
// Callers book intervals, never instants: a pool of idle/failed/spare GPUs over [a, b), or a job's
// GPUs over [a, b) in one state — or in its checkpoint rhythm, where the training and stall parts of
// every month are computed in closed form (checkpoint_cycle.hpp). Intervals are split at calendar
// month and day boundaries here, so no billing-boundary bookkeeping leaks into the job logic.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "leasesim/cluster/checkpoint_cycle.hpp"
#include "leasesim/cluster/results.hpp"

namespace leasesim::cluster {

enum class GpuState : std::uint8_t { productive, checkpointing, restarting, lost, idle, failed, spare, unleased };
inline constexpr int gpu_state_count = 8;

// Per-GPU milliseconds by state (one job's GPUs share them).
using StateMs = std::array<std::int64_t, gpu_state_count>;

std::int64_t& slot(GpuTimeLedger& l, GpuState s);
void add_scaled(GpuTimeLedger& into, const StateMs& per_gpu, std::int64_t gpus);

// Calendar months of the horizon (clipped to it) and its days, in ms from the horizon start.
struct CalendarGrid {
  CalendarGrid(std::int64_t start_utc, std::int64_t horizon_ms);
  std::int64_t start_utc = 0;
  std::int64_t horizon_ms = 0;
  std::vector<std::int64_t> month_begin_ms;  // month m covers [month_begin_ms[m], month_begin_ms[m+1])
  std::vector<std::int64_t> month_begin_utc;
  std::int64_t days = 0;
  static constexpr std::int64_t day_ms = 86'400'000;

  int months() const { return static_cast<int>(month_begin_ms.size()) - 1; }
  int month_of(std::int64_t t) const;  // t in [0, horizon_ms)
  // Calls f(month, lo, hi) for each calendar month's non-empty part [lo, hi) of [a, b).
  template <class F>
  void for_months(std::int64_t a, std::int64_t b, F&& f) const {
    if (b <= a) return;
    for (int m = month_of(a); m < months() && month_begin_ms[static_cast<std::size_t>(m)] < b; ++m) {
      const std::int64_t lo = std::max(a, month_begin_ms[static_cast<std::size_t>(m)]);
      const std::int64_t hi = std::min(b, month_begin_ms[static_cast<std::size_t>(m) + 1]);
      if (hi > lo) f(m, lo, hi);
    }
  }
};

class GpuLedgerBook {
 public:
  GpuLedgerBook(const CalendarGrid& grid, int racks, int tenants);

  // `gpus` unallocated GPUs (idle, failed or spare) over [a, b), cluster-wide.
  void book_pool(GpuState s, std::int64_t gpus, std::int64_t a, std::int64_t b);
  // The same for one rack (racks carry no calendar split).
  void book_rack(int rack, GpuState s, std::int64_t gpu_ms) {
    slot(racks_[static_cast<std::size_t>(rack)], s) += gpu_ms;
  }
  void book_rack(int rack, const StateMs& per_gpu, std::int64_t gpus) {
    add_scaled(racks_[static_cast<std::size_t>(rack)], per_gpu, gpus);
  }

  // A job's `gpus` GPUs of `tenant` in one state over [a, b); adds the per-GPU ms to `per_gpu`.
  void book_job(int tenant, GpuState s, std::int64_t gpus, std::int64_t a, std::int64_t b, StateMs& per_gpu);
  // A job's GPUs over [a, b) in its checkpoint rhythm started at `origin`: training time counts as
  // `train`, stalls as checkpointing. Productive training also credits the tenant-month with
  // `tokens_per_ms` tokens per millisecond.
  void book_job_cycle(int tenant, const CheckpointCycle& cycle, std::int64_t origin, GpuState train, std::int64_t gpus,
                      std::int64_t a, std::int64_t b, StateMs& per_gpu, double tokens_per_ms);

  void add_completion(int tenant, std::int64_t t);

  const CalendarGrid& grid() const { return grid_; }
  const GpuTimeLedger& total() const { return total_; }
  const std::vector<GpuTimeLedger>& months() const { return months_; }
  const std::vector<GpuTimeLedger>& racks() const { return racks_; }
  const std::vector<std::vector<GpuTimeLedger>>& tenant_months() const { return tenant_months_; }
  const std::vector<std::vector<double>>& tenant_tokens() const { return tenant_tokens_; }
  const std::vector<std::vector<int>>& tenant_completions() const { return tenant_completions_; }
  const std::vector<std::int64_t>& daily_allocated() const { return daily_allocated_; }

 private:
  void book_days(std::int64_t gpus, std::int64_t a, std::int64_t b);

  const CalendarGrid& grid_;
  GpuTimeLedger total_;
  std::vector<GpuTimeLedger> months_;
  std::vector<GpuTimeLedger> racks_;
  std::vector<std::vector<GpuTimeLedger>> tenant_months_;  // [tenant][month]
  std::vector<std::vector<double>> tenant_tokens_;
  std::vector<std::vector<int>> tenant_completions_;
  std::vector<std::int64_t> daily_allocated_;  // GPU-ms allocated to jobs, per day
};

}  // namespace leasesim::cluster
