// Jobs writing checkpoints at the same time share the storage write bandwidth (issue 12 §2;
// storage_sharing.hpp). Hand-computed cases of the sharing model — a job alone, two identical jobs
// at the closed-form fixed point, writers that never stop (d = 1), a given write time — and, through
// the real simulation, a job that joins mid-run slowing another's writes from its next checkpoint
// boundary until it leaves.
#include <cmath>
#include <vector>

#include "cluster_test_fixtures.hpp"
#include "leasesim/cluster/storage_sharing.hpp"
#include <nlohmann/json.hpp>

#include "leasesim/scenario/scenario.hpp"

using namespace leasesim;

namespace {

// A checkpoint of `alone_s` seconds at the whole bandwidth B = 2 TB/s.
constexpr double B = 2e12;
double params_for(double alone_s) { return alone_s * B / cluster::checkpoint_bytes_per_param; }

hw::ClusterSpec storage_cluster(double write_bandwidth = B) {
  hw::ClusterSpec c = test::small_cluster(2, 86400).cluster;
  c.storage.write_bandwidth = write_bandwidth;
  return c;
}

cluster::CheckpointDemand demand(const cluster::CheckpointPolicy& p, double params, long long gpus = 64) {
  return {&p, params, gpus, gpus / 4, 0.0, 86400};
}

}  // namespace

