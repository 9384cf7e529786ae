// Cost per job: the attribution into the run document, and its table and CSV (job_cost_report.hpp).
#include "leasesim/report/job_cost_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "leasesim/lease/cost_attribution.hpp"
#include "leasesim/report/format.hpp"

namespace leasesim::report {

using nlohmann::json;

namespace {

constexpr const char* attribution_rule =
    "each lease-month's tenant cost is split between jobs and idle committed capacity by allocated vs idle GPU-hours; "
    "the jobs' part goes to each job by the GPU-hours it was allocated that month (restarts and rolled-back work "
    "included); idle capacity is the holder's";

double gpu_hours_of(const cluster::JobResult& j) {
  std::int64_t ms = 0;
  for (const auto& m : j.month_allocated_gpu_ms) ms += m.second;
  return cluster::gpu_hours(ms);
}

json per_million(double usd, double tokens) { return tokens > 0 ? json(usd / tokens * 1e6) : json(nullptr); }

double value(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_object() && v.contains("mean")) return v["mean"].get<double>();
  return 0;
}

// How a figure of the cost table reads: a count of GPU-hours, dollars, or days.
enum class Kind { count, dollars, days };

std::string shown(double v, Kind kind) {
  switch (kind) {
    case Kind::count:
      return grouped(v, 0);
    case Kind::dollars:
      return usd(v);
    case Kind::days:
      return duration(v * 86400);
  }
  return {};
}

// One figure, with the P10–P90 range when replications differ: "$685M ($680M–$690M)".
std::string cell(const json& v, Kind kind) {
  if (v.is_null()) return "-";
  if (v.is_object() && v.contains("mean")) {
    const std::string mean = shown(v["mean"].get<double>(), kind), lo = shown(v["p10"].get<double>(), kind),
                      hi = shown(v["p90"].get<double>(), kind);
    return lo == hi ? mean : fmt::format("{} ({}–{})", mean, lo, hi);
  }
  return shown(value(v), kind);
}

}  // namespace

void add_job_costs(json& doc, const lease::Ledger& ledger, const cluster::SimulationResult& result,
                   const std::map<std::string, double>& capacity_end_s) {
  const lease::CostAttribution a = lease::attribute_costs(ledger, result);
  const double rate = value(doc["lease_totals"]["derived"]["usd_per_delivered_gpu_hour"]);
  std::map<std::string, std::size_t> listed;
  for (std::size_t i = 0; i < doc["jobs"].size(); ++i) listed[doc["jobs"][i]["name"].get<std::string>()] = i;
  // Per job class (the name before the last '-'): cost and tokens, summed in job order. A few
  // classes, many jobs: a list searched by name, not a map keyed by a copy of every job's prefix.
  struct ClassSums {
    std::string name;
    double cost = 0, tokens = 0;
  };
  std::vector<ClassSums> classes;
  for (std::size_t k = 0; k < result.jobs.size(); ++k) {
    const auto& j = result.jobs[k];
    const double usd = a.job_cost[k].dollars();
    if (j.generated) {
      const std::string_view name = std::string_view(j.name).substr(0, j.name.rfind('-'));
      auto c = std::find_if(classes.begin(), classes.end(), [&](const ClassSums& x) { return x.name == name; });
      if (c == classes.end()) c = classes.insert(classes.end(), ClassSums{std::string(name)});
      c->cost += usd;
      c->tokens += j.tokens_trained;
      continue;
    }
    const auto it = listed.find(j.name);
    if (it == listed.end()) continue;
    json& o = doc["jobs"][it->second];
    o["cost_usd"] = usd;
    o["allocated_gpu_hours"] = gpu_hours_of(j);
    o["usd_per_million_tokens"] = per_million(usd, j.tokens_trained);
    if (j.end_s && j.deadline_s && *j.end_s <= *j.deadline_s) {
      const double slack_s = *j.deadline_s - *j.end_s;
      // Freed until the deadline, but not past the end of the tenant's capacity (an exit, the term).
      const auto cap = capacity_end_s.find(j.tenant);
      const double until = cap == capacity_end_s.end() ? *j.deadline_s : std::min(*j.deadline_s, cap->second);
      const double freed = static_cast<double>(j.gpus) * std::max(0.0, until - *j.end_s) / 3600.0;
      o["days_before_deadline"] = slack_s / 86400.0;
      o["gpu_hours_freed_before_deadline"] = freed;
      o["freed_worth_usd"] = freed * rate;
    } else {
      o["days_before_deadline"] = nullptr;
      o["gpu_hours_freed_before_deadline"] = nullptr;
      o["freed_worth_usd"] = nullptr;
    }
  }
  for (const ClassSums& c : classes) {
    if (!doc["job_classes"].contains(c.name)) continue;
    doc["job_classes"][c.name]["cost_usd"] = c.cost;
    doc["job_classes"][c.name]["usd_per_million_tokens"] = per_million(c.cost, c.tokens);
  }
  json idle = json::object();
  for (const auto& [tenant, m] : a.idle_by_tenant) idle[tenant] = m.dollars();
  doc["lease_totals"]["attribution"] = {{"jobs_usd", a.jobs_total.dollars()},
                                        {"idle_usd", a.idle_total.dollars()},
                                        {"idle_by_tenant_usd", idle},
                                        {"rule", attribution_rule}};
}

