// Money over time, lease or buy, and risk in the ranking (docs/leases.md, "Money over time"), each
// against values worked out by hand: the NPV of a level annuity against its closed form, an
// escalator's month-13 fee, prepayment moving fees to signing, a 1-rack 12-month lease-or-buy
// break-even, the provider's payback month and break-even rent, P90 and CVaR90 of known
// replication costs, and a ranking that flips between expected cost and CVaR90.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "leasesim/cluster/random_stream.hpp"
#include "leasesim/lease/comparison.hpp"
#include "leasesim/lease/finance.hpp"
#include "leasesim/lease/fixed_monthly.hpp"
#include "leasesim/lease/ledger.hpp"
#include "leasesim/lease/on_demand.hpp"
#include "leasesim/lease/purchase.hpp"
#include "leasesim/report/compare_report.hpp"
#include "leasesim/report/html_report.hpp"
#include "leasesim/scenario/scenario.hpp"
#include "leasesim/study/run_scenario.hpp"
#include "leasesim/units/date.hpp"

using namespace leasesim;
using lease::Lease;
using units::Money;

namespace {

constexpr std::int64_t july = 1782864000;  // 2026-07-01T00:00:00Z

Money dollars(std::int64_t d) { return Money::from_micros(d * 1'000'000); }

hw::RackSpec rack() {
  hw::RackSpec r;
  r.name = "test-nvl72";
  r.gpus = 72;
  r.gpus_per_node = 4;
  return r;
}

Lease fixed(std::string name, Money fee, int months = 36) {
  Lease l;
  l.name = std::move(name);
  l.type = "fixed-monthly";
  l.tenant = "t";
  l.terms = lease::FixedMonthlyTerms{fee};
  l.racks = 1;
  l.start = july;
  l.term_months = months;
  return l;
}

Lease bought(lease::PurchaseTerms terms, int months = 36) {
  Lease l;
  l.name = "own";
  l.type = "purchase";
  l.tenant = "t";
  l.terms = terms;
  l.racks = 1;
  l.start = july;
  l.term_months = months;
  return l;
}

// `months` calendar months of a 1-rack cluster from July 2026; `used[k]` GPU-hours of month k
// allocated (productive) to tenant "t" (none when `used` is shorter).
cluster::SimulationResult months_of(int months, const std::vector<double>& used = {}) {
  cluster::SimulationResult r;
  for (int k = 0; k < months; ++k) {
    cluster::MonthLedger m;
    m.month_start_utc = units::add_months(july, k);
    m.month_end_utc = units::add_months(july, k + 1);
    const std::int64_t total = 72LL * (m.month_end_utc - m.month_start_utc) * 1000;
    const auto u = static_cast<std::int64_t>(std::llround((k < static_cast<int>(used.size()) ? used[k] : 0) * 3.6e6));
    m.gpu_ms.productive = u;
    m.gpu_ms.idle = total - u;
    r.months.push_back(m);
    if (u > 0) {
      cluster::TenantMonth t;
      t.tenant = "t";
      t.month_start_utc = m.month_start_utc;
      t.gpu_ms.productive = u;
      r.tenant_months.push_back(t);
    }
  }
  return r;
}

lease::LedgerInput input(std::vector<Lease> leases, double rate) {
  lease::LedgerInput in;
  in.rack = rack();
  in.leases = std::move(leases);
  in.tenants = lease::resolve_tenants(in.leases, {});
  in.finance = lease::Finance{rate};
  return in;
}

// The monthly discount factor at 10% a year, v = 1.1^(−1/12), and Σ_{t=a..b} v^t, in long double.
long double v10() { return std::pow(1.1L, -1.0L / 12.0L); }
long double sum_v(int a, int b) {
  long double s = 0;
  for (int t = a; t <= b; ++t) s += std::pow(v10(), static_cast<long double>(t));
  return s;
}
Money cents(long double dollars) {
  return Money::from_micros(static_cast<std::int64_t>(std::llround(dollars * 100)) * 10'000);
}

}  // namespace

TEST_CASE("the NPV of a level annuity matches its closed form to the cent", "[finance]") {
  // $1M at the end of each of 12 months at 10% a year: v = 1.1^(−1/12) = 0.99208894…, and
  // PV = A·v·(1 − v^12)/(1 − v) = $11,400,487.83 (the sum Σ v^t, t = 1..12, worked out by hand to
  // 30 digits gives 11,400,487.8293…).
  std::vector<Money> flows(13, dollars(1'000'000));
  flows[0] = Money{};
  const long double v = v10();
  const long double closed = 1e6L * v * (1 - std::pow(v, 12.0L)) / (1 - v);
  CHECK(lease::npv(flows, 0.10) == cents(closed));
  CHECK(lease::npv(flows, 0.10) == Money::from_micros(11'400'487'830'000));
  // At 0% the NPV is the plain sum; a year out is divided by exactly 1 + r.
  CHECK(lease::npv(flows, 0.0) == dollars(12'000'000));
  CHECK(lease::discount_factor(0.10, 12) == Approx(1 / 1.1).epsilon(1e-15));
  CHECK(lease::discount_factor(0.10, 0) == 1.0);

  SECTION("a fixed-monthly lease's ledger gives that annuity: each calendar month's fee paid at its end") {
    const auto in = input({fixed("l", dollars(1'000'000), 12)}, 0.10);
    const lease::Ledger ledger = lease::build_ledger(in, months_of(12));
    const lease::LedgerCashFlows cf = lease::cash_flows(in, ledger);
    REQUIRE(cf.total.at.size() == 13);
    CHECK(cf.total.at[0] == Money{});
    for (int t = 1; t <= 12; ++t) CHECK(cf.total.at[static_cast<std::size_t>(t)] == dollars(1'000'000));
    CHECK(cf.total.total() == ledger.total().tenant_cost());
    CHECK(lease::npv(cf.total.at, 0.10) == cents(closed));
    CHECK(lease::npv(cf.fees, 0.10) == cents(closed));  // all of it is fee
  }
}

TEST_CASE("an escalator raises month 13's fee by exactly its share, compounded each anniversary", "[finance]") {
  Lease l = fixed("l", dollars(1'000'000), 36);
  l.escalator = 0.03;
  const auto in = input({l}, 0.0);
  const lease::Ledger ledger = lease::build_ledger(in, months_of(25));
  auto fee = [&](int k) { return ledger.lease_month("l", ledger.months.at(static_cast<std::size_t>(k))).fee; };
  CHECK(fee(0) == dollars(1'000'000));
  CHECK(fee(11) == dollars(1'000'000));  // June 2027: still year 1
  CHECK(fee(12) == dollars(1'030'000));  // July 2027, the first anniversary: +3%
  CHECK(fee(23) == dollars(1'030'000));
  CHECK(fee(24) == dollars(1'060'900));  // July 2028: 1,030,000 × 1.03
  // Without the escalator nothing moves.
  const lease::Ledger flat = lease::build_ledger(input({fixed("l", dollars(1'000'000), 36)}, 0.0), months_of(13));
  CHECK(flat.lease_month("l", flat.months.at(12)).fee == dollars(1'000'000));
}

TEST_CASE("prepaid months move their fees to signing: same total, a larger NPV", "[finance]") {
  Lease l = fixed("l", dollars(1'000'000), 12);
  l.prepaid_months = 3;
  const auto in = input({l}, 0.10);
  const lease::Ledger ledger = lease::build_ledger(in, months_of(12));
  const lease::LedgerCashFlows cf = lease::cash_flows(in, ledger);
  CHECK(cf.total.at[0] == dollars(3'000'000));  // months 1-3 paid at signing, the horizon start
  CHECK(cf.total.at[1] == Money{});
  CHECK(cf.total.at[3] == Money{});
  CHECK(cf.total.at[4] == dollars(1'000'000));
  CHECK(cf.total.fees_at_signing == dollars(3'000'000));
  CHECK(cf.total.total() == dollars(12'000'000));
  // 3,000,000 + 1,000,000 · Σ_{t=4..12} v^t
  CHECK(lease::npv(cf.total.at, 0.10) == cents(3e6L + 1e6L * sum_v(4, 12)));
  // A lease starting in month 3 of the horizon signs then: its prepayment sits at t = 2.
  Lease later = fixed("m", dollars(500'000), 12);
  later.start = units::add_months(july, 2);
  later.prepaid_months = 2;
  const auto in2 = input({later}, 0.10);
  const lease::LedgerCashFlows cf2 = lease::cash_flows(in2, lease::build_ledger(in2, months_of(6)));
  CHECK(cf2.total.at[2] == dollars(1'000'000));
  CHECK(cf2.total.at[3] == Money{});
  CHECK(cf2.total.at[5] == dollars(500'000));
}

TEST_CASE("a loan's level payment and balance follow the annuity formulas", "[finance]") {
  // $1.2M at 12% a year over 12 months: i = 1%, A = 1.2M · 0.01 / (1 − 1.01^−12) = $106,618.546414.
  CHECK(lease::loan_payment(dollars(1'200'000), 0.12, 12) == Money::from_micros(106'618'546'414));
  CHECK(lease::loan_payment(dollars(1'200'000), 0.0, 12) == dollars(100'000));
  CHECK(lease::loan_balance(dollars(1'200'000), 0.12, 12, 0) == dollars(1'200'000));
  CHECK(lease::loan_balance(dollars(1'200'000), 0.12, 12, 12) == Money{});
  // After one payment: 1.2M · 1.01 − A = 1,212,000 − 106,618.546414.
  CHECK(lease::loan_balance(dollars(1'200'000), 0.12, 12, 1) == Money::from_micros(1'105'381'453'586));
}

TEST_CASE("a purchase bills capex at delivery, opex, and its book value back at the end", "[finance]") {
  lease::PurchaseTerms t;
  t.capex_per_rack = dollars(3'600'000);
  t.depreciation_months = 36;
  t.opex_per_rack_month = dollars(20'000);
  const auto in = input({bought(t)}, 0.10);
  const lease::Ledger ledger = lease::build_ledger(in, months_of(12));
  const lease::LedgerCashFlows cf = lease::cash_flows(in, ledger);
  CHECK(cf.total.at[1] == dollars(3'620'000));  // capex + opex, July
  CHECK(cf.total.at[2] == dollars(20'000));
  CHECK(cf.total.at[11] == dollars(20'000));
  // June 2027: opex less the book value after 12 of 36 months, 3.6M · (1 − 12/36) = 2.4M.
  CHECK(cf.total.at[12] == dollars(20'000 - 2'400'000));
  CHECK(ledger.total().tenant_cost() == dollars(1'440'000));  // 3.6M − 2.4M + 12 × 20k
  CHECK(lease::npv(cf.fees, 0.10) == Money{});                // a purchase has no price to scale

  SECTION("a stated residual replaces the book value") {
    lease::PurchaseTerms half = t;
    half.residual = 0.5;
    const auto in2 = input({bought(half)}, 0.10);
    CHECK(lease::build_ledger(in2, months_of(12)).total().tenant_cost() == dollars(1'800'000 + 240'000));
  }
  SECTION("a delivery lead time: nothing before delivery, then capex and opex") {
    lease::PurchaseTerms late = t;
    late.lead_time_s = 62 * 86400.0;  // July and August 2026: delivered 2026-09-01
    const auto in2 = input({bought(late)}, 0.10);
    const lease::LedgerCashFlows cf2 = lease::cash_flows(in2, lease::build_ledger(in2, months_of(12)));
    CHECK(cf2.total.at[1] == Money{});
    CHECK(cf2.total.at[2] == Money{});
    CHECK(cf2.total.at[3] == dollars(3'620'000));
    CHECK(cf2.total.at[12] == dollars(20'000 - 2'600'000));  // 10 months held: 3.6M · 26/36
  }
  SECTION("financed: a loan payment every month, the balance repaid from the residual at the end") {
    lease::PurchaseTerms loan = t;
    loan.loan_rate = 0.12;
    loan.loan_months = 24;
    const auto in2 = input({bought(loan)}, 0.10);
    const lease::LedgerCashFlows cf2 = lease::cash_flows(in2, lease::build_ledger(in2, months_of(12)));
    const Money a = lease::loan_payment(dollars(3'600'000), 0.12, 24);
    CHECK(cf2.total.at[1] == a + dollars(20'000));
    CHECK(cf2.total.at[12] ==
          a + dollars(20'000) - dollars(2'400'000) + lease::loan_balance(dollars(3'600'000), 0.12, 24, 12));
  }
}

namespace {

// A runner whose replications differ by seed: replication i of `seed` 1 allocates used[i]
// GPU-hours in the one month.
lease::SimulationRunner runner(std::vector<double> used, int months = 1) {
  return [used, months](const cluster::SimulationInput& in) {
    for (std::size_t i = 0; i < used.size(); ++i) {
      if (in.seed == cluster::replication_seed(1, static_cast<int>(i))) {
        std::vector<double> per_month(static_cast<std::size_t>(months), 0.0);
        per_month[0] = used[i];
        return months_of(months, per_month);
      }
    }
    return months_of(months);
  };
}

lease::Alternative alternative(std::string name, std::vector<Lease> leases, double rate) {
  lease::Alternative a;
  a.name = std::move(name);
  a.input.start_utc = july;
  a.ledger = input(std::move(leases), rate);
  return a;
}

Lease on_demand(Money price) {
  Lease l;
  l.name = "od";
  l.type = "on-demand";
  l.tenant = "t";
  l.terms = lease::OnDemandTerms{price, 1.0, 0, std::nullopt};
  l.gpus = 72;
  l.start = july;
  l.term_months = 12;
  return l;
}

}  // namespace

TEST_CASE("lease or buy: the break-even price of a hand-checked 1-rack, 12-month case", "[finance][compare]") {
  // Buy: capex $3.6M at delivery (July), opex $20k a month, 36-month straight-line life, book value
  // $2.4M back at the end of June 2027. Cash: t=1 3,620,000; t=2..11 20,000; t=12 −2,380,000. At
  // 10% a year (v = 1.1^(−1/12)):
  //   buy NPV = 3,620,000·v + 20,000·Σ_{t=2..11} v^t − 2,380,000·v^12 = $1,617,711.77.
  // Lease: a fee F each month, NPV = F·Σ_{t=1..12} v^t = F · 11.40048783. Equal NPVs at
  //   F* = 1,617,711.77 / 11.40048783 = $141,898.47 a month, i.e. per GPU-hour of an average month
  //   (72 GPUs × 730.485 h): $141,898.47 / 52,594.92 = $2.6980.
  const long double buy_npv = 3.62e6L * v10() + 2e4L * sum_v(2, 11) - 2.38e6L * std::pow(v10(), 12.0L);
  CHECK(static_cast<double>(buy_npv) == Approx(1'617'711.77).margin(0.01));
  lease::PurchaseTerms t;
  t.capex_per_rack = dollars(3'600'000);
  t.depreciation_months = 36;
  t.opex_per_rack_month = dollars(20'000);
  const Money fee = dollars(200'000);  // $200k a month: $3.8027 per GPU-hour, dearer than buying
  const lease::Comparison c = lease::compare_alternatives(
      {alternative("lease", {fixed("l", fee, 12)}, 0.10), alternative("buy", {bought(t, 12)}, 0.10)}, 1, 1,
      runner({0}, 12), lease::RankBy::npv);
  REQUIRE(c.ranked.size() == 2);
  CHECK(c.ranked[0].name == "buy");  // lowest NPV first
  CHECK(c.ranked[0].npv_usd.mean == Approx(1'617'711.77).margin(0.005));
  CHECK(c.ranked[1].npv_usd.mean == Approx(static_cast<double>(2e5L * sum_v(1, 12))).margin(0.005));
  REQUIRE(c.lease_or_buy.size() == 1);
  const lease::LeaseOrBuy& lb = c.lease_or_buy[0];
  CHECK(lb.lease == "lease");
  CHECK(lb.buy == "buy");
  CHECK(lb.price_per_gpu_hour == Approx(200'000 / (72 * 730.485)));
  REQUIRE(lb.break_even_price_per_gpu_hour);
  CHECK(*lb.break_even_price_per_gpu_hour == Approx(2.697950091).epsilon(1e-8));
  REQUIRE(c.ranked[1].cash_flows_usd.size() == 13);
  CHECK(c.ranked[1].cash_flows_usd[12] == Approx(200'000));

  SECTION("leasing at the break-even fee has the buying NPV, to the cent") {
    const Money at = Money::from_dollars(*lb.break_even_price_per_gpu_hour * 72 * 730.485);
    const auto in = input({fixed("l", at, 12)}, 0.10);
    const Money lease_npv = lease::npv(lease::cash_flows(in, lease::build_ledger(in, months_of(12))).total.at, 0.10);
    CHECK(std::abs(lease_npv.dollars() - static_cast<double>(buy_npv)) <= 0.12);  // F rounded to the µ$ × 11.4
  }
  SECTION("the compare JSON carries the NPVs and the break-even price") {
    const auto j = report::compare_json("lease or buy", c);
    CHECK(j["discount_rate"] == 0.10);
    CHECK(j["lease_or_buy"][0]["break_even_price_per_gpu_hour_usd"].get<double>() == Approx(2.697950091));
    CHECK(j["alternatives"][0]["npv_usd"].get<double>() == Approx(1'617'711.77));
    CHECK(j["alternatives"][0]["buys"] == true);
    CHECK(j["alternatives"][1]["cash_flows_usd"].size() == 13);
    CHECK(j["alternatives"][1]["cash_flows_usd"][1]["at"] == "2026-08-01");
    const auto page = report::parse_report_input(j.dump(), "lob.json");
    REQUIRE(page.input);
    const std::string html = report::html_report(*page.input);
    CHECK(html.find("Lease or buy: the lease price at which leasing and buying have equal NPV") != std::string::npos);
    CHECK(html.find("at 10% a year") != std::string::npos);
    CHECK(html.find("2.70") != std::string::npos);
    const std::string text = report::compare_text("lease or buy", c);
    CHECK(text.find("Lease or buy") != std::string::npos);
    CHECK(text.find("$2.70") != std::string::npos);
  }
}

TEST_CASE("the provider's payback month and break-even rent on a hand case", "[finance][compare]") {
  // Provider: capex $1.2M for the rack at signing (t=0), opex $10k a month, 12-month depreciation;
  // rent $130k a month. Cash at 0%: −1.2M, then +120k a month: back to 0 at the end of month 10.
  // Margin = 12·F − 1.2M (depreciation) − 120k (opex) = 0 at F = $110k a month, i.e. $110,000 /
  // (72 × 730.485 h) = $2.0914 per GPU-hour.
  Lease l = fixed("l", dollars(130'000), 12);
  l.provider = lease::ProviderCosts{dollars(1'200'000), 12, dollars(10'000), std::nullopt};
  const lease::Comparison c =
      lease::compare_alternatives({alternative("rent", {l}, 0.0)}, 1, 1, runner({0}, 12), lease::RankBy::total_cost);
  const auto& a = c.ranked.at(0);
  REQUIRE(a.provider_payback_month);
  CHECK(*a.provider_payback_month == 10);
  REQUIRE(a.provider_break_even_rent_per_gpu_hour);
  CHECK(*a.provider_break_even_rent_per_gpu_hour == Approx(110'000 / (72 * 730.485)));
  // Discounted at 10% the payback slips a month.
  const lease::Comparison d =
      lease::compare_alternatives({alternative("rent", {l}, 0.10)}, 1, 1, runner({0}, 12), lease::RankBy::total_cost);
  REQUIRE(d.ranked.at(0).provider_payback_month);
  CHECK(*d.ranked.at(0).provider_payback_month == 11);
  // Prepaid fees reach the provider at signing: 12 months prepaid (1.56M at t = 0) pay the capex back
  // at once; 3 months prepaid at 0% leave the payback at month 10 (the same cash by then).
  Lease all = l;
  all.prepaid_months = 12;
  const auto at_once =
      lease::compare_alternatives({alternative("rent", {all}, 0.0)}, 1, 1, runner({0}, 12), lease::RankBy::total_cost);
  CHECK(at_once.ranked.at(0).provider_payback_month == std::optional<int>(0));
  Lease three = l;
  three.prepaid_months = 3;
  const auto some = lease::compare_alternatives({alternative("rent", {three}, 0.0)}, 1, 1, runner({0}, 12),
                                                lease::RankBy::total_cost);
  CHECK(some.ranked.at(0).provider_payback_month == std::optional<int>(10));
  // Dearer capex than 12 months of cash: no payback within the horizon.
  Lease dear = l;
  dear.provider = lease::ProviderCosts{dollars(2'000'000), 12, dollars(10'000), std::nullopt};
  const auto never =
      lease::compare_alternatives({alternative("rent", {dear}, 0.0)}, 1, 1, runner({0}, 12), lease::RankBy::total_cost);
  CHECK_FALSE(never.ranked.at(0).provider_payback_month);
}

TEST_CASE("the provider's exit risk: the rent after the first possible exit, what re-leasing recovers",
          "[finance][compare][exit]") {
  // $130k a month on 1 rack for 12 months from 2026-07-01; the tenant may leave on 90 days' notice
  // after 3 months. Its first notice date is 2026-10-01, so the lease could end 2026-12-30: the rent
  // at risk is 2/31 of December's fee ($8,387.096774) and January to June ($780,000). The margin held
  // to term is 12 × 130k − 1.2M depreciation − 120k opex = $240,000.
  Lease l = fixed("l", dollars(130'000), 12);
  l.provider = lease::ProviderCosts{dollars(1'200'000), 12, dollars(10'000), std::nullopt};
  l.termination = lease::Termination{90 * 86400.0, 3 * units::seconds_per_month, std::nullopt};
  const auto run = [](const Lease& lease) {
    return lease::compare_alternatives({alternative("rent", {lease}, 0.0)}, 1, 1, runner({0}, 12),
                                       lease::RankBy::total_cost);
  };
  const lease::Comparison c = run(l);
  const auto& a = c.ranked.at(0);
  REQUIRE(a.provider_exits.size() == 1);
  const lease::ProviderExit& x = a.provider_exits[0];
  CHECK(x.lease == "l");
  CHECK(units::format_date(x.first_notice_utc) == "2026-10-01");
  CHECK(units::format_date(x.exit_end_utc) == "2026-12-30");
  CHECK(units::format_date(x.held_end_utc) == "2027-07-01");
  CHECK(x.revenue_at_risk_mean == Money::from_micros(788'387'096'774));
  CHECK_FALSE(x.releasing);
  CHECK(x.net_at_risk_usd == Approx(788'387.096774));
  REQUIRE(a.provider_margin_usd);
  CHECK(a.provider_margin_usd->mean == Approx(240'000));
  CHECK(x.margin_if_exited_usd == Approx(240'000 - 788'387.096774));
  CHECK_FALSE(x.payback_month_if_exited);  // held, the cash is back in month 10

  SECTION("re-leasing at $1.50 per GPU-hour after 30 days recovers 2027-01-29 to 2027-07-01") {
    // 153 days × 24 h × 72 GPUs × $1.50 = $396,576; net at risk $391,811.096774.
    Lease relet = l;
    relet.provider->releasing = lease::Releasing{Money::from_micros(1'500'000), 30 * 86400.0};
    const auto r = run(relet).ranked.at(0).provider_exits.at(0);
    REQUIRE(r.releasing);
    CHECK(units::format_date(r.releasing_from_utc) == "2027-01-29");
    CHECK(units::format_date(r.releasing_to_utc) == "2027-07-01");
    CHECK(r.releasing_gpus == 72);
    CHECK(r.recovered == dollars(396'576));
    CHECK(r.net_at_risk_usd == Approx(391'811.096774));
    CHECK(r.margin_if_exited_usd == Approx(240'000 - 391'811.096774));
    // Cash at 0%: −1.2M, +120k for July–November, then less: never back within the horizon.
    CHECK_FALSE(r.payback_month_if_exited);
    // A dearer re-lease ($3.00) brings it back: the last month's cumulative cash is
    // 240k − 788,387.10 + 793,152 = $244,764.90; it turns positive at the end of May (month 11:
    // −51,459.10 after April, + 160,704 re-let − 10k opex).
    relet.provider->releasing->price_per_gpu_hour = Money::from_micros(3'000'000);
    const auto dear = run(relet).ranked.at(0).provider_exits.at(0);
    CHECK(dear.recovered == dollars(793'152));
    CHECK(dear.payback_month_if_exited == std::optional<int>(11));
    const auto j = report::compare_json("exit", run(relet));
    const auto& e = j["alternatives"][0]["provider_exit_risk"][0];
    CHECK(e["exit_end"] == "2026-12-30");
    CHECK(e["revenue_at_risk_usd"].get<double>() == Approx(788'387.096774));
    CHECK(e["releasing"]["recovered_usd"].get<double>() == Approx(793'152));
    CHECK(e["payback_month_if_exited"] == 11);
    const auto page = report::parse_report_input(j.dump(), "exit.json");
    REQUIRE(page.input);
    const std::string html = report::html_report(*page.input);
    CHECK(html.find("Provider exit risk") != std::string::npos);
    CHECK(html.find("<td class=\"n\">0.79</td>") != std::string::npos);  // $793,152 recovered, in $M
    const std::string text = report::compare_text("exit", run(relet));
    CHECK(text.find("Provider exit risk") != std::string::npos);
    CHECK(text.find("2026-12-30") != std::string::npos);
  }
  SECTION("no exposure: notice already given, no clause, no provider rider, or an exit no earlier than the term") {
    Lease given = l;
    given.termination->notice_given = units::add_months(july, 4);
    CHECK(run(given).ranked.at(0).provider_exits.empty());
    Lease held = l;
    held.termination.reset();
    CHECK(run(held).ranked.at(0).provider_exits.empty());
    Lease tenant_only = l;
    tenant_only.provider.reset();
    CHECK(run(tenant_only).ranked.at(0).provider_exits.empty());
    Lease late = l;
    late.termination->earliest_s = 10 * units::seconds_per_month;  // 2027-05-01 + 90 d is past the term
    CHECK(run(late).ranked.at(0).provider_exits.empty());
    CHECK(report::compare_text("exit", run(late)).find("Provider exit risk") == std::string::npos);
  }
}

TEST_CASE("P90 and CVaR90 of known replication costs, and the miss probability", "[finance][compare][risk]") {
  // On-demand at $1 per GPU-hour: replication i costs used[i] dollars. Ten replications costing
  // $100, $200, …, $1,000: P90 (interpolated at 0.9·9 = 8.1) = $910; CVaR90 = the worst one, $1,000.
  std::vector<double> used;
  for (int i = 1; i <= 10; ++i) used.push_back(100.0 * i);
  const lease::Comparison c = lease::compare_alternatives({alternative("od", {on_demand(dollars(1))}, 0.0)}, 10, 1,
                                                          runner(used), lease::RankBy::cvar90_cost);
  const auto& a = c.ranked.at(0);
  CHECK(a.total_cost_usd.mean == Approx(550));
  CHECK(a.total_cost_usd.p90 == Approx(910));
  CHECK(a.cvar90_cost_usd == Approx(1000));
  const auto j = report::compare_json("risk", c);
  CHECK(j["alternatives"][0]["p90_cost_usd"].get<double>() == Approx(910));
  CHECK(j["alternatives"][0]["cvar90_cost_usd"].get<double>() == Approx(1000));
  // Twenty replications $50 … $1,000: CVaR90 = mean of the worst two = (950 + 1000) / 2.
  std::vector<double> twenty;
  for (int i = 1; i <= 20; ++i) twenty.push_back(50.0 * i);
  const lease::Comparison c20 = lease::compare_alternatives({alternative("od", {on_demand(dollars(1))}, 0.0)}, 20, 1,
                                                            runner(twenty), lease::RankBy::cvar90_cost);
  CHECK(c20.ranked.at(0).cvar90_cost_usd == Approx(975));
  CHECK(c20.ranked.at(0).total_cost_usd.p90 == Approx(50 + 0.9 * 19 * 50));
}

TEST_CASE("ranking by CVaR90 reorders a cheaper-on-average alternative with a fat tail", "[finance][compare][risk]") {
  // "payg" (on-demand, $1 per GPU-hour): nine replications use 100 GPU-hours, one 1,000: costs
  // $100 ×9 and $1,000 — mean $190, P90 $190, CVaR90 $1,000. "fixed": $200 whatever the use — mean,
  // P90 and CVaR90 all $200. Expected cost and P90 put payg first; CVaR90 puts fixed first.
  std::vector<double> used(10, 100.0);
  used[3] = 1000.0;
  const std::vector<lease::Alternative> alts{alternative("payg", {on_demand(dollars(1))}, 0.0),
                                             alternative("fixed", {fixed("f", dollars(200), 12)}, 0.0)};
  const auto by = [&](lease::RankBy r) { return lease::compare_alternatives(alts, 10, 1, runner(used), r); };
  const lease::Comparison mean = by(lease::RankBy::total_cost);
  CHECK(mean.ranked.at(0).name == "payg");
  CHECK(mean.ranked.at(0).total_cost_usd.mean == Approx(190));
  CHECK(mean.ranked.at(1).total_cost_usd.mean == Approx(200));
  CHECK(by(lease::RankBy::p90_cost).ranked.at(0).name == "payg");
  const lease::Comparison tail = by(lease::RankBy::cvar90_cost);
  CHECK(tail.ranked.at(0).name == "fixed");
  CHECK(tail.ranked.at(0).cvar90_cost_usd == Approx(200));
  CHECK(tail.ranked.at(1).cvar90_cost_usd == Approx(1000));
  CHECK(lease::rank_rule(lease::RankBy::cvar90_cost).find("CVaR90") != std::string::npos);
  CHECK(lease::rank_rule(lease::RankBy::cvar90_cost).find("then name (A-Z") != std::string::npos);
  // At 0% the NPV is the cost: ranking by NPV agrees with the expected cost.
  CHECK(by(lease::RankBy::npv).ranked.at(0).name == "payg");
}

namespace {

nlohmann::json small_scenario() {
  std::ifstream in(std::string(LEASESIM_SOURCE_DIR) + "/scenarios/sweeps/small-cluster.json");
  nlohmann::json doc = nlohmann::json::parse(in);
  doc.erase("expect");
  doc.erase("generators");
  doc.erase("jobs");
  doc.erase("failures");
  doc["horizon"]["length"] = "3 months";
  return doc;
}

std::string problems(const nlohmann::json& doc) {
  const auto r = scenario::load_scenario_text(doc.dump(), "f.json");
  CHECK_FALSE(r.scenario.has_value());
  return r.diagnostics.format();
}

}  // namespace

TEST_CASE("the finance block, escalator, prepayment and purchase keys load and are checked", "[finance][scenario]") {
  nlohmann::json doc = small_scenario();
  doc["finance"] = {{"discount_rate", "10%"}};
  doc["leases"][0]["escalator"] = "3%";
  doc["leases"][0]["prepaid_months"] = 2;
  const auto r = scenario::load_scenario_text(doc.dump(), "f.json");
  INFO(r.diagnostics.format());
  REQUIRE(r.scenario);
  REQUIRE(r.scenario->finance);
  CHECK(r.scenario->finance->discount_rate == Approx(0.10));
  CHECK(r.scenario->leases[0].escalator == Approx(0.03));
  CHECK(r.scenario->leases[0].prepaid_months == 2);
  CHECK(scenario::to_ledger_input(*r.scenario).finance->discount_rate == Approx(0.10));

  SECTION("run's document carries npv_usd per lease and for the total, and the Answers say it") {
    const study::RunOutcome out = study::run_scenario(*r.scenario);
    const auto& d = out.document;
    REQUIRE(d.contains("finance"));
    // $7.2M at signing for July and August (prepaid), September's at its end: 14.4M + 7.2M·v^3.
    const double expected = 14.4e6 + 7.2e6 * std::pow(1.1, -3.0 / 12.0);
    CHECK(d["lease_totals"]["npv_usd"].get<double>() == Approx(expected).margin(0.006));
    CHECK(d["leases"][0]["npv_usd"].get<double>() == Approx(expected).margin(0.006));
    CHECK(d["leases"][0]["cash_flows_usd"][0].get<double>() == Approx(14.4e6));
  }
  SECTION("misspelled and out-of-range keys are refused with the path") {
    nlohmann::json bad = doc;
    bad["finance"] = {{"discount_rte", "10%"}};
    const std::string p = problems(bad);
    CHECK(p.find("/finance") != std::string::npos);
    CHECK(p.find("discount_rate") != std::string::npos);
    bad["finance"] = {{"discount_rate", "150%"}};
    CHECK(problems(bad).find("/finance/discount_rate") != std::string::npos);
  }
  SECTION("a purchase is read into its terms; by the rack, with no ramp, escalator or prepayment") {
    nlohmann::json buy = small_scenario();
    buy["leases"] = nlohmann::json::parse(R"([{"name": "own", "type": "purchase", "tenant": "lab", "racks": 14,
      "start": "2026-07-01", "term": "3 months", "capex_per_rack": "$3.6M", "lead_time": "30 d",
      "depreciation": "36 months", "opex_per_rack_month": "$20k", "loan_rate": "8%", "loan_term": "48 months",
      "residual": "40%"}])");
    const auto ok = scenario::load_scenario_text(buy.dump(), "b.json");
    INFO(ok.diagnostics.format());
    REQUIRE(ok.scenario);
    const auto& t = ok.scenario->leases[0].terms.get<lease::PurchaseTerms>();
    CHECK(t.capex_per_rack == dollars(3'600'000));
    CHECK(t.lead_time_s == Approx(30 * 86400.0));
    CHECK(t.depreciation_months == 36);
    CHECK(t.loan_months == 48);
    CHECK(t.loan_rate == Approx(0.08));
    REQUIRE(t.residual);
    CHECK(*t.residual == Approx(0.4));
    nlohmann::json gpus = buy;
    gpus["leases"][0].erase("racks");
    gpus["leases"][0]["gpus"] = 72;
    CHECK(problems(gpus).find("/leases/0/gpus: expected \"racks\" (a purchase is bought by the rack)") !=
          std::string::npos);
    nlohmann::json esc = buy;
    esc["leases"][0]["escalator"] = "3%";
    CHECK(problems(esc).find("/leases/0/escalator") != std::string::npos);
    nlohmann::json late = buy;
    late["leases"][0]["lead_time"] = "120 d";  // after the 3-month term
    CHECK(problems(late).find("/leases/0/lead_time: expected a delivery within the term (3 months)") !=
          std::string::npos);
    nlohmann::json provider = buy;
    provider["leases"][0]["provider"] = {{"capex_per_rack", "$3M"}};
    CHECK(problems(provider).find("/leases/0/provider: expected no provider rider") != std::string::npos);
    nlohmann::json sla = buy;
    sla["leases"][0]["sla"] = nlohmann::json::object();
    CHECK(problems(sla).find("/leases/0/sla: expected no sla rider") != std::string::npos);
    nlohmann::json no_term = buy;
    no_term["leases"][0].erase("loan_term");
    CHECK(problems(no_term).find("/leases/0/loan_term") != std::string::npos);
    nlohmann::json no_capex = buy;
    no_capex["leases"][0].erase("capex_per_rack");
    CHECK(problems(no_capex).find("capex_per_rack") != std::string::npos);
  }
}

TEST_CASE("compare ranks the shipped lease-or-buy file by every key and prints the break-even price",
          "[finance][cli]") {
  const std::string file = std::string(LEASESIM_SOURCE_DIR) + "/scenarios/compare-lease-or-buy.json";
  const test::Run npv = test::run_cli({"compare", file, "--rank-by", "npv", "--replications", "1", "--format", "json"});
  INFO(npv.err);
  REQUIRE(npv.code == 0);
  const auto doc = nlohmann::json::parse(npv.out);
  CHECK(doc["rank_rule"].get<std::string>().rfind("lowest mean NPV", 0) == 0);
  CHECK(doc["discount_rate"] == 0.10);
  REQUIRE(doc["lease_or_buy"].size() == 4);  // 2 leasing x 2 buying alternatives
  for (const auto& lb : doc["lease_or_buy"]) {
    // Buying is cheaper at $9.78: the break-even lies below the lease's price, above zero.
    CHECK(lb["break_even_price_per_gpu_hour_usd"].get<double>() > 0);
    CHECK(lb["break_even_price_per_gpu_hour_usd"].get<double>() < lb["price_per_gpu_hour_usd"].get<double>());
  }
  double last = -1e300;
  for (const auto& a : doc["alternatives"]) {  // ranked by NPV, ascending
    CHECK(a["npv_usd"].get<double>() >= last);
    last = a["npv_usd"].get<double>();
    CHECK(a.contains("p90_cost_usd"));
    CHECK(a.contains("cvar90_cost_usd"));
  }
  // Prepaying costs NPV (money paid earlier), not money.
  auto alt = [&](const std::string& name) {
    for (const auto& a : doc["alternatives"])
      if (a["alternative"] == name) return a;
    return nlohmann::json();
  };
  CHECK(alt("lease-prepaid")["npv_usd"].get<double>() > alt("lease")["npv_usd"].get<double>());
  CHECK(alt("lease-prepaid")["total_cost_usd"]["mean"] == alt("lease")["total_cost_usd"]["mean"]);
  for (const std::string key : {"expected-cost", "expected_cost", "p90-cost", "p90_cost", "cvar90", "total-cost"}) {
    const test::Run r = test::run_cli({"compare", file, "--rank-by", key, "--replications", "1"});
    CHECK(r.code == 0);
    CHECK(r.out.find("Lease or buy") != std::string::npos);
  }
  // docs/decisions.md quotes the default output: every line of it is there verbatim.
  const test::Run shipped = test::run_cli({"compare", file});
  REQUIRE(shipped.code == 0);
  const std::string decisions = test::read_text(std::string(LEASESIM_SOURCE_DIR) + "/docs/decisions.md");
  for (const std::string& line : test::split_lines(shipped.out)) {
    INFO(line);
    CHECK(decisions.find(line) != std::string::npos);
  }
  const test::Run bad = test::run_cli({"compare", file, "--rank-by", "cvar-90"});
  CHECK(bad.code != 0);
  CHECK(bad.err.find("cvar90") != std::string::npos);
}
