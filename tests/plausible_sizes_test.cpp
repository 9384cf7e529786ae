// Issue 17 §6: a value of the right dimension but an implausible size — a price per GPU-hour of
// $9,900, an energy price per kWh written per MWh, a rack's price a thousand times off, a bare
// number of seconds for a lead time, a GPU count written for racks — loads with a warning naming the
// likely intended value; `sweep`, `plan` and `compare` print the warnings of the scenarios they load
// once each and refuse them with --strict (exit 2), as `run` and `validate` do. Before, only a GPU's
// and the fabric's data rates were checked, and those three commands printed no warning at all.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_support.hpp"
#include "leasesim/scenario/scenario.hpp"

using leasesim::test::run_cli;
using leasesim::test::ScratchDir;
using leasesim::test::source_dir;
using leasesim::test::split_lines;
using Json = nlohmann::json;

namespace {

void write(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

Json small_cluster() {
  return Json::parse(leasesim::test::read_text(source_dir + "/scenarios/sweeps/small-cluster.json"));
}

// The warnings of a scenario document, one "PATH: MESSAGE" each; "PROBLEMS: …" when it does not load.
std::vector<std::string> warnings_of(const Json& doc) {
  const auto loaded = leasesim::scenario::load_scenario_text(doc.dump(), "t.json");
  if (!loaded.scenario) return {"PROBLEMS: " + loaded.diagnostics.format()};
  std::vector<std::string> out;
  for (const auto& w : loaded.diagnostics.warnings()) out.push_back(w.path + ": " + w.message);
  return out;
}

Json on_demand(const std::string& price) {
  return {{"name", "on-demand"}, {"type", "on-demand"},   {"tenant", "lab"},    {"price_per_gpu_hour", price},
          {"racks", 14},         {"start", "2026-07-01"}, {"term", "12 months"}};
}

}  // namespace

TEST_CASE("a price per GPU-hour 1000x off warns with the price meant; the range's ends do not", "[loader][plausible]") {
  auto doc = small_cluster();
  doc["leases"] = Json::array({on_demand("$9900")});
  // $9,900 / 1000 = $9.90, nearer the usual $5 than $9,900 / 100 = $99.
  CHECK(warnings_of(doc) ==
        std::vector<std::string>{"/leases/0/price_per_gpu_hour: \"$9900\" is more than a price per GPU-hour usually is "
                                 "($0.10 to $100.00); did you mean \"$9.90\" (a price per thousand GPU-hours, or a "
                                 "misplaced decimal mark)?"});
  doc["leases"] = Json::array({on_demand("$0.0099")});
  CHECK(warnings_of(doc) ==
        std::vector<std::string>{"/leases/0/price_per_gpu_hour: \"$0.0099\" is less than a price "
                                 "per GPU-hour usually is ($0.10 to $100.00); did you mean \"$9.90\" "
                                 "(1000× more)?"});
  // The ends of the range are plausible; just outside them is not.
  for (const char* fine : {"$0.10", "$100", "$10.50"}) {
    doc["leases"] = Json::array({on_demand(fine)});
    CHECK(warnings_of(doc).empty());
  }
  doc["leases"] = Json::array({on_demand("$100.01")});
  CHECK(warnings_of(doc).size() == 1);
  doc["leases"] = Json::array({on_demand("$0.09")});
  CHECK(warnings_of(doc).size() == 1);
}

TEST_CASE("an energy price per kWh written per MWh, and a rack price in thousands, warn", "[loader][plausible]") {
  auto doc = small_cluster();
  doc["leases"][0]["power"] = {{"price_per_mwh", "$0.08"}};
  CHECK(warnings_of(doc) ==
        std::vector<std::string>{"/leases/0/power/price_per_mwh: \"$0.08\" is less than an energy "
                                 "price per MWh usually is ($10.00 to $1k); did you mean \"$80.00\" (a "
                                 "price per kWh written for a price per MWh)?"});
  doc = small_cluster();
  doc["leases"][0]["provider"] = {{"capex_per_rack", "$3.1k"}, {"opex_per_rack_month", "$20k"}};
  CHECK(warnings_of(doc) == std::vector<std::string>{"/leases/0/provider/capex_per_rack: \"$3.1k\" is less than a "
                                                     "rack's price usually is ($50k to $20M); did you mean \"$3.1M\" "
                                                     "(thousands for millions)?"});
  doc["leases"][0]["provider"] = {{"capex_per_rack", "$900M"}};  // $3.1B is over the bound: an error
  CHECK(warnings_of(doc).size() == 1);
  CHECK(warnings_of(doc).front().find("did you mean \"$900k\" (1000× less)?") != std::string::npos);
  // Zero means none: never warned about.
  doc["leases"][0]["provider"] = {{"capex_per_rack", "$0"}, {"opex_per_rack_month", 0}};
  CHECK(warnings_of(doc).empty());
}

TEST_CASE("a bare number of seconds for a horizon or a storage bandwidth warns with the unit meant",
          "[loader][plausible]") {
  auto doc = small_cluster();
  doc["horizon"]["length"] = 12;  // 12 s
  // 12 months is nearer the usual 36 months than 12 days.
  CHECK(warnings_of(doc) == std::vector<std::string>{"/horizon/length: 12 is less than a horizon usually is (1.00 d to "
                                                     "360 months); did you mean \"12 months\" (a bare number is "
                                                     "seconds, not months)?"});
  doc["horizon"]["length"] = "12 s";  // a unit written: the range, no guess
  CHECK(warnings_of(doc) ==
        std::vector<std::string>{"/horizon/length: \"12 s\" is less than a horizon usually is (1.00 d to 360 months)"});
  doc = small_cluster();
  doc["cluster"]["storage"]["write_bandwidth"] = 200;  // 200 B/s
  CHECK(warnings_of(doc) ==
        std::vector<std::string>{
            "/cluster/storage/write_bandwidth: 200 is less than a storage system's bandwidth usually "
            "is (1 GB/s to 100 TB/s); did you mean \"200 GB/s\" (a bare number is B/s, not GB/s)?"});
}

TEST_CASE("a purchase lead time as a bare number of seconds warns: days were meant", "[loader][plausible]") {
  auto doc = Json::parse(leasesim::test::read_text(source_dir + "/scenarios/lease-or-buy.json"));
  const auto compare = Json::parse(leasesim::test::read_text(source_dir + "/scenarios/compare-lease-or-buy.json"));
  Json leases;
  for (const auto& alt : compare["alternatives"])
    if (alt["name"] == "buy-cash") leases = alt["leases"];
  REQUIRE(leases.is_array());
  CHECK(warnings_of([&] {
          doc["leases"] = leases;  // "30 d" as shipped
          return doc;
        }())
            .empty());
  leases[0]["lead_time"] = 90;
  doc["leases"] = leases;
  const auto w = warnings_of(doc);
  REQUIRE(w.size() == 1);
  CHECK(w.front().find("/leases/0/lead_time: 90 is less than a delivery lead time usually is (1.00 d to ") !=
        std::string::npos);
  CHECK(w.front().find("did you mean \"90 d\" (a bare number is seconds, not days)?") != std::string::npos);
}

TEST_CASE("a GPU count written for racks warns with the rack count meant", "[loader][plausible]") {
  auto doc = small_cluster();
  doc["cluster"]["racks"] = 14 * 72 * 1000;  // over the bound: an error, not a warning
  CHECK(warnings_of(doc).front().rfind("PROBLEMS: ", 0) == 0);
  doc["cluster"]["racks"] = 20'736;  // the GPUs of 288 NVL72 racks
  doc["leases"][0]["racks"] = 20'736;
  CHECK(warnings_of(doc) == std::vector<std::string>{"/cluster/racks: 20,736 racks of 72 GPUs is 1,492,992 GPUs, more "
                                                     "than one cluster usually holds (at most 1,000,000; Colossus 2 "
                                                     "plans ~550,000); did you mean 288 racks (of 72 GPUs: 20,736 "
                                                     "GPUs)?"});
  doc["cluster"]["racks"] = 13'888;  // 999,936 GPUs: under the line
  doc["leases"][0]["racks"] = 13'888;
  CHECK(warnings_of(doc).empty());
}

TEST_CASE("the shipped scenarios, sweeps, plans and compare files warn of nothing", "[loader][plausible]") {
  std::vector<std::string> files;
  for (const char* dir : {"/scenarios", "/scenarios/sweeps"}) {
    for (const auto& e : std::filesystem::directory_iterator(source_dir + dir))
      if (e.path().extension() == ".json") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 15);
  std::vector<std::string> args{"validate", "--strict"};
  args.insert(args.end(), files.begin(), files.end());
  const auto r = run_cli(args);
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  for (const char* f :
       {"reflection-colossus2.json", "reflection-colossus2-growth.json", "reflection-colossus2-slip.json",
        "lease-or-buy.json", "roadmap-small.json", "sweeps/small-cluster.json"}) {
    INFO(f);
    CHECK(warnings_of(Json::parse(leasesim::test::read_text(source_dir + "/scenarios/" + f))).empty());
  }
}

TEST_CASE("sweep prints each scenario warning once, not per point, and --strict refuses them", "[cli][plausible]") {
  ScratchDir dir;
  auto base = small_cluster();
  base["cluster"]["storage"]["write_bandwidth"] = 2000;  // every point: 2000 B/s
  write(dir.path() / "base.json", base.dump());
  const Json sweep = {{"scenario", "base.json"},
                      {"axes", Json::array({{{"path", "/scheduler/policy"}, {"values", {"fifo", "priority"}}},
                                            {{"name", "read"},
                                             {"path", "/cluster/storage/read_bandwidth"},
                                             {"values", Json::array({"700 GB/s", 700})}}})}};
  const auto file = (dir.path() / "sweep.json").string();
  write(file, sweep.dump());
  const std::string base_file = (dir.path() / "base.json").lexically_normal().string();
  const std::string every_point =
      "/cluster/storage/write_bandwidth: warning: 2000 is less than a storage system's bandwidth usually is (1 GB/s to "
      "100 TB/s); did you mean \"2000 GB/s\" (a bare number is B/s, not GB/s)?";
  // Points 1 and 3 read 700 B/s; the first of them names it.
  const std::string some_points =
      "/cluster/storage/read_bandwidth: warning: 700 is less than a storage system's bandwidth usually is (1 GB/s to "
      "100 TB/s); did you mean \"700 GB/s\" (a bare number is B/s, not GB/s)?";
  auto r = run_cli({"sweep", file, "-j", "1", "--format", "csv"});
  CHECK(r.code == 0);
  CHECK(split_lines(r.err) ==
        std::vector<std::string>{base_file + ": " + every_point,
                                 file + " point 1 (scheduler.policy=\"fifo\", read=700): " + some_points});
  CHECK(split_lines(r.out).size() == 5);  // the header and four points
  r = run_cli({"sweep", file, "--strict"});
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find(base_file + ": /cluster/storage/write_bandwidth: warning made an error by --strict: 2000 is less") ==
        0);
  CHECK(split_lines(r.err).size() == 2);
}

