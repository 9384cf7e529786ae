// The jobs, generators, failures and scheduler blocks of a scenario: the inputs of the cluster
// simulation, with dates or offsets for times and "auto" checkpoint intervals.
#include "leasesim/scenario/cluster_run_schema.hpp"

#include <fmt/format.h>

#include "leasesim/cluster/failure_presets.hpp"
#include "leasesim/scenario/workload_schema.hpp"
#include "leasesim/units/date.hpp"

namespace leasesim::scenario {

using units::Dimension;

namespace {

constexpr double max_time_s = 100 * units::seconds_per_year;

std::optional<TimePoint> read_time_point(const Json& v, const std::string& path, Diagnostics& d) {
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (auto date = units::parse_date(s)) return TimePoint{true, static_cast<double>(*date)};
  }
  const auto parsed =
      v.is_string() ? units::parse_quantity(v.get_ref<const std::string&>(), Dimension::duration) : units::Parsed{};
  if (v.is_number() || (v.is_string() && parsed.value)) {
    const double x = v.is_number() ? v.get<double>() : *parsed.value;
    if (std::isfinite(x) && x >= 0 && x <= max_time_s) return TimePoint{false, x};
    d.expected(path, "a date or an offset ≥ 0 from the horizon start", describe_found(v));
    return std::nullopt;
  }
  d.expected(path, "a date (e.g. \"2026-09-01\") or an offset from the horizon start (e.g. \"30 d\")",
             describe_found(v));
  return std::nullopt;
}

template <class T>
ReadFnOf<T> time_point_into(TimePoint T::*member) {
  return [member](T& out, const Json& v, const std::string& path, Diagnostics& d) {
    if (auto t = read_time_point(v, path, d)) out.*member = *t;
  };
}

template <class T>
ReadFnOf<T> optional_time_point_into(std::optional<TimePoint> T::*member) {
  return [member](T& out, const Json& v, const std::string& path, Diagnostics& d) {
    if (auto t = read_time_point(v, path, d)) out.*member = *t;
  };
}

Schema<cluster::DurationDistribution> distribution_schema() {
  using D = cluster::DurationDistribution;
  Schema<D> s("distribution", "A random duration: {\"distribution\": \"weibull\", \"mean\": \"4 h\", \"shape\": 0.8}.");
  s.choice("distribution", &D::kind,
           {{"fixed", cluster::Distribution::fixed},
            {"exponential", cluster::Distribution::exponential},
            {"weibull", cluster::Distribution::weibull},
            {"lognormal", cluster::Distribution::lognormal}},
           "Shape of the distribution.")
      .quantity("mean", Dimension::duration, &D::mean_s, Bounds::at_least(0, max_time_s), "Mean duration.",
                Need::required)
      .quantity("shape", Dimension::count, &D::shape, Bounds::positive(100),
                "Weibull shape k, or the lognormal sigma of ln(duration).");
  return s;
}

// A duration distribution written as a block or as a plain duration (fixed).
ReadFnOf<cluster::DurationDistribution> distribution_reader() {
  return [s = distribution_schema()](cluster::DurationDistribution& out, const Json& v, const std::string& path,
                                     Diagnostics& d) {
    if (v.is_object()) return s.read(v, path, out, d);
    if (auto x = read_quantity(v, path, Dimension::duration, Bounds::at_least(0, max_time_s), d)) {
      out = {cluster::Distribution::fixed, *x, 1};
    }
  };
}

Schema<cluster::CheckpointPolicy> checkpoint_schema() {
  using C = cluster::CheckpointPolicy;
  Schema<C> s("checkpoint", "When and how a job checkpoints.");
  s.custom(field_doc("interval", "duration or \"auto\"", "\"30 min\"", "\"auto\"",
                     "Training time between checkpoints; \"auto\" = Young/Daly sqrt(2·stall / failure rate), the stall "
                     "being the write when blocking, the snapshot when async. Never shorter than the write time."),
           [](C& c, const Json& v, const std::string& path, Diagnostics& d) {
             if (v.is_string() && v.get_ref<const std::string&>() == "auto") return c.interval_s.reset();
             if (auto x = read_quantity(v, path, Dimension::duration, Bounds::positive(units::seconds_per_year), d))
               c.interval_s = *x;
           })
      .custom(field_doc("write_time", "duration or \"auto\"", "\"90 s\"", "\"auto\"",
                        "Write time of one checkpoint to storage (the stall when blocking; overlapped with training "
                        "when async, the checkpoint committed once written); \"auto\" = checkpoint bytes / the job's "
                        "share of storage write bandwidth."),
              [](C& c, const Json& v, const std::string& path, Diagnostics& d) {
                if (v.is_string() && v.get_ref<const std::string&>() == "auto") return c.write_time_s.reset();
                if (auto x = read_quantity(v, path, Dimension::duration,
                                           Bounds::at_least(0, 30 * units::seconds_per_day), d))
                  c.write_time_s = *x;
              })
      .boolean("async", &C::async, "The write overlaps training; only a snapshot stall is paid.");
  return s;
}

}  // namespace

