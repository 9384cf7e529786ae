// One job under exponential node failures: the simulated ETTR (productive time / wall time) and the
// number of interruptions match the closed forms of Kokolis et al. (HPCA'25; calibration.md):
//   E[ETTR] ≈ (1 − N·r·(u0 + Δ/2)) / (1 + w/Δ),  interruptions ≈ N·r·T
// with N the job's nodes (NVL72 compute trays), r the failure rate per node, u0 the restart
// overhead, Δ the Young/Daly checkpoint interval and w the blocking checkpoint write.
#include <cmath>

#include "cluster_test_fixtures.hpp"
#include "leasesim/cluster/failure_presets.hpp"

using namespace leasesim;

namespace {

struct EttrCase {
  int job_racks;
  double expected_ettr;
  double mean_ettr;
  double interruptions;
  double expected_interruptions;
};

EttrCase run_case(int job_racks, int replications) {
  const double horizon = 40 * 86400.0;
  auto in = test::small_cluster(job_racks + 2, horizon);
  in.cluster.spare_trays_per_rack = 2;
  const long long gpus = 64LL * job_racks;         // 16 of the 18 trays of each rack
  auto job = test::fixed_job("ettr", gpus, 1e18);  // never finishes within the horizon
  job.restart_overhead_s = 600;
  job.checkpoint.write_time_s = 60;
  in.jobs.push_back(job);
  cluster::FailureProcess p;
  p.component = cluster::Component::node;
  p.category = "node";
  p.per_unit_per_s = cluster::per_1000_unit_days(20.0);
  p.repair = {cluster::Distribution::fixed, 4 * 3600.0, 1.0};
  in.failures.processes.push_back(p);

  const double n = gpus / 4.0, r = p.per_unit_per_s, u0 = 600, w = 60;
  const double delta = std::sqrt(2 * w / (n * r));
  EttrCase c{job_racks, (1 - n * r * (u0 + delta / 2)) / (1 + w / delta), 0, 0, n * r * horizon};
  const auto results = cluster::simulate_replications(in, replications);
  for (const auto& res : results) {
    REQUIRE(res.jobs.size() == 1);
    CHECK(res.jobs[0].checkpoint_interval_s == Approx(delta).epsilon(0.001));
    c.mean_ettr += res.jobs[0].ettr / replications;
    c.interruptions += static_cast<double>(res.jobs[0].interruptions) / replications;
    test::require_conservation(in, res);
  }
  return c;
}

}  // namespace

TEST_CASE("one job's mean ETTR matches the closed form at three job sizes", "[cluster][ettr]") {
  for (const auto& [racks, reps] : {std::pair{2, 12}, std::pair{8, 6}, std::pair{32, 3}}) {
    const EttrCase c = run_case(racks, reps);
    INFO("job racks " << racks << ": ETTR simulated " << c.mean_ettr << ", closed form " << c.expected_ettr
                      << "; interruptions " << c.interruptions << " per run, N·r·T = " << c.expected_interruptions);
    CHECK(c.mean_ettr == Approx(c.expected_ettr).epsilon(0.05));
    // Poisson: the mean over `reps` runs has standard deviation sqrt(N·r·T / reps); allow 4 of them.
    const double sd = std::sqrt(c.expected_interruptions / reps);
    CHECK(std::abs(c.interruptions - c.expected_interruptions) < 4 * sd);
  }
}
