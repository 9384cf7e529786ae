// Turns a cluster simulation into the `leasesim run` outputs: a JSON document per replication, the
// replication aggregate (mean and P10/P50/P90 of every number), the terminal summary, monthly CSV.
#include "leasesim/report/run_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leasesim/cluster/energy_meter.hpp"
#include "leasesim/report/format.hpp"
#include "leasesim/report/job_cost_report.hpp"
#include "leasesim/report/scenario_summary.hpp"
#include "leasesim/report/table.hpp"
#include "leasesim/units/date.hpp"
#include "leasesim/units/stats.hpp"
#include "leasesim/units/quantity.hpp"

namespace leasesim::report {

using nlohmann::json;

namespace {

json ledger_json(const cluster::GpuTimeLedger& l) {
  return {{"productive", cluster::gpu_hours(l.productive)},
          {"checkpointing", cluster::gpu_hours(l.checkpointing)},
          {"restarting", cluster::gpu_hours(l.restarting)},
          {"lost", cluster::gpu_hours(l.lost)},
          {"idle", cluster::gpu_hours(l.idle)},
          {"failed", cluster::gpu_hours(l.failed)},
          {"spare", cluster::gpu_hours(l.spare)},
          {"unleased", cluster::gpu_hours(l.unleased)},
          {"total", cluster::gpu_hours(l.total())}};
}

std::string month_label(std::int64_t utc) {
  const auto c = units::civil_from_days(utc / 86400);
  return fmt::format("{:04}-{:02}", c.year, c.month);
}

json time_json(std::int64_t start, const std::optional<double>& offset) {
  if (!offset) return nullptr;
  return units::format_date(start + static_cast<std::int64_t>(std::llround(*offset)));
}

json optional_number(const std::optional<double>& x) { return x ? json(*x) : json(nullptr); }

// A number of a document that may be aggregated ({mean, …}) or not.
double num(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_object() && v.contains("mean")) return v["mean"].get<double>();
  if (v.is_object() && v.contains("probability")) return v["probability"].get<double>();
  return 0;
}

// A number of the document for a person: thousands separators, `suffix` after it ("%"), and
// with replications the P10–P90 range when the replications differ: "86.9% (86.5–87.2%)".
std::string num_text(const json& v, int decimals, double scale = 1, const std::string& suffix = "") {
  if (v.is_object() && v.contains("mean")) {
    const double lo = v["p10"].get<double>() * scale, hi = v["p90"].get<double>() * scale;
    const std::string mean = grouped(num(v) * scale, decimals) + suffix;
    if (grouped(lo, decimals) == grouped(hi, decimals)) return mean;
    return fmt::format("{} ({}–{}{})", mean, grouped(lo, decimals), grouped(hi, decimals), suffix);
  }
  if (v.is_null()) return "-";
  return grouped(num(v) * scale, decimals) + suffix;
}

std::string text_of(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "NO";
  if (v.is_object() && v.contains("probability")) return fmt::format("P={:.2f}", v["probability"].get<double>());
  if (v.is_object() && v.contains("mean")) return num_text(v, 1);
  return "-";
}

}  // namespace

