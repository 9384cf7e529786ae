// The jobs, generators, failures and scheduler blocks of a scenario: the inputs of the cluster
// simulation, with dates or offsets for times and "auto" checkpoint intervals.
#include "leasesim/scenario/cluster_run_schema.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "leasesim/cluster/failure_presets.hpp"
#include "leasesim/cluster/job_arrivals.hpp"
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
      .example(R"("6 h")")
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

const std::vector<std::pair<std::string, cluster::Distribution>>& distribution_kinds() {
  static const std::vector<std::pair<std::string, cluster::Distribution>> kinds = {
      {"fixed", cluster::Distribution::fixed},
      {"exponential", cluster::Distribution::exponential},
      {"weibull", cluster::Distribution::weibull},
      {"lognormal", cluster::Distribution::lognormal}};
  return kinds;
}

// The distribution block with a count mean ("1T" tokens, 4 arrivals a day), drawn per replication.
Schema<cluster::ValueDistribution> count_distribution_schema(const std::string& name, const std::string& doc,
                                                             double max_mean) {
  using D = cluster::ValueDistribution;
  Schema<D> s(name, doc);
  // The mean's example fits the bound: "1T" tokens, 4 arrivals a day.
  const std::string example = max_mean >= 1e12 ? "\"1T\"" : "4";
  s.choice("distribution", &D::kind, distribution_kinds(), "Shape of the distribution.")
      .custom(field_doc("mean", "count", example, "", "Mean of the drawn value.", true),
              [max_mean](D& out, const Json& v, const std::string& path, Diagnostics& d) {
                if (auto x = read_large_count(v, path, Bounds::at_least(0, max_mean), d)) out.mean_s = *x;
              })
      .quantity("shape", Dimension::count, &D::shape, Bounds::positive(100),
                "Weibull shape k, or the lognormal sigma of ln(value).");
  return s;
}

// A generator's arrival rate as a schedule: by month, or an initial rate and a monthly growth.
struct RateSchedule {
  std::vector<double> by_month;  // per day
  double initial = 0;            // per day
  double growth = 0;
};

Schema<RateSchedule> rate_schedule_schema() {
  using R = RateSchedule;
  Schema<R> s("arrival schedule",
              "Arrivals per day that change over the horizon: {\"by_month\": [2, 3, 5]} (month i of the horizon; the "
              "last holds afterwards) or {\"initial\": 2, \"growth_per_month\": \"5%\"}.");
  s.custom(field_doc("by_month", "list of number", "[2, 3, 5]", "",
                     "Mean arrivals per day in month 1, 2, … of the horizon (calendar months from its start); the "
                     "last value holds afterwards."),
           [](R& r, const Json& v, const std::string& path, Diagnostics& d) {
             if (!v.is_array() || v.empty() || v.size() > 1200)
               return d.expected(path, "a list of 1 to 1200 rates per day", describe_found(v));
             for (std::size_t i = 0; i < v.size(); ++i)
               if (auto x = read_quantity(v[i], pointer_join(path, i), Dimension::count, Bounds::at_least(0, 1e6), d))
                 r.by_month.push_back(*x);
           })
      .custom(field_doc("initial", "number", "2", "", "Mean arrivals per day at the horizon start."),
              [](R& r, const Json& v, const std::string& path, Diagnostics& d) {
                if (auto x = read_quantity(v, path, Dimension::count, Bounds::positive(1e6), d)) r.initial = *x;
              })
      .quantity("growth_per_month", Dimension::fraction, &R::growth, Bounds::at_least(-0.99, 1),
                "Growth of the rate per month (365.2425/12 days), compounded continuously: \"5%\".")
      .example(R"("5%")");
  s.check([](R& r, const Json& v, const std::string& path, Diagnostics& d) {
    const bool months = v.contains("by_month"), growth = v.contains("initial") || v.contains("growth_per_month");
    if (months == growth) {
      d.expected(path, "either \"by_month\" or \"initial\" with \"growth_per_month\"", months ? "both" : "neither");
      return;
    }
    if (growth && !(v.contains("initial") && v.contains("growth_per_month")))
      d.expected(path, "both \"initial\" and \"growth_per_month\"",
                 v.contains("initial") ? "no \"growth_per_month\"" : "no \"initial\"");
    if (months && std::none_of(r.by_month.begin(), r.by_month.end(), [](double x) { return x > 0; }))
      d.expected(pointer_join(path, "by_month"), "at least one month with arrivals > 0", "only zeros");
  });
  return s;
}

