// Pack and spread placement over the inventory's free-tray buckets (see placement_strategy.hpp).
#include "leasesim/cluster/placement_strategy.hpp"

#include <algorithm>

namespace leasesim::cluster {

long long group_capacity(const ClusterInventory& inv, int group_gpus) {
  long long total = 0;
  for (int f = 1; f <= inv.trays_per_rack(); ++f)
    total += static_cast<long long>(inv.racks_with_free(f).size()) * groups_in(f, inv.gpus_per_tray(), group_gpus);
  return total;
}

long long group_capacity(const ClusterInventory& inv, int group_gpus, const RackRange& range) {
  if (range.all(inv)) return group_capacity(inv, group_gpus);
  long long total = 0;
  for (int f = 1; f <= inv.trays_per_rack(); ++f)
    total += static_cast<long long>(inv.racks_with_free(f).count_in(range.lo, range.hi)) *
             groups_in(f, inv.gpus_per_tray(), group_gpus);
  return total;
}

bool PackPlacement::choose(const ClusterInventory& inv, const GroupShape& shape, const RackRange& range,
                           std::vector<RackTake>& out) const {
  out.clear();
  const int T = inv.trays_per_rack(), G = inv.gpus_per_tray(), g = shape.group_gpus;
  if (shape.groups <= 0 || group_capacity(inv, g, range) < shape.groups) return false;
  // Racks already chosen are always the first ones of their bucket, so one cursor per bucket suffices.
  std::vector<RackSet::const_iterator> next;
  next.reserve(static_cast<std::size_t>(T) + 1);
  for (int f = 0; f <= T; ++f) next.push_back(inv.racks_with_free(f).begin_at(range.lo));
  auto available = [&](int f) {
    const auto& it = next[static_cast<std::size_t>(f)];
    return it != inv.racks_with_free(f).end() && *it < range.hi;
  };
  long long remaining = shape.groups;
  while (remaining > 0) {
    // Best fit: the fullest rack that still holds everything that is left.
    int fit = -1;
    for (int f = 1; f <= T && fit < 0; ++f)
      if (available(f) && groups_in(f, G, g) >= remaining) fit = f;
    if (fit >= 0) {
      const int rack = *next[static_cast<std::size_t>(fit)]++;
      out.push_back({rack, trays_for(remaining, G, g), remaining});
      return true;
    }
    // Otherwise the emptiest rack (most free trays) takes as many groups as it holds.
    int largest = -1;
    for (int f = T; f >= 1 && largest < 0; --f)
      if (available(f) && groups_in(f, G, g) > 0) largest = f;
    if (largest < 0) break;
    const long long n = groups_in(largest, G, g);
    const int rack = *next[static_cast<std::size_t>(largest)]++;
    out.push_back({rack, trays_for(n, G, g), n});
    remaining -= n;
  }
  out.clear();
  return false;
}

bool SpreadPlacement::choose(const ClusterInventory& inv, const GroupShape& shape, const RackRange& range,
                             std::vector<RackTake>& out) const {
  out.clear();
  const int T = inv.trays_per_rack(), G = inv.gpus_per_tray(), g = shape.group_gpus;
  if (shape.groups <= 0 || group_capacity(inv, g, range) < shape.groups) return false;
  struct Candidate {
    int rack;
    long long capacity;
    long long groups;
  };
  std::vector<Candidate> racks;
  for (int f = T; f >= 1; --f) {
    const long long cap = groups_in(f, G, g);
    if (cap == 0) continue;
    for (auto it = inv.racks_with_free(f).begin_at(range.lo); it != inv.racks_with_free(f).end(); ++it) {
      const int rack = *it;
      if (rack >= range.hi) break;
      racks.push_back({rack, cap, 0});
      if (static_cast<long long>(racks.size()) >= shape.groups) break;
    }
    if (static_cast<long long>(racks.size()) >= shape.groups) break;
  }
  long long remaining = shape.groups;
  while (remaining > 0) {
    bool progressed = false;
    for (Candidate& c : racks) {
      if (remaining == 0) break;
      if (c.groups < c.capacity) {
        ++c.groups;
        --remaining;
        progressed = true;
      }
    }
    if (!progressed) return false;
  }
  for (const Candidate& c : racks)
    if (c.groups > 0) out.push_back({c.rack, trays_for(c.groups, G, g), c.groups});
  return true;
}

std::unique_ptr<PlacementStrategy> make_placement(PlacementPolicy policy) {
  switch (policy) {
    case PlacementPolicy::pack:
      return std::make_unique<PackPlacement>();
    case PlacementPolicy::spread:
      return std::make_unique<SpreadPlacement>();
  }
  return std::make_unique<PackPlacement>();
}

}  // namespace leasesim::cluster
