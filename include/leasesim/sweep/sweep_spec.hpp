// A sweep file and the points it expands to.
//
//   {"scenario": "../reflection-colossus2.json",          (a path relative to the sweep file, or inline)
//    "replications": 2, "seed": 7, "seeds": "per-point",   ("common": every point uses `seed`)
//    "axes": [{"path": "/cluster/racks", "values": [14, 28]},
//             {"path": "/generators/0/arrivals_per_day", "range": {"from": 1, "to": 4, "step": 1}},
//             {"zip": [{"path": "/cluster/racks", "values": [14, 28]}, {"path": "/leases/0/racks", "values": [14, 28]}]}],
//    "metrics": ["jobs.pretrain.ettr", {"name": "idle_fraction", "path": "…", "per": "…", "stats": ["mean"]}],
//    "expect": ["jobs.pretrain.deadline_met == true"]}
//
// Axes combine as a cartesian product, the first axis varying slowest; the axes of one `zip` group
// move together. Point i's seed is point_seed(seed, i), so a point's result depends only on the
// sweep file and its index — never on -j, shards or resumption.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "leasesim/scenario/diagnostics.hpp"
#include "leasesim/scenario/scenario.hpp"
#include "leasesim/sweep/expectation.hpp"
#include "leasesim/sweep/metrics.hpp"

namespace leasesim::sweep {

struct Axis {
  std::string name;     // column name: given, or the pointer without its leading '/' and with '.' for '/'
  std::string pointer;  // JSON pointer into the scenario
  std::vector<nlohmann::json> values;
};

// Axes that move together (one axis alone is a group of one).
struct AxisGroup {
  std::vector<Axis> axes;
  std::size_t size() const { return axes.empty() ? 0 : axes.front().values.size(); }
};

struct SweepSpec {
  std::string label;       // the sweep file, for messages
  nlohmann::json base;     // the base scenario document
  std::string base_label;  // its file, or "LABEL#/scenario" when inline
  std::vector<AxisGroup> groups;
  std::optional<int> replications;      // default: the scenario's
  std::optional<std::uint64_t> seed;    // default: the scenario's
  bool common_seed = false;
  std::vector<Metric> metrics;          // empty: default_metrics of the first point
  std::vector<Expectation> expect;
};

struct SweepLoad {
  std::optional<SweepSpec> spec;
  scenario::Diagnostics diagnostics;
};

// `base_dir` resolves a scenario path; load_sweep_file uses the sweep file's folder.
SweepLoad load_sweep_text(const std::string& text, const std::string& label, const std::string& base_dir);
SweepLoad load_sweep_file(const std::string& path);

// Every axis in column order (groups flattened).
std::vector<Axis> flat_axes(const SweepSpec& spec);

// The values of every point, one per flat axis, by point index (row-major: the last group fastest).
std::vector<std::vector<nlohmann::json>> expand_grid(const std::vector<AxisGroup>& groups);

// Values of a range {from, to, step}: from, from+step, … up to `to` (inclusive within 1e-9 of a
// step); integers when from, to and step are integers.
std::vector<nlohmann::json> range_values(double from, double to, double step, bool integers);

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
  std::vector<SweepPoint> points;  // every point when there were no problems
  std::string errors;              // one line per problem, every point's
};

// Applies each point's values to the base scenario and loads it strictly.
PointsLoad build_points(const SweepSpec& spec);

// Applies `value` at `pointer` in `doc` (the parent must exist); empty on success, else the reason.
std::string set_at_pointer(nlohmann::json& doc, const std::string& pointer, const nlohmann::json& value);

// Shared with plan files: reports (and returns false on) keys of `v` not in `allowed`.
bool check_keys(const nlohmann::json& v, const std::string& path, std::initializer_list<const char*> allowed, scenario::Diagnostics& d);
// The base scenario of a sweep or plan file: inline, or a path relative to `base_dir`.
std::optional<nlohmann::json> read_base_scenario(const nlohmann::json& v, const std::string& label, const std::string& base_dir,
                                                 std::string& base_label, scenario::Diagnostics& d);

}  // namespace leasesim::sweep