std::string job_cost_text(const json& doc, Layout layout) {
  if (!doc.contains("lease_totals") || !doc["lease_totals"].contains("attribution")) return "";
  Table t({{"job", "job or class", false},
           {"gpu_hours", "allocated GPU-h", true},
           {"cost", "cost", true},
           {"per_m", "$/M tokens", true},
           {"slack", "before deadline", true, 1},
           {"freed", "GPU-h freed", true, 3},
           {"worth", "freed worth", true, 2}},
          "Cost per job (idle capacity on its own line; rule in JSON lease_totals.attribution)");
  for (const auto& j : doc["jobs"]) {
    if (!j.contains("cost_usd")) continue;
    t.add_row({j["name"].get<std::string>(), cell(j["allocated_gpu_hours"], Kind::count),
               cell(j["cost_usd"], Kind::dollars), cell(j["usd_per_million_tokens"], Kind::dollars),
               cell(j["days_before_deadline"], Kind::days), cell(j["gpu_hours_freed_before_deadline"], Kind::count),
               cell(j["freed_worth_usd"], Kind::dollars)});
  }
  for (auto it = doc["job_classes"].begin(); it != doc["job_classes"].end(); ++it) {
    if (!it->contains("cost_usd")) continue;
    t.add_row({it.key() + " (class)", "", cell((*it)["cost_usd"], Kind::dollars),
               cell((*it)["usd_per_million_tokens"], Kind::dollars), "", "", ""});
  }
  const auto& attr = doc["lease_totals"]["attribution"];
  for (auto it = attr["idle_by_tenant_usd"].begin(); it != attr["idle_by_tenant_usd"].end(); ++it)
    t.add_row({"idle capacity of " + it.key(), "", cell(*it, Kind::dollars), "", "", "", ""});
  return t.to_text(layout);
}

std::string job_cost_csv(const json& doc) {
  Table t({{"job", "", false},
           {"kind", "", false},
           {"allocated_gpu_hours", "", true},
           {"cost_usd", "", true},
           {"usd_per_million_tokens", "", true},
           {"days_before_deadline", "", true},
           {"gpu_hours_freed_before_deadline", "", true},
           {"freed_worth_usd", "", true}});
  auto num = [](const json& v) { return v.is_null() ? Cell("") : Cell("", value(v)); };
  for (const auto& j : doc["jobs"])
    if (j.contains("cost_usd"))
      t.add_row({j["name"].get<std::string>(), "job", num(j["allocated_gpu_hours"]), num(j["cost_usd"]),
                 num(j["usd_per_million_tokens"]), num(j["days_before_deadline"]),
                 num(j["gpu_hours_freed_before_deadline"]), num(j["freed_worth_usd"])});
  for (auto it = doc["job_classes"].begin(); it != doc["job_classes"].end(); ++it)
    if (it->contains("cost_usd"))
      t.add_row({it.key(), "class", Cell(""), num((*it)["cost_usd"]), num((*it)["usd_per_million_tokens"]), Cell(""),
                 Cell(""), Cell("")});
  if (doc.contains("lease_totals") && doc["lease_totals"].contains("attribution")) {
    const auto& attr = doc["lease_totals"]["attribution"];
    for (auto it = attr["idle_by_tenant_usd"].begin(); it != attr["idle_by_tenant_usd"].end(); ++it)
      t.add_row({it.key(), "idle", Cell(""), num(*it), Cell(""), Cell(""), Cell(""), Cell("")});
  }
  return t.to_csv();
}

}  // namespace leasesim::report
