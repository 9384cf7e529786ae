// Where a gang-scheduled job's GPUs go. A job is a set of NVLink groups (its tensor-parallel group,
// or TP·CP·EP when that block fits in one NVLink domain, step_rate_cache.hpp); every group must lie
// inside one rack's NVLink domain, so a rack with f free trays of G GPUs hosts ⌊f·G / g⌋ groups of
// g GPUs — and none when fewer than g healthy GPUs are free there. Strategies choose racks:
//   pack    fewest racks: whole free racks first, and the last piece into the rack that fits it
//           most tightly (best fit), keeping the job's scale-out traffic on few leaf groups
//   spread  one group per rack round-robin over the racks with the most free trays (limits the
//           blast radius of a rack failure, at the cost of more scale-out traffic)
// One interface, one class per policy, one registry (make_placement) keyed by PlacementPolicy.
#pragma once

#include <memory>
#include <vector>

#include "leasesim/cluster/cluster_inventory.hpp"
#include "leasesim/cluster/inputs.hpp"

namespace leasesim::cluster {

struct GroupShape {
  int group_gpus = 1;  // GPUs per NVLink group
  long long groups = 0;
};

struct RackTake {
  int rack = 0;
  int trays = 0;
  long long groups = 0;
};

// Groups of `group_gpus` that `free_trays` trays of `gpus_per_tray` hold, and the trays `groups` need.
inline long long groups_in(int free_trays, int gpus_per_tray, int group_gpus) {
  return static_cast<long long>(free_trays) * gpus_per_tray / group_gpus;
}
inline int trays_for(long long groups, int gpus_per_tray, int group_gpus) {
  return static_cast<int>((groups * group_gpus + gpus_per_tray - 1) / gpus_per_tray);
}

// The racks a placement may use: [lo, hi) (a site's racks, SimulationInput::sites); the default
// is every rack.
struct RackRange {
  int lo = 0;
  int hi = 1 << 30;
  bool all(const ClusterInventory& inv) const { return lo <= 0 && hi >= inv.racks(); }
};

// Groups the free trays of the whole cluster (or of `range`) can host right now.
long long group_capacity(const ClusterInventory& inv, int group_gpus);
long long group_capacity(const ClusterInventory& inv, int group_gpus, const RackRange& range);

class PlacementStrategy {
 public:
  virtual ~PlacementStrategy() = default;
  virtual const char* name() const = 0;
  // Fills `out` with racks and tray counts for `shape`, or returns false (out empty) when it does
  // not fit in the free trays. Does not change the inventory.
  virtual bool choose(const ClusterInventory& inv, const GroupShape& shape, std::vector<RackTake>& out) const = 0;
  // The same inside `range` only.
  virtual bool choose(const ClusterInventory& inv, const GroupShape& shape, const RackRange& range,
                      std::vector<RackTake>& out) const = 0;
};

class PackPlacement final : public PlacementStrategy {
 public:
  const char* name() const override { return "pack"; }
  bool choose(const ClusterInventory& inv, const GroupShape& shape, std::vector<RackTake>& out) const override {
    return choose(inv, shape, RackRange{}, out);
  }
  bool choose(const ClusterInventory& inv, const GroupShape& shape, const RackRange& range,
              std::vector<RackTake>& out) const override;
};

class SpreadPlacement final : public PlacementStrategy {
 public:
  const char* name() const override { return "spread"; }
  bool choose(const ClusterInventory& inv, const GroupShape& shape, std::vector<RackTake>& out) const override {
    return choose(inv, shape, RackRange{}, out);
  }
  bool choose(const ClusterInventory& inv, const GroupShape& shape, const RackRange& range,
              std::vector<RackTake>& out) const override;
};

std::unique_ptr<PlacementStrategy> make_placement(PlacementPolicy policy);

}  // namespace leasesim::cluster
