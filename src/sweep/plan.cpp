// The plan's goal seek: bisection on racks over replicated simulations (see plan.hpp).
#include "leasesim/sweep/plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "leasesim/cluster/random_stream.hpp"
#include "leasesim/cluster/simulate.hpp"
#include "leasesim/lease/contract_type.hpp"
#include "leasesim/report/progress.hpp"
#include "leasesim/scenario/json_text.hpp"
#include "leasesim/scenario/scenario.hpp"
#include "leasesim/study/run_scenario.hpp"
#include "leasesim/sweep/metrics.hpp"
#include "leasesim/sweep/sweep_spec.hpp"
#include "leasesim/sweep/worker_pool.hpp"
#include "leasesim/units/date.hpp"
#include "leasesim/units/money.hpp"

namespace leasesim::sweep {

using nlohmann::json;
using scenario::describe_found;
using scenario::Diagnostics;

namespace {

constexpr double hours_per_month = 365.2425 * 24 / 12;

// What one replication says about each considered job: its end (seconds from the start) if it ended.
using JobEnds = std::map<std::string, std::optional<double>>;

struct Evaluation {
  int racks = 0;
  std::int64_t gpus = 0;
  double p_all = 0;                     // P(every considered deadline met)
  std::map<std::string, double> p_job;  // P(this job's deadline met)
  std::vector<JobEnds> runs;
  std::optional<double> monthly_cost;
  std::string note;  // why the capacity could not be simulated
};

// P(deadline met) of a job at an evaluation; 0 for a job the evaluation could not run.
double p_met(const Evaluation& e, const std::string& job) {
  const auto it = e.p_job.find(job);
  return it == e.p_job.end() ? 0.0 : it->second;
}

struct Search {
  const PlanSpec& spec;
  int workers;
  scenario::Scenario base;  // loaded at the scenario's own racks
  std::vector<std::string> jobs;
  std::map<std::string, double> deadlines;  // job → deadline offset (s)
  std::uint64_t seed = 1;
  report::Progress* progress = nullptr;  // one line per run finished, on a terminal
  mutable int probes = 0;
  mutable std::size_t runs_done = 0;

  // The scenario document at `racks`, horizon cut at the latest deadline when `cut`.
  json document(int racks, bool cut) const {
    json doc = spec.base;
    doc["cluster"]["racks"] = racks;
    if (doc.contains("leases") && doc["leases"].is_array()) {
      for (auto& l : doc["leases"]) {
        if (l.is_object() && l.contains("racks")) l["racks"] = racks;
      }
    }
    double latest = 0;
    for (const auto& [name, t] : deadlines) latest = std::max(latest, t);
    if (cut && latest + 86400 < base.horizon.length_s) doc["horizon"]["length"] = std::ceil(latest + 86400);
    return doc;
  }

  std::optional<double> cost(int racks, std::int64_t gpus) const {
    if (spec.price_per_gpu_hour) return static_cast<double>(gpus) * *spec.price_per_gpu_hour * hours_per_month;
    double fee = 0;
    bool any = false;
    for (const auto& l : base.leases) {
      const double per_month = lease::contract_type(l).fee_per_month(l).dollars();
      if (l.racks <= 0 || per_month <= 0) continue;
      fee += per_month * racks / l.racks;
      any = true;
    }
    return any ? std::optional<double>(fee) : std::nullopt;
  }

  Evaluation evaluate(int racks, bool cut) const {
    Evaluation e;
    e.racks = racks;
    e.gpus = static_cast<std::int64_t>(racks) * base.cluster.rack.gpus;
    e.monthly_cost = cost(racks, e.gpus);
    for (const auto& name : jobs) e.p_job[name] = 0;
    auto loaded = scenario::load_scenario_text(document(racks, cut).dump(),
                                               fmt::format("{} at {} racks", spec.base_label, racks));
    if (!loaded.scenario) {
      e.note = loaded.diagnostics.problems().empty() ? "invalid" : loaded.diagnostics.problems().front().message;
      return e;
    }
    const auto input = scenario::to_simulation_input(*loaded.scenario);
    std::vector<std::size_t> tasks(static_cast<std::size_t>(spec.replications));
    for (std::size_t i = 0; i < tasks.size(); ++i) tasks[i] = i;
    e.runs.resize(tasks.size());
    ++probes;
    std::size_t probe_done = 0;
    const auto show = [&] {
      if (progress)
        progress->update(runs_done,
                         fmt::format("capacity {}: {} racks, {}/{} runs", probes, racks, probe_done, tasks.size()));
    };
    show();
    const auto handler = [&](std::size_t i) {
      auto in = input;
      in.seed = cluster::replication_seed(seed, static_cast<int>(i));
      const auto r = study::run_replication(in, nullptr).result;  // deadlines only: no ledger
      json ends = json::object();
      for (const auto& j : r.jobs) {
        if (!j.generated && deadlines.count(j.name) != 0) ends[j.name] = j.end_s ? json(*j.end_s) : json(nullptr);
      }
      return ends.dump();
    };
    run_tasks(tasks, workers, handler, [&](const TaskOutcome& o) {
      if (!o.ok)
        throw std::runtime_error(fmt::format("replication {} at {} racks failed: {}", o.task, racks, o.result));
      ++runs_done;
      ++probe_done;
      show();
      const auto ends = json::parse(o.result);
      for (const auto& name : jobs) {
        e.runs[o.task][name] = ends.contains(name) && ends[name].is_number()
                                   ? std::optional<double>(ends[name].get<double>())
                                   : std::nullopt;
      }
    });
    // Probabilities are counts over replications divided once: 10 of 10 is 1, not ten 0.1s summed.
    int all = 0;
    std::map<std::string, int> met_count;
    for (const auto& run : e.runs) {
      bool every = true;
      for (const auto& name : jobs) {
        const bool met = run.at(name) && *run.at(name) <= deadlines.at(name);
        met_count[name] += met ? 1 : 0;
        every = every && met;
      }
      all += every ? 1 : 0;
    }
    const auto runs = static_cast<double>(e.runs.size());
    for (const auto& name : jobs) e.p_job[name] = static_cast<double>(met_count[name]) / runs;
    e.p_all = static_cast<double>(all) / runs;
    return e;
  }

