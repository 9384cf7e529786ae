// Smoke: a few jobs on a small cluster run to completion, the ledgers balance, and a second run in
// the same process (the SimGrid engine is reused) gives the identical result.
#include "cluster_test_fixtures.hpp"

using namespace leasesim;

TEST_CASE("a small cluster runs its jobs and its ledgers balance", "[cluster]") {
  auto in = test::small_cluster(4, 10 * 86400.0);
  in.jobs.push_back(test::fixed_job("a", 144, 2e11));
  in.jobs.push_back(test::fixed_job("b", 72, 1e11, "u"));
  in.failures = *cluster::failure_preset("meta-rsc1");
  const auto r = cluster::simulate(in);
  REQUIRE(r.jobs.size() == 2);
  for (const auto& j : r.jobs) {
    INFO(j.name << " " << j.status << " " << j.reason);
    CHECK(j.status == "completed");
  }
  test::require_conservation(in, r);
  const auto again = cluster::simulate(in);
  CHECK(again.total.productive == r.total.productive);
  CHECK(again.events == r.events);
}
