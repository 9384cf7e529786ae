// Reading sweep files with Schema<T> (see sweep_file.hpp): the axes, zip groups and ranges, the
// metrics and the bound on the points they expand to.
#include "leasesim/scenario/sweep_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "leasesim/scenario/file_fields.hpp"
#include "leasesim/scenario/json_text.hpp"

namespace leasesim::scenario {

namespace {

constexpr const char* axis_shape =
    "an axis {\"path\": POINTER, \"values\": [...]} or {\"path\": …, \"range\": {from, to, step}}";

std::string default_axis_name(const std::string& pointer) {
  std::string name = pointer.substr(pointer.empty() ? 0 : 1);
  for (char& c : name) c = c == '/' ? '.' : c;
  return name;
}

struct AxisRange {
  double from = 0, to = 0, step = 0;
  std::vector<Json> values;
};

ReadFnOf<AxisRange> number_into(double AxisRange::*member) {
  return [member](AxisRange& r, const Json& v, const std::string& path, Diagnostics& d) {
    if (!v.is_number()) return d.expected(path, "a number", describe_found(v));
    r.*member = v.get<double>();
  };
}

Schema<AxisRange> range_schema() {
  using R = AxisRange;
  Schema<R> s("range", "Evenly spaced values from `from` to `to` (inclusive) by `step`; integers when all three are.");
  s.custom(field_doc("from", "number", "1", "", "The first value.", true), number_into(&R::from))
      .custom(field_doc("to", "number", "4", "", "The last value (reached when (to − from) / step is whole).", true),
              number_into(&R::to))
      .custom(field_doc("step", "number", "1", "", "The spacing, > 0.", true), number_into(&R::step));
  s.check([](R& r, const Json& v, const std::string& path, Diagnostics& d) {
    if (!(r.step > 0) || r.to < r.from || (r.to - r.from) / r.step >= static_cast<double>(max_axis_values)) {
      return d.expected(path, fmt::format("step > 0, to ≥ from and at most {} values", max_axis_values), v.dump());
    }
    const bool ints = v["from"].is_number_integer() && v["to"].is_number_integer() && v["step"].is_number_integer();
    r.values = range_values(r.from, r.to, r.step, ints);
  });
  return s;
}

Schema<SweepAxis> axis_schema() {
  using A = SweepAxis;
  Schema<A> s("axis", "One swept key: a JSON pointer into the scenario and its values, listed or as a range.");
  s.custom(field_doc("name", "string", "\"racks\"", "the pointer, dotted",
                     "Column name in the results (default: the pointer without its leading / and with . for /)."),
           [](A& a, const Json& v, const std::string& path, Diagnostics& d) {
             if (!v.is_string() || v.get_ref<const std::string&>().empty() ||
                 v.get_ref<const std::string&>().size() > 200) {
               return d.expected(path, "a column name (1 to 200 characters)", describe_found(v));
             }
             a.name = v.get<std::string>();
           })
      .custom(
          field_doc("path", "JSON pointer", "\"/cluster/racks\"", "",
                    "Where each value goes in the scenario (RFC 6901); its parent must exist in the scenario.", true),
          [](A& a, const Json& v, const std::string& path, Diagnostics& d) {
            if (!v.is_string() || v.get_ref<const std::string&>().empty() ||
                v.get_ref<const std::string&>()[0] != '/') {
              return d.expected(path, "a JSON pointer into the scenario (e.g. \"/cluster/racks\")", describe_found(v));
            }
            try {
              const Json::json_pointer check(v.get<std::string>());
            } catch (const Json::exception&) {
              return d.expected(path, "a JSON pointer (RFC 6901)", describe_found(v));
            }
            a.pointer = v.get<std::string>();
          })
      .custom(
          [] {
            FieldDoc f = field_doc("values", "list of JSON values", "[14, 28, 56]", "",
                                   "The values, in order (exactly one of values or range).");
            f.max_items = max_axis_values;
            return f;
          }(),
          [](A& a, const Json& v, const std::string& path, Diagnostics& d) {
            if (!v.is_array() || v.empty() || v.size() > max_axis_values) {
              return d.expected(path, fmt::format("a list of 1 to {} values", max_axis_values), describe_found(v));
            }
            a.values.assign(v.begin(), v.end());
          })
      .custom(holding(field_doc("range", "block", "{\"from\": 1, \"to\": 4, \"step\": 1}", "",
                                "The values as a range (exactly one of values or range)."),
                      range_schema()),
              [r = range_schema()](A& a, const Json& v, const std::string& path, Diagnostics& d) {
                AxisRange range;
                const std::size_t before = d.problems().size();
                r.read(v, path, range, d);
                if (d.problems().size() == before) a.values = std::move(range.values);
              });
  s.check([](A& a, const Json& v, const std::string& path, Diagnostics& d) {
    const bool has_values = v.contains("values"), has_range = v.contains("range");
    if (has_values == has_range)
      d.expected(path, "exactly one of \"values\" or \"range\"", has_values ? "both" : "neither");
    if (a.name.empty()) a.name = default_axis_name(a.pointer);
  });
  return s;
}

Schema<SweepAxisGroup> zip_schema() {
  using G = SweepAxisGroup;
  Schema<G> s("zip", "Axes that move together: point i takes value i of each (all have as many values).");
  s.custom(holding(
               [] {
                 FieldDoc f = field_doc("zip", "list of block", "[{…}]", "",
                                        "The axes, each with as many values as the first.", true);
                 f.max_items = max_sweep_axes;
                 return f;
               }(),
               axis_schema()),
           [a = axis_schema()](G& g, const Json& v, const std::string& path, Diagnostics& d) {
             if (!v.is_array() || v.empty() || v.size() > max_sweep_axes) {
               return d.expected(path, fmt::format("a list of 1 to {} axes that move together", max_sweep_axes),
                                 describe_found(v));
             }
             const std::size_t before = d.problems().size();
             for (std::size_t i = 0; i < v.size(); ++i) {
               SweepAxis axis;
               if (!v[i].is_object()) {
                 d.expected(pointer_join(path, i), axis_shape, describe_found(v[i]));
                 continue;
               }
               a.read(v[i], pointer_join(path, i), axis, d);
               g.axes.push_back(std::move(axis));
             }
             if (d.problems().size() != before) return;
             for (std::size_t i = 1; i < g.axes.size(); ++i) {
               if (g.axes[i].values.size() != g.axes[0].values.size()) {
                 return d.expected(pointer_join(path, i),
                                   fmt::format("{} values, as many as the group's first axis", g.axes[0].values.size()),
                                   fmt::format("{}", g.axes[i].values.size()));
               }
             }
           });
  return s;
}

Schema<SweepMetric> metric_schema() {
  using M = SweepMetric;
  Schema<M> s("metric",
              "A figure of each point: a path into the run document of every replication, summarized across them. "
              "A metric may also be written as its path alone (\"jobs.pretrain.ettr\", named \"pretrain.ettr\").");
  const auto text_into = [](std::string M::*member, const char* expected) {
    return [member, expected](M& m, const Json& v, const std::string& path, Diagnostics& d) {
      if (!v.is_string() || v.get_ref<const std::string&>().empty() || v.get_ref<const std::string&>().size() > 1000) {
        return d.expected(path, expected, describe_found(v));
      }
      m.*member = v.get<std::string>();
    };
  };
  s.custom(
       field_doc("name", "string", "\"idle_fraction\"", "the path", "Column prefix (METRIC.STAT); give it its unit."),
       text_into(&M::name, "a column name"))
      .custom(
          field_doc("path", "string", "\"cluster.gpu_hours.idle\"", "",
                    "The figure: dotted keys or a JSON pointer into a replication's run document (see docs/sweeps.md).",
                    true),
          text_into(&M::path, "a path into the run document"))
      .custom(field_doc("per", "string", "\"cluster.gpu_hours.total\"", "none",
                        "A denominator: the metric is path / per, per replication."),
              text_into(&M::per, "a path into the run document"))
      .custom(field_doc("scale", "number", "1.1574074074074073e-05", "1",
                        "Multiplies the value (1/86400: seconds to days)."),
              [](M& m, const Json& v, const std::string& path, Diagnostics& d) {
                if (!v.is_number()) return d.expected(path, "a number", describe_found(v));
                m.scale = v.get<double>();
              })
      .custom(
          [] {
            FieldDoc f =
                field_doc("stats", "list of string", "[\"mean\", \"p90\"]", "[\"mean\", \"p10\", \"p50\", \"p90\"]",
                          "Summaries across replications, each a column.");
            f.choices = metric_stats;
            f.max_items = metric_stats.size();
            return f;
          }(),
          [](M& m, const Json& v, const std::string& path, Diagnostics& d) {
            if (!v.is_array() || v.empty() || v.size() > 100)
              return d.expected(path, "a non-empty list of statistics", describe_found(v));
            m.stats.clear();
            for (std::size_t i = 0; i < v.size(); ++i) {
              if (auto st = read_choice(v[i], pointer_join(path, i), metric_stats, d)) m.stats.push_back(*st);
            }
          });
  s.check([](M& m, const Json&, const std::string&, Diagnostics&) {
    if (m.name.empty()) m.name = m.path;
  });
  return s;
}

Schema<SweepFile> make_sweep_file_schema() {
  using S = SweepFile;
  Schema<S> s("sweep file", "A parameter grid over one scenario, for `leasesim sweep`: one row per point.");
  s.text("description", &S::description, "Free text.")
      .custom(base_scenario_field_doc("scenario",
                                      "The base scenario: a path relative to the sweep file, or the scenario inline. "
                                      "Each point is it with the axes' values set, loaded strictly."),
              [](S& out, const Json& v, const std::string& path, Diagnostics& d) {
                if (auto base = read_base_scenario(v, path, out.label, out.base_dir, out.base_label, d))
                  out.base = std::move(*base);
              })
      .custom(holding(holding(
                          [] {
                            FieldDoc f = field_doc(
                                "axes", "list of block", "[{…}]", "",
                                "The axes: their cartesian product is the points, the first axis varying slowest; "
                                "the axes of a zip group move together.",
                                true);
                            f.max_items = max_sweep_axes;
                            return f;
                          }(),
                          axis_schema()),
                      zip_schema()),
              [a = axis_schema(), z = zip_schema()](S& out, const Json& v, const std::string& path, Diagnostics& d) {
                if (!v.is_array() || v.empty() || v.size() > max_sweep_axes) {
                  return d.expected(path, fmt::format("a list of 1 to {} axes", max_sweep_axes), describe_found(v));
                }
                out.groups.clear();
                for (std::size_t i = 0; i < v.size(); ++i) {
                  const auto p = pointer_join(path, i);
                  SweepAxisGroup g;
                  if (v[i].is_object() && v[i].contains("zip")) {
                    z.read(v[i], p, g, d);
                  } else if (v[i].is_object()) {
                    SweepAxis axis;
                    a.read(v[i], p, axis, d);
                    g.axes.push_back(std::move(axis));
                  } else {
                    d.expected(p, axis_shape, describe_found(v[i]));
                    continue;
                  }
                  out.groups.push_back(std::move(g));
                }
              })
      .custom(
          [] {
            FieldDoc f = field_doc("replications", "integer", "2", "the scenario's",
                                   "Replications of every point (overrides the scenario's).");
            f.bounds = Bounds::at_least(1, 10'000);
            f.has_bounds = true;
            return f;
          }(),
          [](S& out, const Json& v, const std::string& path, Diagnostics& d) {
            if (auto n = read_integer(v, path, Bounds::at_least(1, 10'000), d)) out.replications = static_cast<int>(*n);
          })
      .custom(seed_field_doc(
                  "Base seed: point i runs on a seed derived from it and i (see `seeds`); default: the scenario's."),
              [](S& out, const Json& v, const std::string& path, Diagnostics& d) {
                if (auto seed = read_seed(v, path, d)) out.seed = *seed;
              })
      .choice("seeds", &S::common_seed, {{"per-point", false}, {"common", true}},
              "\"per-point\": point i's seed is derived from `seed` and i; \"common\": every point runs on `seed` "
              "(common random "
              "numbers: differences between points are the axes', not luck's).")
      .custom(holding(
                  [] {
                    FieldDoc f = field_doc("metrics", "list of metric path or block", "[\"jobs.pretrain.ettr\", {…}]",
                                           "per job, the cluster, per lease (docs/sweeps.md)",
                                           "The figures of each point, in column order.");
                    f.max_items = 1000;
                    return f;
                  }(),
                  metric_schema()),
              [m = metric_schema()](S& out, const Json& v, const std::string& path, Diagnostics& d) {
                if (!v.is_array() || v.empty() || v.size() > 1000)
                  return d.expected(path, "a non-empty list of at most 1000 metrics", describe_found(v));
                out.metrics.clear();
                for (std::size_t i = 0; i < v.size(); ++i) {
                  const auto p = pointer_join(path, i);
                  SweepMetric metric;
                  metric.stats = {"mean", "p10", "p50", "p90"};
                  if (v[i].is_string()) {
                    metric.path = metric.name = v[i].get<std::string>();
                    if (metric.name.rfind("jobs.", 0) == 0) metric.name = metric.name.substr(5);
                    if (metric.path.empty()) {
                      d.expected(p, "a path into the run document", "\"\"");
                      continue;
                    }
                  } else if (v[i].is_object()) {
                    m.read(v[i], p, metric, d);
                  } else {
                    d.expected(p, "a path, or {\"name\", \"path\", \"per\", \"scale\", \"stats\"}",
                               describe_found(v[i]));
                    continue;
                  }
                  out.metrics.push_back(std::move(metric));
                }
              })
      .custom(
          expect_field_doc("Checked on every point's result ('PATH OP VALUE', as `--expect`): a violation is exit 1."),
          [](S& out, const Json& v, const std::string& path, Diagnostics& d) {
            read_expectations(v, path, out.expect, d);
          })
      .custom(schema_key_field_doc("sweep.schema.json"),
              [](S&, const Json& v, const std::string& path, Diagnostics& d) { read_schema_key(v, path, d); });
  // The grid's size, before any point is built: each point holds its scenario in memory.
  s.check([](S& out, const Json&, const std::string&, Diagnostics& d) {
    double points = 1;
    std::string product;
    for (const auto& g : out.groups) {
      points *= static_cast<double>(g.size());
      product += (product.empty() ? "" : " × ") + std::to_string(g.size());
    }
    if (points > static_cast<double>(max_sweep_points)) {
      d.expected("/axes", fmt::format("axes whose product is at most {} points", max_sweep_points),
                 fmt::format("{} = {:.0f} points", product, points));
    }
  });
  return s;
}

SweepFileLoad read_sweep(std::optional<Json> doc, SweepFileLoad out, const std::string& label,
                         const std::string& base_dir) {
  if (!doc) return out;
  if (!doc->is_object()) {
    out.diagnostics.expected("", "a sweep object {\"scenario\", \"axes\", …}", describe_found(*doc));
    return out;
  }
  SweepFile spec;
  spec.label = label;
  spec.base_dir = base_dir;
  sweep_file_schema().read(*doc, "", spec, out.diagnostics);
  if (out.diagnostics.ok()) out.spec = std::move(spec);
  return out;
}

}  // namespace

const Schema<SweepFile>& sweep_file_schema() {
  static const Schema<SweepFile> schema = make_sweep_file_schema();
  return schema;
}

SweepFileLoad load_sweep_text(std::string_view text, const std::string& label, const std::string& base_dir) {
  SweepFileLoad out{std::nullopt, Diagnostics(label)};
  auto doc = parse_json_text(text, out.diagnostics);
  return read_sweep(std::move(doc), std::move(out), label, base_dir);
}

SweepFileLoad load_sweep_file(const std::string& path) {
  SweepFileLoad out{std::nullopt, Diagnostics(path)};
  auto doc = read_json_file(path, out.diagnostics);
  return read_sweep(std::move(doc), std::move(out), path, std::filesystem::path(path).parent_path().string());
}

std::vector<Json> range_values(double from, double to, double step, bool integers) {
  std::vector<Json> out;
  const auto n = static_cast<std::size_t>(std::floor((to - from) / step + 1e-9)) + 1;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = from + static_cast<double>(i) * step;
    if (integers)
      out.emplace_back(static_cast<std::int64_t>(std::llround(x)));
    else
      out.emplace_back(std::round(x * 1e12) / 1e12);  // 0.1 + 2*0.1 prints as 0.3
  }
  return out;
}

}  // namespace leasesim::scenario
