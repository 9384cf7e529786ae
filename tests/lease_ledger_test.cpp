// Tests for the lease ledger on hand-built simulation results: take-or-pay fees at zero use, SLA
// tiers, reserved overage, on-demand spend, resale splits, energy pass-through, attribution order,
// and exact reconciliation of line items to totals per month and overall.
#include <catch2/catch.hpp>

#include "leasesim/lease/billing_math.hpp"
#include "leasesim/lease/fixed_monthly.hpp"
#include "leasesim/lease/ledger.hpp"
#include "leasesim/lease/on_demand.hpp"
#include "leasesim/lease/reserved.hpp"

using namespace leasesim;
using lease::Lease;
using units::Money;

namespace {

constexpr std::int64_t july = 1782864000;           // 2026-07-01T00:00:00Z
constexpr std::int64_t august = july + 31 * 86400;  // 2026-08-01
constexpr std::int64_t september = august + 31 * 86400;
constexpr std::int64_t july_ms = 31LL * 86400 * 1000;

Money dollars(std::int64_t d) { return Money::from_micros(d * 1'000'000); }
std::int64_t hours_ms(std::int64_t h) { return h * 3'600'000; }

hw::RackSpec rack() {
  hw::RackSpec r;
  r.name = "test-nvl72";
  r.gpus = 72;
  r.gpus_per_node = 4;
  return r;
}

Lease fixed(std::string name, std::string tenant, Money fee, int racks) {
  Lease l;
  l.name = std::move(name);
  l.type = "fixed-monthly";
  l.tenant = std::move(tenant);
  l.terms = lease::FixedMonthlyTerms{fee};
  l.racks = racks;
  l.start = july;
  l.term_months = 36;
  return l;
}

// One month of `racks` racks; `used` GPU-ms of it allocated (all productive) to `tenant`, `failed`
// out of service, the rest idle.
cluster::MonthLedger month(std::int64_t start, std::int64_t end, int racks, std::int64_t used, std::int64_t failed) {
  cluster::MonthLedger m;
  m.month_start_utc = start;
  m.month_end_utc = end;
  const std::int64_t total = racks * 72LL * (end - start) * 1000;
  m.gpu_ms.productive = used;
  m.gpu_ms.failed = failed;
  m.gpu_ms.idle = total - used - failed;
  return m;
}

cluster::TenantMonth tenant_month(std::string tenant, std::int64_t start, std::int64_t productive) {
  cluster::TenantMonth t;
  t.tenant = std::move(tenant);
  t.month_start_utc = start;
  t.gpu_ms.productive = productive;
  return t;
}

cluster::SimulationResult one_month(int racks, std::int64_t used, std::int64_t failed = 0,
                                    const std::string& tenant = "t") {
  cluster::SimulationResult r;
  r.months.push_back(month(july, august, racks, used, failed));
  if (used > 0) r.tenant_months.push_back(tenant_month(tenant, july, used));
  return r;
}

lease::LedgerInput input(std::vector<Lease> leases) {
  lease::LedgerInput in;
  in.rack = rack();
  in.leases = std::move(leases);
  in.tenants = lease::resolve_tenants(in.leases, {});
  return in;
}

}  // namespace

TEST_CASE("a take-or-pay fee is owed in full at zero use, and all of it is idle", "[lease]") {
  const auto ledger = lease::build_ledger(input({fixed("f", "t", dollars(1'000'000), 1)}), one_month(1, 0));
  REQUIRE(ledger.rows.size() == 1);
  const auto& f = ledger.rows[0].figures;
  CHECK(f.fee == dollars(1'000'000));
  CHECK(f.tenant_cost() == dollars(1'000'000));
  CHECK(f.committed == 72 * july_ms);
  CHECK(f.idle == 72 * july_ms);
  CHECK(f.allocated == 0);
  CHECK(lease::derive(f).idle_fraction == 1.0);
  CHECK(lease::derive(f).usd_per_productive_gpu_hour == 0.0);  // nothing productive: no figure, not infinity
}

TEST_CASE("a lease that starts mid-month pays the month's fee prorated by time", "[lease]") {
  Lease l = fixed("f", "t", dollars(3'100'000), 1);
  l.start = july + 10 * 86400;  // 21 of July's 31 days
  const auto ledger = lease::build_ledger(input({l}), one_month(1, 0));
  CHECK(ledger.rows.at(0).figures.fee == dollars(2'100'000));
  CHECK(ledger.rows.at(0).figures.capacity == 72LL * 21 * 86400 * 1000);
}

