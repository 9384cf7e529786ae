// A market that exists (issue 13 §4): on-demand capacity is granted per replication with a chance
// that falls with the size asked for, never above the market's ceiling. A job that needs more than
// the market grants is not run on capacity that was never there, the bill is for what the
// simulation used, and a grant is the same draw across alternatives that differ only in price.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "cli_support.hpp"
#include "leasesim/cluster/random_stream.hpp"
#include "leasesim/cluster/simulate.hpp"
#include "leasesim/lease/ledger.hpp"
#include "leasesim/lease/on_demand.hpp"
#include "leasesim/report/compare_report.hpp"
#include "leasesim/scenario/scenario.hpp"

using namespace leasesim;
using nlohmann::json;

namespace {

// 8 GB300 racks; the lab holds 2 racks on a fixed lease and asks an on-demand market for 6 more
// (432 GPUs) whose ceiling is 288 GPUs (4 racks): 72 GPUs with chance 0.9, 288 with 0.5.
json market_scenario(long long job_gpus) {
  return json::parse(R"({
    "name": "market", "seed": 11,
    "cluster": {"rack": "gb300-nvl72", "racks": 8, "spare_trays_per_rack": 0,
                "fabric": {"technology": "infiniband", "nic_bandwidth": "800 Gb/s"}},
    "horizon": {"start": "2026-07-01", "length": "2 months"},
    "leases": [
      {"name": "own", "type": "fixed-monthly", "tenant": "lab", "fee_per_month": "$1M", "racks": 2,
       "start": "2026-07-01", "term": "2 months"},
      {"name": "market", "type": "on-demand", "tenant": "lab", "price_per_gpu_hour": "$10.00", "racks": 6,
       "start": "2026-07-01", "term": "2 months",
       "market": {"ceiling_gpus": 288, "availability_by_size": [{"gpus": 72, "probability": 0.9},
                                                                {"gpus": 288, "probability": 0.5}]}}
    ],
    "jobs": [{"name": "train", "tenant": "lab", "model": "llama3-8b", "tokens": "20B", "global_batch": 512,
              "precision": "fp8", "parallelism": "auto", "gpus": )" +
                     std::to_string(job_gpus) + R"(, "submit": "2026-07-01"}],
    "replications": 1
  })");
}

scenario::Scenario load(const json& doc) {
  const auto loaded = scenario::load_scenario_text(doc.dump(), "market.json");
  INFO(loaded.diagnostics.format());
  REQUIRE(loaded.scenario);
  return *loaded.scenario;
}

cluster::MarketCurve curve() {
  cluster::MarketCurve m;
  m.ceiling_gpus = 288;
  m.at = {{72, 0.9}, {288, 0.5}};
  m.block_gpus = 72;
  return m;
}

}  // namespace

TEST_CASE("a market's chance falls with the size, log-linear between points, none above the ceiling",
          "[lease][market]") {
  const auto m = curve();
  CHECK(m.probability_at_least(8) == 0.9);  // the first point's chance holds below it
  CHECK(m.probability_at_least(72) == 0.9);
  CHECK(m.probability_at_least(144) == Approx(0.7));  // halfway in ln N from 72 to 288
  CHECK(m.probability_at_least(288) == 0.5);
  CHECK(m.probability_at_least(289) == 0);  // above the ceiling: never
  // The grant for a request of 432 GPUs at draws u: the largest whole-rack size whose chance beats u.
  CHECK(m.grant(432, 0.95) == 0);    // not even one rack
  CHECK(m.grant(432, 0.80) == 72);   // P(≥ 144) = 0.7 < 0.8
  CHECK(m.grant(432, 0.60) == 144);  // P(≥ 216) = 0.583 < 0.6
  CHECK(m.grant(432, 0.49) == 288);  // the ceiling, never the 432 asked for
  CHECK(m.grant(432, 0.0) == 288);
  // E[grant] = 72 · (P(≥72) + P(≥144) + P(≥216) + P(≥288)) for whole racks.
  const double p216 = 0.9 - 0.4 * std::log(3.0) / std::log(4.0);
  CHECK(m.expected_grant(432) == Approx(72 * (0.9 + 0.7 + p216 + 0.5)));
  // Presets: the capacity-blocks ceiling is AWS's 256 instances of 8 GPUs.
  REQUIRE(lease::find_market_preset("capacity-blocks"));
  CHECK(lease::find_market_preset("capacity-blocks")->ceiling_gpus == 2048);
}

TEST_CASE("an on-demand request above the market's ceiling is not granted; a job needing it is rejected",
          "[lease][market]") {
  // 576 GPUs = the 144 of the own lease + all 432 asked on demand: above what any grant can give.
  const auto s = load(market_scenario(576));
  for (int rep = 0; rep < 20; ++rep) {
    auto in = scenario::to_simulation_input(s);
    in.seed = cluster::replication_seed(s.seed, rep);
    const auto r = cluster::simulate(in);
    REQUIRE(r.market_grants.size() == 1);
    CHECK(r.market_grants[0].requested_gpus == 432);
    CHECK(r.market_grants[0].granted_gpus <= 288);
    CHECK(r.market_grants[0].granted_gpus % 72 == 0);
    CHECK(r.market_grants[0].p_full == 0);
    REQUIRE(r.jobs.size() == 1);
    CHECK(r.jobs[0].status == "rejected");
    CHECK_THAT(r.jobs[0].reason, Catch::Contains("no grant exceeds its ceiling of 288 GPUs"));
    // compare's deadline table says it in a few words.
    CHECK(report::short_rejection(r.jobs[0].reason) == "needs " + std::to_string(r.jobs[0].gpus) +
                                                           " GPUs; market granted " +
                                                           std::to_string(r.market_grants[0].granted_gpus));
  }
}

