// The application layer (src/study): `leasesim run`, a sweep point and a compare alternative go
// through one pipeline, so the same scenario on the same seeds gives the same document and the
// same bill whichever command asks. A second copy of the pipeline drifting (a ledger built from
// different inputs, replications seeded differently, a document missing a block) breaks these.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <string>

#include "leasesim/cluster/random_stream.hpp"
#include "leasesim/scenario/compare_file.hpp"
#include "leasesim/scenario/scenario.hpp"
#include "leasesim/study/compare.hpp"
#include "leasesim/study/run_scenario.hpp"
#include "leasesim/sweep/point_result.hpp"

using namespace leasesim;
using nlohmann::json;

namespace {

const std::string small_cluster = std::string(LEASESIM_SOURCE_DIR) + "/scenarios/sweeps/small-cluster.json";

scenario::Scenario load_small(int replications) {
  const auto loaded = scenario::load_scenario_file(small_cluster);
  INFO(loaded.diagnostics.format());
  REQUIRE(loaded.scenario);
  auto s = *loaded.scenario;
  s.replications = replications;
  return s;
}

}  // namespace

TEST_CASE("run and a sweep point give the same aggregated document for the same scenario", "[study]") {
  const auto s = load_small(2);
  const study::RunOutcome run = study::run_scenario(s);
  REQUIRE(run.results.size() == 2);
  REQUIRE(run.ledgers.size() == 2);  // the scenario holds a lease
  REQUIRE(run.documents.size() == 2);
  CHECK(run.document.at("replications") == 2);
  CHECK(run.document.contains("lease_totals"));
  // Two seeds, two histories: the replications are not one run copied.
  CHECK(run.documents[0].dump() != run.documents[1].dump());

  sweep::SweepPoint point;
  point.index = 0;
  point.seed = s.seed;
  point.scenario = s;
  const sweep::PointResult swept = sweep::evaluate_point(point, {}, {}, {});
  CHECK(swept.result.dump() == run.document.dump());
}

TEST_CASE("a replication's document is the same whether its ledger is built inside or handed in", "[study]") {
  const auto s = load_small(1);
  const lease::LedgerInput ledger_input = scenario::to_ledger_input(s);
  const study::Replication rep = study::run_replication(scenario::to_simulation_input(s), &ledger_input);
  REQUIRE(rep.ledger);
  const json inside = study::replication_document(s, rep.result);
  const json handed = study::replication_document(s, rep.result, &*rep.ledger);
  CHECK(inside.dump() == handed.dump());
  // And equal to the first replication of run_scenario (seed replication_seed(seed, 0)).
  const study::RunOutcome run = study::run_scenario(s);
  auto in = scenario::to_simulation_input(s);
  in.seed = cluster::replication_seed(s.seed, 0);
  const study::Replication first = study::run_replication(in, &ledger_input);
  CHECK(study::replication_document(s, first.result).dump() == run.documents.at(0).dump());
}

TEST_CASE("a compare alternative holding the scenario's own lease is billed what run bills, per replication",
          "[study]") {
  const auto load = scenario::load_compare_text(R"({
      "name": "same-and-half", "base": "sweeps/small-cluster.json", "replications": 2,
      "alternatives": [
        {"name": "same", "leases": [{"name": "partition", "type": "fixed-monthly", "tenant": "lab",
          "fee_per_month": "$7.2M", "racks": 14, "start": "2026-07-01", "term": "12 months"}]},
        {"name": "half-price", "leases": [{"name": "partition", "type": "fixed-monthly", "tenant": "lab",
          "fee_per_month": "$3.6M", "racks": 14, "start": "2026-07-01", "term": "12 months"}]}]})",
                                                "c.json", std::string(LEASESIM_SOURCE_DIR) + "/scenarios");
  INFO(load.format());
  REQUIRE(load.file);
  const lease::Comparison c = study::compare(*load.file);
  REQUIRE(c.ranked.size() == 2);
  const auto& same = c.ranked[0].name == "same" ? c.ranked[0] : c.ranked[1];
  const auto& half = c.ranked[0].name == "same" ? c.ranked[1] : c.ranked[0];
  REQUIRE(same.runs.size() == 2);

  const auto s = load_small(2);
  const study::RunOutcome run = study::run_scenario(s);
  for (std::size_t i = 0; i < 2; ++i) {
    INFO("replication " << i);
    const json& total = run.documents[i].at("lease_totals").at("total");
    CHECK(same.runs[i].total_cost.micros() == total.at("tenant_cost_micro_usd").get<std::int64_t>());
    CHECK(same.runs[i].seed == cluster::replication_seed(s.seed, static_cast<int>(i)));
    // The same demand at half the fee: $3.6M x 12 months less, to the micro-dollar.
    CHECK(same.runs[i].total_cost.micros() - half.runs[i].total_cost.micros() == 3'600'000LL * 12 * 1'000'000);
  }
}

TEST_CASE("replications spread over run_many give the same document as one after another, in any order",
          "[study][replications]") {
  const auto loaded = scenario::load_scenario_file(std::string(LEASESIM_SOURCE_DIR) + "/scenarios/roadmap-small.json");
  REQUIRE(loaded.scenario);
  scenario::Scenario s = *loaded.scenario;
  s.replications = 4;
  const study::RunOutcome plain = study::run_scenario(s);
  // Replications 2..4 finish in reverse order and come back as JSON text; replication 1 runs last.
  study::RunOptions spread;
  std::size_t asked = 0;
  spread.run_many = [&](std::size_t count, const std::function<std::string(std::size_t)>& run,
                        const std::function<void(std::size_t, const std::string&)>& done) {
    asked = count;
    for (std::size_t i = count; i-- > 0;) done(i, run(i));
  };
  int reported = 0;
  spread.on_replication = [&](int n) { reported = n; };
  const study::RunOutcome r = study::run_scenario(s, spread);
  CHECK(asked == 3);
  CHECK(reported == 4);
  REQUIRE(r.documents.size() == 4);
  for (std::size_t k = 0; k < 4; ++k) CHECK(r.documents[k].dump() == plain.documents[k].dump());
  CHECK(r.document.dump() == plain.document.dump());
  // Replication 1's own result and ledger stay here (the run's terminal ledger reads them).
  REQUIRE(r.results.size() == 1);
  REQUIRE(r.ledgers.size() == 1);
  CHECK(r.ledgers[0].total().tenant_cost() == plain.ledgers[0].total().tenant_cost());
}
