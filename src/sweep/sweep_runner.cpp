// Running sweep points on worker processes with a durable file per point; resuming; merging shards.
#include "leasesim/sweep/sweep_runner.hpp"

#include <fmt/format.h>
#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "leasesim/perf/flow_network.hpp"
#include "leasesim/report/format.hpp"
#include "leasesim/report/output.hpp"
#include "leasesim/report/progress.hpp"
#include "leasesim/report/table.hpp"
#include "leasesim/scenario/json_text.hpp"
#include "leasesim/sweep/point_result.hpp"
#include "leasesim/sweep/worker_pool.hpp"

namespace leasesim::sweep {

namespace fs = std::filesystem;
using nlohmann::json;
using nlohmann::ordered_json;

namespace {

constexpr int exit_failed_point = 70;

// A file of the sweep folder, through the bounded reader of every input; empty when unreadable
// (the caller then finds no valid JSON in it).
std::string read_file(const fs::path& p) {
  scenario::Diagnostics ignored(p.string());
  return scenario::read_input_text(p.string(), ignored).value_or(std::string());
}

std::string point_stem(std::size_t index) { return fmt::format("{:08}", index); }

std::string csv_cell(const ordered_json& v) {
  if (v.is_null()) return {};
  std::string s = v.is_string() ? v.get<std::string>() : v.dump();
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

// A cell of the terminal table: integers with thousands separators (a seed stays as it is), other
// numbers to four significant figures, from 1,000 up whole and grouped — never scientific notation.
std::string text_cell(const ordered_json& v, bool grouping = true) {
  if (v.is_null()) return "-";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_unsigned())
    return grouping
               ? report::grouped(static_cast<long long>(std::min<std::uint64_t>(v.get<std::uint64_t>(), INT64_MAX)))
               : v.dump();
  if (v.is_number_integer()) return grouping ? report::grouped(v.get<long long>()) : v.dump();
  if (v.is_number()) {
    const double x = v.get<double>();
    if (!std::isfinite(x)) return "-";
    if (std::abs(x) >= 1000 || x == std::round(x)) return report::grouped(x, 0);
    const int decimals = std::clamp(3 - static_cast<int>(std::floor(std::log10(std::abs(x)))), 0, 12);
    std::string t = report::grouped(x, decimals);
    if (t.find('.') != std::string::npos) {
      while (t.back() == '0') t.pop_back();
      if (t.back() == '.') t.pop_back();
    }
    return t;
  }
  return v.dump();
}

std::vector<Metric> resolved_metrics(const SweepSpec& spec, const PointsLoad& points) {
  if (!spec.metrics.empty() || !points.first) return spec.metrics;
  return default_metrics(*points.first);
}

json manifest_json(const SweepSpec& spec, const std::string& fingerprint, std::size_t points,
                   const std::vector<std::string>& columns, const Shard& shard) {
  return {{"sweep", spec.label},
          {"fingerprint", fingerprint},
          {"points", points},
          {"columns", columns},
          {"shard", fmt::format("{}/{}", shard.k, shard.n)}};
}

// Every row file in `dir`/points that parses: point index → {row, violations}.
std::map<std::size_t, ordered_json> done_points(const fs::path& dir) {
  std::map<std::size_t, ordered_json> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir / "points", ec)) {
    const std::string name = e.path().filename().string();
    if (name.size() != 17 || name.compare(8, 9, ".row.json") != 0) continue;
    auto doc = ordered_json::parse(read_file(e.path()), nullptr, false);
    if (doc.is_discarded() || !doc.contains("row") || !doc["row"].contains("point")) continue;
    const auto index = doc["row"]["point"].get<std::size_t>();
    out[index] = std::move(doc);
  }
  return out;
}

// The temporaries in DIR/points of workers killed mid-write (report::is_stale_temporary): nothing else.
void remove_stale_temporaries(const fs::path& dir) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir / "points", ec)) {
    if (report::is_stale_temporary(e.path().filename().string()) && e.is_regular_file(ec) && !e.is_symlink(ec)) {
      fs::remove(e.path(), ec);
    }
  }
}