TEST_CASE("a job alone writes its checkpoint at the whole storage write bandwidth, not its GPU share",
          "[cluster][checkpoint][storage]") {
  const hw::ClusterSpec cluster = storage_cluster();
  cluster::CheckpointPolicy p;
  p.interval_s = 600;
  const double params = params_for(20);  // 40 TB
  // 64 of the cluster's 144 GPUs: the old GPU-proportional share wrote at 64/144 of B (45 s).
  const auto c = cluster::resolve_checkpoint(p, params, 64, 16, 1e-6, cluster, 86400);
  CHECK(c.write_s == Approx(20.0));
  const auto s = cluster::share_storage_writes({demand(p, params)}, cluster);
  REQUIRE(s.rate.size() == 1);
  CHECK(s.rate[0] == B);
  CHECK(s.cycles[0].write_s == Approx(20.0));
  CHECK(s.cycles[0].stall_ms == 20'000);  // blocking: the write is the stall
  CHECK(s.duty[0] == Approx(20.0 / 620.0));
}

TEST_CASE("the expected share is E[1/(1+K)] over the other writers, K Poisson-binomial", "[cluster][storage]") {
  // Two jobs writing 40% of the time: while one writes, the other does with probability 0.4.
  auto f = cluster::expected_share_fractions({0.4, 0.4});
  CHECK(f[0] == Approx(0.6 + 0.4 / 2));
  CHECK(f[1] == Approx(0.8));
  // Three at 1/2: K ~ Binomial(2, 1/2) → 1/4 · 1 + 1/2 · 1/2 + 1/4 · 1/3.
  f = cluster::expected_share_fractions({0.5, 0.5, 0.5});
  for (double x : f) CHECK(x == Approx(0.25 + 0.25 + 0.25 / 3));
  // One always writing (d = 1: the backward deconvolution), one half the time, one never.
  f = cluster::expected_share_fractions({1.0, 0.5, 0.0});
  CHECK(f[0] == Approx(0.5 + 0.5 / 2));      // others {1/2, 0}
  CHECK(f[1] == Approx(0.5));                // the other always writes
  CHECK(f[2] == Approx(0.5 / 2 + 0.5 / 3));  // others {1, 1/2}: K = 1 or 2
  CHECK(cluster::expected_share_fractions({0.7}) == std::vector<double>{1.0});
  // Duty outside [0, 1] is clamped, not extrapolated.
  f = cluster::expected_share_fractions({1.5, -0.2});
  CHECK(f[0] == Approx(1.0));
  CHECK(f[1] == Approx(0.5));
}

TEST_CASE("two identical jobs write at the closed-form fixed point of their shares", "[cluster][checkpoint][storage]") {
  // Blocking writes of w = S/b every Δ: d = w / (Δ + w) and b = B (1 − d/2). With S/B = 2 s and
  // Δ = 3.75 s the fixed point is b = 0.8 B: w = 2.5 s, d = 2.5 / 6.25 = 0.4, 1 − 0.4/2 = 0.8.
  // (The mean-field B / (1 + d) would say 0.714 B: the exact expectation is higher, by Jensen.)
  const hw::ClusterSpec cluster = storage_cluster();
  cluster::CheckpointPolicy p;
  p.interval_s = 3.75;
  const double params = params_for(2);
  const auto s = cluster::share_storage_writes({demand(p, params), demand(p, params)}, cluster);
  for (int i = 0; i < 2; ++i) {
    CHECK(s.rate[i] == Approx(0.8 * B).epsilon(1e-5));
    CHECK(s.cycles[i].write_s == Approx(2.5).epsilon(1e-5));
    CHECK(s.cycles[i].stall_ms == 2'500);
    CHECK(s.cycles[i].interval_ms == 3'750);
    CHECK(s.duty[i] == Approx(0.4).epsilon(1e-5));
  }
  CHECK(s.rate[0] > B / 1.4 * 1.1);
  CHECK(s.iterations > 1);
  // A first guess (the simulation's warm start: the shares of the previous solve), below or above
  // the fixed point, reaches the same point; one job alone writes at B whatever its guess.
  for (const double guess : {0.5 * B, 0.95 * B}) {
    const std::vector<double> start{guess, guess};
    const auto w = cluster::share_storage_writes({demand(p, params), demand(p, params)}, cluster, &start);
    CHECK(w.rate[0] == Approx(0.8 * B).epsilon(1e-5));
    CHECK(w.rate[1] == Approx(0.8 * B).epsilon(1e-5));
  }
  const std::vector<double> low{0.5 * B};
  CHECK(cluster::share_storage_writes({demand(p, params)}, cluster, &low).rate[0] == B);
}

TEST_CASE("writers whose interval is their write time write all the time (d = 1) and split B exactly",
          "[cluster][checkpoint][storage]") {
  // Async with a snapshot too small to stall a millisecond (4 MB per GPU on a million GPUs), and an
  // interval given shorter than the write: it is raised to the write, so each job always writes.
  const hw::ClusterSpec cluster = storage_cluster();
  cluster::CheckpointPolicy p;
  p.interval_s = 0.001;
  p.async = true;
  const double params = params_for(2);
  const auto one = cluster::share_storage_writes({demand(p, params, 1'000'000)}, cluster);
  CHECK(one.rate[0] == B);
  CHECK(one.cycles[0].interval_ms == 2'000);
  CHECK(one.cycles[0].stall_ms == 0);
  CHECK(one.duty[0] == Approx(1.0));
  const auto two = cluster::share_storage_writes({demand(p, params, 1'000'000), demand(p, params, 1'000'000)}, cluster);
  for (int i = 0; i < 2; ++i) {
    CHECK(two.duty[i] == Approx(1.0));
    CHECK(two.rate[i] == Approx(B / 2));
    CHECK(two.cycles[i].write_s == Approx(4.0));
    CHECK(two.cycles[i].interval_ms == 4'000);  // the next checkpoint waits for the slower write
  }
}

TEST_CASE("a given write time is kept, and still occupies the storage for the others",
          "[cluster][checkpoint][storage]") {
  const hw::ClusterSpec cluster = storage_cluster();
  cluster::CheckpointPolicy fixed;
  fixed.write_time_s = 3;
  fixed.interval_s = 3;  // blocking: writing 3 s of every 6 s, d = 1/2
  cluster::CheckpointPolicy automatic;
  automatic.interval_s = 600;
  const double params = params_for(2);
  const auto s = cluster::share_storage_writes({demand(fixed, params), demand(automatic, params)}, cluster);
  CHECK(s.cycles[0].write_s == 3.0);
  CHECK(s.cycles[0].interval_ms == 3'000);
  CHECK(s.duty[0] == Approx(0.5));
  CHECK(s.rate[0] == Approx(params * cluster::checkpoint_bytes_per_param / 3.0));  // its own rate
  // The other writes alone half the time and at B/2 the other half: 0.75 B.
  CHECK(s.rate[1] == Approx(0.75 * B).epsilon(1e-6));
  CHECK(s.cycles[1].write_s == Approx(2 / 0.75).epsilon(1e-6));
}

TEST_CASE("no storage bandwidth means no checkpoint write time; a scenario cannot ask for 0 B/s",
          "[cluster][checkpoint][storage]") {
  const hw::ClusterSpec none = storage_cluster(0);
  cluster::CheckpointPolicy p;
  p.interval_s = 600;
  const auto s = cluster::share_storage_writes({demand(p, 1e9), demand(p, 1e9)}, none);
  for (int i = 0; i < 2; ++i) {
    CHECK(s.rate[i] == 0);
    CHECK(s.cycles[i].write_s == 0);
    CHECK(s.cycles[i].stall_ms == 0);
    CHECK(s.cycles[i].interval_ms == 600'000);
  }
  // In a scenario the bandwidth must be positive (the default, when `storage` is absent: 2 TB/s).
  auto doc = nlohmann::json::parse(R"({
    "name": "t",
    "cluster": {"rack": "gb300-nvl72", "racks": 2, "storage": {"write_bandwidth": "0 TB/s"}},
    "horizon": {"start": "2026-07-01", "length": "1 months"},
    "leases": [{"name": "l", "type": "fixed-monthly", "fee_per_month": "$1M", "racks": 2,
                "start": "2026-07-01", "term": "1 months"}]
  })");
  const auto bad = scenario::load_scenario_text(doc.dump(), "t.json");
  CHECK_FALSE(bad.scenario.has_value());
  CHECK(bad.diagnostics.format().find("t.json: /cluster/storage/write_bandwidth: expected") != std::string::npos);
  doc["cluster"].erase("storage");
  const auto ok = scenario::load_scenario_text(doc.dump(), "t.json");
  REQUIRE(ok.scenario.has_value());
  CHECK(ok.scenario->cluster.storage.write_bandwidth == 2e12);
}

namespace {

// Wall ms from a rhythm's origin until `work` ms of training are done (CheckpointCycle::wall_for by hand).
std::int64_t wall_for(std::int64_t work, std::int64_t interval, std::int64_t period) {
  const std::int64_t full = (work - 1) / interval;
  return full * period + (work - full * interval);
}

// Job "a": 64 GPUs of Llama-3-8B-sized checkpoints every 18.75 s of training, on storage (set in `in`)
// that writes one of its checkpoints alone in 10 s.
cluster::JobSpec ten_second_writer(cluster::SimulationInput& in) {
  auto a = test::fixed_job("a", 64, 1e9);
  in.cluster.storage.write_bandwidth = cluster::checkpoint_bytes_per_param * a.training.model.params_total() / 10.0;
  a.checkpoint.interval_s = 18.75;
  return a;
}

}  // namespace

TEST_CASE("a job joining mid-run slows another's checkpoint writes from that event on; its leaving restores them",
          "[cluster][checkpoint][storage]") {
  // Two Llama-3-8B jobs of 64 GPUs with blocking checkpoints every Δ = 18.75 s, on storage that writes
  // one checkpoint alone in 10 s. Alone: period 28.75 s. Together (the closed form above): b = 0.8 B,
  // w = 12.5 s, period 31.25 s. A starts at 0; B joins at 1,000 s and leaves when done.
  auto in = test::small_cluster(2, 86400);
  auto a = ten_second_writer(in);
  a.checkpoint.async = false;
  auto priced = in;
  priced.jobs.push_back(a);
  const double tps = cluster::simulate(priced).jobs[0].tokens_per_s;
  REQUIRE(tps > 0);
  a.training.tokens = tps * 7200;                 // 2 h of training
  auto b = test::fixed_job("b", 64, tps * 1800);  // 30 min
  b.checkpoint = a.checkpoint;
  b.submit_s = 1000;
  const auto work_ms = [&](double tokens) { return std::max<std::int64_t>(1, std::llround(tokens / tps * 1000.0)); };
  const std::int64_t WA = work_ms(a.training.tokens), WB = work_ms(b.training.tokens);
  constexpr std::int64_t D = 18'750, P_alone = 28'750, P_shared = 31'250;

  auto alone_in = in;
  alone_in.jobs = {a};
  const auto alone = cluster::simulate(alone_in);
  REQUIRE(alone.jobs[0].end_s);
  CHECK(std::llround(*alone.jobs[0].end_s * 1000) == wall_for(WA, D, P_alone));
  CHECK(alone.jobs[0].checkpoint_write_s == Approx(10.0));
  CHECK(alone.jobs[0].checkpoint_write_max_s == Approx(10.0));

  in.jobs = {a, b};
  const auto r = cluster::simulate(in);
  REQUIRE(r.jobs.size() == 2);
  REQUIRE(r.jobs[0].end_s);
  REQUIRE(r.jobs[1].end_s);
  // B writes at its shared rate from its start: it ends after wall_for(WB) of the shared rhythm.
  const std::int64_t t1 = 1'000'000, t2 = t1 + wall_for(WB, D, P_shared);
  CHECK(std::llround(*r.jobs[1].end_s * 1000) == t2);
  CHECK(r.jobs[1].checkpoint_write_s == Approx(12.5).epsilon(1e-5));
  // A follows the shared rhythm from its first checkpoint boundary after t1 to its first after t2.
  const std::int64_t b1 = (t1 + P_alone - 1) / P_alone * P_alone;  // 1,006,250
  const std::int64_t m = (t2 - b1 + P_shared - 1) / P_shared;      // its checkpoints written shared
  const std::int64_t b2 = b1 + m * P_shared;
  const std::int64_t trained = b1 / P_alone * D + m * D;
  REQUIRE(trained < WA);
  const std::int64_t end_a = b2 + wall_for(WA - trained, D, P_alone);
  CHECK(std::llround(*r.jobs[0].end_s * 1000) == end_a);
  // Each of those m checkpoints took 2.5 s longer than alone.
  CHECK(end_a - wall_for(WA, D, P_alone) == m * 2'500);
  CHECK(r.jobs[0].checkpoint_write_max_s == Approx(12.5).epsilon(1e-5));
  const double shared_ms = static_cast<double>(m * D), total = static_cast<double>(WA);
  CHECK(r.jobs[0].checkpoint_write_s == Approx((shared_ms * 12.5 + (total - shared_ms) * 10.0) / total).epsilon(1e-5));
  test::require_conservation(in, r);
}

TEST_CASE("a job that writes rarely takes its share against the others' rhythms and leaves theirs alone",
          "[cluster][checkpoint][storage]") {
  // A (64 GPUs) writes 10 s alone every 18.75 s of training: d = 10 / 28.75. C (4 GPUs, the same
  // model) checkpoints once an hour: its writes take B (1 − d_A / 2) (while it writes, A does with
  // probability d_A), and its own d (~0.3%) moves A's share by ~0.2%, under the 1% tolerance: A keeps
  // its 10 s writes and no full solve runs.
  auto in = test::small_cluster(2, 86400);
  auto a = ten_second_writer(in);
  auto c = test::fixed_job("c", 4, 1e8);
  c.checkpoint.interval_s = 3600;
  c.submit_s = 1000;
  in.jobs = {a, c};
  const auto r = cluster::simulate(in);
  REQUIRE(r.jobs.size() == 2);
  REQUIRE(r.jobs[1].start_s);
  CHECK(*r.jobs[1].start_s == 1000);
  const double d_a = 10.0 / 28.75;
  CHECK(r.jobs[1].checkpoint_write_s == Approx(10.0 / (1 - d_a / 2)).epsilon(1e-9));
  CHECK(r.jobs[0].checkpoint_write_s == Approx(10.0).epsilon(1e-12));
  CHECK(r.jobs[0].checkpoint_write_max_s == Approx(10.0).epsilon(1e-12));
}
