// Reading plan files with Schema<T> (see plan_file.hpp).
#include "leasesim/scenario/plan_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "leasesim/scenario/file_fields.hpp"
#include "leasesim/scenario/lease_schema.hpp"
#include "leasesim/scenario/json_text.hpp"
#include "leasesim/scenario/plausible.hpp"

namespace leasesim::scenario {

namespace {

struct Capacity {
  int min_racks = 1, max_racks = 0;
};

Schema<Capacity> capacity_schema() {
  Schema<Capacity> s("capacity", "The range of racks the bisection searches.");
  s.integer("min_racks", &Capacity::min_racks, Bounds::at_least(1, 100'000), "The fewest racks considered.")
      .example(R"(100)")
      .integer("max_racks", &Capacity::max_racks, Bounds::at_least(1, 100'000),
               "The most racks considered (default: the scenario's racks).")
      .example(R"(400)");
  s.check([](Capacity& c, const Json& v, const std::string& path, Diagnostics& d) {
    if (c.max_racks > 0 && c.min_racks > c.max_racks) d.expected(path, "min_racks ≤ max_racks", v.dump());
  });
  return s;
}

// An optional block of `Schema<U>` read into `member` when present and free of problems.
template <class T, class U>
void optional_block(Schema<T>& s, const std::string& key, std::optional<U> T::*member, Schema<U> sub, std::string doc) {
  FieldDoc f = field_doc(key, "block", "{…}", "none", std::move(doc));
  s.custom(holding(std::move(f), sub), [member, sub](T& out, const Json& v, const std::string& path, Diagnostics& d) {
    U value{};
    const std::size_t before = d.problems().size();
    sub.read(v, path, value, d);
    if (d.problems().size() == before) out.*member = std::move(value);
  });
}

Schema<NoticeLever> notice_lever_schema() {
  using N = NoticeLever;
  Schema<N> s("notice_given lever",
              "Notice dates tried for a lease with a termination clause: from, from + step, … to, and never.");
  s.text("lease", &N::lease, "The lease (one with a `termination` clause).", Need::required)
      .date("from", &N::from, "The first notice date tried (at least the lease's start + `earliest`).", Need::required)
      .example(R"("2026-10-01")")
      .date("to", &N::to, "The last notice date tried (before the end of the term).", Need::required)
      .example(R"("2027-06-01")")
      .quantity("step", units::Dimension::duration, &N::step_s, Bounds::at_least(86400, 10 * units::seconds_per_year),
                "Between two notice dates tried (the answer is exact to this step).");
  s.check([](N& n, const Json& v, const std::string& path, Diagnostics& d) {
    if (n.from > n.to) d.expected(pointer_join(path, "to"), "a date on or after `from`", describe_found(v["to"]));
  });
  return s;
}

Schema<RacksLever> racks_lever_schema() {
  using R = RacksLever;
  Schema<R> s("racks lever", "Racks tried: min, min + step, … max (the cluster's and every rack lease's).");
  s.integer("min", &R::min, Bounds::at_least(1, 100'000), "The fewest racks tried.")
      .example(R"(200)")
      .integer("max", &R::max, Bounds::at_least(1, 100'000), "The most racks tried (default: the scenario's racks).")
      .example(R"(320)")
      .integer("step", &R::step, Bounds::at_least(1, 100'000), "Between two rack counts tried.")
      .example(R"(8)");
  s.check([](R& r, const Json& v, const std::string& path, Diagnostics& d) {
    if (r.max > 0 && r.min > r.max) d.expected(path, "min ≤ max", v.dump());
  });
  return s;
}

Schema<FixedShareLever> fixed_share_schema() {
  using F = FixedShareLever;
  Schema<F> s("fixed_share lever",
              "The mix of fixed and on-demand capacity: the share of the lease's racks kept on it (its fee scaled "
              "alike), the rest on an on-demand lease.");
  s.custom(
       [] {
         FieldDoc f = field_doc("values", "list of fraction", "[0.5, 0.75, 1]", "",
                                "Shares of the lease's racks kept fixed (each > 0 and ≤ 1).", true);
         f.max_items = 100;
         return f;
       }(),
       [](F& out, const Json& v, const std::string& path, Diagnostics& d) {
         if (!v.is_array() || v.empty() || v.size() > 100)
           return d.expected(path, "a list of 1 to 100 shares", describe_found(v));
         out.values.clear();
         for (std::size_t i = 0; i < v.size(); ++i) {
           if (auto x = read_quantity(v[i], pointer_join(path, i), units::Dimension::fraction, Bounds::positive(1), d))
             out.values.push_back(*x);
         }
       })
      .money("on_demand_price_per_gpu_hour", &F::on_demand_price_per_gpu_hour, Bounds::positive(1e6),
             "List price of the on-demand lease holding the rest.", Need::required)
      .example(R"("$10.50")")
      .plausible(plausible::gpu_hour_price());
  return s;
}

Schema<PlanLevers> levers_schema() {
  using L = PlanLevers;
  Schema<L> s("levers", "The lease terms searched: every combination of the levers' values is a candidate.");
  s.text("lease", &L::lease, "The lease `term`, `ramp` and `fixed_share` apply to (default: the scenario's only one).")
      .custom(
          [] {
            FieldDoc f = field_doc("term", "list of duration", "[12, 24, 36]", "the lease's",
                                   "Terms tried, in whole months (a number of months or \"2 years\").");
            f.max_items = 100;
            return f;
          }(),
          [](L& out, const Json& v, const std::string& path, Diagnostics& d) {
            if (!v.is_array() || v.empty() || v.size() > 100)
              return d.expected(path, "a list of 1 to 100 terms", describe_found(v));
            out.term.clear();
            for (std::size_t i = 0; i < v.size(); ++i) {
              const auto at = pointer_join(path, i);
              if (v[i].is_number_integer()) {
                if (auto m = read_integer(v[i], at, Bounds::at_least(1, 360), d))
                  out.term.push_back(static_cast<int>(*m));
                continue;
              }
              const auto q = read_quantity(v[i], at, units::Dimension::duration,
                                           Bounds::positive(30 * units::seconds_per_year), d);
              if (!q) continue;
              const double months = *q / units::seconds_per_month;
              if (std::abs(months - std::round(months)) * units::seconds_per_month > units::seconds_per_day ||
                  months < 0.5) {
                d.expected(at, "a whole number of months (e.g. 24 or \"2 years\")", describe_found(v[i]));
                continue;
              }
              out.term.push_back(static_cast<int>(std::lround(months)));
            }
          })
      .custom(
          [] {
            FieldDoc f = field_doc("ramp", "list of list of integer", "[[], [4, 8, 12]]", "the lease's",
                                   "Ramp schedules tried (capacity of month 1, 2, … in the lease's unit; [] = none).");
            f.max_items = 100;
            return f;
          }(),
          [](L& out, const Json& v, const std::string& path, Diagnostics& d) {
            if (!v.is_array() || v.empty() || v.size() > 100)
              return d.expected(path, "a list of 1 to 100 ramp schedules", describe_found(v));
            out.ramp.clear();
            for (std::size_t i = 0; i < v.size(); ++i) {
              const auto at = pointer_join(path, i);
              if (!v[i].is_array() || v[i].size() > 600) {
                d.expected(at, "a ramp schedule (a list of at most 600 capacities)", describe_found(v[i]));
                continue;
              }
              std::vector<std::int64_t> ramp;
              for (std::size_t k = 0; k < v[i].size(); ++k) {
                if (auto x = read_integer(v[i][k], pointer_join(at, k), Bounds::at_least(0, 10'000'000), d))
                  ramp.push_back(*x);
              }
              out.ramp.push_back(std::move(ramp));
            }
          });
  optional_block(s, "notice_given", &L::notice_given, notice_lever_schema(), "Notice dates for the exit option.");
  optional_block(s, "racks", &L::racks, racks_lever_schema(),
                 "Racks of the cluster and of every lease given in racks.");
  optional_block(s, "fixed_share", &L::fixed_share, fixed_share_schema(),
                 "Shares of fixed capacity, the rest on demand.");
  s.check([](L& l, const Json& v, const std::string& path, Diagnostics& d) {
    if (!l.notice_given && !l.racks && l.term.empty() && l.ramp.empty() && !l.fixed_share)
      d.expected(path, "at least one lever (notice_given, racks, term, ramp, fixed_share)", describe_found(v));
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
      .example(R"(20)")
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
                out.has_capacity = true;
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
      .custom(holding(field_doc("levers", "block", "{\"notice_given\": {…}, \"term\": [12, 24]}", "none",
                                "Search lease terms instead of racks alone (not with `capacity` or `dual`)."),
                      levers_schema()),
              [l = levers_schema()](P& out, const Json& v, const std::string& path, Diagnostics& d) {
                PlanLevers levers;
                const std::size_t before = d.problems().size();
                l.read(v, path, levers, d);
                if (d.problems().size() == before) out.levers = std::move(levers);
              })
      .choice("objective", &P::objective,
              {{"expected_cost", PlanObjective::expected_cost},
               {"p90_cost", PlanObjective::p90_cost},
               {"cvar90", PlanObjective::cvar90},
               {"npv", PlanObjective::npv}},
              "What a lever plan minimises over the replications' tenant cost: the mean, the P90, the CVaR at 90% "
              "(mean of the worst 10%), or the mean NPV of the tenants' cash flows (needs the scenario's `finance` "
              "block).")
      .choice("search", &P::search, {{"exhaustive", PlanSearch::exhaustive}, {"bisect", PlanSearch::bisect}},
              "How a lever plan searches: every candidate of the grid, or the notice dates bisected for the "
              "earliest meeting every deadline (assumes a later notice is never less likely to meet them nor "
              "cheaper).")
      .custom(holding(field_doc("releasing", "block", "{\"price_per_gpu_hour\": \"$6.50\", \"delay\": \"60 d\"}",
                                "none", "With a notice_given lever: what re-leasing the racks an exit frees recovers."),
                      releasing_schema()),
              [r = releasing_schema()](P& out, const Json& v, const std::string& path, Diagnostics& d) {
                Releasing rel;
                const std::size_t before = d.problems().size();
                r.read(v, path, rel, d);
                if (d.problems().size() == before) out.releasing = rel;
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
  if (out.diagnostics.ok() && p.levers) {
    if (p.has_capacity)
      out.diagnostics.expected("/capacity", "no capacity block with levers (a racks lever searches racks)",
                               "a capacity block");
    if (p.dual) out.diagnostics.expected("/dual", "no dual with levers (dual is the capacity plan's)", "true");
  }
  if (out.diagnostics.ok() && p.releasing && (!p.levers || !p.levers->notice_given))
    out.diagnostics.expected("/releasing", "a notice_given lever to re-lease after", "no notice_given lever");
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

const char* objective_name(PlanObjective o) {
  switch (o) {
    case PlanObjective::expected_cost:
      return "expected_cost";
    case PlanObjective::p90_cost:
      return "p90_cost";
    case PlanObjective::cvar90:
      return "cvar90";
    case PlanObjective::npv:
      return "npv";
  }
  return "expected_cost";
}

std::vector<std::int64_t> notice_dates(const NoticeLever& n) {
  std::vector<std::int64_t> out;
  const auto step = static_cast<std::int64_t>(std::llround(n.step_s));
  for (std::int64_t t = n.from; t <= n.to && step > 0 && out.size() <= 1'000'000; t += step) out.push_back(t);
  return out;
}

std::int64_t plan_candidates(const PlanLevers& l, int hi_racks) {
  std::int64_t n = 1;
  const auto times = [&n](std::int64_t k) { n = std::min<std::int64_t>(n * std::max<std::int64_t>(k, 1), 1LL << 40); };
  if (l.notice_given) times(static_cast<std::int64_t>(notice_dates(*l.notice_given).size()) + 1);
  if (l.racks) {
    const int hi = l.racks->max > 0 ? l.racks->max : hi_racks;
    times(hi >= l.racks->min ? (hi - l.racks->min) / l.racks->step + 1 : 0);
  }
  times(static_cast<std::int64_t>(l.term.size()));
  times(static_cast<std::int64_t>(l.ramp.size()));
  if (l.fixed_share) times(static_cast<std::int64_t>(l.fixed_share->values.size()));
  return n;
}

std::int64_t plan_evaluations(const PlanLevers& l, int hi_racks, PlanSearch search) {
  const std::int64_t grid = plan_candidates(l, hi_racks);
  if (search == PlanSearch::exhaustive || !l.notice_given) return grid;
  const auto dates = static_cast<std::int64_t>(notice_dates(*l.notice_given).size());
  const std::int64_t combos = grid / (dates + 1);
  std::int64_t steps = 0;
  for (std::int64_t gap = dates; gap > 1; gap = (gap + 1) / 2) ++steps;
  return combos * std::min<std::int64_t>(dates + 1, 2 + steps);
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
