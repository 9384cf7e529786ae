// Tests for the lease blocks of the loader (type-tagged leases, tenants, their cross-checks), the
// compare file, and the comparison itself with a fake simulator: the same seeds reach every
// alternative (common random numbers), the ranking follows cost, and the break-even demand is the
// fixed fee over the on-demand price.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "leasesim/lease/comparison.hpp"
#include "leasesim/lease/contract_type.hpp"
#include "leasesim/lease/fixed_monthly.hpp"
#include "leasesim/lease/on_demand.hpp"
#include "leasesim/lease/reserved.hpp"
#include "leasesim/lease/spot.hpp"
#include "leasesim/report/lease_report.hpp"
#include "leasesim/scenario/compare_file.hpp"
#include "leasesim/scenario/lease_schema.hpp"
#include "leasesim/scenario/scenario.hpp"

using namespace leasesim;
using Json = nlohmann::json;
using Lines = std::vector<std::string>;

namespace {

Json scenario_doc() {
  return Json::parse(R"({
    "name": "t",
    "cluster": {"rack": "gb300-nvl72", "racks": 10},
    "horizon": {"start": "2026-07-01", "length": "3 months"},
    "leases": [{"name": "l", "type": "fixed-monthly", "fee_per_month": "$10M", "racks": 10,
                "start": "2026-07-01", "term": "3 months"}]
  })");
}

Lines problems(const Json& doc) {
  const auto r = scenario::load_scenario_text(doc.dump(), "t.json");
  CHECK_FALSE(r.scenario.has_value());
  Lines lines;
  std::istringstream in(r.diagnostics.format());
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

scenario::Scenario load_ok(const Json& doc) {
  const auto r = scenario::load_scenario_text(doc.dump(), "t.json");
  INFO(r.diagnostics.format());
  REQUIRE(r.scenario.has_value());
  return *r.scenario;
}

}  // namespace

TEST_CASE("the loader's lease types and the lease layer's registry are the same list", "[lease]") {
  CHECK(lease::contract_type_names() ==
        std::vector<std::string>{"fixed-monthly", "reserved", "on-demand", "spot", "purchase"});
  for (const auto& name : lease::contract_type_names()) CHECK(scenario::lease_schema_of(name) != nullptr);
}

TEST_CASE("an unknown lease type lists the allowed ones and suggests the nearest", "[lease]") {
  Json doc = scenario_doc();
  doc["leases"][0]["type"] = "fixed-monthy";
  CHECK(problems(doc) ==
        Lines{"t.json: /leases/0/type: expected one of \"fixed-monthly\", \"reserved\", \"on-demand\", "
              "\"spot\", \"purchase\", found \"fixed-monthy\" — did you mean \"fixed-monthly\"?"});
  doc["leases"][0].erase("type");
  CHECK(problems(doc) ==
        Lines{"t.json: /leases/0/type: expected key \"type\" (one of fixed-monthly, reserved, on-demand, "
              "spot, purchase), found nothing"});
}

TEST_CASE("each lease type takes its own price keys and no other's", "[lease]") {
  Json doc = scenario_doc();
  doc["leases"][0] = Json::parse(R"({"name": "r", "type": "reserved", "gpus": 720, "start": "2026-07-01",
      "term": "3 months", "rate": "$2.65", "fee_per_month": "$1M"})");
  const Lines lines = problems(doc);
  CHECK(std::find(
            lines.begin(), lines.end(),
            "t.json: /leases/0/committed_gpu_hours: expected key \"committed_gpu_hours\" (number), found nothing") !=
        lines.end());
  CHECK(std::find(lines.begin(), lines.end(),
                  "t.json: /leases/0/overage_rate: expected key \"overage_rate\" (money), found nothing") !=
        lines.end());
  CHECK(std::find_if(lines.begin(), lines.end(), [](const std::string& l) {
          return l.rfind("t.json: /leases/0/fee_per_month: unknown key \"fee_per_month\" in reserved lease", 0) == 0;
        }) != lines.end());
}

