// `leasesim sensitivity`: one-at-a-time swings on common random numbers. The ranking must follow the
// effect of each swing (a deliberately dominant input first, whichever it is), a factor of 1 must
// reproduce the base run exactly (same seeds, same draws), and a price factor must scale the bill
// exactly.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <string>

#include "cli_support.hpp"
#include "leasesim/scenario/scenario.hpp"
#include "leasesim/study/sensitivity.hpp"
#include "leasesim/study/sensitivity_report.hpp"

using namespace leasesim;
using nlohmann::json;

namespace {

const std::string small_cluster = std::string(LEASESIM_SOURCE_DIR) + "/scenarios/sweeps/small-cluster.json";

scenario::Scenario load_small() {
  const auto loaded = scenario::load_scenario_file(small_cluster);
  INFO(loaded.diagnostics.format());
  REQUIRE(loaded.scenario);
  return *loaded.scenario;
}

study::SensitivityOptions swings(std::vector<study::Swing> w, study::SensitivityRank by) {
  study::SensitivityOptions o;
  o.swings = std::move(w);
  o.rank_by = by;
  return o;
}

}  // namespace

TEST_CASE("sensitivity ranks the deliberately dominant input first, whichever it is", "[study][sensitivity]") {
  const auto s = load_small();
  // Tokens swung ×0.5..×2 dominate the end date over ±10% failure rates and checkpoint bandwidth.
  const auto tokens_lead = study::sensitivity(
      s, swings({{"failure_rates", 0.9, 1.1}, {"checkpoint_bandwidth", 0.9, 1.1}, {"tokens", 0.5, 2.0}},
                study::SensitivityRank::end));
  REQUIRE(tokens_lead.rows.size() == 3);
  CHECK(tokens_lead.job == "pretrain-70b");
  CHECK(tokens_lead.rows.front().input == "tokens");
  // Twice the tokens take about four times as long as half (the 12T run is ~53 days at full rate).
  CHECK(tokens_lead.rows.front().high.end_p90_s > 3.0 * tokens_lead.rows.front().low.end_p90_s - 86400 * 10);
  CHECK(tokens_lead.rows.front().end_swing_s > 40 * 86400.0);
  // Now failures thirty times as frequent against a 0.1% token change: failures lead.
  const auto failures_lead = study::sensitivity(
      s, swings({{"tokens", 1.0, 1.001}, {"failure_rates", 0.1, 30.0}}, study::SensitivityRank::end));
  REQUIRE(failures_lead.rows.size() == 2);
  CHECK(failures_lead.rows.front().input == "failure_rates");
  CHECK(failures_lead.rows.front().high.end_p90_s > failures_lead.rows.front().low.end_p90_s);
  CHECK(failures_lead.rows.back().end_swing_s < failures_lead.rows.front().end_swing_s);
}

TEST_CASE("a factor of 1 reproduces the base run: common random numbers", "[study][sensitivity]") {
  const auto s = load_small();
  const auto r =
      study::sensitivity(s, swings({{"tokens", 1.0, 1.0}, {"failure_rates", 1.0, 1.0}}, study::SensitivityRank::cost));
  REQUIRE(r.rows.size() == 2);
  for (const auto& row : r.rows) {
    CHECK(row.low.mean_cost == r.base.mean_cost);
    CHECK(row.high.end_p90_s == r.base.end_p90_s);
    CHECK(row.cost_swing == units::Money());
    CHECK(row.end_swing_s == 0);
  }
}

TEST_CASE("a lease-price factor scales a fixed fee exactly; cost ranks it first", "[study][sensitivity]") {
  const auto s = load_small();
  const auto r =
      study::sensitivity(s, swings({{"tokens", 0.8, 1.25}, {"lease_price", 0.9, 1.1}}, study::SensitivityRank::cost));
  REQUIRE(r.rows.size() == 2);
  // 12 months of $7.2M, used or not: $86.4M; ×1.1 = $95.04M and ×0.9 = $77.76M to the micro-dollar.
  CHECK(r.base.mean_cost == units::Money::from_dollars(86.4e6));
  CHECK(r.rows.front().input == "lease_price");
  CHECK(r.rows.front().high.mean_cost == units::Money::from_dollars(95.04e6));
  CHECK(r.rows.front().low.mean_cost == units::Money::from_dollars(77.76e6));
  CHECK(r.rows.front().cost_swing == units::Money::from_dollars(17.28e6));
  // A fixed-fee lease bills the same whatever the tokens: no cost swing, but the date moves.
  CHECK(r.rows.back().cost_swing == units::Money());
  CHECK(r.rows.back().end_swing_s > 86400);
  // Inputs that do not apply are skipped with the reason, not run.
  const auto all = study::sensitivity_runs(s, {});
  CHECK(all == 1 + 2 * 7);  // no on-demand lease: on_demand_price and on_demand_availability skipped
}

