// Sweep files expand into points as documented: cartesian products (first axis slowest), zip
// groups, ranges, per-point seeds, shards that partition the points, strict loading, expectations.
#include <catch2/catch.hpp>

#include <set>

#include "cli_support.hpp"
#include "leasesim/sweep/expectation.hpp"
#include "leasesim/sweep/sweep_runner.hpp"
#include "leasesim/sweep/sweep_spec.hpp"

using namespace leasesim::sweep;
using nlohmann::json;

namespace {

AxisGroup group_of(std::vector<json> values, const std::string& name = "a") {
  return AxisGroup{{Axis{name, "/" + name, std::move(values)}}};
}

}  // namespace

TEST_CASE("a grid is the cartesian product of its axes, the first axis varying slowest", "[sweep]") {
  const auto grid = expand_grid({group_of({1, 2}, "a"), group_of({"x", "y", "z"}, "b")});
  REQUIRE(grid.size() == 6);
  CHECK(grid[0] == std::vector<json>{1, "x"});
  CHECK(grid[1] == std::vector<json>{1, "y"});
  CHECK(grid[3] == std::vector<json>{2, "x"});
  CHECK(grid[5] == std::vector<json>{2, "z"});
}

TEST_CASE("axes of a zip group move together", "[sweep]") {
  AxisGroup zip{{Axis{"racks", "/cluster/racks", {12, 14}}, Axis{"lease", "/leases/0/racks", {12, 14}}}};
  const auto grid = expand_grid({group_of({"fifo", "priority"}, "policy"), zip});
  REQUIRE(grid.size() == 4);
  for (const auto& p : grid) CHECK(p[1] == p[2]);
  CHECK(grid[1] == std::vector<json>{"fifo", 14, 14});
}

TEST_CASE("a range includes both ends and keeps integers integral", "[sweep]") {
  CHECK(range_values(1, 4, 1, true) == std::vector<json>{1, 2, 3, 4});
  const auto r = range_values(0.1, 0.5, 0.1, false);
  REQUIRE(r.size() == 5);
  CHECK(r[2].dump() == "0.3");
  CHECK(r[4].get<double>() == Approx(0.5));
  CHECK(range_values(0, 1, 0.3, false).size() == 4);  // 0, 0.3, 0.6, 0.9
}

TEST_CASE("point seeds are derived from the base seed and the index, all distinct", "[sweep]") {
  std::set<std::uint64_t> seeds;
  for (std::size_t i = 0; i < 1000; ++i) seeds.insert(point_seed(42, i));
  CHECK(seeds.size() == 1000);
  CHECK(point_seed(42, 7) == point_seed(42, 7));
  CHECK(point_seed(42, 7) != point_seed(43, 7));
  CHECK(seeds.count(42) == 0);
}

TEST_CASE("shards K/N partition the points: each point in exactly one shard", "[sweep]") {
  std::string error;
  const int n = 3;
  for (std::size_t i = 0; i < 100; ++i) {
    int holders = 0;
    for (int k = 1; k <= n; ++k) holders += Shard{k, n}.holds(i) ? 1 : 0;
    CHECK(holders == 1);
  }
  REQUIRE(parse_shard("2/4", error));
  CHECK(parse_shard("2/4", error)->k == 2);
  CHECK_FALSE(parse_shard("0/4", error));
  CHECK_FALSE(parse_shard("5/4", error));
  CHECK_FALSE(parse_shard("2-4", error));
  CHECK(error.find("K/N") != std::string::npos);
}

TEST_CASE("a sweep file expands into loaded scenarios with the axis values applied", "[sweep]") {
  const std::string text = R"({"scenario": "small-cluster.json", "replications": 3, "seed": 5,
    "axes": [{"name": "racks", "path": "/cluster/racks", "range": {"from": 14, "to": 16, "step": 2}},
             {"path": "/scheduler/policy", "values": ["fifo", "priority"]}]})";
  const auto loaded = load_sweep_text(text, "inline.json", leasesim::test::source_dir + "/scenarios/sweeps");
  REQUIRE(loaded.spec);
  const auto points = build_points(*loaded.spec);
  INFO(points.errors);
  REQUIRE(points.errors.empty());
  REQUIRE(points.points.size() == 4);
  CHECK(points.points[2].scenario.cluster.racks == 16);
  CHECK(points.points[3].scenario.replications == 3);
  CHECK(points.points[3].seed == point_seed(5, 3));
  CHECK(points.points[3].scenario.seed == point_seed(5, 3));
  CHECK(flat_axes(*loaded.spec)[1].name == "scheduler.policy");
}

