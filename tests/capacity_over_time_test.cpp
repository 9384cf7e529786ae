// Capacity over time (issue 11 §1, §3): what a tenant's jobs may use at an instant is what its leases
// provide then — a ramp, a later start, an exercised exit take racks out of service in the
// simulation, not only off the bill — and a job that needs every non-spare tray does not deadlock
// the cluster. Every case is a small variation of a shipped scenario, as a new user would try it.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "default_scenario_fixture.hpp"

#include <algorithm>
#include <fstream>

#include "leasesim/cluster/simulate.hpp"
#include "leasesim/lease/ledger.hpp"
#include "leasesim/report/lease_report.hpp"
#include "leasesim/scenario/scenario.hpp"
#include "leasesim/units/date.hpp"

using namespace leasesim;
using nlohmann::json;

namespace {

json shipped(const std::string& rel) {
  std::ifstream in(std::string(LEASESIM_SOURCE_DIR) + "/" + rel);
  return json::parse(in);
}

struct Run {
  scenario::Scenario scenario;
  cluster::SimulationInput input;
  cluster::SimulationResult result;
  lease::Ledger ledger;
  const cluster::JobResult& job(const std::string& name) const {
    return *std::find_if(result.jobs.begin(), result.jobs.end(), [&](const auto& j) { return j.name == name; });
  }
  std::int64_t utc(const std::string& date) const { return *units::parse_date(date); }
  // Job start/end as UTC seconds.
  std::int64_t at(double offset_s) const { return input.start_utc + static_cast<std::int64_t>(offset_s); }
  const cluster::MonthLedger& month(const std::string& yyyy_mm_01) const {
    const std::int64_t t = utc(yyyy_mm_01);
    return *std::find_if(result.months.begin(), result.months.end(),
                         [&](const auto& m) { return m.month_start_utc == t; });
  }
};

Run run(const json& doc) {
  const auto loaded = scenario::load_scenario_text(doc.dump(), "variation.json");
  INFO(loaded.diagnostics.format());
  REQUIRE(loaded.scenario);
  Run r{*loaded.scenario, scenario::to_simulation_input(*loaded.scenario), {}, {}};
  r.result = cluster::simulate(r.input);
  r.ledger = lease::build_ledger(scenario::to_ledger_input(r.scenario), r.result);
  return r;
}

std::int64_t allocated(const cluster::GpuTimeLedger& l) {
  return l.productive + l.checkpointing + l.restarting + l.lost;
}
constexpr std::int64_t gpus_per_rack = 72;
std::int64_t month_ms(const cluster::MonthLedger& m) { return (m.month_end_utc - m.month_start_utc) * 1000; }

void check_no_free_gpu_hours(const Run& r) {
  // Ledger: no use outside every lease, and every GPU-ms the tenants were allocated is on a lease row.
  CHECK(r.ledger.lease_total(lease::unleased_name).allocated == 0);
  std::int64_t sim = 0;
  for (const auto& tm : r.result.tenant_months) sim += allocated(tm.gpu_ms);
  CHECK(r.ledger.total().allocated == sim);
  // Conservation: the states still sum to the facility's GPUs × horizon.
  CHECK(r.result.total.total() ==
        r.input.cluster.gpus() * static_cast<std::int64_t>(std::llround(r.input.horizon_s * 1000)));
}

}  // namespace

TEST_CASE("a lease ramp is simulated: the 16,384-GPU job waits for the month its capacity arrives", "[capacity]") {
  json doc = leasesim::test::single_job_default(shipped("scenarios/reflection-colossus2.json"));
  doc["leases"][0]["ramp"] = {144, 216};  // 144 racks in July, 216 in August, 288 from September
  const Run r = run(doc);
  const auto& pretrain = r.job("pretrain-2t-fp8");
  // 144 racks hold 144 × 64 = 9,216 schedulable GPUs and 216 hold 13,824: neither hosts 16,384.
  REQUIRE(pretrain.start_s);
  CHECK(r.at(*pretrain.start_s) == r.utc("2026-09-01"));
  // July: 144 racks are out of service, none of their GPU-time is used or idle, and use stays
  // within the 144 leased racks.
  const auto& july = r.month("2026-07-01");
  CHECK(july.gpu_ms.unleased == (288 - 144) * gpus_per_rack * month_ms(july));
  CHECK(allocated(july.gpu_ms) <= 144 * 64 * month_ms(july));
  CHECK(july.gpu_ms.in_service() == 144 * gpus_per_rack * month_ms(july));
  const auto& august = r.month("2026-08-01");
  CHECK(august.gpu_ms.unleased == (288 - 216) * gpus_per_rack * month_ms(august));
  CHECK(r.month("2026-09-01").gpu_ms.unleased == 0);
  check_no_free_gpu_hours(r);
  // The delay costs the deadline (the unramped lease finishes 2026-12-18).
  REQUIRE(pretrain.deadline_met);
  CHECK_FALSE(*pretrain.deadline_met);
}

