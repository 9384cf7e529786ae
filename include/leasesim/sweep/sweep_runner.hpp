// Running a sweep durably, and merging shard outputs.
//
// Output folder (--out DIR):
//   DIR/sweep.json            what the folder holds: the sweep, its fingerprint, columns, shard
//   DIR/points/NNNNNNNN.json  a point's full result (the aggregated run document), when kept
//   DIR/points/NNNNNNNN.row.json  the point's row and expectation violations: written last, so its
//                             presence means the point is done
//   DIR/results.csv, DIR/results.jsonl   every row of the folder, by point index
// Every file is written atomically (temporary, fsync, rename, fsync of the folder), so after a
// `kill -9` a point is either complete or absent, and the tables are rebuilt from the point files.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "leasesim/report/table.hpp"
#include "leasesim/sweep/sweep_spec.hpp"

namespace leasesim::sweep {

struct SweepOptions {
  std::string out_dir;  // empty: a temporary folder, removed afterwards
  int workers = 1;
  Shard shard;
  bool resume = false;
  bool progress = false;  // a progress line on stderr (report/progress.hpp), cleared at the end
};

struct SweepTables {
  std::vector<std::string> columns;
  std::vector<nlohmann::ordered_json> rows;  // by point index
  std::string csv() const;
  std::string jsonl() const;
  // Aligned, for a terminal: narrow fits 120 columns (the axes, then the metrics' means while they
  // fit), wide has every column.
  std::string text(report::Layout layout = report::Layout::narrow) const;
};

struct SweepOutcome {
  int exit_code = 0;                    // 0, 1 (expectations), 2 (bad input), 70 (a point failed)
  std::string errors;                   // lines for stderr
  std::vector<std::string> violations;  // "point I (axes): PATH: expected …, found …"
  SweepTables tables;
  std::size_t ran = 0, reused = 0;  // points simulated now, points found done (resume)
};

// Runs the points of `shard` (all of them when 1/1) that the folder does not already hold: `points`
// from build_points(spec, shard) (or with a larger shard: the others are skipped).
SweepOutcome run_sweep(const SweepSpec& spec, const PointsLoad& points, const SweepOptions& options);

// Joins the folders of shards of one sweep into `out_dir` (or only the tables when empty); fails
// (exit 2) when the folders are of different sweeps, overlap inconsistently, or miss points.
SweepOutcome merge_sweeps(const std::vector<std::string>& dirs, const std::string& out_dir);

// A stable hash of what determines the results: every point's scenario, seed, replications, the
// columns and the expectations.
std::string sweep_fingerprint(const SweepSpec& spec, const PointsLoad& points);

}  // namespace leasesim::sweep