json run_json(const scenario::Scenario& s, const cluster::SimulationResult& r) {
  const std::int64_t start = s.horizon.start;
  json jobs = json::array();
  // Generated jobs are summed per class (the name before the last '-'), in job order; a handful of
  // classes, so a list searched by name beats a map of JSON objects (a backlogged run has 240,000
  // generated jobs).
  struct ClassSums {
    std::string name;
    int jobs = 0, completed = 0, interruptions = 0;
    double gpu_hours_lost = 0.0, tokens_trained = 0.0;
  };
  std::vector<ClassSums> classes;
  // Listed jobs in the scenario's order (the simulation orders them by submit time, which a drawn
  // slip or a chain changes from one replication to the next), so replications aggregate job by job.
  std::vector<const cluster::JobResult*> ordered;
  ordered.reserve(r.jobs.size());
  for (const auto& j : r.jobs) ordered.push_back(&j);
  auto listed_index = [&](const cluster::JobResult* j) {
    if (j->generated) return s.jobs.size();
    for (std::size_t i = 0; i < s.jobs.size(); ++i)
      if (s.jobs[i].spec.training.name == j->name) return i;
    return s.jobs.size();
  };
  std::stable_sort(ordered.begin(), ordered.end(), [&](const cluster::JobResult* a, const cluster::JobResult* b) {
    return listed_index(a) < listed_index(b);
  });
  for (const cluster::JobResult* jp : ordered) {
    const cluster::JobResult& j = *jp;
    if (j.generated) {
      const std::string_view name = std::string_view(j.name).substr(0, j.name.rfind('-'));
      auto it = std::find_if(classes.begin(), classes.end(), [&](const ClassSums& c) { return c.name == name; });
      if (it == classes.end()) it = classes.insert(classes.end(), ClassSums{std::string(name)});
      ClassSums& c = *it;
      c.jobs = c.jobs + 1;
      c.completed = c.completed + (j.end_s ? 1 : 0);
      c.gpu_hours_lost = c.gpu_hours_lost + j.lost_gpu_hours;
      c.tokens_trained = c.tokens_trained + j.tokens_trained;
      c.interruptions = c.interruptions + j.interruptions;
      continue;
    }
    const auto& p = j.parallelism;
    // `mfu` follows the BF16-peak convention (model FLOP/s over the BF16 dense peak), so an FP8 job
    // can pass 100%; `mfu_at_precision` is over the dense peak of the job's own precision (as in
    // `leasesim step`): mfu × BF16 peak / own peak.
    hw::Precision precision = hw::Precision::bf16;
    for (const auto& sj : s.jobs) {
      if (sj.spec.training.name == j.name) precision = sj.spec.training.precision;
    }
    const auto& gpu = s.cluster.rack.gpu;
    const double own_peak = gpu.dense_flops(precision) > 0 ? gpu.dense_flops(precision) : gpu.bf16_flops;
    jobs.push_back({{"name", j.name},
                    {"tenant", j.tenant},
                    {"gpus", j.gpus},
                    {"parallelism", fmt::format("TP{} PP{} DP{} CP{} EP{} VPP{} mb{}", p.tp, p.pp, p.dp, p.cp, p.ep,
                                                p.vpp, p.micro_batch)},
                    {"submit", time_json(start, j.submit_s)},
                    {"start", time_json(start, j.start_s)},
                    {"end", time_json(start, j.end_s)},
                    {"deadline", time_json(start, j.deadline_s)},
                    {"start_s", optional_number(j.start_s)},
                    {"end_s", optional_number(j.end_s)},
                    {"deadline_met", j.deadline_met ? json(*j.deadline_met) : json(nullptr)},
                    {"completed", j.end_s.has_value()},
                    {"tokens", j.tokens},
                    {"tokens_trained", j.tokens_trained},
                    {"interruptions", j.interruptions},
                    {"ettr", j.ettr},
                    {"goodput_fraction", j.goodput_fraction},
                    {"precision", hw::to_string(precision)},
                    {"mfu", j.mfu},
                    {"mfu_at_precision", own_peak > 0 ? j.mfu * gpu.bf16_flops / own_peak : 0.0},
                    {"step_time_s", j.step_time_s},
                    {"tokens_per_s", j.tokens_per_s},
                    {"lost_gpu_hours", j.lost_gpu_hours},
                    {"fabric_slowdown", j.fabric_slowdown},
                    {"checkpoint_interval_s", j.checkpoint_interval_s},
                    {"checkpoint_write_s", j.checkpoint_write_s},
                    {"checkpoint_write_max_s", j.checkpoint_write_max_s},
                    {"checkpoint_stall_s", j.checkpoint_stall_s},
                    {"restart_read_s", j.restart_read_s}});
    // Roadmaps, only where they apply (a scenario without them keeps its document byte for byte).
    json& out = jobs.back();
    if (j.status == "blocked" || j.status == "rejected") {
      out["status"] = j.status;
      out["reason"] = j.reason;
    }
    if (j.slip_s) out["slip_s"] = *j.slip_s;
    // Several sites: where it ran, and the sites its step was priced across.
    if (!j.site.empty()) out["site"] = j.site;
    if (j.span_sites > 1) out["span_sites"] = j.span_sites;
    // A submit that moves between replications (chained, slipped) gets its offset too, so the
    // aggregate gives its median date and "submit_p10"/"submit_p90" as for "end".
    if (j.chained || j.slip_s) out["submit_s"] = j.submit_s;
    if (j.elastic) {
      json sizes = json::array();
      long long least = 0, most = 0;
      for (const auto& z : j.sizes) {
        sizes.push_back({{"gpus", z.gpus},
                         {"start_s", z.from_s},
                         {"end_s", z.to_s},
                         {"gpu_hours", z.gpu_hours},
                         {"tokens", z.tokens}});
        least = least == 0 ? z.gpus : std::min(least, z.gpus);
        most = std::max(most, z.gpus);
      }
      out["sizes"] = sizes;
      out["min_gpus_held"] = least;
      out["max_gpus_held"] = most;
      out["resizes"] = j.resizes;
    }
  }
  json job_classes = json::object();
  for (const ClassSums& c : classes)
    job_classes[c.name] = {{"jobs", c.jobs},
                           {"completed", c.completed},
                           {"gpu_hours_lost", c.gpu_hours_lost},
                           {"tokens_trained", c.tokens_trained},
                           {"interruptions", c.interruptions}};

  json months = json::array();
  for (const auto& m : r.months) {
    months.push_back(
        {{"month", month_label(m.month_start_utc)},
         {"start", units::format_date(m.month_start_utc)},
         {"end", units::format_date(m.month_end_utc)},
         {"gpu_hours", ledger_json(m.gpu_ms)},
         {"utilization", m.gpu_ms.total() > 0 ? static_cast<double>(m.gpu_ms.productive + m.gpu_ms.checkpointing +
                                                                    m.gpu_ms.restarting + m.gpu_ms.lost) /
                                                    static_cast<double>(m.gpu_ms.total())
                                              : 0.0},
         {"energy_mwh", m.energy_mwh}});
  }
  // Energy per rack: its GPUs by state (the cluster's EnergyMeter) plus the rack's own overhead.
  const cluster::EnergyMeter meter(s.cluster);
  json racks = json::array();
  for (std::size_t i = 0; i < r.per_rack.size(); ++i) {
    const double rack_ms = static_cast<double>(r.per_rack[i].total()) / std::max(1, s.cluster.rack.gpus);
    const double overhead_mwh = s.cluster.power.rack_overhead_watts * rack_ms / 1000.0 * s.cluster.power.pue / 3.6e9;
    racks.push_back({{"rack", i},
                     {"gpu_hours", ledger_json(r.per_rack[i])},
                     {"energy_mwh", meter.gpu_mwh(r.per_rack[i]) + overhead_mwh}});
  }
  json tenants = json::array();
  for (const auto& t : r.tenant_months) {
    tenants.push_back({{"tenant", t.tenant},
                       {"month", month_label(t.month_start_utc)},
                       {"gpu_hours", ledger_json(t.gpu_ms)},
                       {"energy_mwh", t.energy_mwh},
                       {"tokens_trained", t.tokens_trained},
                       {"jobs_completed", t.jobs_completed}});
  }
  json failures = json::object();
  for (const auto& [k, v] : r.failures_by_category) failures[k] = v;

  json doc = {{"scenario", s.name},
              {"seed", s.seed},
              {"resolved", scenario_summary_json(s)},
              {"jobs", jobs},
              {"job_classes", job_classes},
              {"cluster",
               {{"gpus", s.cluster.gpus()},
                {"gpu_hours", ledger_json(r.total)},
                {"months", months},
                {"racks", racks},
                {"tenant_months", tenants},
                {"utilization_daily", r.daily_utilization},
                {"failures", r.failures},
                {"failures_by_category", failures},
                {"energy_mwh", r.energy_mwh},
                {"events", r.events},
                {"fabric_resolves", r.fabric_resolves}}}};
  // What each on-demand lease drawn from a market was granted (docs/leases.md, "A market that exists").
  if (!r.market_grants.empty()) {
    json market = json::object();
    for (const auto& g : r.market_grants)
      market[g.lease] = {{"tenant", g.tenant},
                         {"requested_gpus", g.requested_gpus},
                         {"ceiling_gpus", g.ceiling_gpus},
                         {"granted_gpus", g.granted_gpus},
                         {"granted_in_full", g.granted_gpus >= g.requested_gpus},
                         {"p_full", g.p_full}};
    doc["cluster"]["market"] = std::move(market);
  }
  return doc;
}

