// Renders the lease ledger (lease/ledger.hpp) as tables, JSON and CSV for `leasesim run`.
#include "leasesim/report/lease_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "leasesim/lease/contract_type.hpp"
#include "leasesim/lease/finance.hpp"
#include "leasesim/report/format.hpp"
#include "leasesim/units/date.hpp"

namespace leasesim::report {

using lease::LedgerFigures;

namespace {

double hours(std::int64_t gpu_ms) { return cluster::gpu_hours(gpu_ms); }

// Every additive figure once: key (with unit) and value; the CSV and JSON share it.
struct FigureField {
  std::string key;
  std::function<nlohmann::json(const LedgerFigures&)> value;
};

template <class F>
FigureField gpu_hours_field(std::string key, F get) {
  return {std::move(key), [get](const LedgerFigures& f) { return nlohmann::json(hours(get(f))); }};
}
template <class F>
FigureField usd_field(std::string key, F get) {
  return {std::move(key), [get](const LedgerFigures& f) { return nlohmann::json(get(f).dollars()); }};
}

// In output order: GPU time, energy, tokens, jobs, the fee, then one usage charge per usage line of
// the registered contract types (lease::usage_lines(): overage_usd, on_demand_usd, spot_usd for the
// built-in ones), then the overflow charges, energy, credits and the provider's side.
std::vector<FigureField> figure_fields() {
  using F = const LedgerFigures&;
  std::vector<FigureField> fields{
      gpu_hours_field("capacity_gpu_hours", [](F f) { return f.capacity; }),
      gpu_hours_field("committed_gpu_hours", [](F f) { return f.committed; }),
      gpu_hours_field("failed_gpu_hours", [](F f) { return f.failed; }),
      gpu_hours_field("unavailable_gpu_hours", [](F f) { return f.unavailable; }),
      gpu_hours_field("delivered_gpu_hours", [](F f) { return f.delivered; }),
      gpu_hours_field("spare_gpu_hours", [](F f) { return f.spare; }),
      gpu_hours_field("allocated_gpu_hours", [](F f) { return f.allocated; }),
      gpu_hours_field("productive_gpu_hours", [](F f) { return f.productive; }),
      gpu_hours_field("lost_gpu_hours", [](F f) { return f.lost; }),
      gpu_hours_field("idle_gpu_hours", [](F f) { return f.idle; }),
      gpu_hours_field("resold_gpu_hours", [](F f) { return f.resold; }),
      {"energy_mwh", [](F f) { return nlohmann::json(f.energy_mwh); }},
      {"tokens_trained", [](F f) { return nlohmann::json(f.tokens_trained); }},
      {"jobs_completed", [](F f) { return nlohmann::json(f.jobs_completed); }},
      usd_field("fee_usd", [](F f) { return f.fee; }),
  };
  const auto lines = lease::usage_lines();
  for (std::size_t i = 0; i < lines.size(); ++i)
    fields.push_back(usd_field(lines[i] + "_usd", [i](F f) { return f.usage[i]; }));
  fields.insert(fields.end(), {
                                  usd_field("burst_usd", [](F f) { return f.burst; }),
                                  usd_field("borrow_usd", [](F f) { return f.borrow; }),
                                  usd_field("energy_usd", [](F f) { return f.energy; }),
                                  usd_field("sla_credit_usd", [](F f) { return f.sla_credit; }),
                                  usd_field("resale_revenue_usd", [](F f) { return f.resale_revenue; }),
                                  usd_field("tenant_cost_usd", [](F f) { return f.tenant_cost(); }),
                                  usd_field("provider_resale_usd", [](F f) { return f.provider_resale; }),
                                  usd_field("provider_energy_cost_usd", [](F f) { return f.energy_cost; }),
                                  usd_field("provider_depreciation_usd", [](F f) { return f.depreciation; }),
                                  usd_field("provider_opex_usd", [](F f) { return f.opex; }),
                                  usd_field("provider_margin_usd", [](F f) { return f.provider_margin(); }),
                              });
  return fields;
}

Cell usd(units::Money m) { return Cell(units::format_money(m, true), m.dollars()); }
// $ per unit ("$9.91"), written as the number.
Cell rate(double dollars) { return money(dollars); }
std::string month_label(std::int64_t utc) { return units::format_date(utc).substr(0, 7); }
// "2026-Q3": the calendar quarter of a month start.
std::string quarter_label(std::int64_t utc) {
  const auto c = units::civil_from_days(utc / 86400);
  return fmt::format("{:04}-Q{}", c.year, (c.month - 1) / 3 + 1);
}

std::string type_of(const lease::Ledger& ledger, const std::string& lease) {
  for (const auto& r : ledger.rows)
    if (r.lease == lease) return r.type;
  return "";
}

std::string site_of(const lease::Ledger& ledger, const std::string& lease) {
  for (const auto& r : ledger.rows)
    if (r.lease == lease) return r.site;
  return "";
}

std::string holders_of(const lease::Ledger& ledger, const std::string& lease) {
  std::vector<std::string> names;
  for (const auto& r : ledger.rows) {
    if (r.lease == lease && std::find(names.begin(), names.end(), r.tenant) == names.end()) names.push_back(r.tenant);
  }
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + (n.empty() ? std::string("-") : n);
  return out;
}

double margin_per_rack_month(const lease::Ledger& ledger, const std::string& lease) {
  double rack_months = 0;
  LedgerFigures f;
  for (const auto& r : ledger.rows) {
    if (r.lease != lease && !lease.empty()) continue;
    rack_months += r.rack_months;
    f += r.figures;
  }
  return rack_months > 0 ? f.provider_margin().dollars() / rack_months : 0.0;
}

}  // namespace

nlohmann::json figures_json(const LedgerFigures& f) {
  nlohmann::json o = nlohmann::json::object();
  for (const auto& field : figure_fields()) o[field.key] = field.value(f);
  o["tenant_cost_micro_usd"] = f.tenant_cost().micros();
  return o;
}

nlohmann::json derived_json(const lease::DerivedCosts& d) {
  return {{"usd_per_delivered_gpu_hour", d.usd_per_delivered_gpu_hour},
          {"usd_per_productive_gpu_hour", d.usd_per_productive_gpu_hour},
          {"usd_per_million_tokens", d.usd_per_million_tokens},
          {"usd_per_completed_job", d.usd_per_completed_job},
          {"idle_fraction", d.idle_fraction},
          {"availability", d.availability}};
}

Table lease_month_table(const lease::Ledger& ledger, Period period) {
  const bool quarters = period == Period::quarter;
  // Narrow (a terminal): the columns left out first carry the highest `drop` rank.
  Table t(
      {{"month", quarters ? "quarter" : "month", false},
       {"lease", "lease", false},
       {"committed_gpu_hours", "committed GPU-h", true, 1},
       {"delivered_gpu_hours", "delivered GPU-h", true, 6},
       {"allocated_gpu_hours", "allocated GPU-h", true, 7},
       {"productive_gpu_hours", "productive GPU-h", true},
       {"idle_gpu_hours", "idle GPU-h", true},
       {"availability_pct", "avail", true, 2},
       {"fee_usd", "fee", true, 3},
       {"sla_credit_usd", "SLA credit", true, 5},
       {"usage_usd", "usage", true, 4},
       {"resale_revenue_usd", "resale", true, 8},
       {"energy_usd", "energy", true, 9},
       {"tenant_cost_usd", "cost", true},
       {"usd_per_productive_gpu_hour", "$/productive GPU-h", true}},
      quarters ? "Lease ledger by quarter (the sum of its months; --monthly: every month)" : "Lease ledger by month");
  // The periods in order, each with its months (a quarter sums its months' figures exactly: money
  // in micro-dollars, GPU-hours in milliseconds).
  std::vector<std::pair<std::string, std::vector<std::int64_t>>> periods;
  for (std::int64_t month : ledger.months) {
    const std::string label = quarters ? quarter_label(month) : month_label(month);
    if (periods.empty() || periods.back().first != label) periods.push_back({label, {}});
    periods.back().second.push_back(month);
  }
  for (const auto& [label, months] : periods) {
    for (const auto& lease : ledger.lease_order) {
      LedgerFigures f;
      for (std::int64_t month : months) f += ledger.lease_month(lease, month);
      if (f.capacity == 0 && f.allocated == 0) continue;
      const auto d = lease::derive(f);
      t.add_row({label, lease, number(hours(f.committed), 0), number(hours(f.delivered), 0),
                 number(hours(f.allocated), 0), number(hours(f.productive), 0), number(hours(f.idle), 0),
                 percentage(d.availability, 2, 100 * d.availability), usd(f.fee), usd(f.sla_credit),
                 usd(f.usage.total() + f.burst + f.borrow), usd(f.resale_revenue), usd(f.energy), usd(f.tenant_cost()),
                 rate(d.usd_per_productive_gpu_hour)});
    }
  }
  return t;
}

Table lease_totals_table(const lease::Ledger& ledger) {
  Table t({{"lease", "lease", false},
           {"type", "type", false, 3},
           {"tenant", "tenant", false, 2},
           {"committed_gpu_hours", "committed GPU-h", true},
           {"productive_gpu_hours", "productive GPU-h", true},
           {"idle_fraction_pct", "idle", true},
           {"sla_credit_usd", "SLA credits", true, 7},
           {"resale_revenue_usd", "resale", true, 8},
           {"tenant_cost_usd", "total cost", true},
           {"usd_per_delivered_gpu_hour", "$/delivered GPU-h", true, 4},
           {"usd_per_productive_gpu_hour", "$/productive GPU-h", true},
           {"usd_per_million_tokens", "$/M tokens", true, 1},
           {"usd_per_completed_job", "$/job", true, 6},
           {"provider_margin_usd", "provider margin", true, 5},
           {"provider_margin_usd_per_rack_month", "margin/rack-month", true, 9}},
          "Lease totals");
  auto add = [&t, &ledger](const std::string& name, const std::string& type, const std::string& tenant,
                           const LedgerFigures& f) {
    const auto d = lease::derive(f);
    // Without provider costs (no `provider` rider, no provider-paid power) the "margin" would be the
    // whole revenue: n/a instead.
    const bool costs = f.depreciation.micros() != 0 || f.opex.micros() != 0 || f.energy_cost.micros() != 0;
    const std::string site = name == "all" ? std::string() : site_of(ledger, name);  // several sites: SITE/LEASE
    t.add_row(
        {site.empty() ? name : site + "/" + name, type, tenant, number(hours(f.committed), 0),
         number(hours(f.productive), 0), percentage(d.idle_fraction, 1, 100 * d.idle_fraction), usd(f.sla_credit),
         usd(f.resale_revenue), usd(f.tenant_cost()), rate(d.usd_per_delivered_gpu_hour),
         rate(d.usd_per_productive_gpu_hour), rate(d.usd_per_million_tokens), rate(d.usd_per_completed_job),
         costs ? usd(f.provider_margin()) : Cell("n/a", nullptr),
         costs ? rate(margin_per_rack_month(ledger, name == "all" ? std::string() : name)) : Cell("n/a", nullptr)});
  };
  for (const auto& lease : ledger.lease_order) {
    const LedgerFigures f = ledger.lease_total(lease);
    if (f.capacity == 0 && f.allocated == 0) continue;
    add(lease, type_of(ledger, lease), holders_of(ledger, lease), f);
  }
  add("all", "", "", ledger.total());
  return t;
}

std::string lease_text(const lease::Ledger& ledger, const TextOptions& options) {
  const auto d = ledger.deadline_total();
  return lease_month_table(ledger, options.monthly ? Period::month : Period::quarter).to_text(options.layout) + "\n" +
         lease_totals_table(ledger).to_text(options.layout) +
         fmt::format("\nDeadlines: {} met, {} missed\n", d.hits, d.misses);
}

nlohmann::json lease_json(const lease::Ledger& ledger) {
  auto leases = nlohmann::json::array();
  for (const auto& lease : ledger.lease_order) {
    const LedgerFigures total = ledger.lease_total(lease);
    if (total.capacity == 0 && total.allocated == 0) continue;
    auto months = nlohmann::json::array();
    for (std::int64_t month : ledger.months) {
      const LedgerFigures f = ledger.lease_month(lease, month);
      if (f.capacity == 0 && f.allocated == 0) continue;
      nlohmann::json m = figures_json(f);
      m["month"] = month_label(month);
      m["derived"] = derived_json(lease::derive(f));
      months.push_back(std::move(m));
    }
    leases.push_back({{"lease", lease},
                      {"type", type_of(ledger, lease)},
                      {"tenants", holders_of(ledger, lease)},
                      {"total", figures_json(total)},
                      {"derived", derived_json(lease::derive(total))},
                      {"months", std::move(months)}});
    if (const std::string site = site_of(ledger, lease); !site.empty()) leases.back()["site"] = site;
  }
  auto deadlines = nlohmann::json::object();
  for (const auto& [tenant, d] : ledger.deadlines) deadlines[tenant] = {{"met", d.hits}, {"missed", d.misses}};
  const auto all = ledger.deadline_total();
  return {{"leases", std::move(leases)},
          {"total", figures_json(ledger.total())},
          {"derived", derived_json(lease::derive(ledger.total()))},
          {"deadlines", {{"met", all.hits}, {"missed", all.misses}, {"by_tenant", deadlines}}}};
}

void add_finance(nlohmann::json& doc, const lease::LedgerInput& input, const lease::Ledger& ledger) {
  const double rate = input.finance ? input.finance->discount_rate : 0.0;
  const lease::LedgerCashFlows cf = lease::cash_flows(input, ledger);
  auto dollars = [](const std::vector<units::Money>& v) {
    auto out = nlohmann::json::array();
    for (const units::Money m : v) out.push_back(m.dollars());
    return out;
  };
  if (doc.contains("leases") && doc["leases"].is_array()) {
    for (auto& l : doc["leases"]) {
      for (const auto& flows : cf.leases) {
        if (!l.contains("lease") || l["lease"] != flows.lease) continue;
        l["npv_usd"] = lease::npv(flows.at, rate).dollars();
        l["cash_flows_usd"] = dollars(flows.at);
        l["prepaid_at_signing_usd"] = flows.fees_at_signing.dollars();
      }
    }
  }
  const units::Money total = lease::npv(cf.total.at, rate);
  doc["lease_totals"]["npv_usd"] = total.dollars();
  doc["lease_totals"]["cash_flows_usd"] = dollars(cf.total.at);
  doc["finance"] = {{"discount_rate", rate},
                    {"npv_usd", total.dollars()},
                    {"convention",
                     "cash_flows_usd[t]: paid t months after the horizon start; each month's bill at its end (t = k), "
                     "prepaid fees at signing; discounted by (1 + discount_rate)^(t/12); NPV rounded to the cent"}};
}

std::string lease_csv(const lease::Ledger& ledger) {
  std::vector<Column> cols{{"month", "month", false},
                           {"lease", "lease", false},
                           {"type", "type", false},
                           {"tenant", "tenant", false},
                           {"holder", "holder", false}};
  const auto fields = figure_fields();
  for (const auto& field : fields) cols.push_back({field.key, field.key, true});
  Table t(cols);
  for (const auto& r : ledger.rows) {
    std::vector<Cell> row{month_label(r.month_start_utc), r.lease, r.type, r.tenant,
                          Cell(r.holder ? "yes" : "no", r.holder)};
    for (const auto& field : fields) {
      const auto v = field.value(r.figures);
      row.push_back(Cell(v.dump(), v));
    }
    t.add_row(std::move(row));
  }
  return t.to_csv();
}

}  // namespace leasesim::report
