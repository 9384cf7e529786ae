// The state of every server unit ("tray": an NVL72 compute tray or a DGX node) of the cluster, and
// the per-rack counters placement reads: free, spare and out-of-service trays. This is the
// aggregation that makes 552,960 GPUs cheap: one 8-byte record per tray (138,240 for the full
// Colossus-2-style cluster), never an object per GPU; a GPU's state is its tray's, and a job's GPUs
// share one state (docs/cluster-model.md).
//
// Allocation is tray-exclusive, as Slurm allocates NVL72 compute trays or DGX nodes: a job holds
// whole trays, and every GPU of a held tray is booked to the job.
//
// The inventory also keeps the clock of the unallocated pools: before any counter changes it books
// the idle, failed, spare and unleased GPU time since the last change into the ledgers, per rack and
// for the cluster, so the ledgers stay exact without periodic sampling.
//
// Trays can be out of service because no lease provides them (capacity over time, docs/leases.md):
// such a tray is in no pool, cannot fail and is booked as `unleased`; a failed tray that leaves
// service keeps its repair and stays out when repaired.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "leasesim/cluster/gpu_ledger_book.hpp"

namespace leasesim::cluster {

// A set of rack indices as a bitset: O(1) insert and erase (no allocation), its size kept, and
// ascending iteration by find-next-set-bit — the racks-by-free-trays buckets change on every tray
// taken or released, which as std::set<int> nodes cost ~7% of a default run (callgrind).
class RackSet {
 public:
  explicit RackSet(int racks = 0) : racks_(racks), words_((static_cast<std::size_t>(racks) + 63) / 64, 0) {}
  void insert(int rack) {
    std::uint64_t& w = words_[static_cast<std::size_t>(rack) >> 6];
    const std::uint64_t bit = std::uint64_t{1} << (rack & 63);
    size_ += (w & bit) == 0;
    w |= bit;
  }
  void erase(int rack) {
    std::uint64_t& w = words_[static_cast<std::size_t>(rack) >> 6];
    const std::uint64_t bit = std::uint64_t{1} << (rack & 63);
    size_ -= (w & bit) != 0;
    w &= ~bit;
  }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // The smallest member ≥ rack, or racks() when there is none.
  int next_from(int rack) const {
    if (rack >= racks_) return racks_;
    std::size_t k = static_cast<std::size_t>(rack) >> 6;
    std::uint64_t w = words_[k] & (~std::uint64_t{0} << (rack & 63));
    while (w == 0) {
      if (++k == words_.size()) return racks_;
      w = words_[k];
    }
    return static_cast<int>(k * 64 + static_cast<std::size_t>(std::countr_zero(w)));
  }
  int racks() const { return racks_; }
  // Members in [lo, hi).
  std::size_t count_in(int lo, int hi) const {
    if (lo <= 0 && hi >= racks_) return size_;
    std::size_t n = 0;
    for (int r = next_from(std::max(0, lo)); r < std::min(hi, racks_); r = next_from(r + 1)) ++n;
    return n;
  }

  class const_iterator {
   public:
    const_iterator(const RackSet* set, int rack) : set_(set), rack_(rack) {}
    int operator*() const { return rack_; }
    const_iterator& operator++() {
      rack_ = set_->next_from(rack_ + 1);
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator before = *this;
      ++*this;
      return before;
    }
    bool operator==(const const_iterator& o) const { return rack_ == o.rack_; }
    bool operator!=(const const_iterator& o) const { return rack_ != o.rack_; }

   private:
    const RackSet* set_;
    int rack_;
  };
  const_iterator begin() const { return {this, next_from(0)}; }
  const_iterator begin_at(int rack) const { return {this, next_from(std::max(0, rack))}; }
  const_iterator end() const { return {this, racks_}; }

 private:
  int racks_;
  std::size_t size_ = 0;
  std::vector<std::uint64_t> words_;
};

class ClusterInventory {
 public:
  ClusterInventory(int racks, int trays_per_rack, int gpus_per_tray, int spares_per_rack, GpuLedgerBook& book);

  int racks() const { return racks_; }
  int trays_per_rack() const { return trays_per_rack_; }
  int gpus_per_tray() const { return gpus_per_tray_; }
  long long trays() const { return static_cast<long long>(racks_) * trays_per_rack_; }
  int rack_of(long long tray) const { return static_cast<int>(tray / trays_per_rack_); }