// Whether `dir`/sweep.json is a manifest this runner wrote (manifest_json): a regular file, not a
// link, holding a JSON object with a fingerprint and columns.
bool holds_manifest(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_regular_file(fs::symlink_status(dir / "sweep.json", ec))) return false;
  const auto m = json::parse(read_file(dir / "sweep.json"), nullptr, false);
  return m.is_object() && m.contains("fingerprint") && m["fingerprint"].is_string() && m.contains("columns");
}

// Checks that --out `dir` may be written: missing, empty (but for a temporary of sweep.json left by
// a kill), or a sweep folder of ours (holds_manifest) whose files and points/ are no symbolic links,
// so nothing outside the folder is ever written or removed. An error line without "leasesim: ".
std::string check_out_folder(const fs::path& dir) {
  std::error_code ec;
  const auto st = fs::status(dir, ec);
  if (!fs::exists(st)) return {};
  if (!fs::is_directory(st)) return fmt::format("--out {}: not a folder", dir.string());
  const bool ours = holds_manifest(dir);
  const auto link_error = [&](const std::string& name) {
    return fmt::format("--out {}: {} is a symbolic link; a sweep folder holds none, refusing to write through it",
                       dir.string(), name);
  };
  if (!ours) {
    const auto manifest = fs::symlink_status(dir / "sweep.json", ec);
    if (fs::is_symlink(manifest)) return link_error("sweep.json");
    if (fs::exists(manifest))
      return fmt::format(
          "--out {}: its sweep.json is not the manifest of a leasesim sweep; choose a new or empty folder",
          dir.string());
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      long pid = 0;
      if (report::is_temporary_of(e.path().filename().string(), "sweep.json", pid)) continue;
      return fmt::format("--out {}: not empty and not a sweep folder (no sweep.json); choose a new or empty folder",
                         dir.string());
    }
    if (ec) return fmt::format("--out {}: cannot read it: {}", dir.string(), ec.message());
    return {};
  }
  for (const char* name : {"results.csv", "results.jsonl", "points"}) {
    if (fs::is_symlink(fs::symlink_status(dir / name, ec))) return link_error(name);
  }
  const fs::path points = dir / "points";
  if (!fs::exists(fs::symlink_status(points, ec))) return {};
  if (!fs::is_directory(fs::symlink_status(points, ec)))
    return fmt::format("--out {}: points is not a folder", dir.string());
  for (const auto& e : fs::directory_iterator(points, ec)) {
    if (e.is_symlink(ec)) return link_error("points/" + e.path().filename().string());
  }
  if (ec) return fmt::format("--out {}: cannot read {}: {}", dir.string(), points.string(), ec.message());
  return {};
}

std::string write_tables(const fs::path& dir, const SweepTables& t) {
  if (auto why = report::write_atomically((dir / "results.csv").string(), t.csv()); !why.empty()) return why;
  return report::write_atomically((dir / "results.jsonl").string(), t.jsonl());
}

void collect(SweepOutcome& out, const std::map<std::size_t, ordered_json>& done,
             const std::vector<std::string>& columns) {
  out.tables.columns = columns;
  for (const auto& [index, doc] : done) {
    out.tables.rows.push_back(doc["row"]);
    for (const auto& v : doc["violations"])
      out.violations.push_back(fmt::format("point {}: {}", index, v.get<std::string>()));
  }
  if (!out.violations.empty() && out.exit_code == 0) out.exit_code = 1;
}

}  // namespace

std::string SweepTables::csv() const {
  std::string out;
  for (std::size_t c = 0; c < columns.size(); ++c) out += (c ? "," : "") + csv_cell(columns[c]);
  out += "\n";
  for (const auto& r : rows) {
    for (std::size_t c = 0; c < columns.size(); ++c)
      out += (c ? "," : "") + csv_cell(r.contains(columns[c]) ? r[columns[c]] : ordered_json());
    out += "\n";
  }
  return out;
}

std::string SweepTables::jsonl() const {
  std::string out;
  for (const auto& r : rows) out += r.dump() + "\n";
  return out;
}

