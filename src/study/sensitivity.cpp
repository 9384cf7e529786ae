// One-at-a-time sensitivity of a scenario's cost and deadline job to its inputs (sensitivity.hpp).
#include "leasesim/study/sensitivity.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <string>

#include "leasesim/lease/contract_type.hpp"
#include "leasesim/lease/on_demand.hpp"
#include "leasesim/study/run_scenario.hpp"
#include "leasesim/units/date.hpp"
#include "leasesim/units/stats.hpp"

namespace leasesim::study {

namespace {

std::string no_leases_where(const scenario::Scenario& s, bool committed) {
  for (const auto& l : s.leases)
    if (lease::contract_type(l).committed() == committed) return {};
  return committed ? "no committed lease (fixed-monthly or reserved)" : "no pay-per-use lease (on-demand or spot)";
}

void scale_prices_where(scenario::Scenario& s, bool committed, double f) {
  for (auto& l : s.leases) {
    const lease::ContractType& type = lease::contract_type(l);
    if (type.committed() == committed) type.scale_prices(l, f);
  }
}

std::vector<SensitivityInput> make_catalog() {
  std::vector<SensitivityInput> c;
  c.push_back({"throughput", "every job's step rate (the step model's throughput, throughput_scale)", 0.85, 1.15,
               "the step model's band for FP8 on Blackwell is about x0.91 to x1.09 and NVFP4's x0.84 to x1.16 "
               "(docs/performance-model.md); x0.85 to x1.15 spans them",
               [](const scenario::Scenario& s) {
                 return s.jobs.empty() && s.generators.empty() ? std::string("no job") : std::string();
               },
               [](scenario::Scenario& s, double f) { s.throughput_scale *= f; }});
  c.push_back({"failure_rates", "every failure process's rate per unit", 0.5, 2.0,
               "published per-node rates differ 2.8x between two clusters of one operator (RSC-1 6.50 vs RSC-2 "
               "2.34 per 1000 node-days, docs/references.md)",
               [](const scenario::Scenario& s) {
                 return s.failures.processes.empty() ? std::string("no failure process") : std::string();
               },
               [](scenario::Scenario& s, double f) {
                 for (auto& p : s.failures.processes) p.per_unit_per_s *= f;
               }});
  c.push_back(
      {"tokens", "every listed job's tokens to train", 0.8, 1.25,
       "assumption: a planned token budget moves by a fifth either way between plan and run",
       [](const scenario::Scenario& s) { return s.jobs.empty() ? std::string("no listed job") : std::string(); },
       [](scenario::Scenario& s, double f) {
         for (auto& j : s.jobs) {
           j.spec.training.tokens *= f;
           if (j.spec.tokens_drawn) j.spec.tokens_drawn->mean_s *= f;  // a drawn budget: its mean
         }
       }});
  c.push_back({"lease_price", "every committed lease's prices (fee, rate, overage)", 0.9, 1.1,
               "assumption: the negotiating range of a committed price, ±10%",
               [](const scenario::Scenario& s) { return no_leases_where(s, true); },
               [](scenario::Scenario& s, double f) { scale_prices_where(s, true, f); }});
  c.push_back({"on_demand_price", "every on-demand and spot lease's price per GPU-hour", 0.7, 1.4,
               "B200 list prices span $6.69 to $14.24 per GPU-hour across providers (docs/references.md)",
               [](const scenario::Scenario& s) { return no_leases_where(s, false); },
               [](scenario::Scenario& s, double f) { scale_prices_where(s, false, f); }});
  c.push_back({"on_demand_availability", "every on-demand lease's grant probability (capped at 1)", 0.5, 1.0,
               "assumption: no public figure gives the odds of a large grant; half to today's",
               [](const scenario::Scenario& s) {
                 for (const auto& l : s.leases)
                   if (l.type == "on-demand") return std::string();
                 return std::string("no on-demand lease");
               },
               [](scenario::Scenario& s, double f) {
                 for (auto& l : s.leases) {
                   if (l.type != "on-demand") continue;
                   auto& t = l.terms.edit<lease::OnDemandTerms>();
                   t.availability = std::min(1.0, t.availability * f);
                 }
               }});
  c.push_back({"checkpoint_bandwidth", "the storage write and read bandwidth (and any fixed write time, inversely)",
               0.5, 2.0, "assumption: a shared file system's sustained rate under contention, half to twice the rated",
               [](const scenario::Scenario&) { return std::string(); },
               [](scenario::Scenario& s, double f) {
                 s.cluster.storage.write_bandwidth *= f;
                 s.cluster.storage.read_bandwidth *= f;
                 for (auto& j : s.jobs)
                   if (j.spec.checkpoint.write_time_s) *j.spec.checkpoint.write_time_s /= f;
                 for (auto& g : s.generators)
                   if (g.spec.checkpoint.write_time_s) *g.spec.checkpoint.write_time_s /= f;
               }});
  c.push_back({"restart_overhead", "every job's restart overhead (detect, reschedule, start)", 0.5, 2.0,
               "assumption: half to twice the stated overhead",
               [](const scenario::Scenario& s) {
                 return s.jobs.empty() && s.generators.empty() ? std::string("no job") : std::string();
               },
               [](scenario::Scenario& s, double f) {
                 for (auto& j : s.jobs) j.spec.restart_overhead_s *= f;
                 for (auto& g : s.generators) g.spec.restart_overhead_s *= f;
               }});
  c.push_back({"arrivals", "every job generator's arrival rate", 0.5, 1.5,
               "assumption: background demand from half to one and a half times the forecast",
               [](const scenario::Scenario& s) {
                 return s.generators.empty() ? std::string("no job generator") : std::string();
               },
               [](scenario::Scenario& s, double f) {
                 for (auto& g : s.generators) {
                   g.spec.arrivals_per_s *= f;
                   for (double& r : g.spec.arrivals_by_month_per_s) r *= f;
                   if (g.spec.arrivals_drawn_per_s) g.spec.arrivals_drawn_per_s->mean_s *= f;
                 }
               }});
  return c;
}

const scenario::ScenarioJob* measured_job(const scenario::Scenario& s, const std::string& name) {
  if (!name.empty()) {
    for (const auto& j : s.jobs)
      if (j.spec.training.name == name) return &j;
    return nullptr;
  }
  for (const auto& j : s.jobs)
    if (j.deadline) return &j;
  return s.jobs.empty() ? nullptr : &s.jobs.front();
}

double horizon_seconds(const scenario::Scenario& s) {
  return static_cast<double>(units::calendar_advance(s.horizon.start, s.horizon.length_s) - s.horizon.start);
}

SensitivityPoint measure(const scenario::Scenario& s, const std::string& job, double factor) {
  const RunOutcome run = run_scenario(s);
  SensitivityPoint p;
  p.factor = factor;
  std::int64_t micros = 0;
  for (const auto& l : run.ledgers) micros += l.total().tenant_cost().micros();
  if (!run.ledgers.empty()) {
    const auto n = static_cast<std::int64_t>(run.ledgers.size());
    // Rounded half away from zero to the micro-dollar.
    micros = (micros >= 0 ? micros + n / 2 : micros - n / 2) / n;
  }
  p.mean_cost = units::Money::from_micros(micros);
  std::vector<double> ends;
  int met = 0, with_deadline = 0;
  const double horizon = horizon_seconds(s);
  for (const auto& r : run.results) {
    for (const auto& jr : r.jobs) {
      if (jr.generated || jr.name != job) continue;
      if (jr.end_s) {
        ends.push_back(*jr.end_s);
      } else {
        ends.push_back(horizon);
        ++p.unfinished;
      }
      if (jr.deadline_s) {
        ++with_deadline;
        if (jr.end_s && *jr.end_s <= *jr.deadline_s) ++met;
      }
      break;
    }
  }
  p.end_p50_s = units::quantile(ends, 0.5);
  p.end_p90_s = units::quantile(ends, 0.9);
  p.deadline_met = with_deadline > 0 ? static_cast<double>(met) / with_deadline : 1.0;
  return p;
}

struct Planned {
  const SensitivityInput* input;
  double low, high;
};

std::vector<Planned> planned_swings(const scenario::Scenario& s, const SensitivityOptions& o,
                                    std::vector<std::pair<std::string, std::string>>* skipped) {
  std::vector<Planned> out;
  auto consider = [&](const SensitivityInput& in, double low, double high) {
    const std::string why = in.not_applicable(s);
    if (!why.empty()) {
      if (skipped) skipped->emplace_back(in.name, why);
      return;
    }
    out.push_back({&in, low, high});
  };
  if (o.swings.empty()) {
    for (const auto& in : sensitivity_inputs()) consider(in, in.low, in.high);
    return out;
  }
  for (const auto& w : o.swings) {
    const SensitivityInput* in = find_sensitivity_input(w.input);
    if (!in) {
      std::string names;
      for (const auto& c : sensitivity_inputs()) names += (names.empty() ? "" : ", ") + c.name;
      throw std::invalid_argument("unknown sensitivity input \"" + w.input + "\" (inputs: " + names + ")");
    }
    const double low = w.low.value_or(in->low), high = w.high.value_or(in->high);
    if (!(low > 0) || !(high > 0) || !std::isfinite(low) || !std::isfinite(high))
      throw std::invalid_argument("sensitivity input \"" + w.input + "\": factors must be positive numbers");
    consider(*in, low, high);
  }
  return out;
}

}  // namespace

const std::vector<SensitivityInput>& sensitivity_inputs() {
  static const std::vector<SensitivityInput> catalog = make_catalog();
  return catalog;
}

const SensitivityInput* find_sensitivity_input(const std::string& name) {
  for (const auto& in : sensitivity_inputs())
    if (in.name == name) return &in;
  return nullptr;
}

namespace {
// A run's figures as text for a worker process and back: hexadecimal floats (exact), micro-dollars.
std::string point_text(const SensitivityPoint& p) {
  return fmt::format("{:a} {} {:a} {:a} {} {:a}", p.factor, p.mean_cost.micros(), p.end_p50_s, p.end_p90_s,
                     p.unfinished, p.deadline_met);
}

SensitivityPoint point_of(const std::string& text) {
  SensitivityPoint p;
  std::istringstream in(text);
  std::string factor, p50, p90, met;
  long long micros = 0;
  in >> factor >> micros >> p50 >> p90 >> p.unfinished >> met;
  if (!in) throw std::runtime_error("sensitivity: a worker's run came back unreadable: \"" + text + "\"");
  p.factor = std::strtod(factor.c_str(), nullptr);
  p.mean_cost = units::Money::from_micros(micros);
  p.end_p50_s = std::strtod(p50.c_str(), nullptr);
  p.end_p90_s = std::strtod(p90.c_str(), nullptr);
  p.deadline_met = std::strtod(met.c_str(), nullptr);
  return p;
}
}  // namespace

std::size_t sensitivity_runs(const scenario::Scenario& s, const SensitivityOptions& options) {
  return 1 + 2 * planned_swings(s, options, nullptr).size();
}

SensitivityResult sensitivity(const scenario::Scenario& s, const SensitivityOptions& options) {
  SensitivityResult out;
  out.scenario = s.name;
  out.replications = s.replications;
  out.start_utc = s.horizon.start;
  out.horizon_s = horizon_seconds(s);
  out.rank_by = options.rank_by;
  const scenario::ScenarioJob* job = measured_job(s, options.job);
  if (!options.job.empty() && !job) throw std::invalid_argument("--job \"" + options.job + "\" is no listed job");
  if (job) {
    out.job = job->spec.training.name;
    out.has_deadline = job->deadline.has_value();
  }
  const std::vector<Planned> planned = planned_swings(s, options, &out.skipped);
  // Run 0 is the base; run 1 + 2k the k-th swing's low end, 2 + 2k its high end.
  auto variant = [&](std::size_t i, double& factor) {
    scenario::Scenario v = s;
    factor = 1.0;
    if (i == 0) return v;
    const Planned& p = planned[(i - 1) / 2];
    factor = (i % 2 == 1) ? p.low : p.high;
    p.input->apply(v, factor);
    return v;
  };
  const std::size_t count = 1 + 2 * planned.size();
  std::vector<SensitivityPoint> points(count);
  std::size_t runs = 0;
  auto done = [&](std::size_t i, SensitivityPoint point) {
    points[i] = std::move(point);
    ++runs;
    if (options.on_run) options.on_run(runs);
  };
  if (options.run_many) {
    options.run_many(
        count,
        [&](std::size_t i) {
          double f = 1;
          const scenario::Scenario v = variant(i, f);
          return point_text(measure(v, out.job, f));
        },
        [&](std::size_t i, const std::string& text) { done(i, point_of(text)); });
  } else {
    for (std::size_t i = 0; i < count; ++i) {
      double f = 1;
      const scenario::Scenario v = variant(i, f);
      done(i, measure(v, out.job, f));
    }
  }
  out.base = points[0];
  for (std::size_t k = 0; k < planned.size(); ++k) {
    const Planned& p = planned[k];
    SensitivityRow row{p.input->name, p.input->what, p.input->why, points[1 + 2 * k], points[2 + 2 * k], {}, 0};
    const auto diff = row.high.mean_cost - row.low.mean_cost;
    row.cost_swing = diff < units::Money() ? units::Money() - diff : diff;
    row.end_swing_s = std::abs(row.high.end_p90_s - row.low.end_p90_s);
    out.rows.push_back(std::move(row));
  }
  // Largest swing first; ties by the other measure, then by name.
  std::stable_sort(out.rows.begin(), out.rows.end(), [&](const SensitivityRow& a, const SensitivityRow& b) {
    if (options.rank_by == SensitivityRank::cost) {
      if (a.cost_swing != b.cost_swing) return a.cost_swing > b.cost_swing;
      if (a.end_swing_s != b.end_swing_s) return a.end_swing_s > b.end_swing_s;
    } else {
      if (a.end_swing_s != b.end_swing_s) return a.end_swing_s > b.end_swing_s;
      if (a.cost_swing != b.cost_swing) return a.cost_swing > b.cost_swing;
    }
    return a.input < b.input;
  });
  return out;
}

}  // namespace leasesim::study