Schema<ScenarioJob> scenario_job_schema() {
  using J = ScenarioJob;
  Schema<J> s("scenario job", "A training job of the scenario: the step model's job block plus scheduling keys.");
  s.embed(&J::spec, [] {
    using S = cluster::JobSpec;
    Schema<S> inner("job scheduling", "");
    inner.embed(&S::training, job_schema())
        .text("tenant", &S::tenant,
              "Tenant the job belongs to; with leases, one holding a lease (required then), with `tenants`, a declared "
              "one.")
        .integer("priority", &S::priority, Bounds::at_least(-1000, 1000),
                 "Larger runs first under the priority policy.")
        .block("checkpoint", &S::checkpoint, checkpoint_schema(), "Checkpoint policy.")
        .quantity("restart_overhead", Dimension::duration, &S::restart_overhead_s,
                  Bounds::at_least(0, units::seconds_per_day),
                  "Detect, reschedule and start after an interruption; reading the checkpoint back (its size / storage "
                  "read bandwidth) comes on top.");
    return inner;
  }());
  s.custom(field_doc("submit", "date or offset", "\"2026-07-01\"", "0", "When the job is submitted."),
           time_point_into(&J::submit))
      .custom(field_doc("deadline", "date or offset", "\"2027-03-01\"", "none", "When the job should be done."),
              optional_time_point_into(&J::deadline));
  return s;
}

Schema<ScenarioJobClass> job_class_schema() {
  using G = ScenarioJobClass;
  using C = cluster::JobClass;
  Schema<G> s("generator", "Background demand: Poisson arrivals of one job class.");
  Schema<C> inner("job class", "");
  inner.text("name", &C::name, "Generated jobs are named NAME-1, NAME-2, …", Need::required)
      .text("tenant", &C::tenant,
            "Tenant of the generated jobs; with leases, one holding a lease (required then), with `tenants`, a "
            "declared one.")
      .custom(field_doc("arrivals_per_day", "number", "4", "", "Mean arrivals per day (Poisson).", true),
              [](C& c, const Json& v, const std::string& path, Diagnostics& d) {
                if (auto x = read_quantity(v, path, Dimension::count, Bounds::positive(1e6), d))
                  c.arrivals_per_s = *x / units::seconds_per_day;
              })
      .custom(field_doc("gpus", "integer, list of integers, or list of {gpus, weight}",
                        "[64, 256, {\"gpus\": 1024, \"weight\": 0.1}]", "",
                        "Job sizes; a list is drawn from uniformly or by weight.", true),
              [](C& c, const Json& v, const std::string& path, Diagnostics& d) {
                const Bounds size = Bounds::at_least(1, 10'000'000);
                c.gpus.clear();
                if (!v.is_array()) {
                  if (auto n = read_integer(v, path, size, d)) c.gpus.emplace_back(*n, 1.0);
                  return;
                }
                if (v.empty() || v.size() > 100) return d.expected(path, "a list of 1 to 100 sizes", describe_found(v));
                for (std::size_t i = 0; i < v.size(); ++i) {
                  const auto p = pointer_join(path, i);
                  if (v[i].is_object()) {
                    std::optional<std::int64_t> n;
                    std::optional<double> w = 1.0;
                    for (auto it = v[i].begin(); it != v[i].end(); ++it) {
                      if (it.key() == "gpus")
                        n = read_integer(it.value(), pointer_join(p, "gpus"), size, d);
                      else if (it.key() == "weight")
                        w = read_quantity(it.value(), pointer_join(p, "weight"), Dimension::count,
                                          Bounds::positive(1e9), d);
                      else
                        d.error(pointer_join(p, it.key()),
                                "unknown key \"" + it.key() + "\" in a size entry; allowed keys: gpus, weight");
                    }
                    if (!v[i].contains("gpus"))
                      d.expected(pointer_join(p, "gpus"), "key \"gpus\" (integer)", "nothing");
                    if (n && w) c.gpus.emplace_back(*n, *w);
                  } else if (auto n = read_integer(v[i], p, size, d)) {
                    c.gpus.emplace_back(*n, 1.0);
                  }
                }
              })
      .custom(holding(field_doc("runtime", "duration or distribution block",
                                "{\"distribution\": \"lognormal\", \"mean\": \"6 h\", \"shape\": 1}", "",
                                "Productive run time of one job at its full step rate.", true),
                      distribution_schema()),
              [r = distribution_reader()](C& c, const Json& v, const std::string& path, Diagnostics& d) {
                r(c.runtime, v, path, d);
              })
      .block("job", &C::training, job_schema(), "Model, precision and batch used to price the step and the checkpoint.",
             Need::required)
      .integer("priority", &C::priority, Bounds::at_least(-1000, 1000), "Larger runs first under the priority policy.")
      .block("checkpoint", &C::checkpoint, checkpoint_schema(), "Checkpoint policy.")
      .quantity("restart_overhead", Dimension::duration, &C::restart_overhead_s,
                Bounds::at_least(0, units::seconds_per_day),
                "Detect, reschedule and start after an interruption; reading the checkpoint back (its size / storage "
                "read bandwidth) comes on top.");
  s.embed(&G::spec, inner);
  s.custom(field_doc("from", "date or offset", "\"2026-08-01\"", "0", "First arrival time window start."),
           optional_time_point_into(&G::from))
      .custom(field_doc("until", "date or offset", "\"2027-01-01\"", "the horizon's end", "Arrivals stop here."),
              optional_time_point_into(&G::until));
  return s;
}