TEST_CASE("every contract type and rider loads from JSON with units", "[lease]") {
  Json doc = scenario_doc();
  doc["leases"] = Json::parse(R"([
    {"name": "f", "type": "fixed-monthly", "fee_per_month": "$10M", "racks": 4, "ramp": [2, 3], "start": "2026-07-01",
     "term": "3 months", "sla": {"grace": "1 h", "claim": "on-request", "claim_rate": "50%"},
     "resale": {"price_per_gpu_hour": "$2.65", "fill_rate": "40%", "holder_share": 0.7},
     "power": {"price_per_mwh": "$60", "payer": "provider", "pue": 1.3},
     "provider": {"capex_per_rack": "$3.9M", "depreciation": "6 years", "opex_per_rack_month": "$25k"},
     "termination": {"notice": "30 d", "earliest": "1 months", "notice_given": "2026-08-15"}},
    {"name": "r", "type": "reserved", "gpus": 144, "start": "2026-07-01", "term": "3 months",
     "committed_gpu_hours": 50000, "rate": "$2.65", "overage_rate": "$4"},
    {"name": "o", "type": "on-demand", "racks": 2, "start": "2026-07-01", "term": "3 months",
     "price_per_gpu_hour": "$10.50", "availability": "80%", "lead_time": "7 d"},
    {"name": "s", "type": "spot", "gpus": 72, "start": "2026-07-01", "term": "3 months",
     "price_per_gpu_hour": "$3", "preemptions_per_day": 2, "work_lost_per_preemption": "20 min"}])");
  doc["tenants"] = Json::parse(R"([{"name": "acme", "leases": ["f", "r", "o", "s"],
                                    "overflow": {"rule": "burst", "price_per_gpu_hour": "$12"}}])");
  const auto s = load_ok(doc);
  REQUIRE(s.leases.size() == 4);
  const auto& f = s.leases[0];
  CHECK(f.tenant == "acme");  // filled from the tenant that lists it
  CHECK(f.gpus_in_month(s.cluster.rack, 0) == 144);
  CHECK(f.gpus_in_month(s.cluster.rack, 2) == 288);
  CHECK(f.sla->grace_s == 3600);
  CHECK(f.sla->claim == lease::ClaimRule::on_request);
  CHECK(f.resale->price_per_gpu_hour.micros() == 2'650'000);
  CHECK(f.power->payer == lease::PowerPayer::provider);
  CHECK(f.provider->depreciation_months == 72);
  CHECK(f.end() == 1782864000 + (31 + 14) * 86400 + 30 * 86400);  // notice on 2026-08-15 + 30 d
  CHECK(s.leases[1].terms.get<lease::ReservedTerms>().overage_per_gpu_hour.micros() == 4'000'000);
  CHECK(s.leases[2].terms.get<lease::OnDemandTerms>().availability == Approx(0.8));
  CHECK(s.leases[2].implied_price_per_gpu_hour(s.cluster.rack) == Approx(10.5));
  CHECK(s.leases[3].terms.get<lease::SpotTerms>().lost_fraction() == Approx(2.0 * 1200 / 86400));
  CHECK(s.tenants.at(0).overflow.rule == lease::OverflowRule::burst);
}