struct ElasticSize {
  std::int64_t min = 0, max = 0;
};

Schema<ElasticSize> elastic_size_schema() {
  Schema<ElasticSize> s("elastic size",
                        "An elastic job's size: it starts on what is free between min and max (docs/cluster-model.md, "
                        "\"Roadmaps\").");
  s.integer("min", &ElasticSize::min, Bounds::at_least(1, 10'000'000), "The fewest GPUs it starts (or restarts) on.",
            Need::required)
      .example(R"(8192)")
      .integer("max", &ElasticSize::max, Bounds::at_least(1, 10'000'000), "The most GPUs it takes.", Need::required)
      .example(R"(32768)");
  s.check([](ElasticSize& e, const Json&, const std::string& path, Diagnostics& d) {
    if (e.min > e.max)
      d.expected(pointer_join(path, "min"), fmt::format("at most max ({})", e.max), std::to_string(e.min));
  });
  return s;
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
                        "share of the storage write bandwidth: all of it alone, its expected share while other "
                        "running jobs write too (re-solved as jobs start and end; docs/cluster-model.md)."),
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
        .example(R"(10)")
        .text("site", &S::site, "With `sites`: the site the job must run in (default: the first that holds it).")
        .boolean("span_sites", &S::span_sites,
                 "With `sites`: a job no single site holds may run across sites, its step priced over `inter_site`; "
                 "without it such a job is rejected with the largest site's size.")
        .block("checkpoint", &S::checkpoint, checkpoint_schema(), "Checkpoint policy.")
        .quantity("restart_overhead", Dimension::duration, &S::restart_overhead_s,
                  Bounds::at_least(0, units::seconds_per_day),
                  "Detect, reschedule and start after an interruption; reading the checkpoint back (its size / storage "
                  "read bandwidth) comes on top.");
    return inner;
  }());
  s.custom(field_doc("submit", "date or offset", "\"2026-07-01\"", "0",
                     "When the job is submitted (with `after`: the earliest it may be)."),
           time_point_into(&J::submit))
      .custom(field_doc("deadline", "date or offset", "\"2027-03-01\"", "none", "When the job should be done."),
              optional_time_point_into(&J::deadline));
  // Roadmaps (docs/cluster-model.md, "Roadmaps").
  const auto tokens_block = count_distribution_schema(
      "tokens distribution",
      "Tokens drawn per replication: {\"distribution\": \"lognormal\", \"mean\": \"1T\", \"shape\": 0.2}.", 1e18);
  s.replace(
       holding(field_doc("tokens", "count or distribution block",
                         "{\"distribution\": \"lognormal\", \"mean\": \"1T\", \"shape\": 0.2}", "0",
                         "Tokens to train (for the time to train): a count (\"15T\"), or a distribution block with a "
                         "count mean, drawn per replication on the job's own stream (common random numbers)."),
               tokens_block),
       [tokens_block](J& j, const Json& v, const std::string& path, Diagnostics& d) {
         if (v.is_object()) {
           cluster::ValueDistribution dist;
           const std::size_t before = d.problems().size();
           tokens_block.read(v, path, dist, d);
           if (d.problems().size() != before) return;
           j.spec.tokens_drawn = dist;
           j.spec.training.tokens = dist.mean_s;
           return;
         }
         if (auto x = read_large_count(v, path, Bounds::at_least(0, 1e18), d)) j.spec.training.tokens = *x;
       })
      .replace(holding(field_doc("gpus", "integer or {min, max}", "{\"min\": 8192, \"max\": 32768}", "all schedulable",
                                 "GPUs the job may use; {\"min\", \"max\"}: elastic, it starts on what is free between "
                                 "them (a multiple of its model-parallel block) and grows at checkpoints."),
                       elastic_size_schema()),
               [sizes = elastic_size_schema()](J& j, const Json& v, const std::string& path, Diagnostics& d) {
                 if (v.is_object()) {
                   ElasticSize e;
                   const std::size_t before = d.problems().size();
                   sizes.read(v, path, e, d);
                   if (d.problems().size() != before) return;
                   j.spec.training.gpus = e.max;
                   j.spec.min_gpus = e.min;
                   return;
                 }
                 if (auto n = read_integer(v, path, Bounds::at_least(1, 10'000'000), d)) j.spec.training.gpus = *n;
               })
      .custom(field_doc("after", "list of string", "[\"pretrain-2t\"]", "[]",
                        "Listed jobs (by name) that must complete first: the job is submitted at the latest of its "
                        "`submit` and the last of their ends plus `lag`; if one is rejected or unfinished at the "
                        "horizon end it is never submitted (status \"blocked\", the reason naming it)."),
              [](J& j, const Json& v, const std::string& path, Diagnostics& d) {
                if (!v.is_array() || v.size() > 100)
                  return d.expected(path, "a list of up to 100 job names", describe_found(v));
                for (std::size_t i = 0; i < v.size(); ++i) {
                  if (!v[i].is_string() || v[i].get_ref<const std::string&>().empty()) {
                    d.expected(pointer_join(path, i), "a job name", describe_found(v[i]));
                    continue;
                  }
                  j.spec.after.push_back(v[i].get<std::string>());
                }
              })
      .custom(field_doc("lag", "duration", "\"14 d\"", "0", "Time between the last predecessor's end and the submit."),
              [](J& j, const Json& v, const std::string& path, Diagnostics& d) {
                if (auto x = read_quantity(v, path, Dimension::duration, Bounds::at_least(0, max_time_s), d))
                  j.spec.lag_s = *x;
              })
      .custom(holding(field_doc("slip", "duration or distribution block",
                                "{\"distribution\": \"exponential\", \"mean\": \"14 d\"}", "none",
                                "A delay added to the submit (with `after`: to max(submit, end + lag)), drawn per "
                                "replication on the job's own stream (common random numbers)."),
                      distribution_schema()),
              [r = distribution_reader()](J& j, const Json& v, const std::string& path, Diagnostics& d) {
                cluster::DurationDistribution dist;
                const std::size_t before = d.problems().size();
                r(dist, v, path, d);
                if (d.problems().size() == before) j.spec.slip = dist;
              });
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
      .custom(holding(holding(field_doc("arrivals_per_day", "number, schedule or distribution block", "4", "",
                                        "Mean arrivals per day (Poisson); a schedule ({\"by_month\": [2, 3, 5]} or "
                                        "{\"initial\": 2, \"growth_per_month\": \"5%\"}) makes the rate change "
                                        "over the horizon; a distribution block draws the rate per replication.",
                                        true),
                              rate_schedule_schema()),
                      count_distribution_schema("rate distribution",
                                                "A rate drawn per replication: {\"distribution\": \"lognormal\", "
                                                "\"mean\": 4, \"shape\": 0.3} arrivals per day.",
                                                1e6)),
              [schedule = rate_schedule_schema(), drawn = count_distribution_schema("rate distribution", "", 1e6)](
                  C& c, const Json& v, const std::string& path, Diagnostics& d) {
                if (!v.is_object()) {
                  if (auto x = read_quantity(v, path, Dimension::count, Bounds::positive(1e6), d))
                    c.arrivals_per_s = *x / units::seconds_per_day;
                  return;
                }
                const std::size_t before = d.problems().size();
                if (v.contains("distribution") || v.contains("mean")) {
                  cluster::ValueDistribution dist;
                  drawn.read(v, path, dist, d);
                  if (d.problems().size() != before) return;
                  dist.mean_s /= units::seconds_per_day;
                  c.arrivals_drawn_per_s = dist;
                  c.arrivals_per_s = dist.mean_s;
                  return;
                }
                RateSchedule r;
                schedule.read(v, path, r, d);
                if (d.problems().size() != before) return;
                for (double x : r.by_month) c.arrivals_by_month_per_s.push_back(x / units::seconds_per_day);
                c.arrivals_per_s =
                    r.by_month.empty() ? r.initial / units::seconds_per_day : c.arrivals_by_month_per_s.front();
                c.growth_per_month = r.growth;
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
      .example(R"(10)")
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
      .example(R"("30 d")")
      .quantity("duration", Dimension::duration, &M::duration_s, Bounds::positive(units::seconds_per_year), "How long.",
                Need::required)
      .example(R"("8 h")")
      .quantity("every", Dimension::duration, &M::every_s, Bounds::at_least(0, max_time_s), "Period (0 = once).")
      .example(R"("90 d")")
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
