// Exact money arithmetic for the ledger (see billing_math.hpp): 128-bit products, one rounding.
#include "leasesim/lease/billing_math.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace leasesim::lease {

namespace {

__extension__ typedef __int128 wide;

// a / b rounded half away from zero; b > 0.
std::int64_t div_round(wide a, wide b) {
  const wide q = a / b, r = a % b;
  if (2 * (r < 0 ? -r : r) >= b) return static_cast<std::int64_t>(q + (a < 0 ? -1 : 1));
  return static_cast<std::int64_t>(q);
}

}  // namespace

units::Money prorate(units::Money amount, std::int64_t num, std::int64_t den) {
  if (den <= 0) return {};
  return units::Money::from_micros(div_round(static_cast<wide>(amount.micros()) * num, den));
}

units::Money prorate(units::Money amount, std::int64_t num1, std::int64_t num2, std::int64_t den) {
  if (den <= 0) return {};
  return units::Money::from_micros(div_round(static_cast<wide>(amount.micros()) * num1 * num2, den));
}

units::Money price_of(units::Money per_gpu_hour, std::int64_t gpu_ms) {
  return prorate(per_gpu_hour, gpu_ms, ms_per_hour);
}

units::Money share_of(units::Money amount, double share) {
  return units::Money::from_micros(
      static_cast<std::int64_t>(std::llround(static_cast<double>(amount.micros()) * share)));
}

std::int64_t mul_div(std::int64_t total, std::int64_t num, std::int64_t den) {
  if (den <= 0) return 0;
  return static_cast<std::int64_t>(static_cast<wide>(total) * num / den);
}

std::vector<std::int64_t> split_exact(std::int64_t total, const std::vector<std::int64_t>& weights) {
  std::vector<std::int64_t> parts(weights.size(), 0);
  if (weights.empty()) return parts;
  std::vector<std::int64_t> w = weights;
  wide sum = 0;
  for (auto x : w) sum += std::max<std::int64_t>(x, 0);
  if (sum == 0) {
    if (total == 0) return parts;
    std::fill(w.begin(), w.end(), 1);
    sum = static_cast<wide>(w.size());
  }
  std::vector<std::pair<wide, std::size_t>> remainders;
  std::int64_t given = 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const wide num = static_cast<wide>(total) * std::max<std::int64_t>(w[i], 0);
    parts[i] = static_cast<std::int64_t>(num / sum);
    given += parts[i];
    remainders.push_back({num % sum, i});
  }
  // Largest remainders first; ties go to the earlier part, so the split is deterministic.
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  const std::int64_t step = total >= 0 ? 1 : -1;
  for (std::size_t k = 0; given != total; k = (k + 1) % remainders.size()) {
    parts[remainders[k].second] += step;
    given += step;
  }
  return parts;
}

}  // namespace leasesim::lease