json aggregate_replications(const std::vector<json>& docs) {
  if (docs.empty()) return nullptr;
  const json& first = docs.front();
  if (docs.size() == 1) return first;
  if (first.is_number()) {
    std::vector<double> v;
    for (const auto& d : docs)
      if (d.is_number()) v.push_back(d.get<double>());
    if (v.size() != docs.size()) return nullptr;
    double sum = 0;
    for (double x : v) sum += x;
    return {{"mean", sum / static_cast<double>(v.size())},
            {"p10", units::quantile(v, 0.1)},
            {"p50", units::quantile(v, 0.5)},
            {"p90", units::quantile(v, 0.9)}};
  }
  if (first.is_boolean()) {
    int yes = 0;
    for (const auto& d : docs) yes += (d.is_boolean() && d.get<bool>()) ? 1 : 0;
    return {{"probability", static_cast<double>(yes) / static_cast<double>(docs.size())}};
  }
  if (first.is_object()) {
    json out = json::object();
    for (auto it = first.begin(); it != first.end(); ++it) {
      std::vector<json> column;
      for (const auto& d : docs) column.push_back(d.contains(it.key()) ? d[it.key()] : json(nullptr));
      out[it.key()] = aggregate_replications(column);
    }
    // A date that differs between replications ("end" beside "end_s"): its P50, P10 and P90 as
    // dates ("end", "end_p10", "end_p90"), the same interpolated quantiles of "end_s" as every other
    // P90 (units::quantile); a replication without the date (not finished within the horizon) counts
    // as later than any, so a quantile that reaches one is null ("not finished").
    for (auto it = first.begin(); it != first.end(); ++it) {
      const std::string key = it.key();
      if (!out[key].is_null() || !first.contains(key + "_s")) continue;
      std::vector<double> seconds;
      std::optional<std::int64_t> origin;  // the instant "<key>_s" counts from, read off any replication
      bool dated_key = false;
      for (const auto& d : docs) {
        const bool has = d.contains(key) && d[key].is_string() && d.contains(key + "_s") && d[key + "_s"].is_number();
        if (!has) {
          if (d.contains(key) && !d[key].is_null()) break;  // not a date key after all
          seconds.push_back(std::numeric_limits<double>::infinity());
          continue;
        }
        const auto at = units::parse_date(d[key].get<std::string>());
        if (!at) break;
        dated_key = true;
        origin = *at - static_cast<std::int64_t>(std::llround(d[key + "_s"].get<double>()));
        seconds.push_back(d[key + "_s"].get<double>());
      }
      if (!dated_key || seconds.size() != docs.size()) continue;
      std::sort(seconds.begin(), seconds.end());
      auto date_at = [&](double q) -> json {
        const auto t = units::quantile_sorted_finite(seconds, q);
        return t ? json(units::format_date(*origin + static_cast<std::int64_t>(std::llround(*t)))) : json(nullptr);
      };
      out[key] = date_at(0.5);
      out[key + "_p10"] = date_at(0.1);
      out[key + "_p90"] = date_at(0.9);
    }
    return out;
  }
  if (first.is_array()) {
    for (const auto& d : docs)
      if (!d.is_array() || d.size() != first.size()) return nullptr;
    json out = json::array();
    for (std::size_t i = 0; i < first.size(); ++i) {
      std::vector<json> column;
      for (const auto& d : docs) column.push_back(d[i]);
      out.push_back(aggregate_replications(column));
    }
    return out;
  }
  for (const auto& d : docs)
    if (d != first) return nullptr;  // strings, null: kept only when all agree
  return first;
}