TEST_CASE("SLA credits follow the deepest tier the month's availability falls below, up to the cap", "[lease]") {
  Lease l = fixed("f", "t", dollars(1'000'000), 1);
  l.sla = lease::SlaTerms{};
  const std::int64_t capacity = 72 * july_ms;
  auto credit_at = [&](double availability, const Lease& with) {
    const auto failed = static_cast<std::int64_t>(static_cast<double>(capacity) * (1 - availability));
    return lease::build_ledger(input({with}), one_month(1, 0, failed)).rows.at(0).figures.sla_credit;
  };
  CHECK(credit_at(0.9995, l) == Money{});
  CHECK(credit_at(0.995, l) == dollars(100'000));   // < 99.9%: 10%
  CHECK(credit_at(0.98, l) == dollars(250'000));    // < 99%: 25%
  CHECK(credit_at(0.90, l) == dollars(1'000'000));  // < 95%: 100%
  l.sla->cap = 0.5;
  CHECK(credit_at(0.90, l) == dollars(500'000));
  l.sla->claim = lease::ClaimRule::on_request;
  l.sla->claim_rate = 0.5;
  CHECK(credit_at(0.98, l) == dollars(125'000));
}

TEST_CASE("a grace period excuses the outage time repairs need no longer than it", "[lease]") {
  cluster::FailureModel fm;
  cluster::FailureProcess p;
  p.component = cluster::Component::node;
  p.per_unit_per_s = 1e-6;
  p.repair = {cluster::Distribution::fixed, 3600, 1};
  fm.processes.push_back(p);
  CHECK(lease::outage_share_beyond_grace(fm, 4, 72, 0) == 1.0);
  CHECK(lease::outage_share_beyond_grace(fm, 4, 72, 1800) == Approx(0.5));
  CHECK(lease::outage_share_beyond_grace(fm, 4, 72, 7200) == 0.0);
  fm.processes[0].repair.kind = cluster::Distribution::exponential;
  CHECK(lease::outage_share_beyond_grace(fm, 4, 72, 3600) == Approx(std::exp(-1.0)));
  fm.processes[0].repair = {cluster::Distribution::weibull, 3600, 1};  // Weibull k=1 is exponential
  CHECK(lease::outage_share_beyond_grace(fm, 4, 72, 3600) == Approx(std::exp(-1.0)).epsilon(1e-4));
}

TEST_CASE("reserved capacity bills its commitment at the rate and use beyond it at the overage rate", "[lease]") {
  Lease l;
  l.name = "r";
  l.type = "reserved";
  l.tenant = "t";
  l.gpus = 72;
  l.start = july;
  l.term_months = 12;
  l.terms = lease::ReservedTerms{10'000, dollars(2), dollars(3)};
  SECTION("use beyond the commitment") {
    const auto f = lease::build_ledger(input({l}), one_month(1, hours_ms(12'000))).rows.at(0).figures;
    CHECK(f.fee == dollars(20'000));
    CHECK(f.usage_on("overage") == dollars(6'000));
    CHECK(f.committed == hours_ms(10'000));
    CHECK(f.idle == 0);
  }
  SECTION("use below it: the commitment is still owed, the shortfall is idle") {
    const auto f = lease::build_ledger(input({l}), one_month(1, hours_ms(4'000))).rows.at(0).figures;
    CHECK(f.fee == dollars(20'000));
    CHECK(f.usage_on("overage") == Money{});
    CHECK(f.idle == hours_ms(6'000));
  }
}

TEST_CASE("on-demand bills used GPU-hours only, after committed capacity is full", "[lease]") {
  Lease od;
  od.name = "od";
  od.type = "on-demand";
  od.tenant = "t";
  od.racks = 1;
  od.start = july;
  od.term_months = 12;
  od.terms.edit<lease::OnDemandTerms>().price_per_gpu_hour = Money::from_micros(10'500'000);  // $10.50
  Lease f = fixed("f", "t", dollars(100'000), 1);
  // Two racks simulated; the tenant uses the whole fixed rack plus 1,000 GPU-hours.
  const std::int64_t used = 72 * july_ms + hours_ms(1'000);
  const auto ledger = lease::build_ledger(input({od, f}), one_month(2, used));
  const auto fixed_row = ledger.lease_total("f"), od_row = ledger.lease_total("od");
  CHECK(fixed_row.allocated == 72 * july_ms);  // committed first, though declared second
  CHECK(od_row.allocated == hours_ms(1'000));
  CHECK(od_row.usage_on("on_demand") == dollars(10'500));
  CHECK(od_row.fee == Money{});
  CHECK(ledger.total().tenant_cost() == dollars(110'500));
}

TEST_CASE("resale sells the fill rate of idle committed hours and splits the revenue", "[lease]") {
  Lease l = fixed("f", "t", dollars(1'000'000), 1);
  l.resale = lease::ResaleTerms{dollars(2), 0.5, 0.8};
  const std::int64_t idle = 72 * july_ms / 2;
  const auto f = lease::build_ledger(input({l}), one_month(1, 72 * july_ms - idle)).rows.at(0).figures;
  CHECK(f.idle == idle);
  CHECK(f.resold == idle / 2);
  const Money revenue = lease::price_of(dollars(2), idle / 2);  // 13,392 GPU-h × $2
  CHECK(revenue == dollars(26'784));
  CHECK(f.resale_revenue == dollars(21'427) + Money::from_micros(200'000));  // 80%
  CHECK(f.provider_resale == revenue - f.resale_revenue);
  CHECK(f.tenant_cost() == dollars(1'000'000) - f.resale_revenue);
}

TEST_CASE("energy passes through at the contract price to whoever pays it", "[lease]") {
  Lease l = fixed("f", "t", dollars(1'000'000), 1);
  l.power = lease::PowerTerms{dollars(50), lease::PowerPayer::tenant, std::nullopt};
  auto r = one_month(1, hours_ms(20'000));
  r.months[0].energy_mwh = 100;
  r.tenant_months[0].energy_mwh = 60;
  SECTION("tenant pays: all the lease's energy, its jobs' and its idle GPUs'") {
    const auto f = lease::build_ledger(input({l}), r).rows.at(0).figures;
    CHECK(f.energy_mwh == Approx(100));
    CHECK(f.energy == dollars(5'000));
    CHECK(f.energy_cost == dollars(5'000));
    CHECK(f.tenant_cost() == dollars(1'005'000));
    CHECK(f.provider_margin() == dollars(1'000'000));
  }
  SECTION("provider pays") {
    l.power->payer = lease::PowerPayer::provider;
    const auto f = lease::build_ledger(input({l}), r).rows.at(0).figures;
    CHECK(f.energy == Money{});
    CHECK(f.provider_margin() == dollars(995'000));
  }
  SECTION("billed at a contract PUE above the facility's") {
    auto in = input({l});
    in.facility_pue = 1.25;
    l.power->pue = 1.5;
    in.leases = {l};
    CHECK(lease::build_ledger(in, r).rows.at(0).figures.energy == dollars(6'000));
  }
}

TEST_CASE("the provider's margin nets depreciation and opex per rack-month", "[lease]") {
  Lease l = fixed("f", "t", dollars(1'000'000), 2);
  l.provider = lease::ProviderCosts{dollars(3'600'000), 72, dollars(20'000), std::nullopt};
  const auto ledger = lease::build_ledger(input({l}), one_month(2, 0));
  const auto& row = ledger.rows.at(0);
  CHECK(row.rack_months == Approx(2.0));
  CHECK(row.figures.depreciation == dollars(100'000));  // 2 × $3.6M / 72
  CHECK(row.figures.opex == dollars(40'000));
  CHECK(row.figures.provider_margin() == dollars(860'000));
}

TEST_CASE("demand beyond a tenant's leases bursts, borrows idle capacity, or stays on its own lease", "[lease]") {
  Lease a = fixed("a", "ta", dollars(500'000), 1), b = fixed("b", "tb", dollars(500'000), 1);
  cluster::SimulationResult r;
  r.months.push_back(month(july, august, 3, 72 * july_ms + hours_ms(3'000), 0));
  r.tenant_months.push_back(tenant_month("ta", july, 72 * july_ms + hours_ms(2'000)));
  r.tenant_months.push_back(tenant_month("tb", july, hours_ms(1'000)));
  auto in = input({a, b});
  SECTION("burst at the overflow price") {
    in.tenants[0].overflow = {lease::OverflowRule::burst, dollars(10)};
    const auto ledger = lease::build_ledger(in, r);
    CHECK(ledger.lease_total(lease::burst_lease_name).allocated == hours_ms(2'000));
    CHECK(ledger.lease_total(lease::burst_lease_name).burst == dollars(20'000));
  }
  SECTION("borrow from another tenant's idle committed capacity") {
    in.tenants[0].overflow = {lease::OverflowRule::borrow, dollars(1)};
    const auto ledger = lease::build_ledger(in, r);
    CHECK(ledger.lease_total("b").allocated == hours_ms(3'000));
    CHECK(ledger.lease_total("b").borrow == dollars(2'000));
    CHECK(ledger.lease_total("b").idle == 72 * july_ms - hours_ms(3'000));
  }
  SECTION("queue: no GPU-hour is free — what lands beyond the lease's usable share stays its use") {
    const auto ledger = lease::build_ledger(in, r);
    CHECK(ledger.lease_total(lease::unleased_name).allocated == 0);
    CHECK(ledger.lease_total("a").allocated == 72 * july_ms + hours_ms(2'000));
    CHECK(ledger.lease_total("a").idle == 0);
  }
  SECTION("a tenant holding no lease at all (an owner's view) is reported unleased, never dropped") {
    in.leases = {b};
    in.tenants = lease::resolve_tenants(in.leases, {});
    const auto ledger = lease::build_ledger(in, r);
    CHECK(ledger.lease_total(lease::unleased_name).allocated == 72 * july_ms + hours_ms(2'000));
  }
}

TEST_CASE("line items reconcile exactly to totals per month and overall", "[lease]") {
  // Awkward numbers on purpose: prices and shares that do not divide evenly.
  Lease f = fixed("f", "ta", Money::from_micros(149'999'999'999'997), 3);
  f.sla = lease::SlaTerms{};
  f.resale = lease::ResaleTerms{Money::from_micros(2'654'321), 0.37, 0.61};
  f.power = lease::PowerTerms{Money::from_micros(71'234'567), lease::PowerPayer::tenant, 1.31};
  f.ramp = {1, 2};
  Lease r;
  r.name = "r";
  r.type = "reserved";
  r.tenant = "tb";
  r.gpus = 100;
  r.start = july + 3 * 86400 + 17;
  r.term_months = 6;
  r.terms = lease::ReservedTerms{33'333.3, Money::from_micros(2'333'333), Money::from_micros(3'777'777)};
  Lease od;
  od.name = "od";
  od.type = "on-demand";
  od.tenant = "tb";
  od.gpus = 50;
  od.start = july;
  od.term_months = 6;
  od.terms = lease::OnDemandTerms{Money::from_micros(10'499'999), 0.9, 86400, std::nullopt};
  auto in = input({f, r, od});
  in.facility_pue = 1.25;
  cluster::SimulationResult res;
  const std::int64_t starts[] = {july, august};
  const std::int64_t ends[] = {august, september};
  for (int k = 0; k < 2; ++k) {
    auto m = month(starts[k], ends[k], 6, 400'456'789'011LL + k, 9'876'543'21LL * (k + 1));
    m.energy_mwh = 1234.5678;
    res.months.push_back(m);
    auto ta = tenant_month("ta", starts[k], 100'000'000'003LL);
    ta.gpu_ms.lost = 777'777'777;
    ta.tokens_trained = 1.23e12;
    ta.jobs_completed = 7;
    ta.energy_mwh = 300.1;
    auto tb = tenant_month("tb", starts[k], 300'456'789'008LL + k);
    tb.gpu_ms.restarting = 1'111'111;
    tb.jobs_completed = 3;
    tb.energy_mwh = 99.9;
    res.tenant_months.push_back(ta);
    res.tenant_months.push_back(tb);
  }
  const auto ledger = lease::build_ledger(in, res);
  lease::LedgerFigures by_months;
  for (std::int64_t m : ledger.months) {
    const auto t = ledger.month_total(m);
    Money items;
    std::int64_t allocated = 0;
    for (const auto& row : ledger.rows) {
      if (row.month_start_utc != m) continue;
      const auto& x = row.figures;
      items += x.fee + x.usage.total() + x.burst + x.borrow + x.energy - x.sla_credit - x.resale_revenue;
      allocated += x.allocated;
    }
    CHECK(items == t.tenant_cost());
    std::int64_t tenants_allocated = 0;
    for (const auto& tm : res.tenant_months) {
      if (tm.month_start_utc == m) tenants_allocated += tm.gpu_ms.productive + tm.gpu_ms.lost + tm.gpu_ms.restarting;
    }
    CHECK(allocated == tenants_allocated);
    by_months += t;
  }
  const auto total = ledger.total();
  CHECK(by_months.tenant_cost() == total.tenant_cost());
  CHECK(by_months.provider_margin() == total.provider_margin());
  Money lease_sum;
  for (const auto& name : ledger.lease_order) lease_sum += ledger.lease_total(name).tenant_cost();
  CHECK(lease_sum == total.tenant_cost());
  CHECK(total.jobs_completed == 20);
  CHECK(total.fee > Money{});
  CHECK(total.usage_on("on_demand") > Money{});
}

TEST_CASE("split_exact divides a total into parts that sum back exactly", "[lease]") {
  const auto parts = lease::split_exact(10, {1, 1, 1});
  CHECK(parts == std::vector<std::int64_t>{4, 3, 3});
  CHECK(lease::split_exact(7, {0, 0}) == std::vector<std::int64_t>{4, 3});
  CHECK(lease::split_exact(0, {0, 5}) == std::vector<std::int64_t>{0, 0});
}
