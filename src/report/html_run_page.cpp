// The run page of `leasesim report` (html_pages.hpp): the summary, GPU-hours by state, utilization
// per tenant and the monthly ledger; the jobs' sections are in html_run_jobs.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "leasesim/lease/contract_type.hpp"
#include "leasesim/report/html_charts.hpp"
#include "leasesim/report/html_pages.hpp"
#include "leasesim/report/html_text.hpp"

namespace leasesim::report::html {

namespace {

struct StateStyle {
  const char* key;
  const char* color;
};
constexpr std::array<StateStyle, 8> gpu_states{{{"productive", "#2ca02c"},
                                                {"checkpointing", "#1f77b4"},
                                                {"restarting", "#ff7f0e"},
                                                {"lost", "#d62728"},
                                                {"failed", "#8c564b"},
                                                {"idle", "#c7c7c7"},
                                                {"spare", "#7f7f7f"},
                                                {"unleased", "#f0f0f0"}}};

// GPU-hours given to jobs (productive, checkpointing, restarting, lost) over all GPU-hours.
std::optional<double> allocated_share(const Json& gpu_hours) {
  const double total = value_or_zero(get(gpu_hours, "total"));
  if (total <= 0) return std::nullopt;
  double used = 0;
  for (const char* s : {"productive", "checkpointing", "restarting", "lost"}) used += value_or_zero(get(gpu_hours, s));
  return used / total;
}

// The whole horizon's GPU-hours by state, with each state's share (and P10–P90 when replicated).
HtmlTable horizon_table(const Json& cluster, bool replicated) {
  const Json& whole = get(cluster, "gpu_hours");
  const double total = value_or_zero(get(whole, "total"));
  HtmlTable horizon{"Whole horizon", {{"GPU state", false}, {"GPU-hours (GPU-h)"}, {"share (%)"}}, {}};
  if (replicated) {
    horizon.caption += " (mean and P10–P90 over the replications)";
    horizon.columns.insert(horizon.columns.begin() + 2, HtmlColumn{"P10–P90 (GPU-h)"});
  }
  for (const auto& st : gpu_states) {
    const Json& v = get(whole, st.key);
    std::vector<std::string> row{st.key, grouped(value_of(v), 0)};
    if (replicated) row.push_back(range_text(v, 0));
    row.push_back(total > 0 ? percent(value_or_zero(v) / total) : "–");
    horizon.rows.push_back(std::move(row));
  }
  std::vector<std::string> total_row{"total", grouped(value_of(get(whole, "total")), 0)};
  if (replicated) total_row.push_back(range_text(get(whole, "total"), 0));
  total_row.push_back(percent(1.0));
  horizon.rows.push_back(std::move(total_row));
  return horizon;
}

Section gpu_hours_section(const Json& cluster, bool replicated) {
  Section s{"chart-gpu-hours-by-state",
            "Where the GPU-hours went, month by month",
            "Every GPU-hour of each calendar month by state, stacked: the bars sum to GPUs × hours in the month. "
            "Productive is training kept; checkpointing, restarting and lost are failure overheads; idle is "
            "healthy capacity no job used; failed is out of service; spare is held back as hot spares; unleased is "
            "facility capacity no lease provided "
            "that month (before a lease starts or ramps up, after it ends)." +
                std::string(replicated ? " Means over the replications." : ""),
            {},
            {}};
  Json values = Json::array(), month_order = Json::array(), domain = Json::array(), range = Json::array();
  for (const auto& st : gpu_states) {
    domain.push_back(st.key);
    range.push_back(st.color);
  }
  HtmlTable monthly{"GPU-hours by month" + std::string(replicated ? " (means)" : ""), {{"month", false}}, {}};
  for (const auto& st : gpu_states) monthly.columns.push_back({fmt::format("{} (GPU-h)", st.key)});
  monthly.columns.push_back({"total (GPU-h)"});
  monthly.columns.push_back({"given to jobs (%)"});
  for (const auto& m : get(cluster, "months")) {
    const std::string month = string_of(get(m, "month"));
    month_order.push_back(month);
    std::vector<std::string> row{month};
    for (std::size_t i = 0; i < gpu_states.size(); ++i) {
      const auto v = value_of(get(get(m, "gpu_hours"), gpu_states[i].key));
      values.push_back({{"month", month}, {"state", gpu_states[i].key}, {"order", i}, {"gpu_hours", datum(v)}});
      row.push_back(grouped(v, 0));
    }
    row.push_back(grouped(value_of(get(get(m, "gpu_hours"), "total")), 0));
    row.push_back(percent(allocated_share(get(m, "gpu_hours"))));
    monthly.rows.push_back(std::move(row));
  }
  const StackedBars bars{ordinal_months(month_order),
                         {{"field", "gpu_hours"}, {"type", "quantitative"}, {"title", "GPU-hours"}, {"stack", "zero"}},
                         "state",
                         "GPU state",
                         domain,
                         range,
                         Json::array({tooltip("month", "month"), tooltip("state", "state"),
                                      tooltip("gpu_hours", "GPU-hours", "quantitative", ",.0f")})};
  s.spec = {{"width", 760}, {"height", 320}, {"config", chart_config()}};
  s.spec.update(stacked_bars(values, bars));
  s.tables = {std::move(monthly), horizon_table(cluster, replicated)};
  return s;
}

// Each tenant's share of the cluster's GPU-hours by month, as chart rows and as table cells.
struct TenantShares {
  Json month_order = Json::array();
  std::map<std::string, Json> month_utilization;                               // the cluster's, for "all tenants"
  std::vector<std::string> tenants;                                            // in order of appearance
  std::map<std::pair<std::string, std::string>, std::optional<double>> share;  // (tenant, month)
  Json values = Json::array();
};

const std::string all_tenants = "all tenants";

TenantShares tenant_shares(const Json& cluster, bool replicated) {
  TenantShares ts;
  std::map<std::string, double> month_total;
  for (const auto& m : get(cluster, "months")) {
    const std::string month = string_of(get(m, "month"));
    ts.month_order.push_back(month);
    month_total[month] = value_or_zero(get(get(m, "gpu_hours"), "total"));
    ts.month_utilization[month] = get(m, "utilization");
  }
  for (const auto& t : get(cluster, "tenant_months")) {
    const std::string tenant = string_of(get(t, "tenant")), month = string_of(get(t, "month"));
    if (std::find(ts.tenants.begin(), ts.tenants.end(), tenant) == ts.tenants.end()) ts.tenants.push_back(tenant);
    const double total = month_total.count(month) ? month_total[month] : 0.0;
    const Json& used = get(get(t, "gpu_hours"), "total");
    const auto of_cluster = [total](std::optional<double> v) {
      return total > 0 && v ? std::optional(*v / total) : std::nullopt;
    };
    ts.share[{tenant, month}] = of_cluster(value_of(used));
    Json row = {{"month", month},
                {"series", tenant},
                {"utilization", datum(of_cluster(value_of(used)))},
                {"gpu_hours", datum(value_of(used))}};
    if (replicated) {
      row["p10"] = datum(of_cluster(stat_of(used, "p10")));
      row["p90"] = datum(of_cluster(stat_of(used, "p90")));
    }
    ts.values.push_back(std::move(row));
  }
  // With one tenant its line is the cluster's: draw it once.
  const bool several = ts.tenants.size() > 1;
  for (const auto& month : ts.month_order) {
    if (!several) break;
    const Json& u = ts.month_utilization[month.get<std::string>()];
    Json row = {{"month", month}, {"series", all_tenants}, {"utilization", datum(value_of(u))}, {"gpu_hours", nullptr}};
    if (replicated) {
      row["p10"] = datum(stat_of(u, "p10"));
      row["p90"] = datum(stat_of(u, "p90"));
    }
    ts.values.push_back(std::move(row));
  }
  return ts;
}

Json tenant_layers(const TenantShares& ts, bool replicated) {
  Json series = Json::array();
  for (const auto& t : ts.tenants) series.push_back(t);
  if (ts.tenants.size() > 1) series.push_back(all_tenants);
  const Json x = ordinal_months(ts.month_order);
  const Json y = {{"field", "utilization"},
                  {"type", "quantitative"},
                  {"title", "share of the cluster's GPU-hours"},
                  {"axis", {{"format", ".0%"}}},
                  {"scale", {{"domain", Json::array({0, 1})}}}};
  const Json color = {{"field", "series"}, {"type", "nominal"}, {"title", "tenant"}, {"sort", series}};
  Json layers = Json::array();
  if (replicated) {
    layers.push_back(band_layer(x, color));
  }
  layers.push_back(
      {{"mark", {{"type", "line"}, {"point", true}}},
       {"encoding",
        {{"x", x},
         {"y", y},
         {"color", color},
         {"strokeDash",
          {{"condition", {{"test", fmt::format("datum.series === '{}'", all_tenants)}, {"value", Json::array({5, 3})}}},
           {"value", Json::array({1, 0})}}},
         {"tooltip", Json::array({tooltip("month", "month"), tooltip("series", "tenant"),
                                  tooltip("utilization", "share of the cluster", "quantitative", ".1%"),
                                  tooltip("gpu_hours", "GPU-hours", "quantitative", ",.0f")})}}}});
  return layers;
}

HtmlTable tenant_table(TenantShares& ts, bool replicated) {
  const bool several = ts.tenants.size() > 1;
  HtmlTable t{
      "Share of the cluster's GPU-hours by tenant" + std::string(replicated ? " (means)" : ""), {{"month", false}}, {}};
  for (const auto& tenant : ts.tenants) t.columns.push_back({tenant + " (%)"});
  if (several) t.columns.push_back({all_tenants + " (%)"});
  for (const auto& month : ts.month_order) {
    const std::string m = month.get<std::string>();
    std::vector<std::string> row{m};
    for (const auto& tenant : ts.tenants) {
      const auto it = ts.share.find({tenant, m});
      row.push_back(it == ts.share.end() ? "–" : percent(it->second));
    }
    if (several) row.push_back(percent(value_of(ts.month_utilization[m])));
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::optional<Section> tenant_section(const Json& cluster, bool replicated) {
  const Json& tenant_months = get(cluster, "tenant_months");
  if (!tenant_months.is_array() || tenant_months.empty()) return std::nullopt;
  TenantShares ts = tenant_shares(cluster, replicated);
  const bool several = ts.tenants.size() > 1;
  Section s{"chart-tenant-utilization",
            "Utilization per tenant",
            "Each tenant's GPU-hours given to its jobs (productive, checkpointing, restarting, lost) as a share of "
            "the cluster's GPU-hours in the month" +
                std::string(several ? "; the dashed line is all tenants together." : ".") +
                std::string(replicated ? " Shaded: P10–P90 over the replications." : ""),
            {{"width", 760},
             {"height", 260},
             {"config", chart_config()},
             {"data", {{"values", ts.values}}},
             {"layer", tenant_layers(ts, replicated)}},
            {}};
  s.tables.push_back(tenant_table(ts, replicated));
  return s;
}

struct LedgerItem {
  std::string key;
  std::string label;
  double sign;  // credits and revenue lower the tenant's cost
  std::string color;
  bool always;  // shown even when zero throughout
};

// The line items in stacking order: the fee, one usage line per usage line of the registered
// contract types (lease::usage_lines(); "on_demand" is labelled "on-demand"), then the rest. The
// built-in types' usage lines keep their colours; a newer type's line takes the next spare one and
// is shown when non-zero.
std::vector<LedgerItem> ledger_items() {
  struct UsageStyle {
    std::string_view line;
    const char* color;
    bool always;
  };
  constexpr std::array<UsageStyle, 3> styles{
      {{"overage", "#f58518", true}, {"on_demand", "#e45756", false}, {"spot", "#72b7b2", false}}};
  constexpr std::array<const char*, 4> spare_colors{"#ff9da6", "#9ecae9", "#88d27a", "#d6a5c9"};
  std::vector<LedgerItem> items{{"fee_usd", "fee", 1, "#4c78a8", true}};
  std::size_t spare = 0;
  for (const auto& line : lease::usage_lines()) {
    std::string label = line;
    std::replace(label.begin(), label.end(), '_', '-');
    const auto style = std::find_if(styles.begin(), styles.end(), [&](const UsageStyle& u) { return u.line == line; });
    if (style != styles.end())
      items.push_back({line + "_usd", label, 1, style->color, style->always});
    else
      items.push_back({line + "_usd", label, 1, spare_colors[spare++ % spare_colors.size()], false});
  }
  items.insert(items.end(), {{"burst_usd", "burst", 1, "#54a24b", false},
                             {"borrow_usd", "borrowed capacity", 1, "#eeca3b", false},
                             {"energy_usd", "energy", 1, "#b279a2", true},
                             {"sla_credit_usd", "SLA credits", -1, "#9d755d", true},
                             {"resale_revenue_usd", "resale revenue", -1, "#bab0ac", true}});
  return items;
}

// The line items some lease's month has (or that are always shown), in ledger_items' order.
std::vector<LedgerItem> ledger_items_present(const Json& leases) {
  std::vector<LedgerItem> items;
  for (auto& item : ledger_items()) {
    bool nonzero = item.always;
    for (const auto& l : leases) {
      for (const auto& m : get(l, "months")) nonzero = nonzero || value_or_zero(get(m, item.key)) != 0;
    }
    if (nonzero) items.push_back(std::move(item));
  }
  return items;
}

// The ledger as chart rows (one per month, lease and item), the table, and the net cost by month.
struct LedgerData {
  Json values = Json::array(), month_order = Json::array(), net_values = Json::array();
  HtmlTable table;
};

LedgerData ledger_data(const Json& leases, const std::vector<LedgerItem>& items, bool replicated) {
  LedgerData ld;
  std::map<std::string, double> net;
  HtmlTable& t = ld.table;
  t = {"Monthly ledger by lease ($M)" + std::string(replicated ? ", means" : ""),
       {{"month", false}, {"lease", false}},
       {}};
  for (const auto& item : items) t.columns.push_back({fmt::format("{} ($M)", item.label)});
  t.columns.push_back({"tenant cost ($M)"});
  for (const auto& l : leases) {
    const std::string lease = string_of(get(l, "lease"));
    for (const auto& m : get(l, "months")) {
      const std::string month = string_of(get(m, "month"));
      if (std::find(ld.month_order.begin(), ld.month_order.end(), Json(month)) == ld.month_order.end())
        ld.month_order.push_back(month);
      std::vector<std::string> row{month, lease};
      for (std::size_t i = 0; i < items.size(); ++i) {
        const double musd = items[i].sign * value_or_zero(get(m, items[i].key)) / 1e6;
        ld.values.push_back(
            {{"month", month}, {"lease", lease}, {"item", items[i].label}, {"order", i}, {"musd", musd}});
        row.push_back(grouped(musd, 2));
      }
      const double cost = value_or_zero(get(m, "tenant_cost_usd")) / 1e6;
      net[month] += cost;
      row.push_back(grouped(cost, 2));
      t.rows.push_back(std::move(row));
    }
    std::vector<std::string> total_row{"whole term", lease};
    for (const auto& item : items)
      total_row.push_back(grouped(item.sign * value_or_zero(get(get(l, "total"), item.key)) / 1e6, 2));
    total_row.push_back(grouped(value_or_zero(get(get(l, "total"), "tenant_cost_usd")) / 1e6, 2));
    t.rows.push_back(std::move(total_row));
  }
  for (const auto& month : ld.month_order)
    ld.net_values.push_back({{"month", month}, {"musd", net[month.get<std::string>()]}});
  return ld;
}

Json ledger_layers(const LedgerData& ld, const std::vector<LedgerItem>& items) {
  Json domain = Json::array(), range = Json::array();
  for (const auto& item : items) {
    domain.push_back(item.label);
    range.push_back(item.color);
  }
  const Json x = ordinal_months(ld.month_order);
  const Json y = {{"field", "musd"}, {"type", "quantitative"}, {"title", "$M per month"}};
  const StackedBars bars{
      x,
      {{"field", "musd"}, {"type", "quantitative"}, {"aggregate", "sum"}, {"title", "$M per month"}},
      "item",
      "line item",
      domain,
      range,
      Json::array(
          {tooltip("month", "month"),
           tooltip("item", "line item"),
           {{"field", "musd"}, {"type", "quantitative"}, {"aggregate", "sum"}, {"title", "$M"}, {"format", ",.2f"}}})};
  Json line = {{"data", {{"values", ld.net_values}}},
               {"mark", {{"type", "line"}, {"color", "#222"}, {"point", {{"color", "#222"}}}}},
               {"encoding",
                {{"x", x},
                 {"y", y},
                 {"tooltip", Json::array({tooltip("month", "month"),
                                          tooltip("musd", "tenant cost ($M)", "quantitative", ",.2f")})}}}};
  return Json::array({stacked_bars(ld.values, bars), line});
}

std::optional<Section> ledger_section(const Json& doc, bool replicated) {
  const Json& leases = get_optional(doc, "leases");
  if (!leases.is_array() || leases.empty()) return std::nullopt;
  const auto items = ledger_items_present(leases);
  LedgerData ld = ledger_data(leases, items, replicated);
  Section s{"chart-monthly-ledger",
            "The monthly ledger",
            "What the tenants pay each month, by line item, summed over the leases: fees, overage and other charges "
            "above zero, SLA credits and resale revenue below it. The black line is the net tenant cost." +
                std::string(replicated ? " Means over the replications." : ""),
            {{"width", 760}, {"height", 300}, {"config", chart_config()}, {"layer", ledger_layers(ld, items)}},
            {std::move(ld.table)}};
  return s;
}

// The summary table: capacity, horizon, GPU-hours, energy and, with leases, what it cost.
HtmlTable run_summary(const Json& doc, bool replicated) {
  const Json& cluster = get(doc, "cluster");
  const Json& resolved = get(get(doc, "resolved"), "cluster");
  const Json& totals = get(get_optional(doc, "lease_totals"), "total");
  const Json& derived = get(get_optional(doc, "lease_totals"), "derived");
  const Json& deadlines = get(get_optional(doc, "lease_totals"), "deadlines");
  // A figure, with its P10–P90 when the run has replications.
  auto fig = [](const Json& v, int decimals, double scale = 1) {
    const std::string mean = grouped(scaled(value_of(v), scale), decimals);
    return v.is_object() && v.contains("p10") ? mean + " (P10–P90 " + range_text(v, decimals, scale) + ")" : mean;
  };
  const Json& h = get(cluster, "gpu_hours");
  HtmlTable summary{"Summary", {{"figure", false}, {"value"}}, {}};
  summary.rows = {
      {"GPUs", grouped(value_of(get(cluster, "gpus")), 0)},
      {"horizon",
       fmt::format("{} to {} ({} days)", string_of(get(resolved, "horizon_start")),
                   string_of(get(resolved, "horizon_end")), grouped(value_of(get(resolved, "horizon_days")), 0))},
      {"seed", get(doc, "seed").is_number() ? get(doc, "seed").dump() : grouped(value_of(get(doc, "seed")), 0)},
      {"productive (GPU-h)", fig(get(h, "productive"), 0)},
      {"all GPU-hours of the horizon (GPU-h)", fig(get(h, "total"), 0)},
      {"given to jobs (%)", percent(allocated_share(h))},
      {"failures", fig(get(cluster, "failures"), 0)},
      {"facility energy (MWh)", fig(get(cluster, "energy_mwh"), 0)}};
  if (totals.is_object()) {
    summary.rows.push_back({"tenant cost ($M)", fig(get(totals, "tenant_cost_usd"), 2, 1e-6)});
    summary.rows.push_back(
        {"$ per productive GPU-hour ($/GPU-h)", fig(get(derived, "usd_per_productive_gpu_hour"), 2)});
    summary.rows.push_back({"$ per million tokens ($/M tokens)", fig(get(derived, "usd_per_million_tokens"), 2)});
    summary.rows.push_back({"idle committed capacity (%)", percent(value_of(get(derived, "idle_fraction")))});
    summary.rows.push_back({"deadlines met / missed" + std::string(replicated ? " (means)" : ""),
                            grouped(value_of(get(deadlines, "met")), replicated ? 1 : 0) + " / " +
                                grouped(value_of(get(deadlines, "missed")), replicated ? 1 : 0)});
  }
  return summary;
}

}  // namespace

Page run_page(const Json& doc, const std::string& source) {
  const int replications = get(doc, "replications").is_number_integer() ? get(doc, "replications").get<int>() : 1;
  const bool replicated = replications > 1;
  const Json& cluster = get(doc, "cluster");
  const std::string scenario = string_of(get(doc, "scenario"), "scenario");
  Page p;
  p.title = "leasesim run: " + scenario;
  p.subtitle = fmt::format("{} · {} replication{}{}", source, replications, replicated ? "s" : "",
                           replicated ? " (figures are means; P10–P90 where shown)" : "");
  p.summary = run_summary(doc, replicated);
  p.sections.push_back(gpu_hours_section(cluster, replicated));
  if (auto s = tenant_section(cluster, replicated)) p.sections.push_back(std::move(*s));
  if (auto s = ledger_section(doc, replicated)) p.sections.push_back(std::move(*s));
  if (auto s = jobs_section(doc, replicated)) p.sections.push_back(std::move(*s));
  if (auto s = job_cost_section(doc, replicated)) p.sections.push_back(std::move(*s));
  return p;
}

}  // namespace leasesim::report::html
