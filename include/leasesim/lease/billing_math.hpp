// Exact money arithmetic for the ledger: prices times GPU-milliseconds, prorations and shares,
// each rounded once (half away from zero) to the micro-dollar with 128-bit intermediates, and the
// largest-remainder split that divides an integer total into parts that sum back exactly.
#pragma once

#include <cstdint>
#include <vector>

#include "leasesim/units/money.hpp"

namespace leasesim::lease {

inline constexpr std::int64_t ms_per_hour = 3'600'000;

// `amount` × num / den, rounded once. den > 0.
units::Money prorate(units::Money amount, std::int64_t num, std::int64_t den);
// `amount` × num1 × num2 / den, rounded once (prorations by capacity share and by time at once).
units::Money prorate(units::Money amount, std::int64_t num1, std::int64_t num2, std::int64_t den);
// A price per GPU-hour times GPU-milliseconds.
units::Money price_of(units::Money per_gpu_hour, std::int64_t gpu_ms);
// `amount` × share (a double in [0, 1] or beyond), rounded once.
units::Money share_of(units::Money amount, double share);
// `total` split in proportion to `weights` (all ≥ 0); parts sum exactly to `total`. All-zero
// weights give all-zero parts unless `total` is non-zero, when the parts split evenly.
std::vector<std::int64_t> split_exact(std::int64_t total, const std::vector<std::int64_t>& weights);
// total × num / den rounded down, 128-bit intermediate.
std::int64_t mul_div(std::int64_t total, std::int64_t num, std::int64_t den);

}  // namespace leasesim::lease
