// Summary statistics over replications, shared by every layer that summarizes them (lease
// comparisons, run reports, sweep metrics): one definition of the interpolated quantile, so a P90
// means the same figure in every output.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace leasesim::units {

// The q-quantile (0 ≤ q ≤ 1) of `sorted` (ascending) by linear interpolation between the closest
// ranks (R-7, numpy's default): position q·(n−1). 0 for an empty list.
inline double quantile_sorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const auto hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - static_cast<double>(lo));
}

// The same, of values in any order.
inline double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return quantile_sorted(v, q);
}

}  // namespace leasesim::units
