// Failure, repair and maintenance event streams (see failure_injector.hpp).
#include "leasesim/cluster/failure_injector.hpp"

#include <algorithm>
#include <cmath>

namespace leasesim::cluster {

namespace {
constexpr std::uint64_t failure_stream = 100;
constexpr std::uint64_t repair_stream = 10'000;
constexpr std::uint64_t switch_stream = 99;
std::int64_t ms_after(std::int64_t now, double seconds) {
  return now + static_cast<std::int64_t>(std::llround(seconds * 1000.0));
}
}  // namespace

FailureInjector::FailureInjector(const FailureModel& model, const hw::ClusterSpec& cluster, std::int64_t horizon_ms,
                                 std::uint64_t seed)
    : model_(model),
      trays_(static_cast<long long>(cluster.racks) * cluster.rack.nodes()),
      horizon_ms_(horizon_ms),
      switch_rng_(seed, switch_stream) {
  const int racks = cluster.racks;
  trays_per_rack_ = std::max(1, cluster.rack.nodes());
  gpus_per_tray_ = std::max(1, cluster.rack.gpus_per_node);
  nvlink_switches_per_rack_ = std::max(1, cluster.rack.nvlink_switch_trays);
  for (std::size_t p = 0; p < model.processes.size(); ++p) {
    failure_rng_.emplace_back(seed, failure_stream + p);
    repair_rng_.emplace_back(seed, repair_stream + p);
    units_.push_back(unit_count(model.processes[p].unit, cluster));
  }
  for (std::size_t p = 0; p < model.processes.size(); ++p) {
    const FailureProcess& fp = model.processes[p];
    if (fp.per_unit_per_s <= 0 || trays_ <= 0 || units_[p] <= 0) continue;
    if (fp.distribution == Distribution::weibull) {
      for (long long u = 0; u < units_[p]; ++u) renew(static_cast<int>(p), u, 0);
    } else {
      next_superposed(static_cast<int>(p), 0);
    }
  }
  // Planned maintenance, rotating over the racks.
  long long cursor = 0;
  for (const MaintenanceWindow& w : model.maintenance) {
    if (w.duration_s <= 0 || w.racks <= 0 || racks <= 0) continue;
    for (int k = 0;; ++k) {
      const double start_s = w.start_s + (w.every_s > 0 ? k * w.every_s : 0.0);
      const std::int64_t start = ms_after(0, start_s);
      if (start >= horizon_ms || (k > 0 && w.every_s <= 0)) break;
      const std::int64_t end = ms_after(start, w.duration_s);
      for (int i = 0; i < std::min(w.racks, racks); ++i) {
        const long long rack = cursor++ % racks;
        push(start, OutageEvent::maintenance_start, -1, rack);
        if (end < horizon_ms) push(end, OutageEvent::maintenance_end, -1, rack);
      }
    }
  }
}

void FailureInjector::push(std::int64_t t, OutageEvent kind, int process, long long unit) {
  queue_.push(Outage{t, seq_++, kind, process, unit,
                     kind == OutageEvent::failure || kind == OutageEvent::repair ? tray_of(process, unit) : 0});
}

long long FailureInjector::tray_of(int process, long long unit) {
  switch (model_.processes[static_cast<std::size_t>(process)].unit) {
    case FailureUnit::gpu:
    case FailureUnit::nic:
    case FailureUnit::link:
      return unit / gpus_per_tray_;
    case FailureUnit::host:
      return unit;
    case FailureUnit::rack:
      return unit * trays_per_rack_;
    case FailureUnit::nvlink_switch:
      return (unit / nvlink_switches_per_rack_) * trays_per_rack_;
    case FailureUnit::fabric_switch:  // the jobs behind it: a uniformly drawn tray stands for them
      return static_cast<long long>(switch_rng_.below(static_cast<std::uint64_t>(trays_)));
  }
  return 0;
}

void FailureInjector::next_superposed(int process, std::int64_t now) {
  const FailureProcess& fp = model_.processes[static_cast<std::size_t>(process)];
  RandomStream& rng = failure_rng_[static_cast<std::size_t>(process)];
  const double rate = fp.per_unit_per_s * static_cast<double>(units_[static_cast<std::size_t>(process)]);
  // At least one ms apart: integer-ms event times (several failures per ms are not resolved).
  const std::int64_t t = std::max(now + 1, ms_after(now, rng.exponential(1.0 / rate)));
  const long long unit =
      static_cast<long long>(rng.below(static_cast<std::uint64_t>(units_[static_cast<std::size_t>(process)])));
  if (t < horizon_ms_) push(t, OutageEvent::failure, process, unit);
}

void FailureInjector::renew(int process, long long unit, std::int64_t now) {
  const FailureProcess& fp = model_.processes[static_cast<std::size_t>(process)];
  if (fp.distribution != Distribution::weibull || fp.per_unit_per_s <= 0) return;
  RandomStream& rng = failure_rng_[static_cast<std::size_t>(process)];
  const double shape = fp.weibull_shape > 0 ? fp.weibull_shape : 1.0;
  const std::int64_t t = std::max(now + 1, ms_after(now, rng.weibull(1.0 / fp.per_unit_per_s, shape)));
  if (t < horizon_ms_) push(t, OutageEvent::failure, process, unit);
}

Outage FailureInjector::pop() {
  const Outage o = queue_.top();
  queue_.pop();
  if (o.kind == OutageEvent::failure &&
      model_.processes[static_cast<std::size_t>(o.process)].distribution != Distribution::weibull)
    next_superposed(o.process, o.t);
  return o;
}

std::int64_t FailureInjector::schedule_repair(int process, long long unit, std::int64_t now) {
  const FailureProcess& fp = model_.processes[static_cast<std::size_t>(process)];
  const double s = repair_rng_[static_cast<std::size_t>(process)].draw(fp.repair);
  const std::int64_t t = std::max(now + 1, ms_after(now, s));
  if (t < horizon_ms_) push(t, OutageEvent::repair, process, unit);
  return t - now;
}

}  // namespace leasesim::cluster
