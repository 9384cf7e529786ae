// Tests for the `leasesim` command line, run as a separate process: exit codes (0 ok, 2 bad usage
// or bad input), what goes to stdout and stderr, the output formats and atomic -o files.
#include <catch2/catch.hpp>

#include "cli_support.hpp"

#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

using namespace leasesim::test;

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

bool has_line_starting(const std::string& text, const std::string& prefix) {
  for (const auto& line : split_lines(text)) {
    if (starts_with(line, prefix)) return true;
  }
  return false;
}

void write_file(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

}  // namespace

// --- the command line itself ---------------------------------------------------------------------

TEST_CASE("the --version flag prints the name and version and exits 0", "[cli]") {
  const Run r = run_cli({"--version"});
  CHECK(r.code == 0);
  CHECK(r.out == "leasesim 0.1.0\n");
}

TEST_CASE("the --help flag lists the subcommands and exit codes and exits 0", "[cli]") {
  const Run r = run_cli({"--help"});
  CHECK(r.code == 0);
  CHECK(r.out.find("validate") != std::string::npos);
  CHECK(r.out.find("run") != std::string::npos);
  CHECK(r.out.find("presets") != std::string::npos);
  CHECK(r.out.find("Exit codes") != std::string::npos);
}

TEST_CASE("no subcommand is bad usage: exit 2 with a message on stderr", "[cli]") {
  const Run r = run_cli({});
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK_FALSE(r.err.empty());
}

TEST_CASE("an unknown subcommand is bad usage: exit 2", "[cli]") {
  const Run r = run_cli({"frobnicate"});
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK_FALSE(r.err.empty());
}

TEST_CASE("an unknown --format is bad usage: exit 2", "[cli]") {
  for (const auto& args : {std::vector<std::string>{"presets", "--format", "bogus"},
                           std::vector<std::string>{"run", default_scenario, "--format", "bogus"}}) {
    INFO(args.front());
    const Run r = run_cli(args);
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("bogus") != std::string::npos);
  }
}

TEST_CASE("a subcommand missing its argument or given a bad one is bad usage: exit 2", "[cli]") {
  for (const auto& args : {std::vector<std::string>{"validate"}, std::vector<std::string>{"run"},
                           std::vector<std::string>{"presets", "cpus"}}) {
    INFO((args.size() > 1 ? args[1] : args[0]));
    const Run r = run_cli(args);
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK_FALSE(r.err.empty());
  }
}

// --- validate ------------------------------------------------------------------------------------

TEST_CASE("validate on the default scenario says ok and exits 0", "[cli]") {
  const Run r = run_cli({"validate", default_scenario});
  CHECK(r.code == 0);
  CHECK(r.out == default_scenario + ": ok\n");
  CHECK(r.err.empty());
}

TEST_CASE("validate on a file with five mistakes prints five lines and exits 2", "[cli]") {
  const Run r = run_cli({"validate", five_mistakes});
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  const Lines lines = split_lines(r.err);
  CHECK(lines.size() == 5);
  for (const auto& line : lines) CHECK(starts_with(line, five_mistakes + ": /"));
  CHECK(has_line_starting(r.err, five_mistakes + ": /cluster/fabric/nic_bandwidth: expected a data rate"));
}

TEST_CASE("validate on a missing file exits 2 and names it", "[cli]") {
  const std::string missing = source_dir + "/tests/corpus/no-such-file.json";
  const Run r = run_cli({"validate", missing});
  CHECK(r.code == 2);
  CHECK(r.err == missing + ": /: expected a readable file, found no such file or no permission to read it\n");
}

TEST_CASE("validate on a folder exits 2 and says it is a folder", "[cli]") {
  ScratchDir dir;
  const Run r = run_cli({"validate", dir.path().string()});
  CHECK(r.code == 2);
  CHECK(r.err == dir.path().string() + ": /: expected a JSON file, found a directory\n");
}

TEST_CASE("validate checks every file and exits 2 when any is bad", "[cli]") {
  const Run r = run_cli({"validate", default_scenario, five_mistakes});
  CHECK(r.code == 2);
  CHECK(r.out == default_scenario + ": ok\n");
  CHECK(split_lines(r.err).size() == 5);
  CHECK(run_cli({"validate", "--quiet", default_scenario}).out.empty());
}

TEST_CASE("validate prints a problem whose key holds a NUL character in full", "[cli]") {
  const std::string file = source_dir + "/tests/corpus/malformed/key-with-nul.json";
  const Run r = run_cli({"validate", file});
  CHECK(r.code == 2);
  REQUIRE_FALSE(r.err.empty());
  CHECK(r.err.back() == '\n');
  CHECK(r.err.find("unknown key") != std::string::npos);
}

