// Expanding a sweep file (scenario/sweep_file.hpp) into points.
#include "leasesim/sweep/sweep_spec.hpp"

#include <fmt/format.h>

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

PointsLoad build_points(const SweepSpec& spec) {
  PointsLoad out;
  const auto axes = flat_axes(spec);
  const auto grid = expand_grid(spec.groups);
  std::uint64_t base_seed = spec.seed.value_or(0);
  if (!spec.seed)
    base_seed = spec.base.contains("seed") && spec.base["seed"].is_number_unsigned()
                    ? spec.base["seed"].get<std::uint64_t>()
                    : 1;
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
    SweepPoint p;
    p.index = i;
    p.values = grid[i];
    p.seed = spec.common_seed ? base_seed : point_seed(base_seed, i);
    p.scenario_text = doc.dump();
    auto loaded = scenario::load_scenario_text(p.scenario_text, fmt::format("{} point {} ({})", spec.label, i, labels));
    if (!loaded.scenario) {
      out.errors += loaded.diagnostics.format();
      continue;
    }
    p.scenario = std::move(*loaded.scenario);
    if (spec.base.contains("name") && spec.base["name"].is_string())
      p.scenario.name = spec.base["name"].get<std::string>();
    p.scenario.seed = p.seed;
    if (spec.replications) p.scenario.replications = *spec.replications;
    out.points.push_back(std::move(p));
  }
  // A metric path the run document does not have would give a column of nulls ("-"): refused here,
  // against the first point's scenario (the default metrics come from it too).
  if (out.errors.empty() && !out.points.empty() && !spec.metrics.empty()) {
    const json shape = run_document_shape(out.points.front().scenario);
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
