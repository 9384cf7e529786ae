// Checks that `leasesim validate` and `leasesim run` share because the loader makes them (issue 11
// §2): the tenants jobs, generators and leases name; lease capacity against the cluster at every
// instant; lease dates against the horizon; the job precision against the GPU; the `expect` grammar.
// Each test gives the exact line a user sees.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "leasesim/scenario/scenario.hpp"

using leasesim::scenario::load_scenario_text;
using Json = nlohmann::json;
using Lines = std::vector<std::string>;

namespace {

// 10 GB300 NVL72 racks (720 GPUs) for 3 months, one lease held by "reflection-ai", one job and one
// generator of that tenant.
Json scenario() {
  return Json::parse(R"({
    "name": "t",
    "cluster": {"rack": "gb300-nvl72", "racks": 10},
    "horizon": {"start": "2026-07-01", "length": "3 months"},
    "leases": [{"name": "l", "type": "fixed-monthly", "tenant": "reflection-ai", "fee_per_month": "$10M", "racks": 10,
                "start": "2026-07-01", "term": "3 months"}],
    "jobs": [{"name": "pretrain", "tenant": "reflection-ai", "model": "llama3-8b", "tokens": "1T", "global_batch": 512,
              "precision": "fp8", "gpus": 256}],
    "generators": [{"name": "eval", "tenant": "reflection-ai", "arrivals_per_day": 2, "gpus": 64, "runtime": "2 h",
                    "job": {"model": "llama3-8b", "global_batch": 64, "precision": "fp8"}}]
  })");
}

Lines problems(const Json& doc) {
  const auto r = load_scenario_text(doc.dump(), "t.json");
  CHECK_FALSE(r.scenario.has_value());
  Lines lines;
  std::istringstream in(r.diagnostics.format());
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

void loads(const Json& doc) {
  const auto r = load_scenario_text(doc.dump(), "t.json");
  INFO(r.diagnostics.format());
  CHECK(r.scenario.has_value());
}

}  // namespace

TEST_CASE("the base scenario of these tests is valid", "[loader][validate]") { loads(scenario()); }

// --- a) tenants ---------------------------------------------------------------------------------

TEST_CASE("with leases, a job's tenant must hold one, with a did-you-mean", "[loader][validate]") {
  Json doc = scenario();
  doc["jobs"][0]["tenant"] = "reflection";
  CHECK(problems(doc) ==
        Lines{"t.json: /jobs/0/tenant: expected a tenant holding a lease (reflection-ai), found \"reflection\" — "
              "did you mean \"reflection-ai\"?"});
}

TEST_CASE("with leases, a generator's tenant must hold one", "[loader][validate]") {
  Json doc = scenario();
  doc["generators"][0]["tenant"] = "someone-else";
  CHECK(
      problems(doc) ==
      Lines{"t.json: /generators/0/tenant: expected a tenant holding a lease (reflection-ai), found \"someone-else\""});
}

TEST_CASE("with leases, a job naming no tenant is refused: it would run as nobody's", "[loader][validate]") {
  Json doc = scenario();
  doc["jobs"][0].erase("tenant");
  CHECK(problems(doc) ==
        Lines{"t.json: /jobs/0/tenant: expected key \"tenant\" naming a tenant holding a lease (reflection-ai), "
              "found nothing"});
}

TEST_CASE("without leases any tenant, or none, is valid (the owner's view)", "[loader][validate]") {
  Json doc = scenario();
  doc.erase("leases");
  doc["jobs"][0]["tenant"] = "anyone";
  doc["generators"][0].erase("tenant");
  loads(doc);
}

TEST_CASE("with tenants declared, jobs, generators and leases must name declared ones", "[loader][validate]") {
  Json doc = scenario();
  SECTION("no leases: a job or generator naming an undeclared tenant") {
    doc.erase("leases");
    doc["tenants"] = Json::parse(R"([{"name": "reflection-ai"}])");
    doc["jobs"][0]["tenant"] = "reflection-a";
    doc["generators"][0]["tenant"] = "reflection-ai";
    CHECK(problems(doc) ==
          Lines{"t.json: /jobs/0/tenant: expected a declared tenant (reflection-ai), found \"reflection-a\" — "
                "did you mean \"reflection-ai\"?"});
  }
  SECTION("a lease naming an undeclared holder") {
    doc["leases"].push_back(doc["leases"][0]);
    doc["leases"][1]["name"] = "m";
    doc["leases"][1]["tenant"] = "acme";
    doc["leases"][0]["racks"] = 5;
    doc["leases"][1]["racks"] = 5;
    doc["tenants"] = Json::parse(R"([{"name": "reflection-ai", "leases": ["l"]}])");
    CHECK(problems(doc) ==
          Lines{"t.json: /leases/1/tenant: expected a declared tenant (reflection-ai), found \"acme\""});
  }
}

