// A sweep file's points: the cartesian product of its axes applied to the base scenario (the file
// itself is read by scenario/sweep_file.hpp, whose header shows its shape).
//
// Axes combine as a cartesian product, the first axis varying slowest; the axes of one `zip` group
// move together. Point i's seed is point_seed(seed, i), so a point's result depends only on the
// sweep file and its index — never on -j, shards or resumption.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "leasesim/scenario/diagnostics.hpp"
#include "leasesim/scenario/scenario.hpp"
#include "leasesim/scenario/sweep_file.hpp"
#include "leasesim/sweep/expectation.hpp"
#include "leasesim/sweep/metrics.hpp"

namespace leasesim::sweep {

// The sweep file is read by the scenario layer (scenario/sweep_file.hpp, Schema<T> like every input
// file); this layer expands its values into points and runs them.
using Axis = scenario::SweepAxis;
using AxisGroup = scenario::SweepAxisGroup;
using SweepSpec = scenario::SweepFile;
using SweepLoad = scenario::SweepFileLoad;
using scenario::load_sweep_file;
using scenario::load_sweep_text;
using scenario::range_values;

// Every axis in column order (groups flattened).
std::vector<Axis> flat_axes(const SweepSpec& spec);

// The values of every point, one per flat axis, by point index (row-major: the last group fastest).
std::vector<std::vector<nlohmann::json>> expand_grid(const std::vector<AxisGroup>& groups);

// The seed of point `index`: SplitMix64 of the base seed and the index (never the base itself).
std::uint64_t point_seed(std::uint64_t base, std::size_t index);

// A shard K/N (1 ≤ K ≤ N) holds the points whose index ≡ K-1 (mod N): interleaved so shards of a
// sweep whose cost grows along an axis still take similar time.
struct Shard {
  int k = 1, n = 1;
  bool holds(std::size_t index) const { return static_cast<int>(index % static_cast<std::size_t>(n)) == k - 1; }
};
std::optional<Shard> parse_shard(const std::string& text, std::string& error);

// One point: its axis values and its scenario, loaded and validated with the point's seed.
struct SweepPoint {
  std::size_t index = 0;
  std::vector<nlohmann::json> values;
  std::uint64_t seed = 0;
  scenario::Scenario scenario;
  std::string scenario_text;  // the point's scenario document, for fingerprints
};

struct PointsLoad {
  std::vector<SweepPoint> points;  // the shard's points (every point for 1/1) when there were no problems
  std::size_t total = 0;           // points of the whole grid
  // FNV-1a over every point of the grid (scenario document, index, seed, replications), loaded or
  // not: the same for every shard of a sweep (sweep_fingerprint continues it).
  std::uint64_t grid_hash = 0;
  std::optional<scenario::Scenario> first;  // point 0's scenario: the default metrics, the metric paths' check
  std::size_t scenarios_loaded = 0;         // the shard's points, and point 0 when another shard holds it
  // The loaded points' warnings, each once: in the base scenario's name when every point has it,
  // else in the first point's that has it.
  std::vector<scenario::Diagnostics> warnings;
  std::string errors;  // one line per problem: the axes' of every point, the loaded points' scenarios'
};

// Applies each point's values to the base scenario and loads the points of `shard` strictly (every
// point by default); the others are only expanded, for the fingerprint.
PointsLoad build_points(const SweepSpec& spec, const Shard& shard = {});

// One FNV-1a step over `s`, with a separator after it.
std::uint64_t fnv1a(std::uint64_t h, const std::string& s);

// Applies `value` at `pointer` in `doc` (the parent must exist); empty on success, else the reason.
std::string set_at_pointer(nlohmann::json& doc, const std::string& pointer, const nlohmann::json& value);

}  // namespace leasesim::sweep