namespace {

// A metric's name as a header of short lines: broken at each '.', and a part longer than 12
// characters at its '_'s ("productive_gpu_hours" -> "productive_" / "gpu_hours").
std::string stacked(const std::string& metric) {
  std::string out;
  std::size_t at = 0;
  while (at <= metric.size()) {
    const std::size_t dot = metric.find('.', at);
    const std::string part = metric.substr(at, dot == std::string::npos ? std::string::npos : dot - at);
    at = dot == std::string::npos ? metric.size() + 1 : dot + 1;
    std::string line;
    std::size_t p = 0;
    while (p < part.size()) {
      std::size_t u = part.find('_', p);
      const std::string piece = part.substr(p, u == std::string::npos ? std::string::npos : u - p + 1);
      p = u == std::string::npos ? part.size() : u + 1;
      if (!line.empty() && line.size() + piece.size() > 12) {
        out += (out.empty() ? "" : "\n") + line;
        line.clear();
      }
      line += piece;
    }
    out += (out.empty() ? "" : "\n") + line;
  }
  return out;
}

}  // namespace

std::string SweepTables::text(report::Layout layout) const {
  if (layout == report::Layout::wide) {
    std::vector<report::Column> cols;
    for (std::size_t c = 0; c < columns.size(); ++c) cols.push_back({columns[c], columns[c], true});
    report::Table t(cols);
    for (const auto& r : rows) {
      std::vector<report::Cell> cells;
      for (const auto& c : columns)
        cells.emplace_back(text_cell(r.contains(c) ? r[c] : ordered_json(), c != "seed"), json());
      t.add_row(std::move(cells));
    }
    return t.to_text(layout);
  }
  // Narrow: the point and its axes, then each metric's mean (or probability) under a header of
  // three lines (the metric's first part, the rest, the statistic) while they fit; the seed and the
  // P10/P50/P90 columns are --wide's (and results.csv's).
  const auto stat_of = [](const std::string& c) {
    const auto dot = c.rfind('.');
    return dot == std::string::npos ? std::string() : c.substr(dot + 1);
  };
  std::size_t first_metric = columns.size();
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const std::string st = stat_of(columns[c]);
    if (c >= 2 && (st == "mean" || st == "probability" || st == "p10" || st == "p50" || st == "p90")) {
      first_metric = c;
      break;
    }
  }
  std::vector<report::Column> cols;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const std::string& name = columns[c];
    if (c < first_metric) {
      cols.push_back({name, name, true, name == "seed" ? report::Column::wide_only : 0});
      continue;
    }
    const std::string st = stat_of(name);
    cols.push_back({name, stacked(name.substr(0, name.size() - st.size() - 1)) + "\n" + st, true,
                    st == "mean" || st == "probability" ? 1 : report::Column::wide_only});
  }
  // An axis every point shares goes to the title.
  std::string shared;
  for (std::size_t c = 2; c < first_metric; ++c) {
    bool same = !rows.empty();
    for (const auto& r : rows) same = same && r.contains(columns[c]) && r[columns[c]] == rows.front()[columns[c]];
    if (!same) continue;
    shared += fmt::format("{}{} {}", shared.empty() ? "" : ", ", columns[c], text_cell(rows.front()[columns[c]]));
    cols[c].drop = report::Column::wide_only;
  }
  report::Table t(cols, "One row per point: each metric's mean or probability over the replications" +
                            (shared.empty() ? std::string() : " (every point: " + shared + ")"));
  for (const auto& r : rows) {
    std::vector<report::Cell> cells;
    for (const auto& c : columns)
      cells.emplace_back(text_cell(r.contains(c) ? r[c] : ordered_json(), c != "seed"), json());
    t.add_row(std::move(cells));
  }
  return t.to_text(layout);
}

std::string sweep_fingerprint(const SweepSpec& spec, const PointsLoad& points) {
  std::uint64_t h = points.grid_hash;
  const auto axes = flat_axes(spec);
  for (const auto& c : row_columns(axes, resolved_metrics(spec, points))) h = fnv1a(h, c);
  for (const auto& m : resolved_metrics(spec, points))
    h = fnv1a(h, fmt::format("{}|{}|{}|{}", m.name, m.path, m.per, m.scale));
  for (const auto& e : spec.expect) h = fnv1a(h, e.text);
  return fmt::format("{:016x}", h);
}

