// Every full scenario shipped in scenarios/ is simulated and its GPU-time ledger checked exactly:
// states sum to GPUs x horizon in total, in every calendar month and for every rack. A new scenario
// file is covered as soon as it is added.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "leasesim/cluster/simulate.hpp"
#include "leasesim/lease/ledger.hpp"
#include "leasesim/report/lease_report.hpp"
#include "leasesim/scenario/json_text.hpp"
#include "leasesim/scenario/scenario.hpp"

namespace fs = std::filesystem;
using namespace leasesim;

namespace {

// Full scenarios have a horizon; step files and compare files are checked elsewhere.
std::vector<fs::path> full_scenarios() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(LEASESIM_SOURCE_DIR) / "scenarios")) {
    if (!e.is_regular_file() || e.path().extension() != ".json") continue;
    scenario::Diagnostics d(e.path().string());
    const auto doc = scenario::read_json_file(e.path().string(), d);
    if (doc && doc->is_object() && doc->contains("horizon") && !doc->contains("alternatives")) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("every shipped scenario's ledger sums exactly to GPUs x horizon and its lease ledger reconciles",
          "[cluster][scenarios]") {
  const auto files = full_scenarios();
  REQUIRE_FALSE(files.empty());
  for (const auto& file : files) {
    INFO("scenario: " << file.string());
    const auto loaded = scenario::load_scenario_file(file.string());
    INFO(loaded.diagnostics.format());
    REQUIRE(loaded.scenario);
    const auto input = scenario::to_simulation_input(*loaded.scenario);
    const auto result = cluster::simulate(input);
    const std::int64_t horizon_ms = static_cast<std::int64_t>(input.horizon_s * 1000);
    CHECK(result.total.total() == input.cluster.gpus() * horizon_ms);
    std::int64_t month_sum = 0;
    for (const auto& m : result.months) {
      CHECK(m.gpu_ms.total() == input.cluster.gpus() * (m.month_end_utc - m.month_start_utc) * 1000);
      month_sum += m.gpu_ms.total();
    }
    CHECK(month_sum == result.total.total());
    REQUIRE(static_cast<int>(result.per_rack.size()) == input.cluster.racks);
    for (const auto& r : result.per_rack) CHECK(r.total() == std::int64_t{input.cluster.rack.gpus} * horizon_ms);
    // Allocation states of the tenants never exceed what the cluster allocated.
    std::int64_t tenant_alloc = 0;
    for (const auto& t : result.tenant_months) {
      tenant_alloc += t.gpu_ms.productive + t.gpu_ms.checkpointing + t.gpu_ms.restarting + t.gpu_ms.lost;
    }
    CHECK(tenant_alloc ==
          result.total.productive + result.total.checkpointing + result.total.restarting + result.total.lost);

    // The lease ledger reconciles exactly: line items sum to each row's cost, rows to each month's
    // and each lease's totals, and those to the grand total — in integer micro-dollars.
    if (loaded.scenario->leases.empty()) continue;
    const auto ledger = lease::build_ledger(scenario::to_ledger_input(*loaded.scenario), result);
    lease::LedgerFigures sum;
    for (const auto& row : ledger.rows) {
      const auto& f = row.figures;
      CHECK(f.tenant_cost().micros() ==
            (f.fee + f.usage.total() + f.burst + f.borrow + f.energy - f.sla_credit - f.resale_revenue).micros());
      sum += f;
    }
    const auto total = ledger.total();
    CHECK(sum.tenant_cost().micros() == total.tenant_cost().micros());
    CHECK(sum.fee.micros() == total.fee.micros());
    std::int64_t by_month = 0;
    for (auto m : ledger.months) by_month += ledger.month_total(m).tenant_cost().micros();
    CHECK(by_month == total.tenant_cost().micros());
    std::int64_t by_lease = 0;
    for (const auto& l : ledger.lease_order) by_lease += ledger.lease_total(l).tenant_cost().micros();
    CHECK(by_lease == total.tenant_cost().micros());
  }
}