TEST_CASE("sensitivity: bad input names and factors are refused", "[study][sensitivity][cli]") {
  const auto s = load_small();
  CHECK_THROWS_WITH(study::sensitivity(s, swings({{"tokenz", {}, {}}}, study::SensitivityRank::cost)),
                    Catch::Contains("unknown sensitivity input \"tokenz\"") && Catch::Contains("tokens"));
  CHECK_THROWS_WITH(study::sensitivity(s, swings({{"tokens", 0.0, 1.0}}, study::SensitivityRank::cost)),
                    Catch::Contains("factors must be positive"));
  const auto unknown = test::run_cli({"sensitivity", small_cluster, "--input", "tokenz"});
  CHECK(unknown.code == 2);
  CHECK_THAT(unknown.err, Catch::Contains("unknown sensitivity input \"tokenz\""));
  const auto malformed = test::run_cli({"sensitivity", small_cluster, "--input", "tokens=0.8"});
  CHECK(malformed.code == 2);
  CHECK_THAT(malformed.err, Catch::Contains("expected NAME or NAME=LOW:HIGH"));
  const auto no_job = test::run_cli({"sensitivity", small_cluster, "--job", "pretrain-7b"});
  CHECK(no_job.code == 2);
  CHECK_THAT(no_job.err, Catch::Contains("is no listed job"));
}

TEST_CASE("sensitivity JSON: ranked inputs with units in every key, skipped inputs with why",
          "[study][sensitivity][cli]") {
  const auto run = test::run_cli({"sensitivity", small_cluster, "--input", "tokens=0.5:2", "--input",
                                  "restart_overhead", "--input", "on_demand_price", "--format", "json"});
  REQUIRE(run.code == 0);
  const json j = json::parse(run.out);
  CHECK(j.at("kind") == "sensitivity");
  CHECK(j.at("job") == "pretrain-70b");
  REQUIRE(j.at("inputs").size() == 2);
  CHECK(j["inputs"][0].at("rank") == 1);
  CHECK(j["inputs"][0].at("input") == "tokens");  // no cost swing for either; tokens move the date more
  CHECK(j["inputs"][0].at("low_factor") == 0.5);
  CHECK(j["inputs"][0].at("high").contains("end_p90"));
  CHECK(j["inputs"][0].at("end_swing_days").get<double>() > 40);
  CHECK(j["inputs"][1].at("input") == "restart_overhead");
  REQUIRE(j.at("skipped").size() == 1);
  CHECK(j["skipped"][0].at("input") == "on_demand_price");
  // The terminal table fits 120 columns.
  const auto text = test::run_cli({"sensitivity", small_cluster, "--input", "tokens"});
  REQUIRE(text.code == 0);
  for (const auto& line : test::split_lines(text.out)) {
    std::size_t columns = 0;
    for (unsigned char c : line) columns += (c & 0xC0) != 0x80 ? 1 : 0;
    CHECK(columns <= 120);
  }
}

TEST_CASE("the scenario layer's sensitivity names are the study catalog's", "[study][sensitivity]") {
  std::vector<std::string> catalog;
  for (const auto& in : study::sensitivity_inputs()) catalog.push_back(in.name);
  auto names = scenario::sensitivity_input_names();
  std::sort(catalog.begin(), catalog.end());
  std::sort(names.begin(), names.end());
  CHECK(catalog == names);
}

