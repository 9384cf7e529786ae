// A sweep file (`leasesim sweep`), read strictly with Schema<T> like every input file:
//
//   {"scenario": "../reflection-colossus2.json",          (a path relative to the sweep file, or inline)
//    "replications": 2, "seed": 7, "seeds": "per-point",   ("common": every point uses `seed`)
//    "axes": [{"path": "/cluster/racks", "values": [14, 28]},
//             {"path": "/generators/0/arrivals_per_day", "range": {"from": 1, "to": 4, "step": 1}},
//             {"zip": [{"path": "/cluster/racks", "values": [14, 28]}, {"path": "/leases/0/racks", "values": [14,
//             28]}]}],
//    "metrics": ["jobs.pretrain.ettr", {"name": "idle_fraction", "path": "…", "per": "…", "stats": ["mean"]}],
//    "expect": ["jobs.pretrain.deadline_met == true"]}
//
// The scenario layer reads it into these values; the sweep layer (sweep/sweep_spec.hpp) expands
// them into points and runs them. Bounds: at most max_sweep_points points (the product of the
// axes), max_axis_values values per axis, max_sweep_axes axes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "leasesim/scenario/diagnostics.hpp"
#include "leasesim/scenario/expectation_grammar.hpp"
#include "leasesim/scenario/schema.hpp"

namespace leasesim::scenario {

// Every point holds its scenario in memory while the sweep runs (about 35 kB each for the shipped
// small-cluster scenario): 10,000 points stay well under a gigabyte.
inline constexpr std::size_t max_sweep_points = 10'000;
inline constexpr std::size_t max_axis_values = 10'000;
inline constexpr std::size_t max_sweep_axes = 100;

struct SweepAxis {
  std::string name;     // column name: given, or the pointer without its leading '/' and with '.' for '/'
  std::string pointer;  // JSON pointer into the scenario
  std::vector<Json> values;
};

// Axes that move together (one axis alone is a group of one).
struct SweepAxisGroup {
  std::vector<SweepAxis> axes;
  std::size_t size() const { return axes.empty() ? 0 : axes.front().values.size(); }
};

// A figure a sweep reports per point (sweep/metrics.hpp computes it).
struct SweepMetric {
  std::string name;                // column prefix, with its unit
  std::string path;                // into a replication's run document (dotted keys or JSON pointer)
  std::string per;                 // optional denominator path: the metric is path / per, per replication
  double scale = 1;                // multiplies the value (e.g. seconds → days)
  std::vector<std::string> stats;  // of: mean, p10, p50, p90, min, max, probability
};

inline const std::vector<std::string> metric_stats = {"mean", "p10", "p50", "p90", "min", "max", "probability"};

struct SweepFile {
  std::string label;     // the sweep file, for messages
  std::string base_dir;  // where a scenario path is relative to (set before reading)
  std::string description;
  Json base;               // the base scenario document
  std::string base_label;  // its file, or "LABEL#/scenario" when inline
  std::vector<SweepAxisGroup> groups;
  std::optional<int> replications;    // default: the scenario's
  std::optional<std::uint64_t> seed;  // default: the scenario's
  bool common_seed = false;
  std::vector<SweepMetric> metrics;  // empty: the default metrics of the first point
  std::vector<Expectation> expect;
};

struct SweepFileLoad {
  std::optional<SweepFile> spec;  // set only when there were no problems
  Diagnostics diagnostics;
};

// `base_dir` resolves a scenario path; load_sweep_file uses the sweep file's folder.
SweepFileLoad load_sweep_text(std::string_view text, const std::string& label, const std::string& base_dir);
SweepFileLoad load_sweep_file(const std::string& path);

const Schema<SweepFile>& sweep_file_schema();

// Values of a range {from, to, step}: from, from+step, … up to `to` (inclusive within 1e-9 of a
// step); integers when from, to and step are integers.
std::vector<Json> range_values(double from, double to, double step, bool integers);

}  // namespace leasesim::scenario