TEST_CASE("a rack block the loader cannot complete exits 2, not with a signal", "[cli]") {
  // Each of these is a rack block whose checks would divide by a gpus_per_node that was never set.
  struct Case {
    const char* what;
    const char* rack;
    const char* problem;  // a line of stderr starts with FILE: and this
  };
  const Case cases[] = {
      {"an unknown preset beside an override", R"({"preset": "gb300-nvl27", "power": "150 kW"})",
       "/cluster/rack/preset: expected a rack preset (one of dgx-a100-80gb, dgx-h100, gb200-nvl72, gb300-nvl72, "
       "hgx-b200), found \"gb300-nvl27\" — did you mean \"gb300-nvl72\"?"},
      {"a preset name that is not a string", R"({"preset": 72})", "/cluster/rack/preset: expected a preset name"},
      {"an empty rack block", R"({})", "/cluster/rack"},
      {"a rack of zero GPUs per node",
       R"({"gpu": "gb300", "gpus": 72, "gpus_per_node": 0, "nvlink_domain_gpus": 72, "power": "150 kW"})",
       "/cluster/rack/gpus_per_node: expected an integer ≥ 1 and ≤ 64, found 0"},
      {"a rack of zero GPUs per NVLink domain",
       R"({"gpu": "gb300", "gpus": 72, "gpus_per_node": 4, "nvlink_domain_gpus": 0, "power": "150 kW"})",
       "/cluster/rack/nvlink_domain_gpus: expected an integer ≥ 1 and ≤ 1024, found 0"},
  };
  ScratchDir dir;
  for (const auto& c : cases) {
    INFO(c.what);
    const std::string file = (dir.path() / "rack.json").string();
    write_file(file, std::string(R"({"cluster": {"rack": )") + c.rack +
                         R"(, "racks": 288}, "horizon": {"start": "2026-07-01", "length": "36 months"}})");
    const Run r = run_cli({"validate", file});
    CHECK(r.code == 2);
    INFO("stderr:\n" << r.err);
    CHECK(has_line_starting(r.err, file + ": " + c.problem));
    for (const auto& line : split_lines(r.err)) CHECK(starts_with(line, file + ": /"));
  }
}

// --- run -----------------------------------------------------------------------------------------

TEST_CASE("run on the default scenario prints the resolved cluster and exits 0", "[cli]") {
  const Run r = run_cli({"run", default_scenario});
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  CHECK(r.out.find("20,736") != std::string::npos);  // GPUs, with a thousands separator
  CHECK(r.out.find("gb300-nvl72") != std::string::npos);
}

TEST_CASE("run --resolve-only --format json is JSON with the resolved figures", "[cli]") {
  const Run r = run_cli({"run", default_scenario, "--resolve-only", "--format", "json"});
  REQUIRE(r.code == 0);
  const Json j = Json::parse(r.out);  // throws, failing the test, when not JSON
  CHECK(j.at("scenario") == "reflection-colossus2");
  CHECK(j.at("cluster").at("gpus") == 20736);
  CHECK(j.at("cluster").at("racks") == 288);
  CHECK(j.at("cluster").at("schedulable_gpus") == 18432);
  CHECK(j.at("cluster").at("effective_bandwidth_factor").get<double>() == Approx(0.95));
  CHECK(j.at("cluster").at("nic_gbps").get<double>() == Approx(800));
  REQUIRE(j.at("leases").size() == 1);
  const Json& lease = j.at("leases").at(0);
  CHECK(lease.at("committed_gpus") == 20736);
  CHECK(lease.at("fee_per_month_usd").get<double>() == Approx(150e6));
  CHECK(lease.at("contract_value_usd").get<double>() == Approx(36 * 150e6));
  CHECK(lease.at("implied_usd_per_gpu_hour").get<double>() == Approx(9.90).margin(0.005));
}

TEST_CASE("run --resolve-only --format csv is one table with a header row", "[cli]") {
  const Run r = run_cli({"run", default_scenario, "--resolve-only", "--format", "csv"});
  CHECK(r.code == 0);
  const Lines lines = split_lines(r.out);
  REQUIRE_FALSE(lines.empty());
  CHECK(lines[0] == "quantity,value,unit");
  CHECK(has_line_starting(r.out, "GPUs,20736,"));
}

