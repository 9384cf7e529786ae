// The top level of a scenario file: name, seed, cluster, horizon and leases, and the load entry
// points that turn a file into a validated Scenario or a list of problems.
#include "leasesim/scenario/scenario.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>

#include "leasesim/scenario/catalog.hpp"
#include "leasesim/scenario/hardware_schema.hpp"
#include "leasesim/scenario/json_text.hpp"
#include "leasesim/units/date.hpp"

namespace leasesim::scenario {

using units::Dimension;

namespace {

Schema<Horizon> horizon_schema() {
  Schema<Horizon> s("horizon", "The simulated period.");
  s.date("start", &Horizon::start, "First instant simulated (UTC).", Need::required)
      .quantity("length", Dimension::duration, &Horizon::length_s, Bounds::positive(30 * units::seconds_per_year),
                "How long to simulate (e.g. \"36 months\").", Need::required);
  return s;
}

Schema<lease::Termination> termination_schema() {
  using T = lease::Termination;
  Schema<T> s("termination", "Early exit rights: after `earliest`, either side may end the lease with `notice`.");
  s.quantity("notice", Dimension::duration, &T::notice_s, Bounds::at_least(0, 10 * units::seconds_per_year),
             "Notice period (e.g. \"90 d\").", Need::required)
      .quantity("earliest", Dimension::duration, &T::earliest_s, Bounds::at_least(0, 30 * units::seconds_per_year),
                "Earliest time after the start at which notice may be given (e.g. \"3 months\").");
  return s;
}

// A term in whole calendar months: "36 months", "3 years" or a count of seconds that is one.
void read_term(lease::FixedMonthlyLease& l, const Json& v, const std::string& path, Diagnostics& d) {
  const auto s = read_quantity(v, path, Dimension::duration,
                               Bounds::positive(30 * units::seconds_per_year), d);
  if (!s) return;
  const double months = *s / units::seconds_per_month;
  if (std::abs(months - std::round(months)) * units::seconds_per_month > units::seconds_per_day || months < 0.5) {
    return d.expected(path, "a whole number of months (e.g. \"36 months\" or \"3 years\")", describe_found(v));
  }
  l.term_months = static_cast<int>(std::lround(months));
}

Schema<lease::FixedMonthlyLease> lease_schema() {
  using L = lease::FixedMonthlyLease;
  Schema<L> s("lease", "A lease contract. Type fixed-monthly: take-or-pay capacity at a fixed monthly fee.");
  s.text("name", &L::name, "Name used in reports.", Need::required)
      .choice("type", &L::type, {{"fixed-monthly", std::string("fixed-monthly")}},
              "Contract type.", Need::required)
      .text("tenant", &L::tenant, "Tenant holding the lease.")
      .money("fee_per_month", &L::fee_per_month, Bounds::positive(1e10), "Fee per calendar month, owed whether used or not.",
             Need::required)
      .integer("gpus", &L::gpus, Bounds::at_least(1, 10'000'000), "Committed GPUs (or give racks).")
      .integer("racks", &L::racks, Bounds::at_least(1, 100'000), "Committed racks of the cluster's rack type (or give gpus).")
      .date("start", &L::start, "First day of the lease (UTC).", Need::required)
      .custom(FieldDoc{"term", "duration", "s", "\"36 months\"", "", "Length in whole calendar months.", true, {}, {}, {}, false},
              read_term)
      .custom(FieldDoc{"termination", "block", "", "{…}", "none", "Early exit rights.", false, {}, "termination", {}, false},
              [t = termination_schema()](L& l, const Json& v, const std::string& path, Diagnostics& d) {
                lease::Termination term;
                t.read(v, path, term, d);
                l.termination = term;
              });
  s.check([](L& l, const Json& v, const std::string& path, Diagnostics& d) {
    if (!v.is_object()) return;
    const bool has_gpus = v.contains("gpus"), has_racks = v.contains("racks");
    if (has_gpus == has_racks) {
      d.expected(path, "exactly one of \"gpus\" or \"racks\"", has_gpus ? "both" : "neither");
    }
    if (!v.contains("term")) d.expected(pointer_join(path, "term"), "key \"term\" (duration)", "nothing");
    if (l.termination && l.term_months > 0 &&
        l.termination->earliest_s > l.term_months * units::seconds_per_month) {
      d.expected(pointer_join(pointer_join(path, "termination"), "earliest"), "a time within the term", 
                 units::format_quantity(l.termination->earliest_s, Dimension::duration));
    }
  });
  return s;
}

Schema<Scenario> make_scenario_schema() {
  const Catalog& catalog = Catalog::builtin();
  Schema<Scenario> s("scenario", "A leasesim scenario: the cluster, the period and the leases.");
  s.text("name", &Scenario::name, "Name used in reports; default: the file name without .json.")
      .text("description", &Scenario::description, "Free text.")
      .integer("seed", &Scenario::seed, Bounds::at_least(0, 9'007'199'254'740'991.0),
               "Seed of every random draw; same file and seed give byte-identical output.")
      .block("cluster", &Scenario::cluster, cluster_schema(catalog), "The cluster.", Need::required)
      .block("horizon", &Scenario::horizon, horizon_schema(), "The simulated period.", Need::required)
      .list("leases", &Scenario::leases, lease_schema(), 1000, "Lease contracts.")
      .list("jobs", &Scenario::jobs, scenario_job_schema(), 100'000, "Training jobs.")
      .list("generators", &Scenario::generators, job_class_schema(), 1000, "Background demand: Poisson job classes.")
      .block("failures", &Scenario::failures, failures_schema(), "The failure model (default: none).")
      .block("scheduler", &Scenario::scheduler, scheduler_schema(), "Queue policy and placement.")
      .integer("replications", &Scenario::replications, Bounds::at_least(1, 10'000),
               "Independent runs with seeds derived from `seed`; results give mean and P10/P50/P90.")
      .choice("fidelity", &Scenario::fidelity,
              {{"analytical", cluster::Fidelity::analytical}, {"flow", cluster::Fidelity::flow}},
              "Step model: closed forms, or collectives as SimGrid flows on the fabric.");
  s.check([](Scenario& sc, const Json&, const std::string&, Diagnostics& d) {
    const double horizon_end = static_cast<double>(units::calendar_advance(sc.horizon.start, sc.horizon.length_s) - sc.horizon.start);
    for (std::size_t i = 0; i < sc.jobs.size(); ++i) {
      const auto path = pointer_join(pointer_join("", "jobs"), i);
      const auto& j = sc.jobs[i];
      for (std::size_t k = 0; k < i; ++k) {
        if (sc.jobs[k].spec.training.name == j.spec.training.name) {
          d.error(pointer_join(path, "name"), fmt::format("duplicate job name \"{}\"", j.spec.training.name));
        }
      }
      const double submit = j.submit.offset_from(sc.horizon.start);
      if (submit < 0 || submit >= horizon_end) {
        d.expected(pointer_join(path, "submit"), "a time within the horizon", units::format_date(sc.horizon.start + static_cast<std::int64_t>(submit)));
      }
      if (j.deadline && j.deadline->offset_from(sc.horizon.start) <= submit) {
        d.expected(pointer_join(path, "deadline"), "a time after the job's submit", 
                   units::format_date(sc.horizon.start + static_cast<std::int64_t>(j.deadline->offset_from(sc.horizon.start))));
      }
      if (j.spec.training.gpus > sc.cluster.schedulable_gpus()) {
        d.expected(pointer_join(path, "gpus"), fmt::format("at most the cluster's {} schedulable GPUs", sc.cluster.schedulable_gpus()),
                   std::to_string(j.spec.training.gpus));
      }
    }
    for (std::size_t i = 0; i < sc.leases.size(); ++i) {
      const auto& l = sc.leases[i];
      const auto path = pointer_join(pointer_join("", "leases"), i);
      for (std::size_t j = 0; j < i; ++j) {
        if (sc.leases[j].name == l.name) d.error(pointer_join(path, "name"), fmt::format("duplicate lease name \"{}\"", l.name));
      }
      if (l.racks > sc.cluster.racks) {
        d.expected(pointer_join(path, "racks"), fmt::format("at most the cluster's {} racks", sc.cluster.racks), std::to_string(l.racks));
      }
      if (l.gpus > sc.cluster.gpus()) {
        d.expected(pointer_join(path, "gpus"), fmt::format("at most the cluster's {} GPUs", sc.cluster.gpus()), std::to_string(l.gpus));
      }
    }
  });
  return s;
}

}  // namespace

cluster::SimulationInput to_simulation_input(const Scenario& s) {
  cluster::SimulationInput in;
  in.cluster = s.cluster;
  in.start_utc = s.horizon.start;
  in.horizon_s = static_cast<double>(units::calendar_advance(s.horizon.start, s.horizon.length_s) - s.horizon.start);
  for (const auto& j : s.jobs) {
    cluster::JobSpec spec = j.spec;
    spec.submit_s = j.submit.offset_from(s.horizon.start);
    if (j.deadline) spec.deadline_s = j.deadline->offset_from(s.horizon.start);
    in.jobs.push_back(std::move(spec));
  }
  for (const auto& g : s.generators) {
    cluster::JobClass spec = g.spec;
    if (g.from) spec.from_s = g.from->offset_from(s.horizon.start);
    if (g.until) spec.until_s = g.until->offset_from(s.horizon.start);
    in.generators.push_back(std::move(spec));
  }
  in.failures = s.failures;
  in.scheduler = s.scheduler;
  in.fidelity = s.fidelity;
  in.seed = s.seed;
  return in;
}

const Schema<Scenario>& scenario_schema() {
  static const Schema<Scenario> schema = make_scenario_schema();
  return schema;
}

namespace {

LoadResult read_scenario(std::optional<Json> doc, LoadResult result, const std::string& label) {
  if (!doc) return result;
  Scenario sc;
  scenario_schema().read(*doc, "", sc, result.diagnostics);
  if (sc.name.empty()) sc.name = std::filesystem::path(label).stem().string();
  if (result.diagnostics.ok()) result.scenario = std::move(sc);
  return result;
}

}  // namespace

LoadResult load_scenario_text(std::string_view text, const std::string& label) {
  LoadResult result{std::nullopt, Diagnostics(label)};
  auto doc = parse_json_text(text, result.diagnostics);
  return read_scenario(std::move(doc), std::move(result), label);
}

LoadResult load_scenario_file(const std::string& path) {
  LoadResult result{std::nullopt, Diagnostics(path)};
  auto doc = read_json_file(path, result.diagnostics);
  return read_scenario(std::move(doc), std::move(result), path);
}

}  // namespace leasesim::scenario
