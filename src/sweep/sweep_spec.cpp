// Reading sweep files strictly (every problem, one line each) and expanding them into points.
#include "leasesim/sweep/sweep_spec.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>

#include "leasesim/cluster/random_stream.hpp"
#include "leasesim/scenario/json_text.hpp"
#include "leasesim/scenario/schema.hpp"

namespace leasesim::sweep {

using nlohmann::json;
using scenario::describe_found;
using scenario::Diagnostics;
using scenario::pointer_join;

namespace {

std::string default_axis_name(const std::string& pointer) {
  std::string name = pointer.substr(pointer.empty() ? 0 : 1);
  for (char& c : name) c = c == '/' ? '.' : c;
  return name;
}

std::optional<Axis> read_axis(const json& v, const std::string& path, Diagnostics& d) {
  if (!v.is_object()) {
    d.expected(path, "an axis {\"path\": POINTER, \"values\": [...]} or {\"path\": …, \"range\": {from, to, step}}", describe_found(v));
    return std::nullopt;
  }
  if (!check_keys(v, path, {"name", "path", "values", "range"}, d)) return std::nullopt;
  Axis a;
  if (!v.contains("path") || !v["path"].is_string() || v["path"].get<std::string>().empty() || v["path"].get<std::string>()[0] != '/') {
    d.expected(pointer_join(path, "path"), "a JSON pointer into the scenario (e.g. \"/cluster/racks\")",
               v.contains("path") ? describe_found(v["path"]) : "nothing");
    return std::nullopt;
  }
  a.pointer = v["path"].get<std::string>();
  try {
    const json::json_pointer check(a.pointer);
  } catch (const json::exception&) {
    d.expected(pointer_join(path, "path"), "a JSON pointer (RFC 6901)", describe_found(v["path"]));
    return std::nullopt;
  }
  a.name = default_axis_name(a.pointer);
  if (v.contains("name")) {
    if (!v["name"].is_string() || v["name"].get<std::string>().empty()) d.expected(pointer_join(path, "name"), "a column name", describe_found(v["name"]));
    else a.name = v["name"].get<std::string>();
  }
  const bool has_values = v.contains("values"), has_range = v.contains("range");
  if (has_values == has_range) {
    d.expected(path, "exactly one of \"values\" or \"range\"", has_values ? "both" : "neither");
    return std::nullopt;
  }
  if (has_values) {
    const auto& vals = v["values"];
    if (!vals.is_array() || vals.empty() || vals.size() > 100000) {
      d.expected(pointer_join(path, "values"), "a list of 1 to 100000 values", describe_found(vals));
      return std::nullopt;
    }
    a.values.assign(vals.begin(), vals.end());
    return a;
  }
  const auto& r = v["range"];
  const std::string rp = pointer_join(path, "range");
  if (!r.is_object()) {
    d.expected(rp, "{\"from\": A, \"to\": B, \"step\": S}", describe_found(r));
    return std::nullopt;
  }
  if (!check_keys(r, rp, {"from", "to", "step"}, d)) return std::nullopt;
  bool ok = true;
  for (const char* k : {"from", "to", "step"}) {
    if (!r.contains(k) || !r[k].is_number()) {
      d.expected(pointer_join(rp, k), "a number", r.contains(k) ? describe_found(r[k]) : "nothing");
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  const double from = r["from"].get<double>(), to = r["to"].get<double>(), step = r["step"].get<double>();
  if (!(step > 0) || to < from || (to - from) / step > 100000) {
    d.expected(rp, "step > 0, to ≥ from and at most 100000 values", r.dump());
    return std::nullopt;
  }
  const bool ints = r["from"].is_number_integer() && r["to"].is_number_integer() && r["step"].is_number_integer();
  a.values = range_values(from, to, step, ints);
  return a;
}

std::optional<AxisGroup> read_group(const json& v, const std::string& path, Diagnostics& d) {
  AxisGroup g;
  if (v.is_object() && v.contains("zip")) {
    if (!check_keys(v, path, {"zip"}, d)) return std::nullopt;
    const auto& z = v["zip"];
    const std::string zp = pointer_join(path, "zip");
    if (!z.is_array() || z.empty()) {
      d.expected(zp, "a list of axes that move together", describe_found(z));
      return std::nullopt;
    }
    for (std::size_t i = 0; i < z.size(); ++i) {
      if (auto a = read_axis(z[i], pointer_join(zp, i), d)) g.axes.push_back(std::move(*a));
    }
    if (g.axes.size() != z.size()) return std::nullopt;
    for (std::size_t i = 1; i < g.axes.size(); ++i) {
      if (g.axes[i].values.size() != g.axes[0].values.size()) {
        d.expected(pointer_join(zp, i), fmt::format("{} values, as many as the group's first axis", g.axes[0].values.size()),
                   fmt::format("{}", g.axes[i].values.size()));
        return std::nullopt;
      }
    }
    return g;
  }
  auto a = read_axis(v, path, d);
  if (!a) return std::nullopt;
  g.axes.push_back(std::move(*a));
  return g;
}

std::optional<Metric> read_metric(const json& v, const std::string& path, Diagnostics& d) {
  Metric m;
  m.stats = {"mean", "p10", "p50", "p90"};
  if (v.is_string()) {
    m.path = m.name = v.get<std::string>();
    if (m.name.rfind("jobs.", 0) == 0) m.name = m.name.substr(5);
    if (m.path.empty()) d.expected(path, "a path into the run document", "\"\"");
    return m.path.empty() ? std::nullopt : std::optional<Metric>(m);
  }
  if (!v.is_object()) {
    d.expected(path, "a path, or {\"name\", \"path\", \"per\", \"scale\", \"stats\"}", describe_found(v));
    return std::nullopt;
  }
  if (!check_keys(v, path, {"name", "path", "per", "scale", "stats"}, d)) return std::nullopt;
  if (!v.contains("path") || !v["path"].is_string() || v["path"].get<std::string>().empty()) {
    d.expected(pointer_join(path, "path"), "a path into the run document", v.contains("path") ? describe_found(v["path"]) : "nothing");
    return std::nullopt;
  }
  m.path = m.name = v["path"].get<std::string>();
  if (v.contains("name") && v["name"].is_string()) m.name = v["name"].get<std::string>();
  if (v.contains("per") && v["per"].is_string()) m.per = v["per"].get<std::string>();
  if (v.contains("scale")) {
    if (!v["scale"].is_number()) d.expected(pointer_join(path, "scale"), "a number", describe_found(v["scale"]));
    else m.scale = v["scale"].get<double>();
  }
  if (v.contains("stats")) {
    const auto& s = v["stats"];
    m.stats.clear();
    for (std::size_t i = 0; s.is_array() && i < s.size(); ++i) {
      const bool known = s[i].is_string() && std::find(all_stats.begin(), all_stats.end(), s[i].get<std::string>()) != all_stats.end();
      if (!known) d.expected(pointer_join(pointer_join(path, "stats"), i), "one of mean, p10, p50, p90, min, max, probability", describe_found(s[i]));
      else m.stats.push_back(s[i].get<std::string>());
    }
    if (!s.is_array() || s.empty()) d.expected(pointer_join(path, "stats"), "a non-empty list of statistics", describe_found(s));
  }
  return m;
}

void read_sweep(const json& doc, SweepSpec& spec, const std::string& base_dir, Diagnostics& d) {
  if (!doc.is_object()) return d.expected("", "a sweep object {\"scenario\", \"axes\", …}", describe_found(doc));
  check_keys(doc, "", {"description", "scenario", "axes", "replications", "seed", "seeds", "metrics", "expect"}, d);
  if (!doc.contains("scenario")) {
    d.expected("/scenario", "a scenario file path or an inline scenario", "nothing");
  } else {
    if (auto base = read_base_scenario(doc["scenario"], spec.label, base_dir, spec.base_label, d)) spec.base = std::move(*base);
  }
  if (!doc.contains("axes") || !doc["axes"].is_array() || doc["axes"].empty()) {
    d.expected("/axes", "a list of axes", doc.contains("axes") ? describe_found(doc["axes"]) : "nothing");
  } else {
    for (std::size_t i = 0; i < doc["axes"].size(); ++i) {
      if (auto g = read_group(doc["axes"][i], pointer_join("/axes", i), d)) spec.groups.push_back(std::move(*g));
    }
  }
  if (doc.contains("replications")) {
    const auto& r = doc["replications"];
    if (!r.is_number_integer() || r.get<std::int64_t>() < 1 || r.get<std::int64_t>() > 10000) d.expected("/replications", "an integer from 1 to 10000", describe_found(r));
    else spec.replications = r.get<int>();
  }
  if (doc.contains("seed")) {
    const auto& s = doc["seed"];
    if (!s.is_number_unsigned()) d.expected("/seed", "an integer ≥ 0", describe_found(s));
    else spec.seed = s.get<std::uint64_t>();
  }
  if (doc.contains("seeds")) {
    const auto& s = doc["seeds"];
    if (s != "per-point" && s != "common") d.expected("/seeds", "\"per-point\" or \"common\"", describe_found(s));
    else spec.common_seed = s == "common";
  }
  if (doc.contains("metrics")) {
    const auto& m = doc["metrics"];
    if (!m.is_array() || m.empty()) d.expected("/metrics", "a non-empty list of metrics", describe_found(m));
    for (std::size_t i = 0; m.is_array() && i < m.size(); ++i) {
      if (auto metric = read_metric(m[i], pointer_join("/metrics", i), d)) spec.metrics.push_back(std::move(*metric));
    }
  }
  if (doc.contains("expect")) {
    const auto& e = doc["expect"];
    if (!e.is_array()) d.expected("/expect", "a list of \"PATH OP VALUE\" strings", describe_found(e));
    for (std::size_t i = 0; e.is_array() && i < e.size(); ++i) {
      std::string error;
      if (!e[i].is_string()) d.expected(pointer_join("/expect", i), "\"PATH OP VALUE\"", describe_found(e[i]));
      else if (auto x = parse_expectation(e[i].get<std::string>(), error)) spec.expect.push_back(std::move(*x));
      else d.error(pointer_join("/expect", i), error);
    }
  }
}

}  // namespace

bool check_keys(const json& v, const std::string& path, std::initializer_list<const char*> allowed, Diagnostics& d) {
  bool ok = true;
  for (auto it = v.begin(); it != v.end(); ++it) {
    bool known = false;
    std::string list;
    for (const char* a : allowed) {
      known = known || it.key() == a;
      list += (list.empty() ? "" : ", ") + std::string(a);
    }
    if (!known) {
      d.error(pointer_join(path, it.key()), fmt::format("unknown key \"{}\"; allowed keys: {}", it.key(), list));
      ok = false;
    }
  }
  return ok;
}

std::optional<json> read_base_scenario(const json& v, const std::string& label, const std::string& base_dir, std::string& base_label,
                                       Diagnostics& d) {
  if (v.is_object()) {
    base_label = label + "#/scenario";
    return v;
  }
  if (!v.is_string()) {
    d.expected("/scenario", "a scenario file path or an inline scenario", describe_found(v));
    return std::nullopt;
  }
  const std::string rel = v.get<std::string>();
  const auto p = std::filesystem::path(rel).is_absolute() ? std::filesystem::path(rel) : std::filesystem::path(base_dir) / rel;
  base_label = p.lexically_normal().string();
  Diagnostics sd(base_label);
  auto base = scenario::read_json_file(base_label, sd);
  for (const auto& pr : sd.problems()) d.error("/scenario", sd.file() + ": " + (pr.path.empty() ? "" : pr.path + ": ") + pr.message);
  return base;
}

SweepLoad load_sweep_text(const std::string& text, const std::string& label, const std::string& base_dir) {
  SweepLoad out{std::nullopt, Diagnostics(label)};
  auto doc = scenario::parse_json_text(text, out.diagnostics);
  if (!doc) return out;
  SweepSpec spec;
  spec.label = label;
  read_sweep(*doc, spec, base_dir, out.diagnostics);
  if (out.diagnostics.ok()) out.spec = std::move(spec);
  return out;
}

SweepLoad load_sweep_file(const std::string& path) {
  SweepLoad out{std::nullopt, Diagnostics(path)};
  auto doc = scenario::read_json_file(path, out.diagnostics);
  if (!doc) return out;
  SweepSpec spec;
  spec.label = path;
  read_sweep(*doc, spec, std::filesystem::path(path).parent_path().string(), out.diagnostics);
  if (out.diagnostics.ok()) out.spec = std::move(spec);
  return out;
}

std::vector<Axis> flat_axes(const SweepSpec& spec) {
  std::vector<Axis> out;
  for (const auto& g : spec.groups) out.insert(out.end(), g.axes.begin(), g.axes.end());
  return out;
}

std::vector<json> range_values(double from, double to, double step, bool integers) {
  std::vector<json> out;
  const auto n = static_cast<std::size_t>(std::floor((to - from) / step + 1e-9)) + 1;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = from + static_cast<double>(i) * step;
    if (integers) out.emplace_back(static_cast<std::int64_t>(std::llround(x)));
    else out.emplace_back(std::round(x * 1e12) / 1e12);  // 0.1 + 2*0.1 prints as 0.3
  }
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
  return cluster::splitmix64(cluster::splitmix64(base) ^ cluster::splitmix64(0x5EE9ull + static_cast<std::uint64_t>(index)));
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
  if (!doc.contains(parent)) return fmt::format("no {} in the scenario", parent.to_string().empty() ? "document" : parent.to_string());
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
  if (!spec.seed) base_seed = spec.base.contains("seed") && spec.base["seed"].is_number_unsigned() ? spec.base["seed"].get<std::uint64_t>() : 1;
  for (std::size_t i = 0; i < grid.size(); ++i) {
    json doc = spec.base;
    std::string labels;
    bool ok = true;
    for (std::size_t a = 0; a < axes.size(); ++a) {
      labels += fmt::format("{}{}={}", labels.empty() ? "" : ", ", axes[a].name, grid[i][a].dump());
      if (auto why = set_at_pointer(doc, axes[a].pointer, grid[i][a]); !why.empty()) {
        out.errors += fmt::format("{}: /axes: point {} ({}): cannot set {}: {}\n", spec.label, i, labels, axes[a].pointer, why);
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
    if (spec.base.contains("name") && spec.base["name"].is_string()) p.scenario.name = spec.base["name"].get<std::string>();
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
        out.errors += fmt::format("{}: {}: expected a path to a figure of the run document, found \"{}\" ({})\n", spec.label, at, m.path, why);
      }
      if (m.per.empty()) continue;
      if (auto why = metric_path_problem(shape, m.per); !why.empty()) {
        out.errors += fmt::format("{}: {}: expected a path to a figure of the run document, found \"{}\" ({})\n", spec.label,
                                  pointer_join(at, "per"), m.per, why);
      }
    }
  }
  if (!out.errors.empty()) out.points.clear();
  return out;
}

}  // namespace leasesim::sweep