TEST_CASE("a ramp that starts small runs the small jobs at once and nothing beyond the ramped racks", "[capacity]") {
  json doc = shipped("scenarios/sweeps/small-cluster.json");
  doc["leases"][0]["ramp"] = {2};  // 2 of 14 racks in July: 128 schedulable GPUs, the 512-GPU job must wait
  const Run r = run(doc);
  REQUIRE(r.job("pretrain-70b").start_s);
  CHECK(r.at(*r.job("pretrain-70b").start_s) == r.utc("2026-08-01"));
  const auto& july = r.month("2026-07-01");
  CHECK(allocated(july.gpu_ms) > 0);  // evals of 8-32 GPUs fit in 2 racks
  CHECK(allocated(july.gpu_ms) <= 2 * 64 * month_ms(july));
  CHECK(july.gpu_ms.unleased == 12 * gpus_per_rack * month_ms(july));
  check_no_free_gpu_hours(r);
}

TEST_CASE("an exercised exit ends the capacity: a job still training at the exit stops, later demand never runs",
          "[capacity]") {
  json doc = leasesim::test::single_job_default(shipped("scenarios/reflection-colossus2.json"));
  doc["leases"][0]["termination"]["notice_given"] = "2026-10-01";  // 90 days: the lease ends 2026-12-30
  doc["jobs"][0]["tokens"] = "60T";                                // needs until about March 2027
  const Run r = run(doc);
  const std::int64_t exit = r.utc("2026-12-30");
  const auto& pretrain = r.job("pretrain-2t-fp8");
  CHECK_FALSE(pretrain.end_s);
  CHECK(pretrain.status == "running");
  REQUIRE(pretrain.deadline_met);
  CHECK_FALSE(*pretrain.deadline_met);
  CHECK(pretrain.tokens_trained < pretrain.tokens);
  CHECK(pretrain.tokens_trained > 0.5 * pretrain.tokens);  // checkpointed at the exit, not lost
  // From January on nothing is in service and nothing is allocated: 30 months of demand do not run free.
  for (const auto& m : r.result.months) {
    if (m.month_start_utc < r.utc("2027-01-01")) continue;
    CHECK(allocated(m.gpu_ms) == 0);
    CHECK(m.gpu_ms.unleased == 288 * gpus_per_rack * month_ms(m));
  }
  // No job completes after the exit.
  for (const auto& j : r.result.jobs)
    if (j.end_s) CHECK(r.at(*j.end_s) <= exit);
  check_no_free_gpu_hours(r);
  // The exit month's fee is prorated to 29/31 of December; later months bill nothing.
  CHECK(r.ledger.month_total(r.utc("2026-12-01")).fee.micros() == 140'322'580'645'161);
  CHECK(r.ledger.month_total(r.utc("2027-01-01")).tenant_cost() == units::Money{});
}

TEST_CASE("a lease that starts after the horizon does keeps its racks out of service until then", "[capacity]") {
  json doc = shipped("scenarios/sweeps/small-cluster.json");
  doc["leases"][0]["start"] = "2026-08-01";
  doc["leases"][0]["term"] = "11 months";
  const Run r = run(doc);
  const auto& july = r.month("2026-07-01");
  CHECK(allocated(july.gpu_ms) == 0);
  CHECK(july.gpu_ms.unleased == 14 * gpus_per_rack * month_ms(july));
  CHECK(july.energy_mwh == Approx(0).margin(1e-9));  // powered off, no rack overhead billed to anyone
  REQUIRE(r.job("pretrain-70b").start_s);
  CHECK(r.at(*r.job("pretrain-70b").start_s) == r.utc("2026-08-01"));
  check_no_free_gpu_hours(r);
}

