// `leasesim plan` on the small partition: the searched curve rises with racks, the answer meets the
// confidence and one rack fewer does not; the binding job is named and the dual promises a date.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"

using namespace leasesim::test;

TEST_CASE("plan finds the fewest racks meeting the deadline at the confidence, by bisection", "[sweep]") {
  const auto r = run_cli({"plan", source_dir + "/scenarios/sweeps/plan-small.json", "-j", "2", "--format", "json"});
  REQUIRE(r.code == 0);
  const auto doc = nlohmann::json::parse(r.out);
  const double confidence = doc["confidence"].get<double>();
  const auto& curve = doc["curve"];
  REQUIRE(curve.size() >= 3);
  for (std::size_t i = 1; i < curve.size(); ++i) {
    CHECK(curve[i]["racks"].get<int>() > curve[i - 1]["racks"].get<int>());
    CHECK(curve[i]["p_deadlines_met"].get<double>() >= curve[i - 1]["p_deadlines_met"].get<double>());
  }
  const int answer = doc["answer"]["racks"].get<int>();
  CHECK(answer == 8);  // 7 racks schedule 448 GPUs, fewer than the 512-GPU run needs
  CHECK(doc["answer"]["gpus"] == 576);
  CHECK(doc["answer"]["p_deadlines_met"].get<double>() >= confidence);
  bool one_fewer_seen = false;
  for (const auto& e : curve) {
    if (e["racks"] == answer - 1) {
      one_fewer_seen = true;
      CHECK(e["p_deadlines_met"].get<double>() < confidence);
    }
  }
  CHECK(one_fewer_seen);
  CHECK(doc["answer"]["monthly_cost_usd"].get<double>() == Approx(7.2e6 * 8 / 14));
  CHECK(doc["binding_job"]["name"] == "pretrain-70b");
  CHECK(doc["binding_job"]["racks_probed"] == answer - 1);
  REQUIRE(doc["dual"]["jobs"].size() == 1);
  CHECK(doc["dual"]["jobs"][0]["promise"].get<std::string>() < "2026-09-20");
}

TEST_CASE("plan exits 1 when even the largest capacity misses the confidence, or an expectation fails", "[sweep]") {
  const auto plan = source_dir + "/scenarios/sweeps/plan-small.json";
  const auto r = run_cli({"plan", plan, "-j", "2", "--replications", "2", "--expect", "answer.racks < 8"});
  CHECK(r.code == 1);
  CHECK(r.err == "leasesim: expectation failed: answer.racks: expected < 8, found 8\n");
  ScratchDir dir;
  const auto small = dir.path() / "tight.json";
  {
    std::ofstream out(small);
    out << R"({"scenario": ")" << source_dir
        << R"(/scenarios/sweeps/small-cluster.json", "replications": 2, "capacity": {"min_racks": 4, "max_racks": 7}})";
  }
  const auto none = run_cli({"plan", small.string(), "-j", "2"});
  CHECK(none.code == 1);
  CHECK(none.err == "leasesim: plan: no capacity up to 7 racks meets every deadline with P ≥ 0.9\n");
}

TEST_CASE("a plan's probabilities are counts over replications divided once", "[plan]") {
  // Ten replications added 0.1 ten times: P = 0.9999999999999999 where every run met the deadline.
  const auto r = run_cli({"plan", source_dir + "/scenarios/sweeps/plan-small.json", "-j", "2", "--replications", "10",
                          "--format", "json"});
  REQUIRE(r.code == 0);
  CHECK(r.out.find("0.9999999999999999") == std::string::npos);
  const auto doc = nlohmann::json::parse(r.out);
  CHECK(doc["answer"]["jobs"]["pretrain-70b"] == 1.0);
  for (const auto& e : doc["curve"]) {
    const double p = e["jobs"]["pretrain-70b"].get<double>();
    CHECK(p * 10 == std::round(p * 10));
  }
}