TEST_CASE("the tokens swing scales a drawn token budget too", "[study][sensitivity]") {
  auto s = load_small();
  // The pretraining's budget drawn per replication (lognormal, mean 12T): the swing moves its mean.
  cluster::ValueDistribution d;
  d.kind = cluster::Distribution::lognormal;
  d.mean_s = 12e12;
  d.shape = 0.1;
  s.jobs.front().spec.tokens_drawn = d;
  const auto r = study::sensitivity(s, swings({{"tokens", 0.8, 1.25}}, study::SensitivityRank::end));
  REQUIRE(r.rows.size() == 1);
  // The same draw scaled: the end moves by weeks, not zero.
  CHECK(r.rows.front().end_swing_s > 7 * 86400.0);
  CHECK(r.rows.front().high.end_p90_s > r.base.end_p90_s);
  CHECK(r.rows.front().low.end_p90_s < r.base.end_p90_s);
}

TEST_CASE("a scenario's sensitivity block: misspelled inputs and unknown jobs are refused; run answers with it",
          "[study][sensitivity][cli]") {
  std::ifstream in(small_cluster);
  json doc = json::parse(in);
  doc["sensitivity"] = {{"inputs", {"tokens", "tokenz"}}, {"replications", 1}};
  auto bad = scenario::load_scenario_text(doc.dump(), "s.json");
  CHECK_FALSE(bad.scenario);
  CHECK_THAT(bad.diagnostics.format(), Catch::Contains("/sensitivity/inputs/1") && Catch::Contains("\"tokenz\""));
  doc["sensitivity"] = {{"inputs", {"tokens"}}, {"job", "pretrain-7b"}};
  bad = scenario::load_scenario_text(doc.dump(), "s.json");
  CHECK_FALSE(bad.scenario);
  CHECK_THAT(bad.diagnostics.format(), Catch::Contains("/sensitivity/job"));
  // A valid block: run's Answers name the input that moves the date, and --no-sensitivity leaves it out.
  doc["sensitivity"] = {{"inputs", {"tokens", "failure_rates"}}, {"replications", 1}};
  test::ScratchDir dir;
  const auto file = (dir.path() / "s.json").string();
  std::ofstream(file) << doc.dump();
  const auto with = test::run_cli({"run", file});
  REQUIRE(with.code == 0);
  CHECK_THAT(with.out, Catch::Contains("- most sensitive: tokens (x0.8 to x1.25) moves pretrain-70b's P90 end by"));
  const auto without = test::run_cli({"run", file, "--no-sensitivity"});
  REQUIRE(without.code == 0);
  CHECK(without.out.find("most sensitive") == std::string::npos);
}

TEST_CASE("sensitivity runs on worker processes give byte-identical output to the runs one after another",
          "[study][sensitivity][cli]") {
  // Two swings of two runs each plus the base: five runs spread over two workers, whose figures come
  // back as text (hexadecimal floats, micro-dollars) and are placed by run index.
  const auto serial = test::run_cli(
      {"sensitivity", small_cluster, "--input", "tokens", "--input", "failure_rates", "--format", "json", "-j", "1"});
  const auto parallel = test::run_cli(
      {"sensitivity", small_cluster, "--input", "tokens", "--input", "failure_rates", "--format", "json", "-j", "2"});
  REQUIRE(serial.code == 0);
  REQUIRE(parallel.code == 0);
  CHECK(serial.out == parallel.out);
  // And so does a run whose scenario carries a sensitivity block (its runs go first, on the workers).
  std::ifstream in(small_cluster);
  json doc = json::parse(in);
  doc["sensitivity"] = {{"inputs", {"tokens", "failure_rates"}}, {"replications", 1}};
  test::ScratchDir dir;
  const auto file = (dir.path() / "s.json").string();
  std::ofstream(file) << doc.dump();
  // Its replications too (three: two on the workers, the first here): JSON and the terminal tables.
  for (const char* format : {"json", "table"}) {
    const auto run1 = test::run_cli({"run", file, "--format", format, "--replications", "3", "-j", "1"});
    const auto run2 = test::run_cli({"run", file, "--format", format, "--replications", "3", "-j", "2"});
    REQUIRE(run1.code == 0);
    CHECK(run1.out == run2.out);
    CHECK_THAT(run2.out, Catch::Contains("sensitiv"));
  }
}
