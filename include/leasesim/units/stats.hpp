// Summary statistics over replications, shared by every layer that summarizes them (lease
// comparisons, run reports, sweep metrics): one definition of the interpolated quantile, so a P90
// means the same figure in every output.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
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

// The same where +infinity stands for "never" (a job not finished within the horizon): empty when
// the interpolation gives weight to an infinite value, i.e. the quantile is not a finite time.
inline std::optional<double> quantile_sorted_finite(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return std::nullopt;
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const auto hi = std::min(lo + 1, sorted.size() - 1);
  const double frac = pos - static_cast<double>(lo);
  if (std::isinf(sorted[lo]) || (frac > 0 && std::isinf(sorted[hi]))) return std::nullopt;
  if (frac == 0) return sorted[lo];
  return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
}

// The same, of values in any order.
inline double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return quantile_sorted(v, q);
}

// Conditional value at risk: the mean of the worst (largest) 1 − `level` of the values, each value
// weighing 1/n (Rockafellar–Uryasev, discrete): with n·(1 − level) whole, the mean of the largest
// n·(1 − level) values; otherwise the boundary value counts for the fraction of its weight inside the
// tail (so with fewer than 1/(1 − level) values it is the largest). 0 for an empty list. level in [0, 1).
inline double cvar(std::vector<double> v, double level) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end(), [](double a, double b) { return a > b; });
  const double n = static_cast<double>(v.size());
  double mass = (1 - level) * n;  // tail mass in units of one value's weight
  double sum = 0, taken = 0;
  for (std::size_t i = 0; i < v.size() && mass - taken > 1e-12; ++i) {
    const double w = std::min(1.0, mass - taken);
    sum += w * v[i];
    taken += w;
  }
  return taken > 0 ? sum / taken : v.front();
}

}  // namespace leasesim::units