TEST_CASE("a sweep file's mistakes are reported together, one line each", "[sweep]") {
  const std::string text = R"({"scenario": "small-cluster.json", "axis": [],
    "axes": [{"path": "cluster/racks", "values": [1]}, {"path": "/cluster/racks", "range": {"from": 5, "to": 1, "step": 1}},
             {"zip": [{"path": "/a", "values": [1, 2]}, {"path": "/b", "values": [1]}]}],
    "expect": ["jobs.x.ettr ~ 3"]})";
  const auto loaded = load_sweep_text(text, "bad.json", leasesim::test::source_dir + "/scenarios/sweeps");
  REQUIRE_FALSE(loaded.spec);
  const auto lines = leasesim::test::split_lines(loaded.diagnostics.format());
  // In key order, as every file kind's schema reads them; the unknown key now suggests the near one.
  REQUIRE(lines.size() == 5);
  CHECK(lines[0].rfind("bad.json: /axes/0/path: expected a JSON pointer into the scenario", 0) == 0);
  CHECK(lines[1].rfind("bad.json: /axes/1/range: expected step > 0, to ≥ from", 0) == 0);
  CHECK(lines[2] == "bad.json: /axes/2/zip/1: expected 2 values, as many as the group's first axis, found 1");
  CHECK(lines[3] == "bad.json: /axis: unknown key \"axis\" in sweep file; did you mean \"axes\"?");
  CHECK(lines[4].rfind("bad.json: /expect/0: expected \"PATH OP VALUE\"", 0) == 0);
}

TEST_CASE("an axis pointing outside the scenario names the point and the missing part", "[sweep]") {
  const std::string text =
      R"({"scenario": "small-cluster.json", "axes": [{"path": "/clusterx/racks", "values": [1]}]})";
  const auto loaded = load_sweep_text(text, "s.json", leasesim::test::source_dir + "/scenarios/sweeps");
  REQUIRE(loaded.spec);
  const auto points = build_points(*loaded.spec);
  CHECK(points.points.empty());
  CHECK(points.errors ==
        "s.json: /axes: point 0 (clusterx.racks=1): cannot set /clusterx/racks: no /clusterx in the scenario\n");
}

TEST_CASE("expectations resolve jobs by name, aggregates by mean or probability", "[sweep]") {
  const json doc = {{"jobs", json::array({{{"name", "pretrain"},
                                           {"deadline_met", {{"probability", 0.5}}},
                                           {"ettr", {{"mean", 0.93}, {"p10", 0.9}}},
                                           {"end", "2027-01-12"}}})},
                    {"cluster", {{"failures", 12}}}};
  const auto check = [&](const std::string& text) {
    std::string error;
    const auto e = parse_expectation(text, error);
    REQUIRE(e);
    return check_expectation(doc, *e);
  };
  CHECK(check("jobs.pretrain.ettr > 0.9") == "");
  CHECK(check("jobs.pretrain.ettr.p10 >= 0.9") == "");
  CHECK(check("jobs.pretrain.deadline_met.probability >= 0.5") == "");
  CHECK(check("jobs.pretrain.deadline_met == true") ==
        "jobs.pretrain.deadline_met: expected == true, found {\"probability\":0.5}");
  CHECK(check("jobs.pretrain.end <= 2027-01-31") == "");
  CHECK(check("/cluster/failures<10") == "/cluster/failures: expected < 10, found 12");
  CHECK(check("jobs.other.ettr > 0") ==
        "jobs.other.ettr: expected > 0, found nothing (nothing named \"other\" in jobs; names: pretrain)");
  std::string error;
  CHECK_FALSE(parse_expectation("jobs.pretrain.ettr 0.9", error));
  CHECK(error.find("OP one of") != std::string::npos);
}

TEST_CASE("a shard of a large grid loads only its own points, with the unsharded fingerprint", "[sweep][shard]") {
  // build_points loaded every point's scenario whatever the shard: a shard of 1/10 of a grid paid for
  // the whole grid's loading and memory.
  const std::string text = R"({"scenario": "small-cluster.json",
    "axes": [{"path": "/cluster/power/pue", "range": {"from": 1.0, "to": 1.99, "step": 0.01}},
             {"path": "/seed", "range": {"from": 0, "to": 9, "step": 1}}]})";
  const auto loaded = load_sweep_text(text, "big.json", leasesim::test::source_dir + "/scenarios/sweeps");
  REQUIRE(loaded.spec);
  const auto all = build_points(*loaded.spec);
  REQUIRE(all.errors.empty());
  CHECK(all.total == 1000);
  CHECK(all.points.size() == 1000);
  CHECK(all.scenarios_loaded == 1000);
  // Shard 3/10: points 2, 12, …, 992, and point 0 for the default metrics — 101 loads, not 1000.
  const auto shard = build_points(*loaded.spec, Shard{3, 10});
  REQUIRE(shard.errors.empty());
  CHECK(shard.total == 1000);
  REQUIRE(shard.points.size() == 100);
  CHECK(shard.scenarios_loaded == 101);
  for (std::size_t i = 0; i < shard.points.size(); ++i) {
    const auto& p = shard.points[i];
    const auto& q = all.points[10 * i + 2];
    CHECK(p.index == 10 * i + 2);
    CHECK(p.seed == q.seed);
    CHECK(p.scenario_text == q.scenario_text);
    CHECK(p.scenario.cluster.power.pue == q.scenario.cluster.power.pue);
  }
  REQUIRE(shard.first);
  CHECK(shard.first->cluster.power.pue == 1.0);
  // Shard 1/10 holds point 0 itself: 100 loads.
  CHECK(build_points(*loaded.spec, Shard{1, 10}).scenarios_loaded == 100);
  // Every shard's fingerprint is the whole sweep's, so their folders merge.
  CHECK(sweep_fingerprint(*loaded.spec, shard) == sweep_fingerprint(*loaded.spec, all));
  CHECK(sweep_fingerprint(*loaded.spec, build_points(*loaded.spec, Shard{10, 10})) ==
        sweep_fingerprint(*loaded.spec, all));
}
