// Step-model uncertainty in the cluster simulation (scenario keys "throughput_uncertainty" and
// "throughput_scale"): one draw per replication shared by every job, from a stream independent of
// the failures; sampling widens the end-date band around the unsampled end; scale 1 and "none" leave
// a run unchanged; a scale slows or speeds every job.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "leasesim/cluster/simulate.hpp"
#include "leasesim/perf/uncertainty.hpp"
#include "leasesim/scenario/scenario.hpp"
#include "leasesim/study/run_scenario.hpp"
#include "leasesim/units/stats.hpp"

using namespace leasesim;

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

// End of the 70B pretraining, seconds from the horizon start, per replication.
std::vector<double> pretrain_ends(const scenario::Scenario& s) {
  std::vector<double> ends;
  for (const auto& r : study::run_scenario(s).results) {
    for (const auto& j : r.jobs)
      if (j.name == "pretrain-70b") {
        REQUIRE(j.end_s);
        ends.push_back(*j.end_s);
      }
  }
  return ends;
}

}  // namespace

TEST_CASE("a band's factor at a draw: median 1, its P10 and P90 at z = -/+1.2816, monotone", "[perf][uncertainty]") {
  perf::ThroughputBand b;
  b.p10 = 0.8;
  b.p90 = 1.1;
  CHECK(b.at(0) == 1.0);
  CHECK(b.at(-1.2815515655446004) == Approx(0.8));
  CHECK(b.at(1.2815515655446004) == Approx(1.1));
  CHECK(b.at(-0.5) > b.at(-1.0));
  CHECK(b.at(2.0) > b.at(1.0));
}

TEST_CASE("sampling throughput widens the P10-P90 end-date band around the unsampled end", "[cluster][uncertainty]") {
  scenario::Scenario s = load_small(12);
  const std::vector<double> plain = pretrain_ends(s);
  s.sample_throughput = true;
  const std::vector<double> sampled = pretrain_ends(s);
  REQUIRE(plain.size() == 12);
  REQUIRE(sampled.size() == 12);
  const double plain_p10 = units::quantile(plain, 0.1), plain_p90 = units::quantile(plain, 0.9);
  const double p10 = units::quantile(sampled, 0.1), p90 = units::quantile(sampled, 0.9);
  WARN("pretrain-70b end, days: unsampled P10-P90 " << plain_p10 / 86400 << "-" << plain_p90 / 86400 << ", sampled "
                                                    << p10 / 86400 << "-" << p90 / 86400);
  CHECK(p90 - p10 > 2.0 * (plain_p90 - plain_p10));
  const double plain_median = units::quantile(plain, 0.5);
  CHECK(p10 < plain_median);
  CHECK(plain_median < p90);
}

TEST_CASE("the throughput draw leaves the failure history alone and is the same on every run",
          "[cluster][uncertainty]") {
  scenario::Scenario s = load_small(3);
  const auto plain = study::run_scenario(s).results;
  s.sample_throughput = true;
  const auto a = study::run_scenario(s).results;
  const auto b = study::run_scenario(s).results;
  REQUIRE(a.size() == 3);
  for (std::size_t i = 0; i < a.size(); ++i) {
    // Deterministic: the same seed gives the same draw.
    REQUIRE(a[i].jobs.size() == b[i].jobs.size());
    for (std::size_t k = 0; k < a[i].jobs.size(); ++k) CHECK(a[i].jobs[k].end_s == b[i].jobs[k].end_s);
    // The failure stream is untouched: the cluster's failure count is that of the unsampled run.
    CHECK(a[i].failures == plain[i].failures);
    CHECK(a[i].failures_by_category == plain[i].failures_by_category);
  }
}

TEST_CASE("throughput_scale 1 with no sampling changes nothing; a scale below 1 finishes later",
          "[cluster][uncertainty]") {
  scenario::Scenario s = load_small(1);
  const std::vector<double> base = pretrain_ends(s);
  s.throughput_scale = 1.0;
  CHECK(pretrain_ends(s) == base);
  s.throughput_scale = 0.8;
  const std::vector<double> slow = pretrain_ends(s);
  REQUIRE(slow.size() == 1);
  CHECK(slow[0] > base[0] * 1.1);
  s.throughput_scale = 1.25;
  CHECK(pretrain_ends(s)[0] < base[0]);
}

TEST_CASE("throughput_uncertainty and throughput_scale are read from a scenario file, with diagnostics",
          "[scenario][uncertainty]") {
  std::string text;
  {
    std::FILE* f = std::fopen(small_cluster.c_str(), "rb");
    REQUIRE(f != nullptr);
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
    std::fclose(f);
  }
  const auto at = text.rfind('}');
  auto with = [&](const std::string& extra) { return text.substr(0, at) + ", " + extra + "}"; };
  const auto ok = scenario::load_scenario_text(
      with("\"throughput_uncertainty\": \"sample\", \"throughput_scale\": 0.9"), "ok.json");
  INFO(ok.diagnostics.format());
  REQUIRE(ok.scenario);
  CHECK(ok.scenario->sample_throughput);
  CHECK(ok.scenario->throughput_scale == 0.9);
  const auto in = scenario::to_simulation_input(*ok.scenario);
  CHECK(in.sample_throughput);
  CHECK(in.throughput_scale == 0.9);
  const auto misspelt = scenario::load_scenario_text(with("\"throughput_uncertainty\": \"samples\""), "bad.json");
  CHECK_FALSE(misspelt.scenario);
  CHECK(misspelt.diagnostics.format().find("throughput_uncertainty") != std::string::npos);
  const auto negative = scenario::load_scenario_text(with("\"throughput_scale\": -1"), "neg.json");
  CHECK_FALSE(negative.scenario);
  CHECK(negative.diagnostics.format().find("throughput_scale") != std::string::npos);
  const auto plain = scenario::load_scenario_text(text, "plain.json");
  REQUIRE(plain.scenario);
  CHECK_FALSE(plain.scenario->sample_throughput);
  CHECK(plain.scenario->throughput_scale == 1.0);
}

TEST_CASE("a throughput factor scales MFU with the rate it scales", "[uncertainty]") {
  // Same scenario at scale 1 and 0.8: tokens/s and MFU both fall by exactly the factor.
  const auto loaded =
      leasesim::scenario::load_scenario_file(std::string(LEASESIM_SOURCE_DIR) + "/scenarios/sweeps/small-cluster.json");
  REQUIRE(loaded.scenario);
  auto s = *loaded.scenario;
  auto base = leasesim::scenario::to_simulation_input(s);
  s.throughput_scale = 0.8;
  auto slow = leasesim::scenario::to_simulation_input(s);
  const auto a = leasesim::cluster::simulate(base), b = leasesim::cluster::simulate(slow);
  REQUIRE(a.jobs.front().name == b.jobs.front().name);
  CHECK(b.jobs.front().tokens_per_s == Approx(0.8 * a.jobs.front().tokens_per_s));
  CHECK(b.jobs.front().mfu == Approx(0.8 * a.jobs.front().mfu));
}
