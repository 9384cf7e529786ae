// `leasesim plan` over lease terms (see plan.hpp): every combination of the levers' values is a
// candidate scenario; each runs the same replications (common random numbers) through the one
// pipeline (study::run_replication, with its ledger); the candidate with the least objective among
// those meeting every deadline at the confidence is the answer. With a notice_given lever, the exit
// option: the value of giving notice at the best date instead of never, per replication, and the
// provider's revenue at risk and what re-leasing recovers.
//
// Search: exhaustive over the grid by default. Every candidate is simulated, so the answer is the
// optimum of the grid exactly (on the replications' seeds); a date lever is exact to its step. With
// "search": "bisect", the notice dates are bisected per combination of the other levers (see
// plan.hpp for the assumption). Either is bounded by scenario::max_plan_simulations, refused beyond.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>

#include "leasesim/cluster/random_stream.hpp"
#include "leasesim/lease/billing_math.hpp"
#include "leasesim/lease/contract_type.hpp"
#include "leasesim/report/progress.hpp"
#include "leasesim/scenario/json_text.hpp"
#include "leasesim/scenario/scenario.hpp"
#include "leasesim/study/run_scenario.hpp"
#include "leasesim/sweep/plan.hpp"
#include "leasesim/sweep/worker_pool.hpp"
#include "leasesim/units/date.hpp"
#include "leasesim/units/money.hpp"
#include "leasesim/lease/finance.hpp"
#include "leasesim/units/stats.hpp"