TEST_CASE("tenants must name declared leases, once each, consistently with the lease's holder", "[lease]") {
  Json doc = scenario_doc();
  doc["leases"][0]["tenant"] = "acme";
  SECTION("an unknown lease, with a suggestion") {
    doc["tenants"] = Json::parse(R"([{"name": "acme", "leases": ["m"]}])");
    CHECK(problems(doc) ==
          Lines{"t.json: /tenants/0/leases/0: expected the name of a lease (l), found \"m\" — did you mean \"l\"?"});
  }
  SECTION("a lease held twice") {
    doc["leases"][0].erase("tenant");
    doc["tenants"] = Json::parse(R"([{"name": "a", "leases": ["l"]}, {"name": "b", "leases": ["l"]}])");
    CHECK(problems(doc) == Lines{"t.json: /tenants/1/leases/0: lease \"l\" is already held by tenant \"a\""});
  }
  SECTION("a lease naming another holder") {
    doc["tenants"] = Json::parse(R"([{"name": "b", "leases": ["l"]}])");
    CHECK(problems(doc) == Lines{"t.json: /tenants/0/leases/0: lease \"l\" names tenant \"acme\" as its holder"});
  }
  SECTION("an unknown overflow rule") {
    doc["tenants"] = Json::parse(R"([{"name": "acme", "leases": ["l"], "overflow": {"rule": "bust"}}])");
    CHECK(problems(doc) == Lines{"t.json: /tenants/0/overflow/rule: expected one of \"queue\", \"burst\", \"borrow\", "
                                 "found \"bust\" — did you mean \"burst\"?"});
  }
}

TEST_CASE("notice may only be given from start + earliest, and a ramp stays within the lease", "[lease]") {
  Json doc = scenario_doc();
  doc["leases"][0]["termination"] = {{"notice", "30 d"}, {"earliest", "2 months"}, {"notice_given", "2026-08-01"}};
  doc["leases"][0]["ramp"] = {5, 11};
  const Lines lines = problems(doc);
  CHECK(lines == Lines{"t.json: /leases/0/termination/notice_given: expected a date from 2026-09-01 (start + earliest) "
                       "to the end of the term, found 2026-08-01",
                       "t.json: /leases/0/ramp/1: expected at most the lease's capacity, 10, found 11"});
}

// --- comparison with a fake simulator ---------------------------------------------------------

namespace {

// A month of `gpus` GPUs, `demand_gpus` of them busy all month for tenant "t".
cluster::SimulationResult fake_result(const cluster::SimulationInput& in, std::int64_t demand_gpus) {
  cluster::SimulationResult r;
  const std::int64_t start = in.start_utc, end = start + 31 * 86400;
  const std::int64_t ms = (end - start) * 1000;
  const std::int64_t gpus = in.cluster.gpus();
  cluster::MonthLedger m;
  m.month_start_utc = start;
  m.month_end_utc = end;
  const std::int64_t busy = std::min(demand_gpus, gpus);
  m.gpu_ms.productive = busy * ms;
  m.gpu_ms.idle = (gpus - busy) * ms;
  r.months.push_back(m);
  cluster::TenantMonth tm;
  tm.tenant = "t";
  tm.month_start_utc = start;
  tm.gpu_ms.productive = busy * ms;
  tm.tokens_trained = static_cast<double>(busy) * 1e6;
  r.tenant_months.push_back(tm);
  return r;
}

lease::Alternative alternative(std::string name, lease::Lease l) {
  lease::Alternative a;
  a.name = std::move(name);
  a.input.cluster.rack.gpus = 72;
  a.input.cluster.rack.gpus_per_node = 4;
  a.input.cluster.racks = 10;
  a.input.start_utc = 1782864000;
  a.input.horizon_s = 31 * 86400;
  l.tenant = "t";
  l.start = a.input.start_utc;
  l.term_months = 1;
  l.racks = 10;
  a.ledger.rack = a.input.cluster.rack;
  a.ledger.leases = {l};
  a.ledger.tenants = lease::resolve_tenants(a.ledger.leases, {});
  return a;
}

std::vector<lease::Alternative> fixed_vs_on_demand() {
  lease::Lease fixed;
  fixed.name = "fixed";
  fixed.type = "fixed-monthly";
  fixed.terms = lease::FixedMonthlyTerms{units::Money::from_micros(5'000'000'000'000)};  // $5M for 720 GPUs
  lease::Lease od;
  od.name = "od";
  od.type = "on-demand";
  od.terms.edit<lease::OnDemandTerms>().price_per_gpu_hour = units::Money::from_micros(10'500'000);
  return {alternative("fixed", fixed), alternative("on-demand", od)};
}

}  // namespace

