// Tray states and per-rack counters (see cluster_inventory.hpp).
#include "leasesim/cluster/cluster_inventory.hpp"

#include <stdexcept>

namespace leasesim::cluster {

ClusterInventory::ClusterInventory(int racks, int trays_per_rack, int gpus_per_tray, int spares_per_rack,
                                   GpuLedgerBook& book)
    : racks_(racks),
      trays_per_rack_(trays_per_rack),
      gpus_per_tray_(gpus_per_tray),
      spares_per_rack_(std::min(spares_per_rack, trays_per_rack)),
      book_(book),
      trays_(static_cast<std::size_t>(racks) * static_cast<std::size_t>(trays_per_rack)),
      free_(static_cast<std::size_t>(racks), trays_per_rack - spares_per_rack_),
      spare_(static_cast<std::size_t>(racks), spares_per_rack_),
      down_(static_cast<std::size_t>(racks), 0),
      out_(static_cast<std::size_t>(racks), 0),
      rack_since_(static_cast<std::size_t>(racks), 0),
      buckets_(static_cast<std::size_t>(trays_per_rack) + 1, RackSet(racks)) {
  for (int r = 0; r < racks; ++r) {
    for (int k = 0; k < spares_per_rack_; ++k)
      trays_[static_cast<std::size_t>(r) * static_cast<std::size_t>(trays_per_rack) + static_cast<std::size_t>(k)]
          .spare = 1;
    buckets_[static_cast<std::size_t>(trays_per_rack - spares_per_rack_)].insert(r);
  }
  free_total_ = static_cast<long long>(racks) * (trays_per_rack - spares_per_rack_);
  spare_total_ = static_cast<long long>(racks) * spares_per_rack_;
}

void ClusterInventory::flush_rack(int rack) {
  const auto r = static_cast<std::size_t>(rack);
  const std::int64_t dt = now_ - rack_since_[r];
  if (dt > 0) {
    const std::int64_t g = gpus_per_tray_;
    book_.book_rack(rack, GpuState::idle, free_[r] * g * dt);
    book_.book_rack(rack, GpuState::spare, spare_[r] * g * dt);
    book_.book_rack(rack, GpuState::failed, down_[r] * g * dt);
    book_.book_rack(rack, GpuState::unleased, out_[r] * g * dt);
  }
  rack_since_[r] = now_;
}

void ClusterInventory::flush_cluster() {
  if (now_ > cluster_since_) {
    const std::int64_t g = gpus_per_tray_;
    book_.book_pool(GpuState::idle, free_total_ * g, cluster_since_, now_);
    book_.book_pool(GpuState::spare, spare_total_ * g, cluster_since_, now_);
    book_.book_pool(GpuState::failed, down_total_ * g, cluster_since_, now_);
    book_.book_pool(GpuState::unleased, out_total_ * g, cluster_since_, now_);
  }
  cluster_since_ = now_;
}

void ClusterInventory::flush_all() {
  for (int r = 0; r < racks_; ++r) flush_rack(r);
  flush_cluster();
}

void ClusterInventory::set_free(int rack, int value) {
  const auto r = static_cast<std::size_t>(rack);
  if (free_[r] == value) return;
  ++version_;
  buckets_[static_cast<std::size_t>(free_[r])].erase(rack);
  free_total_ += value - free_[r];
  free_[r] = value;
  buckets_[static_cast<std::size_t>(value)].insert(rack);
}

void ClusterInventory::take_free(int rack, int n, int job, std::vector<long long>& out) {
  if (n <= 0) return;
  if (n > free_in(rack)) throw std::logic_error("cluster inventory: more trays taken than free");
  flush_rack(rack);
  flush_cluster();
  const long long first = static_cast<long long>(rack) * trays_per_rack_;
  out.reserve(out.size() + static_cast<std::size_t>(n));
  int taken = 0;
  for (long long t = first; t < first + trays_per_rack_ && taken < n; ++t) {
    Tray& tray = trays_[static_cast<std::size_t>(t)];
    if (tray.job < 0 && tray.down == 0 && tray.spare == 0 && tray.out == 0) {
      tray.job = job;
      out.push_back(t);
      ++taken;
    }
  }
  set_free(rack, free_in(rack) - n);
}

long long ClusterInventory::take_spare(int rack, int job) {
  if (spare_in(rack) == 0) return -1;
  flush_rack(rack);
  flush_cluster();
  const long long first = static_cast<long long>(rack) * trays_per_rack_;
  for (long long t = first; t < first + trays_per_rack_; ++t) {
    Tray& tray = trays_[static_cast<std::size_t>(t)];
    if (tray.spare != 0 && tray.down == 0 && tray.job < 0) {
      tray.spare = 0;
      tray.job = job;
      --spare_[static_cast<std::size_t>(rack)];
      --spare_total_;
      return t;
    }
  }
  return -1;
}

void ClusterInventory::make_available(long long t) {
  const int rack = rack_of(t);
  Tray& tray = trays_[static_cast<std::size_t>(t)];
  if (spare_in(rack) < spares_per_rack_) {
    tray.spare = 1;
    ++spare_[static_cast<std::size_t>(rack)];
    ++spare_total_;
  } else {
    set_free(rack, free_in(rack) + 1);
  }
}

void ClusterInventory::release(long long t) {
  Tray& tray = trays_[static_cast<std::size_t>(t)];
  if (tray.job < 0) return;
  const int rack = rack_of(t);
  flush_rack(rack);
  flush_cluster();
  tray.job = -1;
  if (tray.out != 0) return;  // cannot happen (a held tray is released before it retires)
  if (tray.down == 0) make_available(t);
}

void ClusterInventory::release_in_rack(const std::vector<long long>& trays) {
  if (trays.empty()) return;
  const int rack = rack_of(trays.front());
  const auto r = static_cast<std::size_t>(rack);
  flush_rack(rack);
  flush_cluster();
  // Tray by tray as release() would (a tray refills the rack's spares first), with one free-count
  // change at the end: nothing between reads the free count.
  int freed = 0;
  for (long long t : trays) {
    Tray& tray = trays_[static_cast<std::size_t>(t)];
    if (tray.job < 0) continue;
    tray.job = -1;
    if (tray.out != 0 || tray.down != 0) continue;
    if (spare_[r] < spares_per_rack_) {
      tray.spare = 1;
      ++spare_[r];
      ++spare_total_;
    } else {
      ++freed;
    }
  }
  if (freed > 0) set_free(rack, free_[r] + freed);
}

void ClusterInventory::take_down(long long t) {
  Tray& tray = trays_[static_cast<std::size_t>(t)];
  const int rack = rack_of(t);
  flush_rack(rack);
  flush_cluster();
  if (tray.down++ > 0 || tray.out != 0) return;  // already out of service
  if (tray.job >= 0) {
    // Claimed by a job: the job's time is booked by the job until it releases the tray; from then
    // on the tray counts as failed (release() leaves a down tray out of every pool).
  } else if (tray.spare != 0) {
    tray.spare = 0;
    --spare_[static_cast<std::size_t>(rack)];
    --spare_total_;
  } else {
    set_free(rack, free_in(rack) - 1);
  }
  ++down_[static_cast<std::size_t>(rack)];
  ++down_total_;
}

void ClusterInventory::bring_up(long long t) {
  Tray& tray = trays_[static_cast<std::size_t>(t)];
  if (tray.down == 0) return;
  const int rack = rack_of(t);
  flush_rack(rack);
  flush_cluster();
  if (--tray.down > 0 || tray.out != 0) return;
  --down_[static_cast<std::size_t>(rack)];
  --down_total_;
  if (tray.job < 0) make_available(t);
}

ClusterInventory::ClusterInventory(const ClusterInventory& o, CountsOnly)
    : racks_(o.racks_),
      trays_per_rack_(o.trays_per_rack_),
      gpus_per_tray_(o.gpus_per_tray_),
      spares_per_rack_(o.spares_per_rack_),
      book_(o.book_),
      now_(o.now_),
      free_(o.free_),
      spare_(o.spare_),
      buckets_(o.buckets_),
      free_total_(o.free_total_),
      spare_total_(o.spare_total_),
      down_total_(o.down_total_),
      out_total_(o.out_total_),
      version_(o.version_) {}

ClusterInventory ClusterInventory::spares_as_free() const {
  ClusterInventory view(*this, CountsOnly{});
  if (spare_total_ == 0) return view;
  for (int r = 0; r < racks_; ++r) {
    const auto ri = static_cast<std::size_t>(r);
    if (spare_[ri] == 0) continue;
    // Every spare tray is healthy and unclaimed (a spare that fails or is taken stops being one).
    view.set_free(r, free_[ri] + spare_[ri]);
    view.spare_total_ -= spare_[ri];
    view.spare_[ri] = 0;
  }
  return view;
}

void ClusterInventory::take_with_spares(int rack, int n, int job, std::vector<long long>& out) {
  if (n <= 0) return;
  const auto r = static_cast<std::size_t>(rack);
  if (n > free_[r] + spare_[r]) throw std::logic_error("cluster inventory: more trays taken than free and spare");
  flush_rack(rack);
  flush_cluster();
  const long long first = static_cast<long long>(rack) * trays_per_rack_;
  out.reserve(out.size() + static_cast<std::size_t>(n));
  int taken = 0, from_spares = 0;
  for (long long t = first; t < first + trays_per_rack_ && taken < n; ++t) {
    Tray& tray = trays_[static_cast<std::size_t>(t)];
    if (tray.job >= 0 || tray.down != 0 || tray.out != 0) continue;
    if (tray.spare != 0) {
      tray.spare = 0;
      ++from_spares;
    }
    tray.job = job;
    out.push_back(t);
    ++taken;
  }
  spare_[r] -= from_spares;
  spare_total_ -= from_spares;
  set_free(rack, free_[r] - (n - from_spares));
}

void ClusterInventory::retire(long long t) {
  Tray& tray = trays_[static_cast<std::size_t>(t)];
  if (tray.out != 0) return;
  if (tray.job >= 0) throw std::logic_error("cluster inventory: a tray held by a job cannot leave service");
  const int rack = rack_of(t);
  const auto r = static_cast<std::size_t>(rack);
  flush_rack(rack);
  flush_cluster();
  if (tray.down > 0) {
    --down_[r];
    --down_total_;
  } else if (tray.spare != 0) {
    tray.spare = 0;
    --spare_[r];
    --spare_total_;
  } else {
    set_free(rack, free_in(rack) - 1);
  }
  tray.out = 1;
  ++out_[r];
  ++out_total_;
}

void ClusterInventory::commission(long long t) {
  Tray& tray = trays_[static_cast<std::size_t>(t)];
  if (tray.out == 0) return;
  const int rack = rack_of(t);
  const auto r = static_cast<std::size_t>(rack);
  flush_rack(rack);
  flush_cluster();
  tray.out = 0;
  --out_[r];
  --out_total_;
  if (tray.down > 0) {
    ++down_[r];
    ++down_total_;
  } else {
    make_available(t);
  }
}

}  // namespace leasesim::cluster
