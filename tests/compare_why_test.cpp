// `leasesim compare` says why an alternative wins (issue 11 §5): each listed job's end against its
// deadline per alternative (P10/P50/P90 replications, share met, why a job was rejected), a
// break-even table that never calls identical alternatives cheaper nor names one alternative
// cheaper both below and above, ties ranked by a stated rule, and a provider margin that is "n/a"
// without provider costs.
#include <catch2/catch.hpp>

#include <algorithm>

#include <nlohmann/json.hpp>
#include <fstream>
#include <map>
#include <regex>

#include "cli_support.hpp"
#include "leasesim/cluster/simulate.hpp"
#include "leasesim/lease/comparison.hpp"
#include "leasesim/lease/contract_type.hpp"
#include "leasesim/lease/fixed_monthly.hpp"
#include "leasesim/lease/on_demand.hpp"
#include "leasesim/report/compare_report.hpp"
#include "leasesim/report/lease_report.hpp"
#include "leasesim/scenario/compare_file.hpp"
#include "leasesim/study/compare.hpp"

using namespace leasesim;
using Json = nlohmann::json;

namespace {

const std::int64_t july_2026 = 1782864000;  // 2026-07-01T00:00:00Z
const std::int64_t month_s = 31 * 86400;

// A month of `gpus` GPUs, 100 of them busy all month for tenant "t", plus the listed `jobs`.
cluster::SimulationResult fake_result(const cluster::SimulationInput& in, std::vector<cluster::JobResult> jobs = {}) {
  cluster::SimulationResult r;
  const std::int64_t ms = month_s * 1000;
  const std::int64_t gpus = in.cluster.gpus(), busy = std::min<std::int64_t>(100, gpus);
  cluster::MonthLedger m;
  m.month_start_utc = in.start_utc;
  m.month_end_utc = in.start_utc + month_s;
  m.gpu_ms.productive = busy * ms;
  m.gpu_ms.idle = (gpus - busy) * ms;
  r.months.push_back(m);
  cluster::TenantMonth tm;
  tm.tenant = "t";
  tm.month_start_utc = in.start_utc;
  tm.gpu_ms.productive = busy * ms;
  tm.tokens_trained = static_cast<double>(busy) * 1e6;
  r.tenant_months.push_back(tm);
  r.jobs = std::move(jobs);
  return r;
}

lease::Alternative alternative(std::string name, lease::Lease l) {
  lease::Alternative a;
  a.name = std::move(name);
  a.input.cluster.rack.gpus = 72;
  a.input.cluster.rack.gpus_per_node = 4;
  a.input.cluster.racks = 10;
  a.input.start_utc = july_2026;
  a.input.horizon_s = month_s;
  l.tenant = "t";
  l.start = a.input.start_utc;
  l.term_months = 1;
  l.racks = 10;
  a.ledger.rack = a.input.cluster.rack;
  a.ledger.leases = {l};
  a.ledger.tenants = lease::resolve_tenants(a.ledger.leases, {});
  return a;
}

lease::Lease fixed_lease(std::int64_t fee_micros = 5'000'000'000'000) {  // $5M a month for 720 GPUs
  lease::Lease l;
  l.name = "fixed";
  l.type = "fixed-monthly";
  l.terms = lease::FixedMonthlyTerms{units::Money::from_micros(fee_micros)};
  return l;
}

lease::Lease on_demand_lease(std::int64_t price_micros) {
  lease::Lease l;
  l.name = "od";
  l.type = "on-demand";
  l.terms.edit<lease::OnDemandTerms>().price_per_gpu_hour = units::Money::from_micros(price_micros);
  return l;
}

cluster::JobResult listed_job(std::optional<double> end_s, double deadline_s) {
  cluster::JobResult j;
  j.name = "pretrain";
  j.tenant = "t";
  j.deadline_s = deadline_s;
  j.end_s = end_s;
  j.status = end_s ? "completed" : "running";
  if (end_s)
    j.deadline_met = *end_s <= deadline_s;
  else if (deadline_s <= month_s)
    j.deadline_met = false;
  return j;
}

const Json* find_alternative(const Json& doc, const std::string& name) {
  for (const auto& a : doc["alternatives"])
    if (a["alternative"] == name) return &a;
  return nullptr;
}

std::size_t widest_line(const std::string& text) {
  std::size_t most = 0;
  for (const auto& line : test::split_lines(text)) {
    // UTF-8 continuation bytes take no column.
    std::size_t cols = 0;
    for (unsigned char ch : line) cols += (ch & 0xC0) != 0x80 ? 1 : 0;
    most = std::max(most, cols);
  }
  return most;
}

// The text of the table titled `title` in `text`, up to the next blank line.
std::string table_of(const std::string& text, const std::string& title) {
  const auto at = text.find(title);
  if (at == std::string::npos) return "";
  const auto end = text.find("\n\n", at);
  return text.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

}  // namespace

// --- per-job deadlines --------------------------------------------------------------------------

TEST_CASE("compare: an alternative too small for the deadline job says it was rejected and why", "[compare]") {
  // The 1,008-GPU partition with its 512-GPU pretraining run: 14 racks hold it; 7 racks with 2 spare
  // trays each schedule only 7 x 64 = 448 GPUs, so the simulation rejects the run.
  const auto load = scenario::load_compare_text(R"({
      "name": "too-few-racks", "base": "sweeps/small-cluster.json", "replications": 2,
      "alternatives": [
        {"name": "14-racks", "leases": [{"name": "partition", "type": "fixed-monthly", "tenant": "lab",
          "fee_per_month": "$7.2M", "racks": 14, "start": "2026-07-01", "term": "12 months"}]},
        {"name": "7-racks", "leases": [{"name": "partition", "type": "fixed-monthly", "tenant": "lab",
          "fee_per_month": "$3.6M", "racks": 7, "start": "2026-07-01", "term": "12 months"}]}]})",
                                                "c.json", std::string(LEASESIM_SOURCE_DIR) + "/scenarios");
  INFO(load.format());
  REQUIRE(load.file.has_value());
  study::CompareOptions options;
  options.replications = 2;
  const auto c = study::compare(*load.file, options);
  REQUIRE(c.ranked.size() == 2);
  CHECK(c.ranked[0].name == "14-racks");
  const auto& small = c.ranked[1];
  REQUIRE(small.jobs.size() == 1);  // generated post-training and eval jobs have no deadline
  const auto& j = small.jobs[0];
  CHECK(j.name == "pretrain-70b");
  CHECK(j.deadline_met == std::optional<bool>(false));
  CHECK(j.deadline_met_fraction == 0.0);
  CHECK_FALSE(j.end_s.has_value());
  CHECK(j.rejected_reason.rfind("needs 512 GPUs in NVLink groups of ", 0) == 0);
  CHECK(report::short_rejection(j.rejected_reason) == "needs 512 GPUs; 448 schedulable");

  const auto& big = c.ranked[0].jobs.at(0);
  CHECK(big.deadline_met == std::optional<bool>(true));
  CHECK(big.deadline_met_fraction == 1.0);
  REQUIRE(big.end_s.has_value());
  CHECK(*big.end_s <= big.deadline_s);
  CHECK(big.rejected_reason.empty());

  const Json doc = report::compare_json("too-few-racks", c);
  const Json* s = find_alternative(doc, "7-racks");
  REQUIRE(s != nullptr);
  REQUIRE((*s)["jobs"].size() == 1);
  const Json& sj = (*s)["jobs"][0];
  std::vector<std::string> keys;
  for (auto it = sj.begin(); it != sj.end(); ++it) keys.push_back(it.key());
  CHECK(keys == std::vector<std::string>{"cost_usd", "deadline", "deadline_met", "deadline_met_fraction", "end",
                                         "end_p10", "end_p90", "miss_probability", "name", "rejected_reason"});
  CHECK(sj["cost_usd"]["mean"] == 0.0);  // a rejected job used nothing
  CHECK(sj["deadline"] == "2026-09-20");
  CHECK(sj["deadline_met"] == false);
  CHECK(sj["end"].is_null());
  CHECK(sj["end_p10"].is_null());
  CHECK(sj["rejected_reason"] == "needs 512 GPUs; 448 schedulable");
  const Json& bj = (*find_alternative(doc, "14-racks"))["jobs"][0];
  CHECK(std::regex_match(bj["end"].get<std::string>(), std::regex(R"(2026-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
  CHECK(bj["rejected_reason"].is_null());
  CHECK(bj["deadline_met"] == true);

  const std::string text = report::compare_text("too-few-racks", c);
  const std::string deadlines = table_of(text, "Deadlines by alternative");
  INFO(text);
  CHECK(deadlines.find("needs 512 GPUs; 448 schedulable") != std::string::npos);
  CHECK(std::regex_search(deadlines, std::regex(R"(7-racks +pretrain-70b +rejected +- +2026-09-20 +NO +- +needs)")));
  CHECK(widest_line(deadlines) <= 120);

  const std::string csv = report::compare_jobs_csv(c);
  CHECK(
      test::split_lines(csv).at(0) ==
      "rank,alternative,job,end,end_p10,end_p90,deadline,deadline_met,deadline_met_fraction,cost_usd,rejected_reason");
  CHECK(csv.find("2,7-racks,pretrain-70b,,,,2026-09-20,false,0.0,0.0,needs 512 GPUs; 448 schedulable") !=
        std::string::npos);
}

TEST_CASE(
    "compare: a job's end over replications is its interpolated P10/P50/P90, with the share that met the deadline",
    "[compare]") {
  // Four replications end the job on day 10, 20, 25 and never (unfinished; deadline day 22 is inside
  // the horizon, so that one missed). Sorted with unfinished last, the R-7 quantiles of every other
  // P90: P10 at position 0.3 = day 13, P50 at 1.5 = day 22.5 (late), P90 at 2.7 reaches the
  // unfinished one: none.
  const double day = 86400, deadline = 22 * day;
  const std::vector<std::optional<double>> ends{20 * day, std::nullopt, 10 * day, 25 * day};
  std::map<std::uint64_t, std::optional<double>> by_seed;
  int next = 0;
  const auto alts = std::vector<lease::Alternative>{alternative("a", fixed_lease()), alternative("b", fixed_lease())};
  const auto c = lease::compare_alternatives(alts, 4, 9, [&](const cluster::SimulationInput& in) {
    if (!by_seed.count(in.seed)) by_seed[in.seed] = ends.at(static_cast<std::size_t>(next++));
    return fake_result(in, {listed_job(by_seed[in.seed], deadline)});
  });
  const auto& j = c.ranked.at(0).jobs.at(0);
  REQUIRE(j.end_p10_s.has_value());
  CHECK(*j.end_p10_s == Approx(13 * day));
  REQUIRE(j.end_s.has_value());
  CHECK(*j.end_s == Approx(22.5 * day));
  CHECK_FALSE(j.end_p90_s.has_value());
  CHECK(j.deadline_met == std::optional<bool>(false));  // the P50 replication's verdict
  CHECK(j.deadline_met_fraction == 0.5);
  const Json jj = report::compare_json("t", c)["alternatives"][0]["jobs"][0];
  CHECK(jj["end"] == "2026-07-23T12:00:00Z");
  CHECK(jj["end_p10"] == "2026-07-14");
  CHECK(jj["end_p90"].is_null());
  CHECK(jj["deadline"] == "2026-07-23");
  CHECK(jj["deadline_met_fraction"] == 0.5);
  const std::string text = report::compare_text("t", c);
  INFO(text);
  CHECK(text.find("missed in 2 of 4 runs") != std::string::npos);
  CHECK(text.find("2026-07-14..not done") != std::string::npos);  // P90 unfinished: full dates
}

// --- break-even and ties ------------------------------------------------------------------------

TEST_CASE("compare: identical alternatives cost the same at every demand, and their tie is broken by name",
          "[compare]") {
  // Listed "b" first: the rank rule, not the input order, decides.
  const auto alts = std::vector<lease::Alternative>{alternative("b", fixed_lease()), alternative("a", fixed_lease())};
  const auto c =
      lease::compare_alternatives(alts, 2, 3, [](const cluster::SimulationInput& in) { return fake_result(in); });
  REQUIRE(c.ranked.size() == 2);
  CHECK(c.ranked[0].total_cost_usd.mean == c.ranked[1].total_cost_usd.mean);
  CHECK(c.ranked[0].name == "a");
  CHECK(c.ranked[1].name == "b");
  REQUIRE(c.break_evens.size() == 1);
  const auto& b = c.break_evens[0];
  CHECK(b.order == lease::CostOrder::same);
  CHECK_FALSE(b.crosses);
  CHECK(b.crossings.empty());
  CHECK(b.cheaper_below.empty());
  CHECK(b.cheaper_above.empty());

  const Json doc = report::compare_json("t", c);
  CHECK(doc["rank_rule"] ==
        "fewest mean deadline misses, then lowest mean $/M tokens, then lowest mean total cost, then name (A-Z, "
        "bytewise); a $/M tokens or $/productive GPU-hour of 0 (nothing trained) counts as the worst");
  const Json& be = doc["break_evens"][0];
  CHECK(be["cost_order"] == "same");
  CHECK(be["verdict"] == "same cost at every demand");
  CHECK(be["cheaper_below"].is_null());
  CHECK(be["cheaper_above"].is_null());
  CHECK(be["break_even_gpu_hours_per_month"].is_null());

  const std::string table = table_of(report::compare_text("t", c), "Break-even demand");
  INFO(table);
  const auto row = test::split_lines(table).back();
  CHECK(row.find("same cost at every demand") != std::string::npos);
  CHECK(row.find("cheaper") == std::string::npos);
  CHECK(report::compare_text("t", c).find("Ties: fewest mean deadline misses") != std::string::npos);
}

TEST_CASE("compare: an alternative cheaper at every demand is said to be, once, not cheaper below and above",
          "[compare]") {
  // Two on-demand leases of the same 720 GPUs at $10.50 and $17.80: equal at zero demand, then the
  // first is cheaper all the way to capacity.
  auto cheap = on_demand_lease(10'500'000), dear = on_demand_lease(17'800'000);
  const auto alts = std::vector<lease::Alternative>{alternative("dear", dear), alternative("cheap", cheap)};
  SECTION("the winner dominates") {
    const auto c =
        lease::compare_alternatives(alts, 1, 1, [](const cluster::SimulationInput& in) { return fake_result(in); });
    REQUIRE(c.ranked.at(0).name == "cheap");
    const auto& b = c.break_evens.at(0);
    CHECK(b.order == lease::CostOrder::first_cheaper);
    CHECK_FALSE(b.crosses);
    const Json be = report::compare_json("t", c)["break_evens"][0];
    CHECK(be["cost_order"] == "winner_cheaper");
    CHECK(be["verdict"] == "cheap cheaper at every demand");
    const auto row = test::split_lines(table_of(report::compare_text("t", c), "Break-even demand")).back();
    CHECK(std::regex_search(row, std::regex(R"(^cheap +dear +never +- +74,400 +cheap cheaper at every demand$)")));
  }
  SECTION("the winner (fewer deadline misses) is dominated on cost") {
    // "dear" meets its job's deadline, "cheap" misses it: ranked on misses first, "dear" wins, and the
    // break-even table says the loser is the cheaper one at every demand.
    std::vector<lease::Alternative> two = alts;
    two[0].input.cluster.racks = 11;  // "dear": tells the fake which alternative it runs
    const auto d = lease::compare_alternatives(two, 1, 1, [](const cluster::SimulationInput& in) {
      const double deadline = 20 * 86400;
      return fake_result(in, {listed_job(in.cluster.racks == 11 ? 10 * 86400.0 : 25 * 86400.0, deadline)});
    });
    REQUIRE(d.ranked.at(0).name == "dear");
    const auto& b = d.break_evens.at(0);
    CHECK(b.order == lease::CostOrder::second_cheaper);
    CHECK(b.cheaper_below == "cheap");
    CHECK(b.cheaper_above == "cheap");
    CHECK(report::compare_json("t", d)["break_evens"][0]["verdict"] == "cheap cheaper at every demand");
    const auto& missed = d.ranked.at(1).jobs.at(0);
    CHECK(missed.deadline_met == std::optional<bool>(false));
    CHECK(report::compare_text("t", d).find("finished late") != std::string::npos);
  }
}

TEST_CASE("compare: curves that cross once name the cheaper one below and above the break-even", "[compare]") {
  const auto alts = std::vector<lease::Alternative>{alternative("fixed", fixed_lease()),
                                                    alternative("on-demand", on_demand_lease(10'500'000))};
  const auto c =
      lease::compare_alternatives(alts, 1, 1, [](const cluster::SimulationInput& in) { return fake_result(in); });
  const auto& b = c.break_evens.at(0);
  CHECK(b.order == lease::CostOrder::crosses);
  REQUIRE(b.crossings.size() == 1);
  CHECK(b.crossings[0] == Approx(5e6 / 10.5).epsilon(1e-6));
  CHECK(b.cheaper_below == "on-demand");
  CHECK(b.cheaper_above == "fixed");
  CHECK(report::compare_json("t", c)["break_evens"][0]["verdict"] == "on-demand below, fixed above");
}

// --- provider margin ----------------------------------------------------------------------------

TEST_CASE("compare: the provider margin is n/a without provider costs, and $ with a margin % with them", "[compare]") {
  auto run = [](const cluster::SimulationInput& in) { return fake_result(in); };
  SECTION("no lease carries the provider rider") {
    const auto alts = std::vector<lease::Alternative>{alternative("fixed", fixed_lease()),
                                                      alternative("on-demand", on_demand_lease(10'500'000))};
    const auto c = lease::compare_alternatives(alts, 1, 1, run);
    CHECK_FALSE(c.provider_costs);
    for (const auto& a : c.ranked) CHECK_FALSE(a.provider_margin_usd.has_value());
    const Json doc = report::compare_json("t", c);
    CHECK(doc["provider_costs"] == false);
    for (const auto& a : doc["alternatives"]) {
      CHECK(a["provider_margin_usd"].is_null());
      CHECK(a["provider_margin_fraction"].is_null());
    }
    const std::string text = report::compare_text("t", c);
    INFO(text);
    const auto lines = test::split_lines(text);
    const auto first =
        std::find_if(lines.begin(), lines.end(), [](const std::string& l) { return l.rfind("1 ", 0) == 0; });
    REQUIRE(first != lines.end());
    CHECK(std::regex_search(*first, std::regex(R"(^1 .* n/a$)")));  // the first ranked row
    CHECK(text.find("Provider margin: n/a") != std::string::npos);
    const auto csv = test::split_lines(report::compare_csv(c));
    CHECK(csv.at(0).find(",provider_margin_usd_mean,provider_margin_fraction") != std::string::npos);
    CHECK(csv.at(1).substr(csv.at(1).size() - 2) == ",,");
  }
  SECTION("the fixed lease carries capex and opex") {
    auto fixed = fixed_lease();
    fixed.provider =
        lease::ProviderCosts{units::Money::from_micros(3'600'000'000'000), 72,
                             units::Money::from_micros(25'000'000'000), std::nullopt};  // $3.6M/72 + $25k a rack-month
    const auto alts = std::vector<lease::Alternative>{alternative("fixed", fixed),
                                                      alternative("on-demand", on_demand_lease(10'500'000))};
    const auto c = lease::compare_alternatives(alts, 1, 1, run);
    CHECK(c.provider_costs);
    const auto& f = c.ranked.at(1);
    REQUIRE(f.name == "fixed");
    REQUIRE(f.provider_margin_usd.has_value());
    // The same figure the ledger gives the lease: revenue $5M less 10 rack-months x ($50k + $25k).
    const auto ledger = lease::build_ledger(alts[0].ledger, fake_result(alts[0].input));
    const auto lf = ledger.lease_total("fixed");
    CHECK(f.provider_margin_usd->mean == Approx(lf.provider_margin().dollars()));
    CHECK(f.provider_revenue_usd->mean == Approx(lf.provider_revenue().dollars()));
    CHECK(f.provider_margin_usd->mean == Approx(4.25e6).epsilon(0.01));
    CHECK(*f.provider_margin_fraction == Approx(f.provider_margin_usd->mean / f.provider_revenue_usd->mean));
    CHECK(*f.provider_margin_fraction < 1);
    CHECK_FALSE(c.ranked.at(0).provider_margin_usd.has_value());  // on-demand has no provider rider
    const Json doc = report::compare_json("t", c);
    CHECK(doc["provider_costs"] == true);
    CHECK((*find_alternative(doc, "fixed"))["provider_margin_usd"]["mean"] == Approx(lf.provider_margin().dollars()));
    CHECK((*find_alternative(doc, "on-demand"))["provider_margin_usd"].is_null());
    const std::string text = report::compare_text("t", c);
    INFO(text);
    CHECK(std::regex_search(text, std::regex(R"(fixed .* \$4\.2\dM \(8\d\.\d%\)\n)")));
    CHECK(text.find("Provider margin: n/a") == std::string::npos);
  }
}

// --- the CLI ------------------------------------------------------------------------------------

TEST_CASE("compare --csv jobs writes one row per alternative x job with a deadline", "[compare][cli]") {
  test::ScratchDir dir;
  const auto file = dir.path() / "c.json";
  std::ofstream(file) << R"({"name": "two", "base": ")" << test::source_dir << R"(/scenarios/sweeps/small-cluster.json",
    "alternatives": [
      {"name": "14-racks", "leases": [{"name": "p", "type": "fixed-monthly", "tenant": "lab", "fee_per_month": "$7.2M",
        "racks": 14, "start": "2026-07-01", "term": "12 months"}]},
      {"name": "7-racks", "leases": [{"name": "p", "type": "fixed-monthly", "tenant": "lab", "fee_per_month": "$3.6M",
        "racks": 7, "start": "2026-07-01", "term": "12 months"}]}]})";
  const auto r = test::run_cli({"compare", file.string(), "--format", "csv", "--csv", "jobs"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  const auto lines = test::split_lines(r.out);
  REQUIRE(lines.size() == 3);
  CHECK(std::regex_match(
      lines[1], std::regex(R"(1,14-racks,pretrain-70b,2026-\S+Z,2026-\S+Z,2026-\S+Z,2026-09-20,true,1.0,[0-9.]+,)")));
  CHECK(lines[2] == "2,7-racks,pretrain-70b,,,,2026-09-20,false,0.0,0.0,needs 512 GPUs; 448 schedulable");
  const auto bad = test::run_cli({"compare", file.string(), "--format", "csv", "--csv", "months"});
  CHECK(bad.code == 2);
}

TEST_CASE("run's lease totals: the provider margin is n/a without provider costs, a figure with them", "[compare]") {
  auto fixed = fixed_lease();
  auto a = alternative("fixed", fixed);
  auto totals = [](const lease::Alternative& alt) {
    const auto table = report::lease_totals_table(lease::build_ledger(alt.ledger, fake_result(alt.input)));
    return test::split_lines(table.to_text());
  };
  auto lines = totals(a);
  INFO(lines.back());
  CHECK(std::regex_search(lines.back(), std::regex(R"(^all .* n/a +n/a$)")));
  a.ledger.leases[0].provider = lease::ProviderCosts{units::Money::from_micros(3'600'000'000'000), 72,
                                                     units::Money::from_micros(25'000'000'000), std::nullopt};
  lines = totals(a);
  INFO(lines.back());
  CHECK(std::regex_search(lines.back(), std::regex(R"(^all .* \$4\.2\dM +\$42\dk$)")));  // $ and $/rack-month
}

TEST_CASE("compare: each deadline job carries its own cost, not the alternative's pooled $/M tokens",
          "[compare][cost]") {
  // Two on-demand alternatives on the same 14 racks: the same simulation (common random numbers),
  // so the 512-GPU pretraining's cost is its GPU-hours at each price — in the ratio of the prices.
  const auto load = scenario::load_compare_text(R"({
      "name": "two-prices", "base": "sweeps/small-cluster.json", "replications": 2,
      "alternatives": [
        {"name": "od-2", "racks": 14, "leases": [{"name": "od", "type": "on-demand", "tenant": "lab",
          "price_per_gpu_hour": "$2", "racks": 14, "start": "2026-07-01", "term": "12 months"}]},
        {"name": "od-3", "racks": 14, "leases": [{"name": "od", "type": "on-demand", "tenant": "lab",
          "price_per_gpu_hour": "$3", "racks": 14, "start": "2026-07-01", "term": "12 months"}]}]})",
                                                "c.json", std::string(LEASESIM_SOURCE_DIR) + "/scenarios");
  INFO(load.format());
  REQUIRE(load.file.has_value());
  study::CompareOptions options;
  options.replications = 2;
  const auto c = study::compare(*load.file, options);
  REQUIRE(c.ranked.size() == 2);
  const auto& cheap = c.ranked[0].name == "od-2" ? c.ranked[0] : c.ranked[1];
  const auto& dear = c.ranked[0].name == "od-2" ? c.ranked[1] : c.ranked[0];
  REQUIRE(cheap.jobs.size() == 1);
  REQUIRE(dear.jobs.size() == 1);
  CHECK(cheap.jobs[0].cost_usd.mean > 0);
  CHECK(dear.jobs[0].cost_usd.mean == Approx(1.5 * cheap.jobs[0].cost_usd.mean).epsilon(1e-9));
  // Less than the alternative's whole cost: the post-training and eval streams pay their own share.
  CHECK(cheap.jobs[0].cost_usd.mean < 0.95 * cheap.total_cost_usd.mean);
  const Json doc = report::compare_json("two-prices", c);
  CHECK((*find_alternative(doc, "od-3"))["jobs"][0]["cost_usd"]["mean"].get<double>() ==
        Approx(dear.jobs[0].cost_usd.mean));
}

TEST_CASE("the why column names the predecessor of a blocked chained job", "[compare]") {
  CHECK(report::short_rejection("predecessor pretrain-2t-fp8 rejected: needs 16384 GPUs; the leases of \"r\" provide "
                                "at most 5312 schedulable GPUs at any time") == "blocked: pretrain-2t-fp8 rejected");
  CHECK(report::short_rejection("predecessor sft-2t blocked: predecessor long-context-2t rejected: x") ==
        "blocked: sft-2t blocked");
  CHECK(report::short_rejection("waiting for pretrain-70b, unfinished at the horizon end") ==
        "blocked: pretrain-70b unfinished");
  CHECK(report::short_rejection("waiting for rl, not submitted by the horizon end") == "blocked: rl not submitted");
}