// The questions a planner opens the run for, answered first: deadlines, the cost of a trained token,
// idle committed capacity, and what failures cost.
std::string answers_text(const json& doc) {
  std::string out = "Answers\n";
  for (const auto& j : doc["jobs"]) {
    if (j["deadline"].is_null()) continue;
    std::string verdict = j["deadline_met"].is_boolean() ? (j["deadline_met"].get<bool>() ? "met" : "MISSED")
                          : j["deadline_met"].is_object()
                              ? fmt::format("met with probability {:.2f}", num(j["deadline_met"]))
                              : "not decided within the horizon";
    // Replicated: the median end and the P90 a planner commits to.
    const std::string p90 = !j.contains("end_p90")   ? ""
                            : j["end_p90"].is_null() ? "not finished"
                                                     : text_of(j["end_p90"]);
    const std::string finished = j["end"].is_null() ? "not finished"
                                 : j.contains("end_p90")
                                     ? fmt::format("finished P50 {}, P90 {}", text_of(j["end"]), p90)
                                     : "finished " + text_of(j["end"]);
    out += fmt::format("- {} ({} GPUs): {}, deadline {}: {}\n", text_of(j["name"]), num_text(j["gpus"], 0), finished,
                       text_of(j["deadline"]), verdict);
  }
  const auto& h = doc["cluster"]["gpu_hours"];
  const double total = num(h["total"]);
  const double failure_hours = num(h["lost"]) + num(h["restarting"]) + num(h["failed"]);
  if (doc.contains("lease_totals")) {
    const auto& t = doc["lease_totals"]["total"];
    const auto& d = doc["lease_totals"]["derived"];
    const double cost = num(t["tenant_cost_usd"]);
    const double per_delivered = num(d["usd_per_delivered_gpu_hour"]);
    // Cost per job, never pooled: the deadline jobs by name, then the idle capacity's own line.
    for (const auto& j : doc["jobs"]) {
      if (j["deadline"].is_null() || !j.contains("cost_usd")) continue;
      std::string line = fmt::format("- training {} cost {}", text_of(j["name"]), usd(num(j["cost_usd"])));
      if (j["cost_usd"].is_object()) line += fmt::format(" (P90 {})", usd(j["cost_usd"]["p90"].get<double>()));
      if (!j["usd_per_million_tokens"].is_null())
        line += fmt::format(" ({} per million tokens trained)", usd(num(j["usd_per_million_tokens"])));
      if (!j["days_before_deadline"].is_null())
        line +=
            fmt::format("\n  finishing {:.1f} days before its deadline frees {} GPU-hours, worth {} at {} per GPU-hour",
                        num(j["days_before_deadline"]), compact_count(num(j["gpu_hours_freed_before_deadline"])),
                        usd(num(j["freed_worth_usd"])), usd(per_delivered));
      out += line + "\n";
    }
    out += fmt::format("- the lease costs {} in all ({} per delivered GPU-hour)\n", usd(cost), usd(per_delivered));
    if (doc.contains("finance")) {
      const auto& fin = doc["finance"];
      std::string per_lease;
      for (const auto& l : doc["leases"]) {
        if (!l.contains("npv_usd")) continue;
        per_lease += fmt::format("{}{} {}", per_lease.empty() ? "" : ", ", text_of(l["lease"]), usd(num(l["npv_usd"])));
      }
      out += fmt::format(
          "- its net present value at {:g}% a year is {} (monthly cash flows, each month paid at its end{})\n",
          100 * num(fin["discount_rate"]), usd(num(fin["npv_usd"])), per_lease.empty() ? "" : ": " + per_lease);
    }
    const double idle_usd = doc["lease_totals"].contains("attribution")
                                ? num(doc["lease_totals"]["attribution"]["idle_usd"])
                                : num(d["idle_fraction"]) * cost;
    out += fmt::format("- {:.1f}% of the committed GPU-hours sat idle: {} of the cost bought nothing\n",
                       100 * num(d["idle_fraction"]), usd(idle_usd));
    // Spare trays are delivered capacity, neither used nor idle: their cost sits inside the job and
    // idle figures above (docs/leases.md, "Cost attribution"), so it is said once, on its own.
    const double spare_hours = num(h["spare"]);
    if (spare_hours > 0) {
      out += fmt::format(
          "- spare trays held {} GPU-hours ({:.1f}% of the horizon) ≈ {} at {} per GPU-hour, part of the "
          "costs above\n",
          compact_count(spare_hours), total > 0 ? 100 * spare_hours / total : 0, usd(spare_hours * per_delivered),
          usd(per_delivered));
    }
    out += fmt::format(
        "- failures cost {} GPU-hours ({:.1f}% of the horizon: rework, restarts, repairs) ≈ {} "
        "at {} per GPU-hour\n",
        compact_count(failure_hours), total > 0 ? 100 * failure_hours / total : 0, usd(failure_hours * per_delivered),
        usd(per_delivered));
  } else {
    out += fmt::format(
        "- {:.1f}% of the cluster's GPU-hours sat idle; failures cost {} GPU-hours (no lease to price them)\n",
        total > 0 ? 100 * num(h["idle"]) / total : 0, compact_count(failure_hours));
  }
  // The scenario's sensitivity block (run_command.cpp): the inputs that move the date and the cost most.
  if (doc.contains("sensitivity") && doc["sensitivity"].contains("inputs") && !doc["sensitivity"]["inputs"].empty()) {
    const auto& sv = doc["sensitivity"];
    const json* by_end = nullptr;
    const json* by_cost = nullptr;
    for (const auto& in : sv["inputs"]) {
      if (in.contains("end_swing_days") && (!by_end || num(in["end_swing_days"]) > num((*by_end)["end_swing_days"])))
        by_end = &in;
      if (!by_cost || num(in["cost_swing_usd"]) > num((*by_cost)["cost_swing_usd"])) by_cost = &in;
    }
    auto range = [](const json& in) {
      return fmt::format("x{:g} to x{:g}", num(in["low_factor"]), num(in["high_factor"]));
    };
    if (by_end && sv.contains("job"))
      out += fmt::format("- most sensitive: {} ({}) moves {}'s P90 end by {:.1f} days", text_of((*by_end)["input"]),
                         range(*by_end), text_of(sv["job"]), num((*by_end)["end_swing_days"]));
    else
      out += "- most sensitive:";
    if (by_cost && num((*by_cost)["cost_swing_usd"]) > 0)
      out += fmt::format("; {} ({}) moves the mean cost by {}", text_of((*by_cost)["input"]), range(*by_cost),
                         usd(num((*by_cost)["cost_swing_usd"])));
    out += fmt::format(
        " (of {}, {} replications per swing; leasesim sensitivity for the table)\n",
        [&] {
          std::string n;
          for (const auto& in : sv["inputs"]) n += (n.empty() ? "" : ", ") + text_of(in["input"]);
          return n;
        }(),
        num_text(sv["replications"], 0));
  }
  // Each line wrapped to the terminal, continuations indented.
  std::string wrapped_out;
  std::size_t at = 0;
  while (at < out.size()) {
    const std::size_t nl = out.find('\n', at);
    const std::string line = out.substr(at, nl - at);
    at = nl == std::string::npos ? out.size() : nl + 1;
    if (display_width(line) <= terminal_width) {
      wrapped_out += line + "\n";
    } else {
      const std::size_t lead = line.find_first_not_of(' ');
      for (const auto& part : split_lines(wrap(line.substr(lead), terminal_width - lead, "  ")))
        wrapped_out += std::string(lead, ' ') + part + "\n";
    }
  }
  return wrapped_out + "\n";
}