// --- b) capacity --------------------------------------------------------------------------------

TEST_CASE("leases that overlap in time must add up to at most the cluster's GPUs", "[loader][validate]") {
  Json doc = scenario();
  doc["leases"][0]["racks"] = 6;
  Json second = doc["leases"][0];
  second["name"] = "m";
  second["gpus"] = 360;
  second.erase("racks");
  second["start"] = "2026-08-01";
  second["term"] = "2 months";
  doc["leases"].push_back(second);
  CHECK(problems(doc) ==
        Lines{"t.json: /leases/1: expected leases that fit the cluster's 720 GPUs (10 racks x 72) at every instant, "
              "found 792 GPUs leased on 2026-08-01 (\"l\" 432 + \"m\" 360)"});
}

TEST_CASE("leases one after the other may each use the whole cluster", "[loader][validate]") {
  Json doc = scenario();
  doc["leases"][0]["term"] = "1 month";
  Json second = doc["leases"][0];
  second["name"] = "m";
  second["start"] = "2026-08-01";
  second["term"] = "2 months";
  doc["leases"].push_back(second);
  loads(doc);
}

TEST_CASE("a ramp counts at its own capacity month by month", "[loader][validate]") {
  Json doc = scenario();
  doc["leases"][0]["ramp"] = {4};  // July: 4 racks, then 10
  Json second = doc["leases"][0];
  second["name"] = "m";
  second["racks"] = 6;
  second["term"] = "1 month";
  second.erase("ramp");
  doc["leases"].push_back(second);  // July: 6 racks
  loads(doc);
  doc["leases"][1]["term"] = "2 months";  // August: 10 + 6 racks
  CHECK(problems(doc) ==
        Lines{"t.json: /leases/0: expected leases that fit the cluster's 720 GPUs (10 racks x 72) at every instant, "
              "found 1152 GPUs leased on 2026-08-01 (\"l\" 720 + \"m\" 432)"});
}

// --- c) dates -----------------------------------------------------------------------------------

TEST_CASE("a lease outside the horizon is refused with both periods", "[loader][validate]") {
  Json doc = scenario();
  SECTION("starting after the horizon ends") {
    doc["leases"][0]["start"] = "2026-10-01";
    CHECK(problems(doc) ==
          Lines{"t.json: /leases/0/start: expected a lease overlapping the horizon, 2026-07-01 to 2026-10-01, "
                "found 2026-10-01 to 2027-01-01"});
  }
  SECTION("ending before it starts") {
    doc["leases"][0]["start"] = "2026-01-01";
    doc["leases"][0]["term"] = "6 months";
    CHECK(problems(doc) ==
          Lines{"t.json: /leases/0/start: expected a lease overlapping the horizon, 2026-07-01 to 2026-10-01, "
                "found 2026-01-01 to 2026-07-01"});
  }
}

// --- d) precision -------------------------------------------------------------------------------

TEST_CASE("a precision the GPU has no tensor cores for is refused in scenario jobs and generator jobs",
          "[loader][validate]") {
  Json doc = scenario();
  doc["cluster"] = {{"rack", "dgx-a100-80gb"}, {"racks", 90}};
  doc["leases"][0]["racks"] = 90;
  doc["generators"][0]["job"]["precision"] = "fp4";
  CHECK(problems(doc) ==
        Lines{"t.json: /jobs/0/precision: expected a precision the a100-80gb GPU supports (bf16), found \"fp8\"",
              "t.json: /generators/0/job/precision: expected a precision the a100-80gb GPU supports (bf16), "
              "found \"fp4\""});
  doc["jobs"][0]["precision"] = "bf16";
  doc["generators"][0]["job"]["precision"] = "bf16";
  loads(doc);
}

// --- e) expect ----------------------------------------------------------------------------------

TEST_CASE("a malformed expect entry is refused at load with the --expect grammar", "[loader][validate]") {
  Json doc = scenario();
  doc["expect"] = {"jobs.pretrain.ettr > 0.5", "jobs.pretrain.ettr", "jobs.pretrain.ettr >"};
  CHECK(problems(doc) ==
        Lines{"t.json: /expect/1: expected 'PATH OP VALUE', found \"jobs.pretrain.ettr\" (expected \"PATH OP VALUE\" "
              "with OP one of == != < <= > >=, found \"jobs.pretrain.ettr\")",
              "t.json: /expect/2: expected 'PATH OP VALUE', found \"jobs.pretrain.ettr >\" (expected a value after "
              "\">\" in \"jobs.pretrain.ettr >\")"});
}