TEST_CASE("run simulates the default scenario: byte-identical JSON, a ledger that sums to GPUs x horizon", "[cli]") {
  // One replication (the file asks 8) and no sensitivity runs: the whole roadmap, once.
  const Run a = run_cli({"run", default_scenario, "--format", "json", "--replications", "1"});
  const Run b = run_cli({"run", default_scenario, "--format", "json", "--replications", "1"});
  REQUIRE(a.code == 0);
  CHECK(a.out == b.out);  // deterministic: same file and seed, sampled tokens and throughput included
  const Json j = Json::parse(a.out);
  const Json& hours = j.at("cluster").at("gpu_hours");
  double sum = 0;
  for (const char* state : {"productive", "checkpointing", "restarting", "lost", "idle", "failed", "spare"}) {
    sum += hours.at(state).get<double>();
  }
  // 20,736 GPUs x 1,096 days (2026-07-01 to 2029-07-01).
  CHECK(hours.at("total").get<double>() == Approx(20736.0 * 1096 * 24).epsilon(1e-12));
  CHECK(sum == Approx(20736.0 * 1096 * 24).epsilon(1e-12));
  CHECK(j.at("cluster").at("months").size() == 36);
  // Energy per rack (its GPUs by state plus its overhead) adds up to the cluster's energy.
  double rack_mwh = 0;
  for (const Json& rack : j.at("cluster").at("racks")) rack_mwh += rack.at("energy_mwh").get<double>();
  CHECK(rack_mwh == Approx(j.at("cluster").at("energy_mwh").get<double>()).epsilon(1e-9));
  CHECK(rack_mwh > 0);
  const Json& pretrain = j.at("jobs").at(0);
  CHECK(pretrain.at("name") == "pretrain-2t-fp8");
  CHECK(pretrain.at("completed") == true);
  // Its tokens are drawn per replication (lognormal, mean 40T, sigma 0.1) and all trained.
  CHECK(pretrain.at("tokens_trained").get<double>() == Approx(pretrain.at("tokens").get<double>()));
  CHECK(pretrain.at("tokens").get<double>() > 30e12);
  CHECK(pretrain.at("tokens").get<double>() < 55e12);
  CHECK(pretrain.at("tokens").get<double>() != 40e12);
  CHECK(pretrain.at("interruptions").get<int>() > 100);  // 4,096 trays at 3.79 per 1000 node-days
  CHECK(pretrain.at("ettr").get<double>() > 0.5);
  CHECK(pretrain.at("ettr").get<double>() < 1.0);
  const Run c = run_cli({"run", default_scenario, "--format", "json", "--replications", "1", "--seed", "7"});
  CHECK(c.out != a.out);  // another seed, another history
}

TEST_CASE("run --replications reports mean and P10/P50/P90", "[cli]") {
  const Run r = run_cli({"run", default_scenario, "--format", "json", "--replications", "3"});
  REQUIRE(r.code == 0);
  const Json j = Json::parse(r.out);
  CHECK(j.at("replications") == 3);
  const Json& ettr = j.at("jobs").at(0).at("ettr");
  CHECK(ettr.at("p10").get<double>() <= ettr.at("p50").get<double>());
  CHECK(ettr.at("p50").get<double>() <= ettr.at("p90").get<double>());
  CHECK(j.at("jobs").at(0).at("deadline_met").contains("probability"));
}

TEST_CASE("run --format csv is one row per calendar month", "[cli]") {
  const Run r = run_cli({"run", default_scenario, "--format", "csv"});
  CHECK(r.code == 0);
  const Lines lines = split_lines(r.out);
  REQUIRE(lines.size() == 37);
  CHECK(lines[0].rfind("month,productive_gpu_hours,", 0) == 0);
  CHECK(lines[1].rfind("2026-07,", 0) == 0);
}

TEST_CASE("run on a bad scenario prints its problems and exits 2", "[cli]") {
  const Run r = run_cli({"run", five_mistakes});
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK(split_lines(r.err).size() == 5);
}

TEST_CASE("run reports a $100B x 360-month contract without overflowing", "[cli]") {
  // $100B a month is the fee's upper bound and 30 years the term's: 3.6e19 micro-dollars does not
  // fit in Money's int64. The loader may refuse the lease, or the report must get the value right.
  ScratchDir dir;
  const std::string file = (dir.path() / "big.json").string();
  write_file(file, R"({"cluster": {"rack": "gb300-nvl72", "racks": 1},
    "horizon": {"start": "2026-07-01", "length": "1 d"},
    "leases": [{"name": "x", "type": "fixed-monthly", "fee_per_month": "$100B", "racks": 1,
                "start": "2026-07-01", "term": "30 years"}]})");
  const Run r = run_cli({"run", file, "--format", "json"});
  INFO("stdout:\n" << r.out << "stderr:\n" << r.err);
  if (r.code == 0) {
    const Json j = Json::parse(r.out);
    CHECK(j.at("leases").at(0).at("contract_value_usd").get<double>() == Approx(3.6e13));
  } else {
    CHECK(r.code == 2);
    CHECK(has_line_starting(r.err, file + ": /leases/0"));
  }
}