TEST_CASE("every alternative runs on the same seeds (common random numbers)", "[lease]") {
  std::map<std::string, std::vector<std::uint64_t>> seeds;
  const auto alts = fixed_vs_on_demand();
  const auto c = lease::compare_alternatives(alts, 4, 42, [&](const cluster::SimulationInput& in) {
    seeds[in.cluster.racks == 10 ? "any" : "other"].push_back(in.seed);
    return fake_result(in, 100);
  });
  REQUIRE(seeds["any"].size() == 8);
  const std::vector<std::uint64_t> first(seeds["any"].begin(), seeds["any"].begin() + 4);
  const std::vector<std::uint64_t> second(seeds["any"].begin() + 4, seeds["any"].end());
  CHECK(first == second);
  CHECK(first[0] == 42);  // replication 0 uses the scenario's own seed
  CHECK(std::set<std::uint64_t>(first.begin(), first.end()).size() == 4);
  for (const auto& a : c.ranked) CHECK(a.runs.size() == 4);
}

TEST_CASE("the ranking follows cost per token, and the break-even is the fee over the on-demand price", "[lease]") {
  const auto alts = fixed_vs_on_demand();
  SECTION("low use: on-demand wins") {
    const auto c = lease::compare_alternatives(alts, 1, 1,
                                               [](const cluster::SimulationInput& in) { return fake_result(in, 100); });
    CHECK(c.ranked.at(0).name == "on-demand");
    // 100 GPUs × 744 h × $10.50
    CHECK(c.ranked.at(0).total_cost_usd.mean == Approx(781'200));
    CHECK(c.ranked.at(1).total_cost_usd.mean == Approx(5e6));
    REQUIRE(c.break_evens.size() == 1);
    const auto& b = c.break_evens[0];
    CHECK(b.crosses);
    CHECK(b.gpu_hours_per_month == Approx(5e6 / 10.5).epsilon(1e-6));
    CHECK(b.cheaper_below == "on-demand");
    CHECK(b.cheaper_above == "fixed");
    CHECK(b.observed_gpu_hours_per_month == Approx(100 * 744));
  }
  SECTION("near-full use: the fixed lease wins") {
    const auto c = lease::compare_alternatives(alts, 1, 1,
                                               [](const cluster::SimulationInput& in) { return fake_result(in, 700); });
    CHECK(c.ranked.at(0).name == "fixed");
    CHECK(c.ranked.at(0).idle_fraction.mean == Approx(20.0 / 720));
  }
}

TEST_CASE("the monthly cost curve charges committed capacity first", "[lease]") {
  const auto alts = fixed_vs_on_demand();
  CHECK(lease::monthly_cost_at(alts[0].ledger, 0).micros() == 5'000'000'000'000);
  CHECK(lease::monthly_cost_at(alts[1].ledger, 1000).micros() == 10'500'000'000);
  CHECK(lease::monthly_capacity_gpu_hours(alts[0].ledger) == Approx(720 * 730.485).epsilon(1e-5));
}

TEST_CASE("the GPU-range compare file loads five alternatives on the default scenario's demand", "[lease]") {
  const auto load =
      scenario::load_compare_files(std::string(LEASESIM_SOURCE_DIR) + "/scenarios/reflection-gpu-range.json", {});
  INFO(load.format());
  REQUIRE(load.file.has_value());
  const auto& f = *load.file;
  REQUIRE(f.alternatives.size() == 5);
  CHECK(f.alternatives[0].scenario.cluster.racks == 249);
  CHECK(f.alternatives[1].scenario.cluster.racks == 288);
  CHECK(f.alternatives[2].scenario.cluster.racks == 367);
  CHECK(f.alternatives[0].scenario.leases[0].implied_price_per_gpu_hour(f.base.cluster.rack) ==
        Approx(11.46).margin(0.01));
  CHECK(f.alternatives[2].scenario.leases[0].implied_price_per_gpu_hour(f.base.cluster.rack) ==
        Approx(7.78).margin(0.01));
  CHECK(f.alternatives[3].scenario.cluster.racks == 288);
  for (const auto& a : f.alternatives) CHECK(a.scenario.jobs.size() == f.base.jobs.size());
}

TEST_CASE("a compare file needs two alternatives", "[lease]") {
  const auto load = scenario::load_compare_text(R"({"base": "reflection-colossus2.json", "alternatives": []})",
                                                "c.json", std::string(LEASESIM_SOURCE_DIR) + "/scenarios");
  // load_compare_text checks shape; the two-alternative rule applies to the whole set of files.
  REQUIRE(load.file.has_value());
  CHECK(load.file->alternatives.empty());
}

TEST_CASE(
    "an alternative's leases must fit the racks it gives and overlap the base's horizon; a cluster sized to them fits",
    "[lease][validate]") {
  const std::string dir = std::string(LEASESIM_SOURCE_DIR) + "/scenarios";
  const auto load = [&](const std::string& alternatives) {
    return scenario::load_compare_text(R"({"base": "reflection-colossus2.json", "alternatives": )" + alternatives + "}",
                                       "c.json", dir);
  };
  const std::string two_leases =
      R"([{"name": "fixed", "type": "fixed-monthly", "tenant": "reflection-ai", "fee_per_month": "$100M",
                                      "racks": 200, "start": "2026-07-01", "term": "36 months"},
                                     {"name": "od", "type": "on-demand", "tenant": "reflection-ai", "price_per_gpu_hour": "$10.50",
                                      "racks": 88, "start": "2026-07-01", "term": "36 months"}])";
  SECTION("sized to the leases: 288 racks") {
    const auto l = load(R"([{"name": "mix", "leases": )" + two_leases + "}]");
    INFO(l.format());
    REQUIRE(l.file.has_value());
    CHECK(l.file->alternatives[0].scenario.cluster.racks == 288);
  }
  SECTION("given 250 racks: the leases add up to more") {
    const auto l = load(R"([{"name": "mix", "racks": 250, "leases": )" + two_leases + "}]");
    CHECK(
        l.format() ==
        "c.json: /alternatives/0/leases/1: expected leases that fit the cluster's 18000 GPUs (250 racks x 72) at every "
        "instant, found 20736 GPUs leased on 2026-07-01 (\"fixed\" 14400 + \"od\" 6336)\n");
  }
  SECTION("a lease after the base's 36-month horizon") {
    const auto l =
        load(R"([{"name": "late", "leases": [{"name": "fixed", "type": "fixed-monthly", "tenant": "reflection-ai",
                            "fee_per_month": "$100M", "racks": 288, "start": "2030-01-01", "term": "12 months"}]}])");
    CHECK(l.format() ==
          "c.json: /alternatives/0/leases/0/start: expected a lease overlapping the horizon, 2026-07-01 to 2029-07-01, "
          "found 2030-01-01 to 2031-01-01\n");
  }
}

TEST_CASE("each alternative carries its cost month by month and to each month's end", "[lease]") {
  const auto alts = fixed_vs_on_demand();
  const auto c =
      lease::compare_alternatives(alts, 2, 1, [](const cluster::SimulationInput& in) { return fake_result(in, 100); });
  for (const auto& a : c.ranked) {
    REQUIRE(a.months.size() == 1);  // the one-month horizon
    const auto& m = a.months.front();
    CHECK(m.start_utc == 1782864000);
    CHECK(m.end_utc == 1782864000 + 31 * 86400);
    CHECK(m.cost_usd.mean == Approx(a.total_cost_usd.mean));
    CHECK(m.cumulative_usd.p90 == Approx(a.total_cost_usd.p90));
    REQUIRE(a.runs.front().monthly_cost_usd.size() == 1);
  }
  CHECK(c.ranked.at(0).months.front().cumulative_usd.mean == Approx(781'200));  // on-demand: 100 GPUs × 744 h × $10.50
}
