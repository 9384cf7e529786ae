// Expanding a sweep file (scenario/sweep_file.hpp) into points.
#include "leasesim/sweep/sweep_spec.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "leasesim/cluster/random_stream.hpp"
#include "leasesim/scenario/schema.hpp"

namespace leasesim::sweep {

using nlohmann::json;
using scenario::describe_found;
using scenario::Diagnostics;
using scenario::pointer_join;

std::vector<Axis> flat_axes(const SweepSpec& spec) {
  std::vector<Axis> out;
  for (const auto& g : spec.groups) out.insert(out.end(), g.axes.begin(), g.axes.end());
  return out;
}

std::vector<std::vector<json>> expand_grid(const std::vector<AxisGroup>& groups) {
  std::size_t total = groups.empty() ? 0 : 1;
  for (const auto& g : groups) total *= g.size();
  std::vector<std::vector<json>> points;
  points.reserve(total);
  for (std::size_t i = 0; i < total; ++i) {
    std::vector<std::size_t> at(groups.size());
    std::size_t rest = i;
    for (std::size_t g = groups.size(); g-- > 0;) {
      at[g] = rest % groups[g].size();
      rest /= groups[g].size();
    }
    std::vector<json> values;
    for (std::size_t g = 0; g < groups.size(); ++g) {
      for (const auto& a : groups[g].axes) values.push_back(a.values[at[g]]);
    }
    points.push_back(std::move(values));
  }
  return points;
}

std::uint64_t point_seed(std::uint64_t base, std::size_t index) {
  return cluster::splitmix64(cluster::splitmix64(base) ^
                             cluster::splitmix64(0x5EE9ull + static_cast<std::uint64_t>(index)));
}

std::optional<Shard> parse_shard(const std::string& text, std::string& error) {
  Shard s;
  char slash = 0;
  std::size_t used = 0;
  try {
    s.k = std::stoi(text, &used);
    slash = used < text.size() ? text[used] : '\0';
    std::size_t used2 = 0;
    s.n = std::stoi(text.substr(used + 1), &used2);
    if (used + 1 + used2 != text.size()) slash = 0;
  } catch (const std::exception&) {
    slash = 0;
  }
  if (slash != '/' || s.n < 1 || s.k < 1 || s.k > s.n) {
    error = fmt::format("--shard: expected K/N with 1 ≤ K ≤ N (e.g. 2/4), found \"{}\"", text);
    return std::nullopt;
  }
  return s;
}

std::string set_at_pointer(json& doc, const std::string& pointer, const json& value) {
  json::json_pointer p(pointer);
  const json::json_pointer parent = p.parent_pointer();
  if (!doc.contains(parent))
    return fmt::format("no {} in the scenario", parent.to_string().empty() ? "document" : parent.to_string());
  json& holder = doc.at(parent);
  const std::string key = p.back();
  if (holder.is_object()) {
    holder[key] = value;
    return {};
  }
  if (holder.is_array()) {
    if (key.find_first_not_of("0123456789") != std::string::npos || key.empty() || std::stoul(key) >= holder.size())
      return fmt::format("{} has no element {} (it has {})", parent.to_string(), key, holder.size());
    holder[std::stoul(key)] = value;
    return {};
  }
  return fmt::format("{} is not an object or a list", parent.to_string());
}

std::uint64_t fnv1a(std::uint64_t h, const std::string& s) {
  for (unsigned char c : s) h = (h ^ c) * 0x100000001B3ull;
  return (h ^ 0xFF) * 0x100000001B3ull;  // a separator, so ("ab","c") and ("a","bc") differ
}

namespace {

// The replications a point runs, from its document: the sweep's, else the scenario's (default 1) —
// what loading the point gives, without loading it.
int point_replications(const SweepSpec& spec, const json& doc) {
  if (spec.replications) return *spec.replications;
  const auto it = doc.find("replications");
  return it != doc.end() && it->is_number() ? static_cast<int>(it->get<double>()) : 1;
}

}  // namespace

PointsLoad build_points(const SweepSpec& spec, const Shard& shard) {
  PointsLoad out;
  const auto axes = flat_axes(spec);
  const auto grid = expand_grid(spec.groups);
  out.total = grid.size();
  std::uint64_t base_seed = spec.seed.value_or(0);
  if (!spec.seed)
    base_seed = spec.base.contains("seed") && spec.base["seed"].is_number_unsigned()
                    ? spec.base["seed"].get<std::uint64_t>()
                    : 1;
  // Each warning once, with the labels of the points it came from.
  struct Seen {
    std::string path, message, first_label;
    std::size_t points = 0;
  };
  std::vector<Seen> seen;
  std::size_t loaded_points = 0;
  out.grid_hash = 0xCBF29CE484222325ull;
  for (std::size_t i = 0; i < grid.size(); ++i) {
    json doc = spec.base;
    std::string labels;
    bool ok = true;
    for (std::size_t a = 0; a < axes.size(); ++a) {
      labels += fmt::format("{}{}={}", labels.empty() ? "" : ", ", axes[a].name, grid[i][a].dump());
      if (auto why = set_at_pointer(doc, axes[a].pointer, grid[i][a]); !why.empty()) {
        out.errors +=
            fmt::format("{}: /axes: point {} ({}): cannot set {}: {}\n", spec.label, i, labels, axes[a].pointer, why);
        ok = false;
      }
    }
    if (!ok) continue;
    const std::uint64_t seed = spec.common_seed ? base_seed : point_seed(base_seed, i);
    std::string text = doc.dump();
    // The fingerprint covers every point of the grid, so every shard of a sweep has the same one.
    out.grid_hash = fnv1a(out.grid_hash, text);
    out.grid_hash = fnv1a(out.grid_hash, fmt::format("{} {} {}", i, seed, point_replications(spec, doc)));
    // Only the shard's points are loaded (and point 0, whose scenario gives the default metrics).
    const bool in_shard = shard.holds(i);
    if (!in_shard && i != 0) continue;
    const std::string label = fmt::format("{} point {} ({})", spec.label, i, labels);
    auto loaded = scenario::load_scenario_text(text, label);
    ++out.scenarios_loaded;
    if (!loaded.scenario) {
      out.errors += loaded.diagnostics.format();
      continue;
    }
    if (i == 0) out.first = *loaded.scenario;
    if (!in_shard) continue;
    ++loaded_points;
    for (const auto& w : loaded.diagnostics.warnings()) {
      auto it = std::find_if(seen.begin(), seen.end(),
                             [&](const Seen& x) { return x.path == w.path && x.message == w.message; });
      if (it == seen.end()) it = seen.insert(seen.end(), Seen{w.path, w.message, label, 0});
      ++it->points;
    }
    SweepPoint p;
    p.index = i;
    p.values = grid[i];
    p.seed = seed;
    p.scenario_text = std::move(text);
    p.scenario = std::move(*loaded.scenario);
    if (spec.base.contains("name") && spec.base["name"].is_string())
      p.scenario.name = spec.base["name"].get<std::string>();
    p.scenario.seed = p.seed;
    if (spec.replications) p.scenario.replications = *spec.replications;
    out.points.push_back(std::move(p));
  }
  // A warning every point has is the base scenario's, printed once in its name; one only some
  // points have (an axis value) in the first such point's.
  for (const auto& w : seen) {
    const std::string file = w.points == loaded_points ? spec.base_label : w.first_label;
    auto it =
        std::find_if(out.warnings.begin(), out.warnings.end(), [&](const Diagnostics& d) { return d.file() == file; });
    if (it == out.warnings.end()) it = out.warnings.insert(out.warnings.end(), Diagnostics(file));
    it->warn(w.path, w.message);
  }
  // A metric path the run document does not have would give a column of nulls ("-"): refused here,
  // against the first point's scenario (the default metrics come from it too).
  if (out.errors.empty() && out.first && !spec.metrics.empty()) {
    const json shape = run_document_shape(*out.first);
    for (std::size_t i = 0; i < spec.metrics.size(); ++i) {
      const auto& m = spec.metrics[i];
      const auto at = pointer_join("/metrics", i);
      if (auto why = metric_path_problem(shape, m.path); !why.empty()) {
        out.errors += fmt::format("{}: {}: expected a path to a figure of the run document, found \"{}\" ({})\n",
                                  spec.label, at, m.path, why);
      }
      if (m.per.empty()) continue;
      if (auto why = metric_path_problem(shape, m.per); !why.empty()) {
        out.errors += fmt::format("{}: {}: expected a path to a figure of the run document, found \"{}\" ({})\n",
                                  spec.label, pointer_join(at, "per"), m.per, why);
      }
    }
  }
  if (!out.errors.empty()) out.points.clear();
  return out;
}

}  // namespace leasesim::sweep
