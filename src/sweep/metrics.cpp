// Default sweep metrics for a scenario, and their summaries across replications.
#include "leasesim/sweep/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <set>

#include "leasesim/cluster/results.hpp"
#include "leasesim/lease/ledger.hpp"
#include "leasesim/lease/tenant.hpp"
#include "leasesim/report/job_cost_report.hpp"
#include "leasesim/report/lease_report.hpp"
#include "leasesim/report/run_report.hpp"
#include "leasesim/scenario/schema.hpp"
#include "leasesim/sweep/expectation.hpp"
#include "leasesim/units/stats.hpp"

namespace leasesim::sweep {

using nlohmann::json;

namespace {

const std::vector<std::string> spread = {"mean", "p10", "p50", "p90"};

std::optional<double> number_at(const json& doc, const std::string& path) {
  std::string why;
  const auto v = resolve_path(doc, path, why);
  if (!v) return std::nullopt;
  if (v->is_boolean()) return v->get<bool>() ? 1.0 : 0.0;
  if (v->is_number()) return v->get<double>();
  return std::nullopt;
}

}  // namespace

std::vector<Metric> default_metrics(const scenario::Scenario& s) {
  std::vector<Metric> m;
  for (const auto& j : s.jobs) {
    const std::string& n = j.spec.training.name;
    if (j.deadline) {
      m.push_back({n + ".deadline_met", "jobs." + n + ".deadline_met", "", 1, {"probability"}});
      m.push_back({n + ".end_days", "jobs." + n + ".end_s", "", 1.0 / 86400, spread});
    }
    m.push_back({n + ".ettr", "jobs." + n + ".ettr", "", 1, spread});
  }
  m.push_back({"productive_gpu_hours", "cluster.gpu_hours.productive", "", 1, spread});
  m.push_back({"lost_gpu_hours", "cluster.gpu_hours.lost", "", 1, spread});
  m.push_back({"idle_fraction", "cluster.gpu_hours.idle", "cluster.gpu_hours.total", 1, spread});
  m.push_back({"failures", "cluster.failures", "", 1, {"mean"}});
  m.push_back({"energy_mwh", "cluster.energy_mwh", "", 1, {"mean"}});
  for (const auto& l : s.leases) {
    m.push_back({l.name + ".cost_usd", "leases." + l.name + ".total.tenant_cost_usd", "", 1, {"mean"}});
    m.push_back({l.name + ".usd_per_productive_gpu_hour", "leases." + l.name + ".derived.usd_per_productive_gpu_hour",
                 "", 1, spread});
  }
  return m;
}

std::vector<std::string> metric_columns(const std::vector<Metric>& metrics) {
  std::vector<std::string> cols;
  for (const auto& m : metrics) {
    for (const auto& st : m.stats) cols.push_back(m.name + "." + st);
  }
  return cols;
}

std::vector<json> metric_values(const std::vector<Metric>& metrics, const std::vector<json>& replications) {
  std::vector<json> out;
  for (const auto& m : metrics) {
    std::vector<double> v;
    for (const auto& doc : replications) {
      auto x = number_at(doc, m.path);
      if (x && !m.per.empty()) {
        const auto d = number_at(doc, m.per);
        x = (d && *d != 0) ? std::optional<double>(*x / *d) : std::nullopt;
      }
      if (x) v.push_back(*x * m.scale);
    }
    for (const auto& st : m.stats) {
      if (v.empty()) {
        out.emplace_back(nullptr);
        continue;
      }
      double sum = 0;
      for (double x : v) sum += x;
      if (st == "mean" || st == "probability")
        out.emplace_back(sum / static_cast<double>(v.size()));
      else if (st == "p10")
        out.emplace_back(units::quantile(v, 0.1));
      else if (st == "p50")
        out.emplace_back(units::quantile(v, 0.5));
      else if (st == "p90")
        out.emplace_back(units::quantile(v, 0.9));
      else if (st == "min")
        out.emplace_back(*std::min_element(v.begin(), v.end()));
      else
        out.emplace_back(*std::max_element(v.begin(), v.end()));
    }
  }
  return out;
}

json run_document_shape(const scenario::Scenario& s) {
  cluster::SimulationResult r;
  std::set<std::string> tenants;
  for (const auto& j : s.jobs) {
    cluster::JobResult x;
    x.name = j.spec.training.name;
    x.tenant = j.spec.tenant;
    tenants.insert(x.tenant);
    r.jobs.push_back(std::move(x));
  }
  for (const auto& g : s.generators) {
    cluster::JobResult x;
    x.name = g.spec.name + "-1";
    x.tenant = g.spec.tenant;
    x.generated = true;
    tenants.insert(x.tenant);
    r.jobs.push_back(std::move(x));
  }
  r.months.emplace_back();
  r.per_rack.emplace_back();
  r.daily_utilization.push_back(0.0);
  for (const auto& t : tenants) {
    cluster::TenantMonth m;
    m.tenant = t;
    r.tenant_months.push_back(m);
  }
  json doc = report::run_json(s, r);
  doc["cluster"]["failures_by_category"] = {{"*", 0}};
  doc["replications"] = 1;
  if (!s.leases.empty()) {  // the shape replication_document (point_result.cpp) and `run` give
    const lease::LedgerFigures none;
    json month = report::figures_json(none);
    month["month"] = "2026-07";
    month["derived"] = report::derived_json(lease::derive(none));
    json leases = json::array();
    std::vector<std::string> names;
    for (const auto& l : s.leases) names.push_back(l.name);
    names.push_back(lease::burst_lease_name);
    names.push_back(lease::unleased_name);
    for (const auto& n : names) {
      leases.push_back({{"lease", n},
                        {"type", ""},
                        {"tenants", ""},
                        {"total", report::figures_json(none)},
                        {"derived", report::derived_json(lease::derive(none))},
                        {"months", json::array({month})}});
    }
    doc["leases"] = leases;
    doc["lease_totals"] = {
        {"total", report::figures_json(none)},
        {"derived", report::derived_json(lease::derive(none))},
        {"deadlines", {{"met", 0}, {"missed", 0}, {"by_tenant", {{"*", {{"met", 0}, {"missed", 0}}}}}}}};
    report::add_job_costs(doc, lease::Ledger{}, r);  // the cost-per-job keys (job_cost_report.hpp)
    doc["lease_totals"]["attribution"]["idle_by_tenant_usd"] = {{"*", 0}};
  }
  return doc;
}

std::string metric_path_problem(const json& shape, const std::string& path) {
  const auto parsed = path_keys(path);
  if (!parsed) return "not a JSON pointer";
  const std::vector<std::string>& keys = *parsed;
  const json* at = &shape;
  std::string walked;
  const auto where = [&] { return walked.empty() ? std::string("the run document") : walked; };
  for (const auto& key : keys) {
    if (at->is_object()) {
      auto it = at->find(key);
      if (it == at->end()) it = at->find("*");
      if (it == at->end()) {
        std::vector<std::string> names;
        for (auto k = at->begin(); k != at->end(); ++k) names.push_back(k.key());
        std::string why = fmt::format("no key \"{}\" in {}", key, where());
        if (auto near = scenario::did_you_mean(key, names)) why += fmt::format(" — did you mean {}?", *near);
        std::string list;
        for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
        return why + "; keys: " + list;
      }
      at = &*it;
    } else if (at->is_array()) {
      const json* hit = nullptr;
      std::vector<std::string> names;
      for (const auto& el : *at) {
        bool named = false;
        for (const char* id : {"name", "lease", "tenant"}) {  // as resolve_path matches
          if (!el.is_object() || !el.contains(id) || !el[id].is_string()) continue;
          if (!named) names.push_back(el[id].get<std::string>());
          named = true;
          if (hit == nullptr && el[id].get<std::string>() == key) hit = &el;
        }
      }
      const bool index = !key.empty() && key.size() < 10 && key.find_first_not_of("0123456789") == std::string::npos;
      // An index into a list the run fills (months, racks, days) stands for any element; a list of
      // named elements (jobs, leases) has as many as the scenario names.
      if (hit == nullptr && index && !at->empty()) {
        const auto i = std::stoul(key);
        if (!names.empty() && i >= at->size())
          return fmt::format("{} holds {} named element{}, none at index {}", where(), at->size(),
                             at->size() == 1 ? "" : "s", i);
        hit = &(*at)[std::min<std::size_t>(i, at->size() - 1)];
      }
      if (hit == nullptr) {
        std::string why = fmt::format("nothing named \"{}\" in {}", key, where());
        if (auto near = scenario::did_you_mean(key, names)) why += fmt::format(" — did you mean {}?", *near);
        std::string list;
        for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
        return why + (list.empty() ? "" : "; names: " + list);
      }
      at = hit;
    } else {
      return fmt::format("{} is a figure, with no key \"{}\"", where(), key);
    }
    walked += (walked.empty() ? "" : ".") + key;
  }
  if (at->is_object() || at->is_array()) {
    std::string list;
    if (at->is_object()) {
      for (auto k = at->begin(); k != at->end(); ++k) list += (list.empty() ? "" : ", ") + k.key();
    }
    return fmt::format("{} holds {}, not a figure{}", where(), at->is_object() ? "keys" : "a list",
                       list.empty() ? "" : "; keys: " + list);
  }
  if (at->is_string()) return fmt::format("{} is text, not a figure", where());
  return {};
}

}  // namespace leasesim::sweep