  // The earliest offset by which a `confidence` share of the runs had finished `job`.
  std::optional<double> promise(const Evaluation& e, const std::string& job) const {
    std::vector<double> ends;
    for (const auto& run : e.runs) ends.push_back(run.at(job).value_or(INFINITY));
    std::sort(ends.begin(), ends.end());
    const auto k = static_cast<std::size_t>(std::ceil(spec.confidence * static_cast<double>(ends.size()) - 1e-9));
    const double t = ends[std::max<std::size_t>(k, 1) - 1];
    return std::isfinite(t) ? std::optional<double>(t) : std::nullopt;
  }
};

json evaluation_json(const Evaluation& e) {
  json jobs = json::object();
  for (const auto& [name, p] : e.p_job) jobs[name] = p;
  json out = {{"racks", e.racks},
              {"gpus", e.gpus},
              {"p_deadlines_met", e.p_all},
              {"jobs", jobs},
              {"monthly_cost_usd", e.monthly_cost ? json(*e.monthly_cost) : json(nullptr)}};
  if (!e.note.empty()) out["note"] = e.note;
  return out;
}

std::string date_at(const Search& s, double offset) {
  return units::format_date(s.base.horizon.start + static_cast<std::int64_t>(std::llround(offset)));
}

}  // namespace

std::string cost_problem(const PlanSpec& spec, int hi) {
  const std::int64_t capacities = scenario::plan_capacities(spec.min_racks, hi, spec.dual);
  const std::int64_t simulations = capacities * spec.replications;
  if (simulations <= scenario::max_plan_simulations) return {};
  return fmt::format(
      "{}: /replications: expected a plan of at most {} simulations in the worst case, found {} capacities "
      "(racks {} to {}{}) × {} replications = {}\n",
      spec.label, scenario::max_plan_simulations, capacities, spec.min_racks, hi, spec.dual ? ", and the dual" : "",
      spec.replications, simulations);
}

std::string cost_note(const PlanSpec& spec, int hi, int gpus_per_rack) {
  const std::int64_t capacities = scenario::plan_capacities(spec.min_racks, hi, spec.dual);
  const std::int64_t simulations = capacities * spec.replications;
  if (simulations <= plan_note_simulations && hi <= plan_note_racks) return {};
  return fmt::format(
      "plan: up to {} simulations ({} capacities from {} to {} racks × {} replications), the largest of {} racks = {} "
      "GPUs; this may take a while",
      simulations, capacities, spec.min_racks, hi, spec.replications, hi,
      static_cast<std::int64_t>(hi) * gpus_per_rack);
}

std::string plan_problems(const PlanSpec& spec) {
  if (spec.levers) return lever_plan_problems(spec);
  auto loaded = scenario::load_scenario_text(spec.base.dump(), spec.base_label);
  if (!loaded.scenario) return loaded.diagnostics.format();
  std::string errors;
  std::vector<std::string> with_deadline;
  for (const auto& j : loaded.scenario->jobs) {
    if (j.deadline) with_deadline.push_back(j.spec.training.name);
  }
  for (const auto& name : spec.jobs) {
    if (std::find(with_deadline.begin(), with_deadline.end(), name) == with_deadline.end())
      errors +=
          fmt::format("{}: /jobs: expected a job of the scenario with a deadline, found \"{}\"\n", spec.label, name);
  }
  if (with_deadline.empty())
    errors += fmt::format("{}: /scenario: expected a job with a deadline, found none\n", spec.label);
  return errors + cost_problem(spec, spec.max_racks > 0 ? spec.max_racks : loaded.scenario->cluster.racks);
}

PlanOutcome run_plan(const PlanSpec& spec, int workers, bool progress,
                     const std::function<void(const std::string&)>& on_cost, const std::string& results) {
  if (spec.levers) return run_lever_plan(spec, workers, progress, results, on_cost);
  PlanOutcome out;
  auto loaded = scenario::load_scenario_text(spec.base.dump(), spec.base_label);
  if (!loaded.scenario) {
    out.errors = loaded.diagnostics.format();
    return out;
  }
  Search s{spec, workers, std::move(*loaded.scenario), {}, {}, 1, nullptr, 0, 0};
  s.seed = spec.seed.value_or(s.base.seed);
  report::Progress line("plan", 0, "runs", progress);
  s.progress = &line;
  const auto input = scenario::to_simulation_input(s.base);
  for (const auto& j : input.jobs) {
    if (!j.deadline_s) continue;
    if (spec.jobs.empty() || std::find(spec.jobs.begin(), spec.jobs.end(), j.training.name) != spec.jobs.end()) {
      s.jobs.push_back(j.training.name);
      s.deadlines[j.training.name] = *j.deadline_s;
    }
  }
  for (const auto& name : spec.jobs) {
    if (s.deadlines.count(name) == 0)
      out.errors +=
          fmt::format("{}: /jobs: expected a job of the scenario with a deadline, found \"{}\"\n", spec.label, name);
  }
  if (s.jobs.empty() && out.errors.empty())
    out.errors = fmt::format("{}: /scenario: expected a job with a deadline, found none\n", spec.label);
  if (!out.errors.empty()) return out;

  const int lo_bound = spec.min_racks, hi_bound = spec.max_racks > 0 ? spec.max_racks : s.base.cluster.racks;
  out.errors = cost_problem(spec, hi_bound);
  if (!out.errors.empty()) return out;
  if (on_cost) {
    if (auto note = cost_note(spec, hi_bound, s.base.cluster.rack.gpus); !note.empty()) on_cost(note);
  }
  std::map<int, Evaluation> curve;
  const auto eval = [&](int racks) -> const Evaluation& {
    if (curve.count(racks) == 0) curve.emplace(racks, s.evaluate(racks, true));
    return curve.at(racks);
  };
  const auto meets = [&](const Evaluation& e) { return e.p_all >= spec.confidence - 1e-12; };
  std::optional<int> answer;
  if (meets(eval(hi_bound))) {
    int lo = lo_bound, hi = hi_bound;
    if (meets(eval(lo))) {
      hi = lo;
    } else {
      while (hi - lo > 1) {
        const int mid = lo + (hi - lo) / 2;
        (meets(eval(mid)) ? hi : lo) = mid;
      }
    }
    answer = hi;
  }
  out.met = answer.has_value();
  json doc = {{"plan", spec.label},
              {"scenario", s.base.name},
              {"confidence", spec.confidence},
              {"replications", spec.replications},
              {"seed", s.seed},
              {"capacity_unit", "racks"},
              {"rack", s.base.cluster.rack.name},
              {"jobs", s.jobs}};
  json points = json::array();
  for (const auto& [racks, e] : curve) points.push_back(evaluation_json(e));
  doc["curve"] = points;
  doc["answer"] = nullptr;
  doc["binding_job"] = nullptr;
  if (answer) {
    const auto& a = curve.at(*answer);
    doc["answer"] = evaluation_json(a);
    // The binding job: least likely to meet its deadline one rack below the answer (or at it).
    const Evaluation& probe = curve.count(*answer - 1) != 0 ? curve.at(*answer - 1) : a;
    std::string binding = s.jobs.front();
    for (const auto& name : s.jobs) {
      if (p_met(probe, name) < p_met(probe, binding)) binding = name;
    }
    const auto t = s.promise(a, binding);
    doc["binding_job"] = {{"name", binding},
                          {"racks_probed", probe.racks},
                          {"p_deadline_met", p_met(probe, binding)},
                          {"deadline", date_at(s, s.deadlines.at(binding))},
                          {"slack_days_at_answer", t ? json((s.deadlines.at(binding) - *t) / 86400) : json(nullptr)}};
  }
  if (spec.dual) {
    const Evaluation own = s.evaluate(s.base.cluster.racks, false);
    json promises = json::array();
    for (const auto& name : s.jobs) {
      const auto t = s.promise(own, name);
      promises.push_back({{"name", name},
                          {"deadline", date_at(s, s.deadlines.at(name))},
                          {"p_deadline_met", p_met(own, name)},
                          {"promise", t ? json(date_at(s, *t)) : json(nullptr)},
                          {"promise_days", t ? json(*t / 86400) : json(nullptr)}});
    }
    doc["dual"] = {{"racks", own.racks}, {"gpus", own.gpus}, {"jobs", promises}};
  }
  out.doc = std::move(doc);
  line.clear();
  return out;
}

}  // namespace leasesim::sweep
