// Default sweep metrics for a scenario, and their summaries across replications.
#include "leasesim/sweep/metrics.hpp"

#include <algorithm>
#include <cmath>

#include "leasesim/sweep/expectation.hpp"

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

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const auto hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

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
    m.push_back({l.name + ".usd_per_productive_gpu_hour", "leases." + l.name + ".derived.usd_per_productive_gpu_hour", "", 1, spread});
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
      if (st == "mean" || st == "probability") out.emplace_back(sum / static_cast<double>(v.size()));
      else if (st == "p10") out.emplace_back(quantile(v, 0.1));
      else if (st == "p50") out.emplace_back(quantile(v, 0.5));
      else if (st == "p90") out.emplace_back(quantile(v, 0.9));
      else if (st == "min") out.emplace_back(*std::min_element(v.begin(), v.end()));
      else out.emplace_back(*std::max_element(v.begin(), v.end()));
    }
  }
  return out;
}

}  // namespace leasesim::sweep