SweepOutcome run_sweep(const SweepSpec& spec, const PointsLoad& load, const SweepOptions& options) {
  SweepOutcome out;
  const std::vector<SweepPoint>& points = load.points;
  const auto axes = flat_axes(spec);
  const auto metrics = resolved_metrics(spec, load);
  const auto columns = row_columns(axes, metrics);
  if (std::set<std::string>(columns.begin(), columns.end()).size() != columns.size()) {
    out.errors =
        fmt::format("{}: /axes: two columns share a name; give the axes or metrics distinct \"name\"s\n", spec.label);
    out.exit_code = 2;
    return out;
  }
  const bool temporary = options.out_dir.empty();
  fs::path dir = options.out_dir;
  if (temporary) {
    std::string pattern = (fs::temp_directory_path() / "leasesim-sweep-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a temporary folder");
    dir = pattern;
  }
  const std::string fingerprint = sweep_fingerprint(spec, load);
  const json manifest = manifest_json(spec, fingerprint, load.total, columns, options.shard);
  std::error_code ec;
  if (!temporary) {
    if (auto why = check_out_folder(dir); !why.empty()) {
      out.errors = "leasesim: " + why + "\n";
      out.exit_code = 2;
      return out;
    }
  }
  if (!temporary && fs::exists(dir / "sweep.json")) {
    const auto old = json::parse(read_file(dir / "sweep.json"), nullptr, false);
    if (!options.resume) {
      out.errors = fmt::format(
          "leasesim: {} already holds a sweep; pass --resume to finish it, or choose another --out\n", dir.string());
      out.exit_code = 2;
      return out;
    }
    if (old.is_discarded() || old.value("fingerprint", "") != fingerprint ||
        old.value("shard", "") != manifest["shard"]) {
      out.errors = fmt::format(
          "leasesim: {} holds a different sweep (or shard) than {}; --resume needs the same sweep file and --shard\n",
          dir.string(), spec.label);
      out.exit_code = 2;
      return out;
    }
  }
  // The manifest first: a folder killed right after it is still recognised as ours.
  fs::create_directories(dir, ec);
  if (ec) {
    out.errors = fmt::format("leasesim: cannot create {}: {}\n", dir.string(), ec.message());
    out.exit_code = 2;
    return out;
  }
  if (auto why = report::write_atomically((dir / "sweep.json").string(), manifest.dump(2) + "\n"); !why.empty()) {
    out.errors = "leasesim: " + why + "\n";
    out.exit_code = 2;
    return out;
  }
  fs::create_directories(dir / "points", ec);
  if (ec) {
    out.errors = fmt::format("leasesim: cannot create {}: {}\n", (dir / "points").string(), ec.message());
    out.exit_code = 2;
    return out;
  }
  remove_stale_temporaries(dir);

  auto done = done_points(dir);
  std::vector<std::size_t> pending;
  std::size_t in_shard = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (!options.shard.holds(points[i].index)) continue;
    ++in_shard;
    if (done.count(points[i].index) == 0) pending.push_back(i);
  }
  for (auto it = done.begin(); it != done.end();) it = options.shard.holds(it->first) ? std::next(it) : done.erase(it);
  out.reused = done.size();

  const bool keep_full = !temporary;
  const auto handler = [&](std::size_t i) -> std::string {
    const auto r = evaluate_point(points[i], axes, metrics, spec.expect);
    const fs::path base = dir / "points" / point_stem(points[i].index);
    if (keep_full) {
      if (auto why = report::write_atomically(base.string() + ".json", r.result.dump() + "\n"); !why.empty())
        throw std::runtime_error(why);
    }
    const ordered_json row_doc = {{"row", r.row}, {"violations", r.violations}};
    if (auto why = report::write_atomically(base.string() + ".row.json", row_doc.dump() + "\n"); !why.empty())
      throw std::runtime_error(why);
    return {};
  };
  // A process's SimGrid platform is fixed at its engine's first run: an analytical point builds one
  // host, and a flow point after it could not add the flow network's pools. When the points mix
  // fidelities the pools are built here, before the workers fork (they share the pages).
  const auto is_flow = [&](std::size_t i) { return points[i].scenario.fidelity == cluster::Fidelity::flow; };
  if (std::any_of(pending.begin(), pending.end(), is_flow) && !std::all_of(pending.begin(), pending.end(), is_flow))
    perf::FlowNetwork::instance();
  report::Progress progress("sweep", in_shard, "points", options.progress);
  progress.set_already(out.reused);
  std::size_t finished = 0;
  run_tasks(pending, options.workers, handler, [&](const TaskOutcome& o) {
    ++finished;
    if (!o.ok) {
      out.errors += fmt::format("leasesim: point {} failed: {}\n", points[o.task].index, o.result);
      out.exit_code = exit_failed_point;
    } else {
      ++out.ran;
    }
    progress.update(finished + out.reused);
  });
  progress.clear();

  done = done_points(dir);
  for (auto it = done.begin(); it != done.end();) it = options.shard.holds(it->first) ? std::next(it) : done.erase(it);
  collect(out, done, columns);
  if (!temporary) {
    if (auto why = write_tables(dir, out.tables); !why.empty()) {
      out.errors += "leasesim: " + why + "\n";
      out.exit_code = 2;
    }
  } else {
    fs::remove_all(dir, ec);
  }
  return out;
}