  // --- trays -------------------------------------------------------------------------------------
  int job_of(long long tray) const { return trays_[static_cast<std::size_t>(tray)].job; }
  bool is_down(long long tray) const { return trays_[static_cast<std::size_t>(tray)].down > 0; }
  bool is_spare(long long tray) const { return trays_[static_cast<std::size_t>(tray)].spare != 0; }
  bool in_service(long long tray) const { return trays_[static_cast<std::size_t>(tray)].out == 0; }

  // --- racks -------------------------------------------------------------------------------------
  int free_in(int rack) const { return free_[static_cast<std::size_t>(rack)]; }
  int spare_in(int rack) const { return spare_[static_cast<std::size_t>(rack)]; }
  int out_in(int rack) const { return out_[static_cast<std::size_t>(rack)]; }
  // Trays of the rack held by jobs.
  int held_in(int rack) const {
    const auto r = static_cast<std::size_t>(rack);
    return trays_per_rack_ - out_[r] - free_[r] - spare_[r] - down_[r];
  }
  long long free_total() const { return free_total_; }
  long long spare_total() const { return spare_total_; }
  long long in_service_total() const { return trays() - out_total_; }
  // Changes whenever a rack's free-tray count does (for callers that memoize capacity).
  std::uint64_t version() const { return version_; }
  // Racks with exactly `n` free trays, lowest index first.
  const RackSet& racks_with_free(int n) const { return buckets_[static_cast<std::size_t>(n)]; }

  // --- changes (all at time `now`, which never goes back) -----------------------------------------
  void set_now(std::int64_t now) { now_ = now; }
  // Gives `n` free trays of `rack` to `job`; appends their ids to `out`. Requires n ≤ free_in(rack).
  void take_free(int rack, int n, int job, std::vector<long long>& out);
  // Gives one healthy spare of `rack` to `job`; returns its id, or −1 when there is none.
  long long take_spare(int rack, int job);
  // The job gives the tray back; it becomes spare (while the rack is short of spares) or free, or
  // stays out of service when down.
  void release(long long tray);
  // The same for trays that all belong to one rack, in order (the pools are booked once).
  void release_in_rack(const std::vector<long long>& trays);
  // One more outage on the tray (failure, rack power, maintenance). The tray's job, if any, keeps
  // its claim until the caller releases it.
  void take_down(long long tray);
  // One outage on the tray ends; back in service when none remain.
  void bring_up(long long tray);
  // The tray leaves service (no lease provides it). Requires that no job holds it.
  void retire(long long tray);
  // The tray comes (back) into service: free or spare, or failed while a repair is pending.
  void commission(long long tray);

  // Spares replace failed trays: a job re-placed after failures left it without replacement
  // capacity is placed as if every healthy spare were free, and the spares it does not take stay
  // spares. spares_as_free() is that view, to choose the placement on: the per-rack counts and
  // free-tray buckets only (no trays; it never books) — read its racks, never change it.
  // take_with_spares() then takes from one chosen rack its free trays
  // and lent spares in tray order, as take_free would with the spares lent, and leaves the rest
  // spare. Racks the placement does not touch are not changed at all (lending and returning a spare
  // within one instant books nothing), so this costs the racks taken, not the whole cluster.
  ClusterInventory spares_as_free() const;
  void take_with_spares(int rack, int n, int job, std::vector<long long>& out);

  // Books the pools up to `now` (call once at the end).
  void flush_all();

 private:
  struct CountsOnly {};
  ClusterInventory(const ClusterInventory& o, CountsOnly);  // counters and buckets, no trays
  struct Tray {
    std::int32_t job = -1;
    std::uint8_t down = 0;
    std::uint8_t spare = 0;
    std::uint8_t out = 0;  // out of service: no lease provides it
  };
  void flush_rack(int rack);
  void flush_cluster();
  void set_free(int rack, int value);
  void make_available(long long tray);  // a healthy, unclaimed tray joins the spares or the free pool

  int racks_, trays_per_rack_, gpus_per_tray_, spares_per_rack_;
  GpuLedgerBook& book_;
  std::int64_t now_ = 0;
  std::vector<Tray> trays_;
  std::vector<int> free_, spare_, down_, out_;  // down_: in-service trays out for an outage
  std::vector<std::int64_t> rack_since_;
  std::vector<RackSet> buckets_;
  long long free_total_ = 0, spare_total_ = 0, down_total_ = 0, out_total_ = 0;
  std::int64_t cluster_since_ = 0;
  std::uint64_t version_ = 0;
};

}  // namespace leasesim::cluster