Schema<cluster::FailureModel> failures_schema() {
  using F = cluster::FailureModel;
  using P = cluster::FailureProcess;
  using M = cluster::MaintenanceWindow;
  Schema<P> process("failure process",
                    "One failure process: what fails, the unit its rate is counted per, the rate and the repair time.");
  process
      .choice(
          "component", &P::component,
          {{"gpu", cluster::Component::gpu},
           {"host", cluster::Component::node},
           {"node", cluster::Component::node},
           {"nic", cluster::Component::nic},
           {"switch", cluster::Component::switch_cable},
           {"rack", cluster::Component::rack_power},
           {"rack-power", cluster::Component::rack_power},
           {"nvlink-switch", cluster::Component::nvlink_switch},
           {"software", cluster::Component::software}},
          "What fails and what it takes out: a GPU (its tray is drained), a host (tray or DGX node; \"node\" is the "
          "same), a NIC, a fabric switch or cable (jobs across it restart), a rack (power shelf, cooling: the rack "
          "is out; \"rack-power\" is the same), an NVL72 NVLink switch tray (the rack's jobs restart; no published "
          "rate: give your own), or software (the job restarts).",
          Need::required)
      .choice("unit", &P::unit,
              {{"gpu", cluster::FailureUnit::gpu},
               {"host", cluster::FailureUnit::host},
               {"nic", cluster::FailureUnit::nic},
               {"link", cluster::FailureUnit::link},
               {"switch", cluster::FailureUnit::fabric_switch},
               {"rack", cluster::FailureUnit::rack},
               {"nvlink-switch", cluster::FailureUnit::nvlink_switch}},
              "The unit the rate is counted per (default by component: gpu→gpu, host→host, nic→nic, switch→switch, "
              "rack→rack, nvlink-switch→nvlink-switch, software→host of the job). A rate measured per 8-GPU host "
              "is not a rate per 4-GPU tray: say which unit the source counted.")
      .text("category", &P::category, "Label in reports (default: the component).")
      .custom(field_doc("per_1000_unit_days", "number", "6.5", "",
                        "Failures per 1000 unit-days of the process's unit (or give mtbf)."),
              [](P& p, const Json& v, const std::string& path, Diagnostics& d) {
                if (auto x = read_quantity(v, path, Dimension::count, Bounds::positive(1e6), d))
                  p.per_unit_per_s = *x / 1000 / units::seconds_per_day;
              })
      .custom(field_doc("mtbf", "duration", "\"88768 h\"", "",
                        "Mean time between failures of one unit (or give per_1000_unit_days)."),
              [](P& p, const Json& v, const std::string& path, Diagnostics& d) {
                if (auto x =
                        read_quantity(v, path, Dimension::duration, Bounds::positive(1e4 * units::seconds_per_year), d))
                  p.per_unit_per_s = 1.0 / *x;
              })
      .choice("distribution", &P::distribution,
              {{"exponential", cluster::Distribution::exponential}, {"weibull", cluster::Distribution::weibull}},
              "Distribution of the time between failures of one unit.")
      .quantity("weibull_shape", Dimension::count, &P::weibull_shape, Bounds::positive(100), "Weibull shape k.")
      .custom(holding(field_doc("repair", "duration or distribution block", "\"4 h\"", "",
                                "Time until the unit is back in service.", true),
                      distribution_schema()),
              [r = distribution_reader()](P& p, const Json& v, const std::string& path, Diagnostics& d) {
                r(p.repair, v, path, d);
              });
  process.check([](P& p, const Json& v, const std::string& path, Diagnostics& d) {
    if (!v.is_object()) return;
    const bool rate = v.contains("per_1000_unit_days"), mtbf = v.contains("mtbf");
    if (rate == mtbf) d.expected(path, "exactly one of \"per_1000_unit_days\" or \"mtbf\"", rate ? "both" : "neither");
    if (!v.contains("unit")) p.unit = cluster::default_unit(p.component);
    if (p.category.empty()) p.category = cluster::to_string(p.component);
  });
  Schema<M> window("maintenance", "Planned maintenance: racks out of service for a while, once or periodically.");
  window
      .quantity("start", Dimension::duration, &M::start_s, Bounds::at_least(0, max_time_s),
                "Offset from the horizon start.", Need::required)
      .quantity("duration", Dimension::duration, &M::duration_s, Bounds::positive(units::seconds_per_year), "How long.",
                Need::required)
      .quantity("every", Dimension::duration, &M::every_s, Bounds::at_least(0, max_time_s), "Period (0 = once).")
      .integer("racks", &M::racks, Bounds::at_least(1, 100'000), "Racks taken out each time.");
  Schema<F> s("failures", "The failure model: a preset, explicit processes, planned maintenance.");
  FieldDoc preset = field_doc("preset", "one of", "\"llama3-405b\"", "none",
                              "Published failure rates (docs/references.md); `processes` add to it.");
  preset.choices = cluster::failure_preset_names();
  s.custom(preset,
           [](F& f, const Json& v, const std::string& path, Diagnostics& d) {
             if (auto name = read_choice(v, path, cluster::failure_preset_names(), d)) f.preset = *name;
           })
      .list("processes", &F::processes, process, 64, "Failure processes.")
      .list("maintenance", &F::maintenance, window, 64, "Planned maintenance windows.");
  s.check([](F& f, const Json&, const std::string&, Diagnostics&) {
    if (f.preset.empty()) return;
    if (const auto* p = cluster::failure_preset(f.preset)) {
      std::vector<cluster::FailureProcess> all = p->processes;
      all.insert(all.end(), f.processes.begin(), f.processes.end());
      f.processes = std::move(all);
      f.maintenance.insert(f.maintenance.begin(), p->maintenance.begin(), p->maintenance.end());
    }
  });
  return s;
}

Schema<cluster::SchedulerSpec> scheduler_schema() {
  using S = cluster::SchedulerSpec;
  Schema<S> s("scheduler", "How queued jobs are chosen and placed.");
  s.choice("policy", &S::policy,
           {{"fifo", cluster::SchedulerPolicy::fifo},
            {"easy-backfill", cluster::SchedulerPolicy::easy_backfill},
            {"priority", cluster::SchedulerPolicy::priority}},
           "Queue policy.")
      .choice("placement", &S::placement,
              {{"pack", cluster::PlacementPolicy::pack}, {"spread", cluster::PlacementPolicy::spread}},
              "pack: NVLink-domain groups inside racks, fewest racks spanned; spread: across racks.")
      .boolean("preemption", &S::preemption, "A higher-priority job may checkpoint-and-stop lower-priority ones.");
  return s;
}

}  // namespace leasesim::scenario