// --- presets -------------------------------------------------------------------------------------

TEST_CASE("presets lists every GPU and rack of the catalog and exits 0", "[cli]") {
  const Run r = run_cli({"presets"});
  CHECK(r.code == 0);
  for (const char* name : {"a100-80gb ", "h100-sxm ", "h200 ", "b200 ", "gb200 ", "gb300 ", "dgx-a100-80gb ",
                           "dgx-h100 ", "hgx-b200 ", "gb200-nvl72 ", "gb300-nvl72 "}) {
    INFO(name);
    CHECK(has_line_starting(r.out, name));
  }
}

TEST_CASE("presets gpus --format csv has unit-bearing columns and one row per GPU", "[cli]") {
  const Run r = run_cli({"presets", "gpus", "--format", "csv"});
  CHECK(r.code == 0);
  const Lines lines = split_lines(r.out);
  REQUIRE(lines.size() == 7);  // header + 6 GPUs; no field holds a newline
  CHECK(lines[0] ==
        "gpu,bf16_dense_tflops,fp8_dense_tflops,fp4_dense_tflops,hbm_gb,hbm_usable_gb,hbm_tbps,nvlink_gbps,"
        "nic_gbitps,tdp_w,source");
  // hardware.md: GB300 2,500 / 5,000 / 15,000 TFLOP/s dense, 288 GB (279 usable), 8 TB/s, 1.8 TB/s NVLink,
  // 800 Gb/s NIC, 1,400 W.
  CHECK(has_line_starting(r.out, "gb300,2500.0,5000.0,15000.0,288.0,279.0,8.0,1800.0,800.0,1400.0,\""));
  // An unsupported precision is an empty cell, not 0.
  CHECK(has_line_starting(r.out, "a100-80gb,312.0,,,85.89934592,85.89934592,"));
}

TEST_CASE("presets racks --format csv has one row per rack", "[cli]") {
  const Run r = run_cli({"presets", "racks", "--format", "csv"});
  CHECK(r.code == 0);
  const Lines lines = split_lines(r.out);
  REQUIRE(lines.size() == 6);
  CHECK(lines[0] == "rack,gpu,gpus,gpus_per_node,nvlink_domain_gpus,power_kw,fp8_dense_pflops,description");
  CHECK(has_line_starting(r.out, "gb300-nvl72,gb300,72,4,72,142.0,360.0,"));
}

TEST_CASE("presets --format csv of both kinds is refused: CSV holds one table", "[cli]") {
  const Run r = run_cli({"presets", "--format", "csv"});
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find("presets gpus --format csv") != std::string::npos);
}

TEST_CASE("presets --format json holds both tables", "[cli]") {
  const Run r = run_cli({"presets", "--format", "json"});
  REQUIRE(r.code == 0);
  const Json j = Json::parse(r.out);
  CHECK(j.at("gpus").size() == 6);
  CHECK(j.at("racks").size() == 5);
}

// --- -o FILE -------------------------------------------------------------------------------------

TEST_CASE("the output option (-o) writes the same bytes as stdout, atomically, leaving no temporary file", "[cli]") {
  ScratchDir dir;
  const std::string file = (dir.path() / "gpus.csv").string();
  const Run to_stdout = run_cli({"presets", "gpus", "--format", "csv"});
  REQUIRE(to_stdout.code == 0);

  const Run to_file = run_cli({"presets", "gpus", "--format", "csv", "-o", file});
  CHECK(to_file.code == 0);
  CHECK(to_file.out.empty());
  CHECK(read_text(file) == to_stdout.out);
  CHECK(dir.entries() == std::vector<std::string>{"gpus.csv"});
  CHECK((fs::status(file).permissions() & fs::perms::others_read) != fs::perms::none);

  // Replacing an existing file: the new content, still one file.
  const Run again = run_cli({"run", default_scenario, "--format", "json", "-o", file});
  CHECK(again.code == 0);
  CHECK(read_text(file) == run_cli({"run", default_scenario, "--format", "json"}).out);
  CHECK(dir.entries() == std::vector<std::string>{"gpus.csv"});
}

TEST_CASE("the output option (-o) into a missing folder exits 2 and writes nothing", "[cli]") {
  ScratchDir dir;
  const std::string file = (dir.path() / "no-such-folder" / "out.csv").string();
  const Run r = run_cli({"presets", "gpus", "--format", "csv", "-o", file});
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find((dir.path() / "no-such-folder").string()) != std::string::npos);
  CHECK(dir.entries().empty());
}
