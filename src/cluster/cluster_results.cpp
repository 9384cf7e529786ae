// The end of a cluster simulation: every open interval is closed at the horizon and the ledgers,
// jobs, failures and energy are gathered into a SimulationResult (results.hpp).
#include <algorithm>

#include "leasesim/cluster/cluster_simulation.hpp"
#include "leasesim/cluster/energy_meter.hpp"

namespace leasesim::cluster {

SimulationResult ClusterSimulation::finish() {
  set_now(grid_.horizon_ms);
  const std::vector<int> still_running = running_ids_;
  for (int id : still_running) {
    close_segment(id, SegmentEnd::horizon);
    release_all(id);
  }
  inventory_.flush_all();

  SimulationResult out;
  out.market_grants = market_grants_;
  out.jobs.reserve(tickets_.size());
  const EnergyMeter energy(input_.cluster);
  const double horizon_s = static_cast<double>(grid_.horizon_ms) / 1000.0;
  for (std::size_t i = 0; i < tickets_.size(); ++i) {
    const JobTicket& t = tickets_[i];
    const Job& j = jobs_[i];
    JobResult r;
    r.name = t.name;
    r.tenant = t.tenant;
    r.generated = t.generated;
    r.gpus = j.profile && j.profile->gpus > 0 ? j.profile->gpus : t.gpus;
    r.submit_s = static_cast<double>(j.submitted >= 0 ? j.submitted : t.submit_ms) / 1000.0;
    r.slip_s = t.slip_s;
    r.tokens_drawn = t.tokens_drawn;
    r.chained = !t.after.empty();
    r.deadline_s = t.deadline_s;
    r.tokens = j.tokens_total > 0 ? j.tokens_total : t.tokens;
    if (j.phase == Phase::done)
      r.status = "completed";
    else if (j.phase == Phase::rejected)
      r.status = "rejected";
    else if (j.first_start)
      r.status = "running";  // or restarting, or waiting for replacement capacity
    else if (j.phase == Phase::blocked || (j.phase == Phase::pending && !t.after.empty()))
      r.status = "blocked";
    else
      r.status = "waiting";
    r.reason = j.reason;
    if (j.phase == Phase::pending)
      r.reason = t.after.empty() ? "submitted after the horizon end" : blocked_reason(static_cast<int>(i));
    if (j.profile && j.reason.empty()) {
      r.parallelism = j.profile->parallelism;
      r.mfu = j.profile->mfu;
      r.step_time_s = j.profile->step_time_s;
      r.tokens_per_s = j.profile->tokens_per_s;
      r.step_fidelity = j.profile->fidelity_note();
      r.site = j.site_label;
      r.span_sites = j.span_sites;
      // The rhythm it trained under: means over its training time when the storage share changed it.
      const CheckpointCycle& c = j.rhythm_ms > 0 ? j.first_rhythm : j.cycle;
      r.checkpoint_interval_s = static_cast<double>(c.interval_ms) / 1000.0;
      r.checkpoint_write_s = c.write_s;
      r.checkpoint_write_max_s = c.write_s;
      r.checkpoint_stall_s = c.stall_s;
      if (j.rhythm_varied) {
        r.checkpoint_interval_s = j.interval_s_ms / j.rhythm_ms;
        r.checkpoint_write_s = j.write_s_ms / j.rhythm_ms;
        r.checkpoint_write_max_s = j.write_max_s;
        r.checkpoint_stall_s = j.stall_s_ms / j.rhythm_ms;
      }
      r.restart_read_s = j.cycle.read_s;
    }
    if (j.first_start) r.start_s = static_cast<double>(*j.first_start) / 1000.0;
    if (j.end) r.end_s = static_cast<double>(*j.end) / 1000.0;
    r.tokens_trained =
        j.phase == Phase::done
            ? r.tokens
            : (j.work_ms > 0 ? r.tokens * static_cast<double>(j.saved_ms) / static_cast<double>(j.work_ms) : 0.0);
    if (j.elastic) {
      r.elastic = true;
      r.resizes = j.resizes;
      double kept = 0;
      for (const SizeSpan& span : j.spans) {
        r.sizes.push_back({span.gpus, static_cast<double>(span.from) / 1000.0, static_cast<double>(span.to) / 1000.0,
                           gpu_hours(span.gpu_ms), span.tokens});
        kept += span.tokens;
      }
      if (j.phase != Phase::done) r.tokens_trained = kept;
    }
    r.interruptions = j.interruptions;
    std::int64_t allocated = 0;
    for (std::int64_t v : j.per_gpu) allocated += v;
    const std::int64_t productive = j.per_gpu[static_cast<std::size_t>(GpuState::productive)];
    if (j.first_start) {
      const std::int64_t wall = j.end.value_or(grid_.horizon_ms) - *j.first_start;
      r.ettr = wall > 0 ? static_cast<double>(productive) / static_cast<double>(wall) : 0.0;
    }
    r.goodput_fraction = allocated > 0 ? static_cast<double>(productive) / static_cast<double>(allocated) : 0.0;
    r.lost_gpu_hours = gpu_hours(j.lost_gpu_ms);
    for (const auto& [m, ms] : j.month_gpu_ms)
      r.month_allocated_gpu_ms.emplace_back(grid_.month_begin_utc[static_cast<std::size_t>(m)], ms);
    if (j.compute_wall_ms > 0) r.fabric_slowdown = j.slowed_wall_ms / static_cast<double>(j.compute_wall_ms);
    if (t.deadline_s) {
      if (r.end_s)
        r.deadline_met = *r.end_s <= *t.deadline_s;
      else if (*t.deadline_s <= horizon_s)
        r.deadline_met = false;
    }
    out.jobs.push_back(std::move(r));
  }

  out.total = book_.total();
  for (int m = 0; m < grid_.months(); ++m) {
    const auto mi = static_cast<std::size_t>(m);
    MonthLedger ml;
    ml.month_start_utc = grid_.month_begin_utc[mi];
    ml.month_end_utc = grid_.month_begin_utc[mi + 1];
    ml.gpu_ms = book_.months()[mi];
    ml.energy_mwh = energy.facility_mwh(ml.gpu_ms, grid_.month_begin_ms[mi + 1] - grid_.month_begin_ms[mi]);
    out.energy_mwh += ml.energy_mwh;
    out.months.push_back(ml);
  }
  out.per_rack = book_.racks();
  for (std::size_t k = 0; k < tenants_.size(); ++k) {
    for (int m = 0; m < grid_.months(); ++m) {
      const auto mi = static_cast<std::size_t>(m);
      TenantMonth tm;
      tm.tenant = tenants_[k];
      tm.month_start_utc = grid_.month_begin_utc[mi];
      tm.gpu_ms = book_.tenant_months()[k][mi];
      tm.energy_mwh = energy.gpu_mwh(tm.gpu_ms);
      tm.tokens_trained = book_.tenant_tokens()[k][mi];
      tm.jobs_completed = book_.tenant_completions()[k][mi];
      out.tenant_months.push_back(tm);
    }
  }
  const double gpus = static_cast<double>(input_.cluster.gpus());
  for (std::int64_t d = 0; d < grid_.days; ++d) {
    const std::int64_t len = std::min(grid_.horizon_ms, (d + 1) * CalendarGrid::day_ms) - d * CalendarGrid::day_ms;
    const double alloc = static_cast<double>(book_.daily_allocated()[static_cast<std::size_t>(d)]);
    out.daily_utilization.push_back(gpus > 0 && len > 0 ? alloc / (gpus * static_cast<double>(len)) : 0.0);
  }
  out.failures_by_category = failures_by_category_;
  out.failures = failures_;
  out.events = events;
  out.fabric_resolves = fabric_resolves;
  return out;
}

}  // namespace leasesim::cluster