TEST_CASE("market grants follow the curve over replications and bill only what was used", "[lease][market]") {
  // A 288-GPU job: the own 144 plus 144 from the market, which is there with chance 0.7.
  const auto s = load(market_scenario(288));
  int at_least_144 = 0, full_ceiling = 0;
  const int n = 200;
  for (int rep = 0; rep < n; ++rep) {
    auto in = scenario::to_simulation_input(s);
    in.seed = cluster::replication_seed(s.seed, rep);
    const auto r = cluster::simulate(in);
    const long long g = r.market_grants.at(0).granted_gpus;
    at_least_144 += g >= 144 ? 1 : 0;
    full_ceiling += g == 288 ? 1 : 0;
    // The job runs only when the grant makes room for it.
    const auto& job = r.jobs.at(0);
    if (g >= 144) {
      CHECK(job.start_s.has_value());
    } else {
      CHECK(!job.start_s.has_value());
    }
    if (rep < 5) {
      // The bill: the on-demand usage is the GPU-hours the tenant used beyond its own lease, at $10.
      const auto ledger = lease::build_ledger(scenario::to_ledger_input(s), r);
      const auto od = ledger.lease_total("market");
      CHECK(od.capacity <= g * 1000LL * 62 * 86400);  // never more capacity than granted (62 days)
      CHECK(od.usage_on("on_demand").micros() ==
            static_cast<std::int64_t>(std::llround(static_cast<double>(od.allocated) / 3.6e6 * 10.0 * 1e6)));
    }
  }
  // Binomial(200, 0.7) and (200, 0.5): within 4 standard deviations.
  CHECK(std::abs(at_least_144 - 0.7 * n) < 4 * std::sqrt(n * 0.7 * 0.3));
  CHECK(std::abs(full_ceiling - 0.5 * n) < 4 * std::sqrt(n * 0.5 * 0.5));
}

TEST_CASE("a market grant is the same draw across alternatives that differ in price (CRN)", "[lease][market]") {
  auto cheap = market_scenario(288), dear = market_scenario(288);
  dear["leases"][1]["price_per_gpu_hour"] = "$20.00";
  dear["jobs"][0]["tokens"] = "25B";  // demand changes too: the grant must not
  for (int rep = 0; rep < 10; ++rep) {
    auto a = scenario::to_simulation_input(load(cheap)), b = scenario::to_simulation_input(load(dear));
    a.seed = b.seed = cluster::replication_seed(11, rep);
    CHECK(cluster::simulate(a).market_grants.at(0).granted_gpus ==
          cluster::simulate(b).market_grants.at(0).granted_gpus);
  }
}

TEST_CASE("market keys: presets, points that must fall, not with availability", "[lease][market][loader]") {
  auto doc = market_scenario(144);
  doc["leases"][1]["market"] = "capacity-blocks";
  CHECK(scenario::load_scenario_text(doc.dump(), "m.json").scenario);
  doc["leases"][1]["market"] = "capacity-block";
  auto bad = scenario::load_scenario_text(doc.dump(), "m.json");
  CHECK_FALSE(bad.scenario);
  CHECK_THAT(bad.diagnostics.format(), Catch::Contains("/leases/1/market") && Catch::Contains("capacity-blocks"));
  doc["leases"][1]["market"] =
      json::parse(R"({"availability_by_size": [{"gpus": 72, "probability": 0.5}, {"gpus": 288, "probability": 0.9}]})");
  bad = scenario::load_scenario_text(doc.dump(), "m.json");
  CHECK_FALSE(bad.scenario);
  CHECK_THAT(bad.diagnostics.format(), Catch::Contains("/leases/1/market/availability_by_size/1/probability") &&
                                           Catch::Contains("a larger block is no likelier"));
  doc["leases"][1]["market"] = "neocloud";
  doc["leases"][1]["availability"] = 0.8;
  bad = scenario::load_scenario_text(doc.dump(), "m.json");
  CHECK_FALSE(bad.scenario);
  CHECK_THAT(bad.diagnostics.format(), Catch::Contains("one of \"availability\" or \"market\""));
}

TEST_CASE("run reports what the market granted", "[lease][market][cli]") {
  leasesim::test::ScratchDir dir;
  const auto file = dir.path() / "market.json";
  std::ofstream(file) << market_scenario(288).dump();
  const auto r = leasesim::test::run_cli({"run", file.string(), "--replications", "4"});
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("market: on-demand lease market asked for 432 GPUs (ceiling 288)"));
  const auto j = leasesim::test::run_cli({"run", file.string(), "--format", "json"});
  REQUIRE(j.code == 0);
  const auto doc = json::parse(j.out);
  CHECK(doc["cluster"]["market"]["market"]["requested_gpus"] == 432);
  CHECK(doc["cluster"]["market"]["market"]["ceiling_gpus"] == 288);
}
