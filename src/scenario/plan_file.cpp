// Reading plan files with Schema<T> (see plan_file.hpp).
#include "leasesim/scenario/plan_file.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>

#include "leasesim/scenario/file_fields.hpp"
#include "leasesim/scenario/json_text.hpp"

namespace leasesim::scenario {

namespace {

struct Capacity {
  int min_racks = 1, max_racks = 0;
};

Schema<Capacity> capacity_schema() {
  Schema<Capacity> s("capacity", "The range of racks the bisection searches.");
  s.integer("min_racks", &Capacity::min_racks, Bounds::at_least(1, 100'000), "The fewest racks considered.")
      .integer("max_racks", &Capacity::max_racks, Bounds::at_least(1, 100'000),
               "The most racks considered (default: the scenario's racks).");
  s.check([](Capacity& c, const Json& v, const std::string& path, Diagnostics& d) {
    if (c.max_racks > 0 && c.min_racks > c.max_racks) d.expected(path, "min_racks ≤ max_racks", v.dump());
  });
  return s;
}

Schema<PlanFile> make_plan_file_schema() {
  using P = PlanFile;
  Schema<P> s("plan file",
              "A goal seek for `leasesim plan`: the fewest racks at which every deadline is met with a confidence.");
  s.text("description", &P::description, "Free text.")
      .custom(
          base_scenario_field_doc("scenario",
                                  "The scenario: a path relative to the plan file, or the scenario inline; its jobs "
                                  "with a deadline are the goal."),
          [](P& out, const Json& v, const std::string& path, Diagnostics& d) {
            if (auto base = read_base_scenario(v, path, out.label, out.base_dir, out.base_label, d))
              out.base = std::move(*base);
          })
      .quantity("confidence", units::Dimension::fraction, &P::confidence, Bounds::positive(1),
                "The probability every considered deadline must be met with, across the replications.")
      .integer("replications", &P::replications, Bounds::at_least(1, 10'000),
               "Replications at each capacity (every capacity runs the same seeds).")
      .custom(seed_field_doc("Seed of the replications (default: the scenario's)."),
              [](P& out, const Json& v, const std::string& path, Diagnostics& d) {
                if (auto seed = read_seed(v, path, d)) out.seed = *seed;
              })
      .custom(holding(field_doc("capacity", "block", "{\"min_racks\": 100, \"max_racks\": 400}",
                                "1 to the scenario's racks", "The range searched."),
                      capacity_schema()),
              [c = capacity_schema()](P& out, const Json& v, const std::string& path, Diagnostics& d) {
                Capacity cap{out.min_racks, out.max_racks};
                const std::size_t before = d.problems().size();
                c.read(v, path, cap, d);
                if (d.problems().size() != before) return;
                out.min_racks = cap.min_racks;
                out.max_racks = cap.max_racks;
              })
      .custom(
          [] {
            FieldDoc f = field_doc("price_per_gpu_hour", "money", "\"$9.90\"", "the leases' fees scaled per rack",
                                   "Monthly cost of a capacity: GPUs × this × hours per month.");
            f.unit = "$";
            f.bounds = Bounds::positive(1e6);
            f.has_bounds = true;
            return f;
          }(),
          [](P& out, const Json& v, const std::string& path, Diagnostics& d) {
            if (auto m = read_money(v, path, Bounds::positive(1e6), d)) out.price_per_gpu_hour = m->dollars();
          })
      .custom(
          [] {
            FieldDoc f =
                field_doc("jobs", "list of string", "[\"pretrain-2t-fp8\"]", "every job with a deadline",
                          "The jobs whose deadlines are the goal (each a job of the scenario with a deadline).");
            f.max_items = 100'000;
            return f;
          }(),
          [](P& out, const Json& v, const std::string& path, Diagnostics& d) {
            if (!v.is_array() || v.empty() || v.size() > 100'000)
              return d.expected(path, "a list of job names", describe_found(v));
            out.jobs.clear();
            for (std::size_t i = 0; i < v.size(); ++i) {
              if (v[i].is_string())
                out.jobs.push_back(v[i].get<std::string>());
              else
                d.expected(pointer_join(path, i), "a job name", describe_found(v[i]));
            }
          })
      .boolean("dual", &P::dual, "Also the dates the scenario's own capacity can promise at the confidence.")
      .custom(expect_field_doc("Checked on the plan's result ('PATH OP VALUE', as `--expect`): a violation is exit 1."),
              [](P& out, const Json& v, const std::string& path, Diagnostics& d) {
                read_expectations(v, path, out.expect, d);
              })
      .custom(schema_key_field_doc("plan.schema.json"),
              [](P&, const Json& v, const std::string& path, Diagnostics& d) { read_schema_key(v, path, d); });
  return s;
}

PlanFileLoad read_plan(std::optional<Json> doc, PlanFileLoad out, const std::string& label,
                       const std::string& base_dir) {
  if (!doc) return out;
  if (!doc->is_object()) {
    out.diagnostics.expected("", "a plan object {\"scenario\", \"confidence\", \"capacity\", …}", describe_found(*doc));
    return out;
  }
  PlanFile p;
  p.label = label;
  p.base_dir = base_dir;
  plan_file_schema().read(*doc, "", p, out.diagnostics);
  if (out.diagnostics.ok()) out.spec = std::move(p);
  return out;
}

}  // namespace

const Schema<PlanFile>& plan_file_schema() {
  static const Schema<PlanFile> schema = make_plan_file_schema();
  return schema;
}

std::int64_t plan_capacities(int lo, int hi, bool dual) {
  std::int64_t n = 1;  // hi
  if (hi > lo) ++n;    // lo
  for (std::int64_t gap = static_cast<std::int64_t>(hi) - lo; gap > 1; gap = (gap + 1) / 2) ++n;
  return n + (dual ? 1 : 0);
}

PlanFileLoad load_plan_text(std::string_view text, const std::string& label, const std::string& base_dir) {
  PlanFileLoad out{std::nullopt, Diagnostics(label)};
  auto doc = parse_json_text(text, out.diagnostics);
  return read_plan(std::move(doc), std::move(out), label, base_dir);
}

PlanFileLoad load_plan_file(const std::string& path) {
  PlanFileLoad out{std::nullopt, Diagnostics(path)};
  auto doc = read_json_file(path, out.diagnostics);
  return read_plan(std::move(doc), std::move(out), path, std::filesystem::path(path).parent_path().string());
}

}  // namespace leasesim::scenario