namespace leasesim::sweep {

using nlohmann::json;

namespace {

constexpr const char* never = "never";

// One replication of one candidate, as the results file keeps it.
struct Run {
  std::int64_t cost = 0;                              // the tenants' cost, µ$
  std::int64_t lease_fee = 0;                         // the notice lease's fee, µ$ (provider revenue from it)
  std::map<std::string, std::optional<double>> ends;  // deadline jobs' ends (s from the start)
  std::optional<std::int64_t> npv;                    // with a `finance` block: the tenants' cash flows' NPV, µ$
};

json run_json(const Run& r) {
  json ends = json::object();
  for (const auto& [name, t] : r.ends) ends[name] = t ? json(*t) : json(nullptr);
  json j = {{"cost_micros", r.cost}, {"lease_fee_micros", r.lease_fee}, {"ends", ends}};
  if (r.npv) j["npv_micros"] = *r.npv;
  return j;
}

std::optional<Run> run_from(const json& j) {
  if (!j.is_object() || !j.contains("cost_micros") || !j["cost_micros"].is_number_integer() ||
      !j.contains("lease_fee_micros") || !j["lease_fee_micros"].is_number_integer() || !j.contains("ends") ||
      !j["ends"].is_object())
    return std::nullopt;
  Run r;
  r.cost = j["cost_micros"].get<std::int64_t>();
  r.lease_fee = j["lease_fee_micros"].get<std::int64_t>();
  for (const auto& [name, t] : j["ends"].items())
    r.ends[name] = t.is_number() ? std::optional<double>(t.get<double>()) : std::nullopt;
  if (j.contains("npv_micros") && j["npv_micros"].is_number_integer()) r.npv = j["npv_micros"].get<std::int64_t>();
  return r;
}

struct Candidate {
  json terms;  // lever name → value, as the answer prints it
  std::string key;
  std::optional<scenario::Scenario> scenario;
  std::string note;  // why the candidate could not be simulated
  std::vector<std::optional<Run>> runs;
  // Figures once every run is in.
  std::vector<double> costs;  // $ per replication
  double expected = 0, p90 = 0, cvar90 = 0, objective = 0, p_all = 0;
  std::optional<double> npv;  // mean NPV of the tenants' cash flows, $, when the scenario discounts
  std::map<std::string, double> p_job;
  bool feasible = false;
};

std::uint64_t fnv1a(std::uint64_t h, const std::string& s) {
  for (const unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string money_text(std::int64_t micros) {
  const std::int64_t a = micros < 0 ? -micros : micros;
  return fmt::format("{}${}.{:06d}", micros < 0 ? "-" : "", a / 1'000'000, a % 1'000'000);
}

// The fee key of a lease scaled by num/den, exactly (rounded once to the micro-dollar).
void scale_fee(json& lease, std::int64_t num, std::int64_t den) {
  if (!lease.contains("fee_per_month") || den <= 0) return;
  const auto& v = lease["fee_per_month"];
  std::optional<units::Money> fee;
  if (v.is_string()) fee = units::parse_money(v.get<std::string>());
  if (v.is_number()) fee = units::Money::from_dollars(v.get<double>());
  if (!fee) return;  // the loader reports it
  lease["fee_per_month"] = money_text(lease::prorate(*fee, num, den).micros());
}

json* find_lease(json& doc, const std::string& name) {
  if (!doc.contains("leases") || !doc["leases"].is_array()) return nullptr;
  for (auto& l : doc["leases"]) {
    if (l.is_object() && l.value("name", "") == name) return &l;
  }
  return nullptr;
}

struct LeverPlan {
  const PlanSpec& spec;
  const scenario::PlanLevers& levers;
  scenario::Scenario base;
  std::string target;  // the lease term, ramp and fixed_share apply to
  std::vector<std::string> jobs;
  std::map<std::string, double> deadlines;
  std::uint64_t seed = 1;

  // The lever values, in grid order.
  std::vector<json> notice_values, racks_values, term_values, ramp_values, share_values;

  std::string problems() {
    std::string errors;
    const auto lease_names = [&] {
      std::vector<std::string> names;
      for (const auto& l : base.leases) names.push_back(l.name);
      return names;
    }();
    const auto find = [&](const std::string& name) -> const lease::Lease* {
      for (const auto& l : base.leases) {
        if (l.name == name) return &l;
      }
      return nullptr;
    };
    const bool needs_target = !levers.term.empty() || !levers.ramp.empty() || levers.fixed_share;
    if (needs_target) {
      if (!levers.lease.empty()) {
        target = levers.lease;
        if (!find(target))
          errors += fmt::format("{}: /levers/lease: expected a lease of the scenario ({}), found \"{}\"\n", spec.label,
                                fmt::join(lease_names, ", "), target);
      } else if (base.leases.size() == 1) {
        target = base.leases.front().name;
      } else {
        errors += fmt::format(
            "{}: /levers/lease: expected the lease term, ramp or fixed_share apply to (the scenario has {} leases), "
            "found none\n",
            spec.label, base.leases.size());
      }
    }
    if (const auto& n = levers.notice_given) {
      const lease::Lease* l = find(n->lease);
      if (!l) {
        errors += fmt::format("{}: /levers/notice_given/lease: expected a lease of the scenario ({}), found \"{}\"\n",
                              spec.label, fmt::join(lease_names, ", "), n->lease);
      } else if (!l->termination) {
        errors += fmt::format(
            "{}: /levers/notice_given/lease: expected a lease with a termination clause, found \"{}\" without one\n",
            spec.label, n->lease);
      } else {
        const std::int64_t first = units::calendar_advance(l->start, l->termination->earliest_s);
        const std::int64_t last = units::add_months(l->start, l->term_months);
        if (n->from < first)
          errors += fmt::format("{}: /levers/notice_given/from: expected a date from {} (start + earliest), found {}\n",
                                spec.label, units::format_date(first), units::format_date(n->from));
        if (n->to >= last)
          errors +=
              fmt::format("{}: /levers/notice_given/to: expected a date before {} (the end of the term), found {}\n",
                          spec.label, units::format_date(last), units::format_date(n->to));
      }
    }
    if (levers.racks) {
      const int hi = levers.racks->max > 0 ? levers.racks->max : base.cluster.racks;
      if (hi < levers.racks->min)
        errors += fmt::format("{}: /levers/racks/min: expected at most the most racks tried ({}), found {}\n",
                              spec.label, hi, levers.racks->min);
    }
    if (!errors.empty()) return errors;
    if (spec.search == scenario::PlanSearch::bisect && !levers.notice_given)
      return errors + fmt::format(
                          "{}: /search: expected \"exhaustive\" without a notice_given lever (bisect "
                          "searches the notice date), found \"bisect\"\n",
                          spec.label);
    const std::int64_t candidates = scenario::plan_evaluations(levers, base.cluster.racks, spec.search);
    const std::int64_t simulations = candidates * spec.replications;
    if (simulations > scenario::max_plan_simulations) {
      std::vector<std::string> factors;
      if (levers.notice_given)
        factors.push_back(fmt::format("notice_given {}", scenario::notice_dates(*levers.notice_given).size() + 1));
      if (levers.racks) {
        const int hi = levers.racks->max > 0 ? levers.racks->max : base.cluster.racks;
        factors.push_back(fmt::format("racks {}", (hi - levers.racks->min) / levers.racks->step + 1));
      }
      if (!levers.term.empty()) factors.push_back(fmt::format("term {}", levers.term.size()));
      if (!levers.ramp.empty()) factors.push_back(fmt::format("ramp {}", levers.ramp.size()));
      if (levers.fixed_share) factors.push_back(fmt::format("fixed_share {}", levers.fixed_share->values.size()));
      errors += fmt::format(
          "{}: /levers: expected a plan of at most {} simulations, found {} candidates ({}{}) × {} replications = {}; "
          "narrow the levers' ranges, widen their steps or run fewer replications{}\n",
          spec.label, scenario::max_plan_simulations, candidates, fmt::join(factors, " × "),
          spec.search == scenario::PlanSearch::bisect ? ", the notice dates bisected" : "", spec.replications,
          simulations,
          levers.notice_given && spec.search != scenario::PlanSearch::bisect
              ? " (or \"search\": \"bisect\" over the notice dates)"
              : "");
    }
    return errors;
  }

  void grid() {
    if (const auto& n = levers.notice_given) {
      for (const auto t : scenario::notice_dates(*n)) notice_values.push_back(units::format_date(t));
      notice_values.push_back(never);
    }
    if (const auto& r = levers.racks) {
      const int hi = r->max > 0 ? r->max : base.cluster.racks;
      for (int k = r->min; k <= hi; k += r->step) racks_values.push_back(k);
    }
    for (const int m : levers.term) term_values.push_back(m);
    for (const auto& ramp : levers.ramp) ramp_values.push_back(ramp);
    if (levers.fixed_share) {
      for (const double s : levers.fixed_share->values) share_values.push_back(s);
    }
  }

  // The candidate scenario document for these lever values.
  json document(const json& terms, std::string& note) const {
    json doc = spec.base;
    if (terms.contains("racks")) {
      const int racks = terms["racks"].get<int>();
      doc["cluster"]["racks"] = racks;
      if (doc.contains("leases") && doc["leases"].is_array()) {
        for (auto& l : doc["leases"]) {
          if (!l.is_object() || !l.contains("racks") || !l["racks"].is_number_integer()) continue;
          scale_fee(l, racks, l["racks"].get<std::int64_t>());
          l["racks"] = racks;
        }
      }
    }
    json* t = target.empty() ? nullptr : find_lease(doc, target);
    if (t && terms.contains("term")) (*t)["term"] = fmt::format("{} months", terms["term"].get<int>());
    if (t && terms.contains("ramp")) {
      if (terms["ramp"].empty())
        t->erase("ramp");
      else
        (*t)["ramp"] = terms["ramp"];
    }
    if (t && terms.contains("fixed_share") && t->contains("racks") && (*t)["racks"].is_number_integer()) {
      const std::int64_t racks = (*t)["racks"].get<std::int64_t>();
      const auto fixed = static_cast<std::int64_t>(std::llround(terms["fixed_share"].get<double>() * racks));
      if (fixed < 1) {
        note = fmt::format("a share of {} keeps no rack of {} fixed", terms["fixed_share"].get<double>(), racks);
      } else if (fixed < racks) {
        json od = {{"name", target + "-on-demand"},
                   {"type", "on-demand"},
                   {"racks", racks - fixed},
                   {"start", (*t)["start"]},
                   {"term", (*t)["term"]},
                   {"price_per_gpu_hour", money_text(levers.fixed_share->on_demand_price_per_gpu_hour.micros())}};
        if (t->contains("tenant")) od["tenant"] = (*t)["tenant"];
        scale_fee(*t, fixed, racks);
        (*t)["racks"] = fixed;
        if (t->contains("ramp") && (*t)["ramp"].is_array()) {
          for (auto& v : (*t)["ramp"]) {
            if (v.is_number_integer()) v = std::min<std::int64_t>(v.get<std::int64_t>(), fixed);
          }
        }
        doc["leases"].push_back(od);
      }
    }
    if (terms.contains("notice_given")) {
      json* l = find_lease(doc, levers.notice_given->lease);
      if (l) {
        auto& termination = (*l)["termination"];
        if (terms["notice_given"] == never)
          termination.erase("notice_given");
        else
          termination["notice_given"] = terms["notice_given"];
      }
    }
    return doc;
  }

  std::vector<Candidate> candidates() const {
    std::vector<Candidate> out;
    const std::vector<std::pair<std::string, const std::vector<json>*>> axes{{"notice_given", &notice_values},
                                                                             {"racks", &racks_values},
                                                                             {"term", &term_values},
                                                                             {"ramp", &ramp_values},
                                                                             {"fixed_share", &share_values}};
    std::vector<std::pair<std::string, const std::vector<json>*>> used;
    std::size_t total = 1;
    for (const auto& axis : axes) {
      if (axis.second->empty()) continue;
      used.push_back(axis);
      total *= axis.second->size();
    }
    // Grid order: the last lever varies fastest.
    for (std::size_t n = 0; n < total; ++n) {
      Candidate c;
      c.terms = json::object();
      std::size_t rest = n;
      for (std::size_t a = used.size(); a-- > 0;) {
        const auto& values = *used[a].second;
        c.terms[used[a].first] = values[rest % values.size()];
        rest /= values.size();
      }
      c.key = c.terms.dump();
      out.push_back(std::move(c));
    }
    return out;
  }

  std::string fingerprint() const {
    std::uint64_t h = 1469598103934665603ULL;
    h = fnv1a(h, spec.base.dump());
    h = fnv1a(h, fmt::format("seed {} plan-levers-1", seed));
    return fmt::format("{:016x}", h);
  }

  void figures(Candidate& c) const {
    c.costs.clear();
    int all = 0;
    std::map<std::string, int> met;
    for (const auto& r : c.runs) {
      c.costs.push_back(units::Money::from_micros(r->cost).dollars());
      bool every = true;
      for (const auto& name : jobs) {
        const auto it = r->ends.find(name);
        const bool ok = it != r->ends.end() && it->second && *it->second <= deadlines.at(name);
        met[name] += ok ? 1 : 0;
        every = every && ok;
      }
      all += every ? 1 : 0;
    }
    const auto n = static_cast<double>(c.runs.size());
    double sum = 0;
    for (const auto& r : c.runs) sum += static_cast<double>(r->cost);
    c.expected = n > 0 ? sum / n / units::Money::micros_per_dollar : 0;
    c.p90 = units::quantile(c.costs, 0.9);
    c.cvar90 = units::cvar(c.costs, 0.9);
    c.p_all = n > 0 ? all / n : 0;
    bool every_npv = !c.runs.empty();
    double npv_sum = 0;
    for (const auto& r : c.runs) {
      every_npv = every_npv && r->npv.has_value();
      if (r->npv) npv_sum += static_cast<double>(*r->npv);
    }
    if (every_npv) c.npv = npv_sum / n / units::Money::micros_per_dollar;
    for (const auto& name : jobs) c.p_job[name] = n > 0 ? met[name] / n : 0;
    c.feasible = c.note.empty() && c.p_all >= spec.confidence - 1e-12;
    switch (spec.objective) {
      case scenario::PlanObjective::expected_cost:
        c.objective = c.expected;
        break;
      case scenario::PlanObjective::p90_cost:
        c.objective = c.p90;
        break;
      case scenario::PlanObjective::cvar90:
        c.objective = c.cvar90;
        break;
      case scenario::PlanObjective::npv:  // lever_plan_problems refuses npv without a finance block
        c.objective = c.npv.value_or(c.expected);
        break;
    }
  }
};

json candidate_json(const Candidate& c) {
  json out = c.terms;
  if (!c.note.empty()) {
    out["note"] = c.note;
    out["feasible"] = false;
    return out;
  }
  json jobs = json::object();
  for (const auto& [name, p] : c.p_job) jobs[name] = p;
  out["objective_usd"] = c.objective;
  out["expected_cost_usd"] = c.expected;
  out["p90_cost_usd"] = c.p90;
  out["cvar90_cost_usd"] = c.cvar90;
  if (c.npv) out["npv_usd"] = *c.npv;
  out["p_deadlines_met"] = c.p_all;
  out["jobs"] = jobs;
  out["feasible"] = c.feasible;
  return out;
}

json spread_json(std::vector<double> v) {
  double sum = 0;
  for (const double x : v) sum += x;
  return {{"mean", v.empty() ? 0.0 : sum / static_cast<double>(v.size())},
          {"p10", units::quantile(v, 0.1)},
          {"p50", units::quantile(v, 0.5)},
          {"p90", units::quantile(v, 0.9)}};
}

// Results read back from `path`: candidate key → replication → run. A line cut short by an
// interruption is ignored; lines of another plan are refused.
std::string read_results(const std::string& path, const std::string& fingerprint,
                         std::map<std::string, std::map<int, Run>>& out) {
  std::ifstream in(path);
  if (!in) return {};
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    const json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) continue;  // cut short when the plan was interrupted
    if (!j.contains("plan") || !j["plan"].is_string() || !j.contains("candidate") || !j["candidate"].is_string() ||
        !j.contains("replication") || !j["replication"].is_number_integer())
      return fmt::format("leasesim: {}:{}: expected a line of a plan's results file, found another kind of line\n",
                         path, number);
    if (j["plan"].get<std::string>() != fingerprint)
      return fmt::format(
          "leasesim: {} holds the results of a different plan (another scenario or seed); --results needs the same "
          "plan, or choose another file\n",
          path);
    if (auto r = run_from(j)) out[j["candidate"].get<std::string>()][j["replication"].get<int>()] = *r;
  }
  return {};
}

}  // namespace

std::string lever_plan_problems(const PlanSpec& spec) {
  auto loaded = scenario::load_scenario_text(spec.base.dump(), spec.base_label);
  if (!loaded.scenario) return loaded.diagnostics.format();
  LeverPlan p{spec, *spec.levers, std::move(*loaded.scenario), {}, {}, {}, 1, {}, {}, {}, {}, {}};
  std::string errors;
  for (const auto& name : spec.jobs) {
    const bool found = std::any_of(p.base.jobs.begin(), p.base.jobs.end(), [&](const scenario::ScenarioJob& j) {
      return j.deadline && j.spec.training.name == name;
    });
    if (!found)
      errors +=
          fmt::format("{}: /jobs: expected a job of the scenario with a deadline, found \"{}\"\n", spec.label, name);
  }
  if (spec.objective == scenario::PlanObjective::npv && !p.base.finance)
    errors += fmt::format(
        "{}: /objective: expected a scenario with a finance block (its discount_rate) for \"npv\", found none\n",
        spec.label);
  return errors + p.problems();
}

PlanOutcome run_lever_plan(const PlanSpec& spec, int workers, bool progress, const std::string& results_path,
                           const std::function<void(const std::string&)>& on_cost) {
  PlanOutcome out;
  if (out.errors = lever_plan_problems(spec); !out.errors.empty()) return out;
  auto loaded = scenario::load_scenario_text(spec.base.dump(), spec.base_label);
  LeverPlan p{spec, *spec.levers, std::move(*loaded.scenario), {}, {}, {}, 1, {}, {}, {}, {}, {}};
  p.problems();  // sets the target lease
  p.seed = spec.seed.value_or(p.base.seed);
  const auto input = scenario::to_simulation_input(p.base);
  for (const auto& j : input.jobs) {
    if (!j.deadline_s) continue;
    if (spec.jobs.empty() || std::find(spec.jobs.begin(), spec.jobs.end(), j.training.name) != spec.jobs.end()) {
      p.jobs.push_back(j.training.name);
      p.deadlines[j.training.name] = *j.deadline_s;
    }
  }
  p.grid();
  auto candidates = p.candidates();
  const std::string fingerprint = p.fingerprint();
  std::map<std::string, std::map<int, Run>> done;
  if (!results_path.empty()) {
    if (out.errors = read_results(results_path, fingerprint, done); !out.errors.empty()) return out;
  }
  const auto reps = static_cast<std::size_t>(spec.replications);
  const std::size_t grid_size = candidates.size();
  {
    const std::int64_t worst = scenario::plan_evaluations(*spec.levers, p.base.cluster.racks, spec.search);
    if (on_cost && worst * spec.replications > scenario::plan_note_simulations)
      on_cost(fmt::format("plan: up to {} simulations ({} candidates × {} replications); this may take a while",
                          worst * spec.replications, worst, spec.replications));
  }

  const std::string notice_lease = spec.levers->notice_given ? spec.levers->notice_given->lease : "";
  std::ofstream results;
  if (!results_path.empty()) {
    // A line cut short by an interruption is ended first, so the next record starts a line of its own.
    bool cut = false;
    if (std::ifstream tail(results_path, std::ios::binary | std::ios::ate); tail && tail.tellg() > 0) {
      tail.seekg(-1, std::ios::end);
      cut = tail.get() != '\n';
    }
    results.open(results_path, std::ios::app);
    if (results && cut) results << '\n';
    if (!results) {
      out.errors = fmt::format("leasesim: cannot write the plan's results file {}\n", results_path);
      return out;
    }
  }
  const bool bisect = spec.search == scenario::PlanSearch::bisect;
  const std::int64_t worst = scenario::plan_evaluations(*spec.levers, p.base.cluster.racks, spec.search);
  report::Progress line("plan", static_cast<std::size_t>(worst) * reps, "runs", progress);
  std::size_t resumed = 0, simulated = 0, finished = 0;

  // A candidate's inputs, prepared before the workers fork; tasks are (candidate, replication).
  struct Prepared {
    cluster::SimulationInput sim;
    lease::LedgerInput ledger;
  };
  std::vector<std::optional<Prepared>> prepared(candidates.size());
  std::vector<bool> evaluated(candidates.size(), false);
  const auto evaluate = [&](const std::vector<std::size_t>& which) {
    std::vector<std::pair<std::size_t, std::size_t>> table;
    for (const std::size_t c : which) {
      if (evaluated[c]) continue;
      evaluated[c] = true;
      auto& cand = candidates[c];
      cand.runs.assign(reps, std::nullopt);
      std::string note;
      const json doc = p.document(cand.terms, note);
      if (note.empty()) {
        auto l = scenario::load_scenario_text(doc.dump(), fmt::format("{} at {}", spec.base_label, cand.key));
        if (l.scenario) {
          cand.scenario = std::move(*l.scenario);
        } else {
          const auto& problems = l.diagnostics.problems();
          note = problems.empty() ? "invalid" : problems.front().path + ": " + problems.front().message;
        }
      }
      cand.note = note;
      if (!cand.scenario) continue;
      prepared[c] = Prepared{scenario::to_simulation_input(*cand.scenario), scenario::to_ledger_input(*cand.scenario)};
      const auto it = done.find(cand.key);
      for (std::size_t i = 0; i < reps; ++i) {
        if (it != done.end() && it->second.count(static_cast<int>(i)) != 0) {
          cand.runs[i] = it->second.at(static_cast<int>(i));
          ++resumed;
          ++finished;
        } else {
          table.emplace_back(c, i);
        }
      }
    }
    line.set_already(resumed);
    line.update(finished, fmt::format("{} candidates", candidates.size()));
    std::vector<std::size_t> tasks(table.size());
    for (std::size_t t = 0; t < tasks.size(); ++t) tasks[t] = t;
    const auto handler = [&](std::size_t t) {
      const auto [c, i] = table[t];
      auto in = prepared[c]->sim;
      in.seed = cluster::replication_seed(p.seed, static_cast<int>(i));
      const auto rep = study::run_replication(in, &prepared[c]->ledger);
      Run r;
      if (rep.ledger) {
        r.cost = rep.ledger->total().tenant_cost().micros();
        if (!notice_lease.empty()) r.lease_fee = rep.ledger->lease_total(notice_lease).fee.micros();
        if (const auto& fin = prepared[c]->ledger.finance)
          r.npv = lease::npv(lease::cash_flows(prepared[c]->ledger, *rep.ledger).total.at, fin->discount_rate).micros();
      }
      for (const auto& j : rep.result.jobs) {
        if (!j.generated && p.deadlines.count(j.name) != 0) r.ends[j.name] = j.end_s;
      }
      return run_json(r).dump();
    };
    run_tasks(tasks, workers, handler, [&](const TaskOutcome& o) {
      const auto [c, i] = table[o.task];
      if (!o.ok)
        throw std::runtime_error(
            fmt::format("replication {} of candidate {} failed: {}", i, candidates[c].key, o.result));
      const json j = json::parse(o.result);
      candidates[c].runs[i] = run_from(j);
      if (results) {
        json rec = j;
        rec["plan"] = fingerprint;
        rec["candidate"] = candidates[c].key;
        rec["replication"] = i;
        results << rec.dump() << '\n';
        results.flush();
      }
      ++simulated;
      line.update(++finished, fmt::format("candidate {}/{}", c + 1, candidates.size()));
    });
    for (const std::size_t c : which) {
      if (candidates[c].scenario) p.figures(candidates[c]);
    }
  };
  if (!bisect) {
    std::vector<std::size_t> all(candidates.size());
    for (std::size_t c = 0; c < all.size(); ++c) all[c] = c;
    evaluate(all);
  } else {
    // notice_given is the slowest lever of the grid: candidate = notice index × combos + the other levers'
    // combination. For each combination, bisection for the earliest feasible notice date (assumed: a later
    // exit is never less feasible and never cheaper), with `never` and the last date first.
    const std::size_t dates = p.notice_values.size() - 1;  // without never
    const std::size_t combos = candidates.size() / p.notice_values.size();
    const auto at = [&](std::size_t date, std::size_t k) { return date * combos + k; };
    std::vector<std::size_t> first;
    for (std::size_t k = 0; k < combos; ++k) {
      first.push_back(at(dates, k));
      first.push_back(at(dates - 1, k));
    }
    evaluate(first);
    // lo: a date known infeasible (or -1), hi: a date known feasible; per combination.
    std::vector<std::ptrdiff_t> lo(combos, -1), hi(combos, -1);
    for (std::size_t k = 0; k < combos; ++k) {
      if (candidates[at(dates - 1, k)].feasible) hi[k] = static_cast<std::ptrdiff_t>(dates - 1);
    }
    for (;;) {
      std::vector<std::size_t> round;
      for (std::size_t k = 0; k < combos; ++k) {
        if (hi[k] < 0 || hi[k] - lo[k] <= 1) continue;
        round.push_back(at(static_cast<std::size_t>(lo[k] + (hi[k] - lo[k]) / 2), k));
      }
      if (round.empty()) break;
      evaluate(round);
      for (std::size_t k = 0; k < combos; ++k) {
        if (hi[k] < 0 || hi[k] - lo[k] <= 1) continue;
        const std::ptrdiff_t mid = lo[k] + (hi[k] - lo[k]) / 2;
        (candidates[at(static_cast<std::size_t>(mid), k)].feasible ? hi[k] : lo[k]) = mid;
      }
    }
  }
  line.clear();
  {
    // Only what was evaluated is reported.
    std::vector<Candidate> kept;
    for (std::size_t c = 0; c < candidates.size(); ++c) {
      if (evaluated[c]) kept.push_back(std::move(candidates[c]));
    }
    candidates = std::move(kept);
  }

  for (auto& c : candidates) {
    if (c.scenario) p.figures(c);
  }
  std::vector<std::size_t> order;
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    if (candidates[c].feasible) order.push_back(c);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto &x = candidates[a], &y = candidates[b];
    if (x.objective != y.objective) return x.objective < y.objective;
    return x.expected < y.expected;
  });

  json lever_values = json::object();
  if (!p.notice_values.empty()) lever_values["notice_given"] = p.notice_values;
  if (!p.racks_values.empty()) lever_values["racks"] = p.racks_values;
  if (!p.term_values.empty()) lever_values["term"] = p.term_values;
  if (!p.ramp_values.empty()) lever_values["ramp"] = p.ramp_values;
  if (!p.share_values.empty()) lever_values["fixed_share"] = p.share_values;
  json doc = {{"plan", spec.label},
              {"scenario", p.base.name},
              {"kind", "levers"},
              {"confidence", spec.confidence},
              {"replications", spec.replications},
              {"seed", p.seed},
              {"objective", scenario::objective_name(spec.objective)},
              {"jobs", p.jobs},
              {"levers", lever_values}};
  doc["search"] = {
      {"method", bisect ? "bisect" : "exhaustive"},
      {"candidates", grid_size},
      {"evaluated", candidates.size()},
      {"simulations", candidates.size() * reps},
      {"resumed_runs", resumed},
      {"simulated_runs", simulated},
      {"why", bisect
                  ? "for each combination of the other levers, bisection over the notice dates for the earliest one "
                    "meeting every deadline at the confidence, and never; exact to the step when a later notice is "
                    "never less likely to meet the deadlines nor cheaper (true of fees billed by time, as "
                    "fixed-monthly; not of usage that an earlier exit moves elsewhere)"
                  : "every combination of the levers' values is simulated on the same seeds (common random numbers), "
                    "so the answer is the grid's optimum on these replications; a date lever is exact to its step"}};
  json all = json::array();
  for (const auto& c : candidates) all.push_back(candidate_json(c));
  doc["candidates"] = all;
  doc["answer"] = nullptr;
  doc["runners_up"] = json::array();
  doc["no_terms_meet"] = nullptr;
  if (order.empty()) {
    // The closest miss: the highest P(deadlines met), then the least objective.
    const Candidate* best = nullptr;
    for (const auto& c : candidates) {
      if (!c.scenario) continue;
      if (!best || c.p_all > best->p_all || (c.p_all == best->p_all && c.objective < best->objective)) best = &c;
    }
    doc["no_terms_meet"] =
        best ? fmt::format("no terms meet every deadline with P ≥ {}: the best, {}, meets them with P = {:.2f}",
                           spec.confidence, best->key, best->p_all)
             : fmt::format("no terms meet every deadline with P ≥ {}: no candidate could be simulated ({})",
                           spec.confidence, candidates.empty() ? "none" : candidates.front().note);
  } else {
    out.met = true;
    const Candidate& a = candidates[order.front()];
    doc["answer"] = candidate_json(a);
    for (std::size_t k = 1; k < order.size() && k <= 5; ++k)
      doc["runners_up"].push_back(candidate_json(candidates[order[k]]));
    if (spec.levers->notice_given) {
      // The exit option: the same terms but never giving notice, replication by replication.
      json never_terms = a.terms;
      never_terms["notice_given"] = never;
      const auto nt = std::find_if(candidates.begin(), candidates.end(),
                                   [&](const Candidate& c) { return c.terms == never_terms; });
      const lease::Lease* exercised = nullptr;
      for (const auto& l : a.scenario->leases) {
        if (l.name == notice_lease) exercised = &l;
      }
      if (nt != candidates.end() && nt->scenario && exercised) {
        std::vector<double> value, at_risk;
        std::int64_t value_sum = 0, at_risk_sum = 0;
        for (std::size_t i = 0; i < reps; ++i) {
          const std::int64_t v = nt->runs[i]->cost - a.runs[i]->cost;
          const std::int64_t r = nt->runs[i]->lease_fee - a.runs[i]->lease_fee;
          value.push_back(units::Money::from_micros(v).dollars());
          at_risk.push_back(units::Money::from_micros(r).dollars());
          value_sum += v;
          at_risk_sum += r;
        }
        const std::int64_t term_end = units::add_months(exercised->start, exercised->term_months);
        const std::int64_t end = exercised->end();
        json option = {{"lease", notice_lease},
                       {"best_notice_given", a.terms["notice_given"]},
                       {"lease_end", units::format_date(end)},
                       {"term_end", units::format_date(term_end)},
                       {"value_usd", spread_json(value)},
                       {"value_exact", money_text(value_sum / std::int64_t(reps))},
                       {"never_expected_cost_usd", nt->expected},
                       {"exercised_expected_cost_usd", a.expected}};
        const std::int64_t horizon_end =
            p.base.horizon.start + static_cast<std::int64_t>(std::llround(p.base.horizon.length_s));
        json provider = {
            {"revenue_at_risk_usd", spread_json(at_risk)},
            {"revenue_at_risk_exact", money_text(at_risk_sum / std::int64_t(reps))},
            {"within", fmt::format("the horizon, to {}", units::format_date(std::min(term_end, horizon_end)))}};
        if (spec.releasing && end < term_end) {
          const std::int64_t from = units::calendar_advance(end, spec.releasing->delay_s);
          const std::int64_t to = std::min(term_end, horizon_end);
          const std::int64_t gpus = exercised->committed_gpus(a.scenario->cluster.rack);
          const std::int64_t ms = to > from ? (to - from) * 1000 : 0;
          const auto recovered = lease::price_of(spec.releasing->price_per_gpu_hour, ms * gpus);
          const double mean_at_risk = units::Money::from_micros(at_risk_sum / std::int64_t(reps)).dollars();
          provider["releasing"] = {{"price_per_gpu_hour", units::format_money(spec.releasing->price_per_gpu_hour)},
                                   {"delay_days", spec.releasing->delay_s / 86400},
                                   {"from", units::format_date(from)},
                                   {"to", units::format_date(to)},
                                   {"gpus", gpus},
                                   {"recovered_usd", recovered.dollars()},
                                   {"recovered_exact", money_text(recovered.micros())},
                                   {"net_at_risk_usd", mean_at_risk - recovered.dollars()}};
        }
        option["provider"] = provider;
        doc["exit_option"] = option;
      }
    }
  }
  out.doc = std::move(doc);
  return out;
}

}  // namespace leasesim::sweep