TEST_CASE("a job that needs every non-spare tray does not deadlock the cluster", "[capacity][scheduler]") {
  json doc = leasesim::test::single_job_default(shipped("scenarios/reflection-colossus2.json"));
  doc["cluster"]["racks"] = 256;  // 256 × 64 = 16,384 schedulable GPUs: exactly the pretraining's size
  doc["leases"][0]["racks"] = 256;
  const Run r = run(doc);
  const auto& pretrain = r.job("pretrain-2t-fp8");
  // Failures take its trays every few hours; spares replace them and it is re-placed on spares when a
  // rack runs out, so it finishes (at 257 racks it finishes 2027-01-11, like here).
  REQUIRE(pretrain.end_s);
  CHECK(r.at(*pretrain.end_s) < r.utc("2027-01-18"));
  CHECK(pretrain.interruptions > 1000);
  // The evaluation stream keeps running around it, and the cluster is never idle for a whole day
  // while the pretraining is unfinished.
  int evals = 0, done = 0;
  for (const auto& j : r.result.jobs)
    if (j.generated && j.name.rfind("eval-", 0) == 0) {
      ++evals;
      done += j.status == "completed";
    }
  CHECK(evals > 12'000);
  CHECK(done >= evals - 5);
  const auto days = static_cast<std::size_t>((*pretrain.end_s) / 86400);
  for (std::size_t d = 0; d < days; ++d) {
    INFO("day " << d);
    CHECK(r.result.daily_utilization[d] > 0.5);
  }
}

TEST_CASE("several tenants on one cluster each get their leases' racks; borrowing follows the overflow rule",
          "[capacity][tenants]") {
  json doc = shipped("scenarios/sweeps/small-cluster.json");
  doc["cluster"]["racks"] = 14;
  doc["leases"] = json::parse(R"([
    {"name": "lab-lease", "type": "fixed-monthly", "tenant": "lab", "fee_per_month": "$4M", "racks": 7,
     "start": "2026-07-01", "term": "12 months"},
    {"name": "other-lease", "type": "fixed-monthly", "tenant": "other", "fee_per_month": "$4M", "racks": 7,
     "start": "2026-07-01", "term": "12 months"}])");
  doc["jobs"][0]["gpus"] = 512;  // 8 racks' worth: more than lab's 7 racks (448 schedulable GPUs)
  doc.erase("expect");
  SECTION("queue: a job larger than its tenant's leases is rejected, saying why; the rest stays within 7 racks") {
    const Run r = run(doc);
    const auto& pretrain = r.job("pretrain-70b");
    CHECK(pretrain.status == "rejected");
    CHECK_THAT(pretrain.reason,
               Catch::Contains("needs 512 GPUs") && Catch::Contains("\"lab\"") && Catch::Contains("448"));
    for (const auto& tm : r.result.tenant_months) {
      const auto& m = *std::find_if(r.result.months.begin(), r.result.months.end(),
                                    [&](const auto& x) { return x.month_start_utc == tm.month_start_utc; });
      CHECK(allocated(tm.gpu_ms) <= 7 * 64 * month_ms(m));
    }
    check_no_free_gpu_hours(r);
  }
  SECTION("borrow: the idle neighbour's racks host it, billed as borrowed") {
    doc["tenants"] = json::parse(
        R"([{"name": "lab", "leases": ["lab-lease"], "overflow": {"rule": "borrow", "price_per_gpu_hour": "$1"}},
                                     {"name": "other", "leases": ["other-lease"]}])");
    const Run r = run(doc);
    const auto& pretrain = r.job("pretrain-70b");
    CHECK(pretrain.status == "completed");
    CHECK(r.ledger.lease_total("other-lease").borrow > units::Money{});
    check_no_free_gpu_hours(r);
  }
}

TEST_CASE("a scenario without leases keeps the owner's view: the whole facility, all the time", "[capacity]") {
  json doc = shipped("scenarios/sweeps/small-cluster.json");
  doc.erase("leases");
  const Run r = run(doc);
  CHECK_FALSE(r.input.capacity.enabled);
  CHECK(r.result.total.unleased == 0);
  REQUIRE(r.job("pretrain-70b").start_s);
  CHECK(*r.job("pretrain-70b").start_s == 0);
}
