// Failure, repair and maintenance event streams (see failure_injector.hpp).
#include "leasesim/cluster/failure_injector.hpp"

#include <cmath>

namespace leasesim::cluster {

namespace {
constexpr std::uint64_t failure_stream = 100;
constexpr std::uint64_t repair_stream = 10'000;
std::int64_t ms_after(std::int64_t now, double seconds) {
  return now + static_cast<std::int64_t>(std::llround(seconds * 1000.0));
}
}  // namespace

FailureInjector::FailureInjector(const FailureModel& model, long long trays, int racks, std::int64_t horizon_ms,
                                 std::uint64_t seed)
    : model_(model), trays_(trays), horizon_ms_(horizon_ms) {
  for (std::size_t p = 0; p < model.processes.size(); ++p) {
    failure_rng_.emplace_back(seed, failure_stream + p);
    repair_rng_.emplace_back(seed, repair_stream + p);
  }
  for (std::size_t p = 0; p < model.processes.size(); ++p) {
    const FailureProcess& fp = model.processes[p];
    if (fp.per_node_per_s <= 0 || trays <= 0) continue;
    if (fp.distribution == Distribution::weibull) {
      for (long long u = 0; u < trays; ++u) renew(static_cast<int>(p), u, 0);
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
  queue_.push(Outage{t, seq_++, kind, process, unit});
}

void FailureInjector::next_superposed(int process, std::int64_t now) {
  const FailureProcess& fp = model_.processes[static_cast<std::size_t>(process)];
  RandomStream& rng = failure_rng_[static_cast<std::size_t>(process)];
  const double rate = fp.per_node_per_s * static_cast<double>(trays_);
  // At least one ms apart: integer-ms event times (several failures per ms are not resolved).
  const std::int64_t t = std::max(now + 1, ms_after(now, rng.exponential(1.0 / rate)));
  const long long unit = static_cast<long long>(rng.below(static_cast<std::uint64_t>(trays_)));
  if (t < horizon_ms_) push(t, OutageEvent::failure, process, unit);
}

void FailureInjector::renew(int process, long long unit, std::int64_t now) {
  const FailureProcess& fp = model_.processes[static_cast<std::size_t>(process)];
  if (fp.distribution != Distribution::weibull || fp.per_node_per_s <= 0) return;
  RandomStream& rng = failure_rng_[static_cast<std::size_t>(process)];
  const double shape = fp.weibull_shape > 0 ? fp.weibull_shape : 1.0;
  const std::int64_t t = std::max(now + 1, ms_after(now, rng.weibull(1.0 / fp.per_node_per_s, shape)));
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