std::string run_text(const scenario::Scenario& s, const json& doc, const TextOptions& options) {
  const Layout layout = options.layout;
  std::string out =
      wrap(fmt::format("{} — {} x {} ({} GPUs), {} for {} days, seed {}, {} replication{}", s.name,
                       grouped(static_cast<long long>(s.cluster.racks)), s.cluster.rack.name,
                       grouped(static_cast<long long>(s.cluster.gpus())), units::format_date(s.horizon.start),
                       grouped(num(doc["resolved"]["cluster"]["horizon_days"]), 0), s.seed, s.replications,
                       s.replications == 1 ? "" : "s (mean, P10–P90)"),
           terminal_width, "  ") +
      "\n";
  out += answers_text(doc);
  const auto& jobs = doc["jobs"];
  if (!jobs.empty()) {
    // MFU over the dense peak of each job's own precision (never above 100%); the BF16-peak figure
    // stays in JSON as "mfu". One precision: it is in the header; several: a column says each.
    std::vector<std::string> precisions;
    for (const auto& j : jobs) {
      const std::string p = text_of(j["precision"]);
      if (std::find(precisions.begin(), precisions.end(), p) == precisions.end()) precisions.push_back(p);
    }
    const bool mixed = precisions.size() > 1;
    std::string upper = precisions.empty() ? "BF16" : precisions.front();
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    // Narrow: the end's day (the Answers above give its time), no start; wide: both, to the second.
    const bool wide = layout == Layout::wide;
    // Several sites: where each job ran (a scenario without sites has no such column).
    const bool sites = std::any_of(jobs.begin(), jobs.end(), [](const auto& j) { return j.contains("site"); });
    std::vector<Column> cols{{"job", "job", false}};
    if (sites) cols.push_back({"site", "site", false});
    cols.insert(cols.end(), {{"gpus", "GPUs", true},
                             {"start", "start", false, Column::wide_only},
                             {"end", "end", false},
                             {"deadline", "deadline", false},
                             {"met", "met", false},
                             {"tokens_trained_t", "tokens (T)", true, 1},
                             {"ettr", "ETTR", true}});
    if (mixed) cols.push_back({"precision", "precision", false});
    cols.push_back({"mfu_at_precision", mixed ? "MFU (own-precision peak)" : "MFU (" + upper + " peak)", true});
    cols.push_back({"interruptions", "interruptions", true, 2});
    cols.push_back({"lost_gpu_hours", "lost GPU-h", true, 3});
    Table t(cols, "Jobs");
    std::string notes;  // blocked and rejected jobs: why, one line each under the table
    for (const auto& j : jobs) {
      const bool blocked = j.contains("status") && j["status"] == "blocked";
      if (j.contains("reason") && j["reason"].is_string())
        notes += wrap(fmt::format("{} {}: {}", text_of(j["name"]), text_of(j["status"]), text_of(j["reason"])),
                      terminal_width, "  ");
      const std::string end = blocked ? "blocked" : j["end"].is_null() ? "not done" : text_of(j["end"]);
      std::vector<Cell> row{text_of(j["name"])};
      if (sites) row.push_back(j.contains("site") ? text_of(j["site"]) : std::string("-"));
      row.insert(row.end(), {num_text(j["gpus"], 0), text_of(j["start"]), wide ? end : end.substr(0, 10),
                             text_of(j["deadline"]), j["deadline_met"].is_null() ? "-" : text_of(j["deadline_met"]),
                             num_text(j["tokens_trained"], 2, 1e-12), num_text(j["ettr"], 1, 100, "%")});
      if (mixed) row.push_back(text_of(j["precision"]));
      row.push_back(num_text(j["mfu_at_precision"], 1, 100, "%"));
      row.push_back(num_text(j["interruptions"], 0));
      row.push_back(num_text(j["lost_gpu_hours"], 0));
      t.add_row(std::move(row));
    }
    out += t.to_text(layout) + (notes.empty() ? "" : notes) + "\n";
  }
  if (!doc["job_classes"].empty()) {
    Table t({{"class", "generated jobs", false},
             {"jobs", "jobs", true},
             {"completed", "completed", true},
             {"interruptions", "interruptions", true},
             {"lost", "lost GPU-h", true}},
            "Background demand");
    for (auto it = doc["job_classes"].begin(); it != doc["job_classes"].end(); ++it) {
      const auto& c = it.value();
      t.add_row({it.key(), num_text(c["jobs"], 0), num_text(c["completed"], 0), num_text(c["interruptions"], 0),
                 num_text(c["gpu_hours_lost"], 0)});
    }
    out += t.to_text(layout) + "\n";
  }
  if (const std::string costs = job_cost_text(doc, layout); !costs.empty()) out += costs + "\n";
  const auto& cl = doc["cluster"];
  const double total = num(cl["gpu_hours"]["total"]);
  Table ledger({{"state", "GPU state", false}, {"gpu_hours", "GPU-hours", true}, {"share", "share", true}},
               "Where the GPU-hours went (whole horizon)");
  for (const char* state :
       {"productive", "checkpointing", "restarting", "lost", "idle", "failed", "spare", "unleased"}) {
    if (std::string_view(state) == "unleased" && !(num(cl["gpu_hours"][state]) > 0))
      continue;  // an owner's view, or leases covering all
    const double share = total > 0 ? num(cl["gpu_hours"][state]) / total : 0;
    ledger.add_row({state, num_text(cl["gpu_hours"][state], 0), percentage(share, 1, 100 * share)});
  }
  ledger.add_row({"total", num_text(cl["gpu_hours"]["total"], 0), percentage(1, 1, 100.0)});
  out += ledger.to_text(layout);
  // Failures by category, most frequent first, wrapped to the terminal.
  std::vector<std::pair<double, std::string>> categories;
  for (auto it = cl["failures_by_category"].begin(); it != cl["failures_by_category"].end(); ++it)
    categories.emplace_back(-num(it.value()), it.key() + " " + num_text(it.value(), 0));
  std::stable_sort(categories.begin(), categories.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string by_cat;
  for (const auto& [count, text] : categories) by_cat += (by_cat.empty() ? "" : ", ") + text;
  out +=
      "\n" + wrap(fmt::format("failures: {}{}", num_text(cl["failures"], 0), by_cat.empty() ? "" : " (" + by_cat + ")"),
                  terminal_width, "  ");
  out += fmt::format("energy: {} MWh (facility, PUE {:.2f})\n", num_text(cl["energy_mwh"], 0), s.cluster.power.pue);
  if (cl.contains("market")) {
    for (auto it = cl["market"].begin(); it != cl["market"].end(); ++it) {
      const json& g = it.value();
      const json& full = g["granted_in_full"];
      const std::string in_full =
          full.is_object() ? fmt::format("granted in full in {:.0f}% of replications", 100 * num(full["probability"]))
          : full.is_boolean() && full.get<bool>() ? "granted in full"
                                                  : "not granted in full";
      out += wrap(fmt::format("market: on-demand lease {} asked for {} GPUs{}: {} (granted {} GPUs; chance of all "
                              "of it {:.0f}%)",
                              it.key(), num_text(g["requested_gpus"], 0),
                              num(g["ceiling_gpus"]) > 0 ? " (ceiling " + num_text(g["ceiling_gpus"], 0) + ")" : "",
                              in_full, num_text(g["granted_gpus"], 0), 100 * num(g["p_full"])),
                  terminal_width, "  ");
    }
  }
  return out;
}

std::string run_months_csv(const json& doc) {
  Table t({{"month", "month", false},
           {"productive_gpu_hours", "", true},
           {"checkpointing_gpu_hours", "", true},
           {"restarting_gpu_hours", "", true},
           {"lost_gpu_hours", "", true},
           {"idle_gpu_hours", "", true},
           {"failed_gpu_hours", "", true},
           {"spare_gpu_hours", "", true},
           {"unleased_gpu_hours", "", true},
           {"total_gpu_hours", "", true},
           {"utilization", "", true},
           {"energy_mwh", "", true}});
  for (const auto& m : doc["cluster"]["months"]) {
    const auto& h = m["gpu_hours"];
    t.add_row({text_of(m["month"]), Cell("", num(h["productive"])), Cell("", num(h["checkpointing"])),
               Cell("", num(h["restarting"])), Cell("", num(h["lost"])), Cell("", num(h["idle"])),
               Cell("", num(h["failed"])), Cell("", num(h["spare"])), Cell("", num(h["unleased"])),
               Cell("", num(h["total"])), Cell("", num(m["utilization"])), Cell("", num(m["energy_mwh"]))});
  }
  return t.to_csv();
}

}  // namespace leasesim::report