SweepOutcome merge_sweeps(const std::vector<std::string>& dirs, const std::string& out_dir) {
  SweepOutcome out;
  std::optional<json> first;
  std::map<std::size_t, ordered_json> rows;
  std::map<std::size_t, fs::path> sources;
  for (const auto& d : dirs) {
    const auto m = json::parse(read_file(fs::path(d) / "sweep.json"), nullptr, false);
    if (m.is_discarded() || !m.contains("fingerprint")) {
      out.errors += fmt::format("leasesim: {}: expected a sweep output folder (with sweep.json), found none\n", d);
      continue;
    }
    if (!first) first = m;
    if (m["fingerprint"] != (*first)["fingerprint"] || m["columns"] != (*first)["columns"]) {
      out.errors +=
          fmt::format("leasesim: {}: holds a different sweep than {} (fingerprint {}, expected {})\n", d, dirs.front(),
                      m["fingerprint"].get<std::string>(), (*first)["fingerprint"].get<std::string>());
      continue;
    }
    for (auto& [index, doc] : done_points(d)) {
      if (rows.count(index) != 0 && rows[index] != doc) {
        out.errors += fmt::format("leasesim: point {} differs between {} and {}\n", index, sources[index].string(), d);
        continue;
      }
      rows[index] = std::move(doc);
      sources[index] = d;
    }
  }
  if (!first) out.errors += "leasesim: merge: no sweep folder to merge\n";
  if (out.errors.empty()) {
    const auto total = (*first)["points"].get<std::size_t>();
    std::vector<std::size_t> missing;
    for (std::size_t i = 0; i < total; ++i) {
      if (rows.count(i) == 0) missing.push_back(i);
    }
    if (!missing.empty()) {
      out.errors +=
          fmt::format("leasesim: merge: {} of {} points missing (first: {}); run the missing shards or --resume them\n",
                      missing.size(), total, missing.front());
    }
  }
  if (!out.errors.empty()) {
    out.exit_code = 2;
    return out;
  }
  collect(out, rows, (*first)["columns"].get<std::vector<std::string>>());
  if (out_dir.empty()) return out;
  const fs::path dir = out_dir;
  if (auto why = check_out_folder(dir); !why.empty()) {
    out.errors = "leasesim: " + why + "\n";
    out.exit_code = 2;
    return out;
  }
  std::error_code ec;
  fs::create_directories(dir / "points", ec);
  json manifest = *first;
  manifest["shard"] = "1/1";
  std::string why = report::write_atomically((dir / "sweep.json").string(), manifest.dump(2) + "\n");
  for (const auto& [index, src] : sources) {
    if (!why.empty()) break;
    const fs::path full = fs::path(src) / "points" / (point_stem(index) + ".json");
    if (fs::exists(full)) why = report::write_atomically((dir / "points" / full.filename()).string(), read_file(full));
    if (why.empty())
      why = report::write_atomically((dir / "points" / (point_stem(index) + ".row.json")).string(),
                                     rows[index].dump() + "\n");
  }
  if (why.empty()) why = write_tables(dir, out.tables);
  if (!why.empty()) {
    out.errors = "leasesim: " + why + "\n";
    out.exit_code = 2;
  }
  return out;
}

}  // namespace leasesim::sweep