TEST_CASE("plan and compare print their scenarios' warnings once and refuse them with --strict", "[cli][plausible]") {
  ScratchDir dir;
  auto base = small_cluster();
  base["cluster"]["storage"]["read_bandwidth"] = 700;
  write(dir.path() / "base.json", base.dump());
  const std::string base_file = (dir.path() / "base.json").lexically_normal().string();
  const std::string warning =
      "/cluster/storage/read_bandwidth: warning made an error by --strict: 700 is less than a storage system's "
      "bandwidth usually is (1 GB/s to 100 TB/s); did you mean \"700 GB/s\" (a bare number is B/s, not GB/s)?";
  const Json plan = {{"scenario", "base.json"},
                     {"confidence", 0.5},
                     {"replications", 1},
                     {"capacity", {{"min_racks", 12}, {"max_racks", 14}}}};
  const auto plan_file = (dir.path() / "plan.json").string();
  write(plan_file, plan.dump());
  auto r = run_cli({"plan", plan_file, "--strict"});
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK(r.err == base_file + ": " + warning + "\n");
  // Without --strict: once, though the plan loads the scenario at every capacity it tries.
  r = run_cli({"plan", plan_file, "-j", "1", "--format", "json"});
  CHECK(r.err.find("warning: 700 is less") != std::string::npos);
  CHECK(r.err.find("warning: 700 is less") == r.err.rfind("warning: 700 is less"));

  // compare: the base's warning, and an alternative's lease price, each once.
  const Json compare = {
      {"base", "base.json"},
      {"replications", 1},
      {"alternatives", Json::array({{{"name", "fixed"}, {"leases", base["leases"]}},
                                    {{"name", "on-demand"}, {"leases", Json::array({on_demand("$10500")})}}})}};
  const auto compare_file = (dir.path() / "compare.json").string();
  write(compare_file, compare.dump());
  r = run_cli({"compare", compare_file, "--strict"});
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  const auto lines = split_lines(r.err);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].rfind(compare_file + ": /alternatives/1/leases/0/price_per_gpu_hour: warning made an error by "
                                      "--strict: \"$10500\" is more than a price per GPU-hour usually is ($0.10 to "
                                      "$100.00); did you mean \"$10.50\"",
                       0) == 0);
  CHECK(lines[1] == base_file + ": " + warning);
  r = run_cli({"compare", compare_file, "--format", "json"});
  CHECK(r.code == 0);
  CHECK(split_lines(r.err).size() == 2);
}
