// The one pipeline from a scenario to its run document (see run_scenario.hpp).
#include "leasesim/study/run_scenario.hpp"

#include <algorithm>
#include <map>
#include <string>

#include "leasesim/cluster/random_stream.hpp"
#include "leasesim/cluster/simulate.hpp"
#include "leasesim/report/job_cost_report.hpp"
#include "leasesim/report/lease_report.hpp"
#include "leasesim/report/run_report.hpp"
#include "leasesim/units/date.hpp"

namespace leasesim::study {

using nlohmann::json;

Replication run_replication(const cluster::SimulationInput& input, const lease::LedgerInput* ledger_input) {
  Replication out{cluster::simulate(input), std::nullopt};
  if (ledger_input) out.ledger = lease::build_ledger(*ledger_input, out.result);
  return out;
}

namespace {

// Per holder of a lease: its leases' last instant inside the horizon (seconds from the start), the
// bound on the GPU-hours a job finishing early frees for it.
std::map<std::string, double> capacity_end_by_tenant(const scenario::Scenario& s) {
  std::map<std::string, double> capacity_end;
  const double horizon_s =
      static_cast<double>(units::calendar_advance(s.horizon.start, s.horizon.length_s) - s.horizon.start);
  for (const auto& l : s.leases) {
    const double end = std::min(horizon_s, static_cast<double>(l.end() - s.horizon.start));
    auto [it, fresh] = capacity_end.emplace(l.tenant, end);
    if (!fresh) it->second = std::max(it->second, end);
  }
  return capacity_end;
}

}  // namespace

json replication_document(const scenario::Scenario& s, const cluster::SimulationResult& r,
                          const lease::Ledger* ledger) {
  json doc = report::run_json(s, r);
  if (s.leases.empty()) return doc;
  std::optional<lease::Ledger> built;
  if (!ledger) ledger = &built.emplace(lease::build_ledger(scenario::to_ledger_input(s), r));
  const json lj = report::lease_json(*ledger);
  doc["leases"] = lj["leases"];
  doc["lease_totals"] = {{"total", lj["total"]}, {"derived", lj["derived"]}, {"deadlines", lj["deadlines"]}};
  report::add_job_costs(doc, *ledger, r, capacity_end_by_tenant(s));
  if (s.finance) report::add_finance(doc, scenario::to_ledger_input(s), *ledger);
  return doc;
}

namespace {

// Replications 2..n through options.run_many, then replication 1 here (see RunOptions::run_many).
RunOutcome run_spread(const scenario::Scenario& s, const RunOptions& options) {
  RunOutcome out;
  const cluster::SimulationInput input = scenario::to_simulation_input(s);
  const std::optional<lease::LedgerInput> ledger_input =
      s.leases.empty() ? std::nullopt : std::optional<lease::LedgerInput>(scenario::to_ledger_input(s));
  const auto n = static_cast<std::size_t>(s.replications);
  out.documents.resize(n);
  int done = 0;
  options.run_many(
      n - 1,
      [&](std::size_t i) {
        cluster::SimulationInput copy = input;
        copy.seed = cluster::replication_seed(input.seed, static_cast<int>(i + 1));
        const Replication rep = run_replication(copy, ledger_input ? &*ledger_input : nullptr);
        return replication_document(s, rep.result, rep.ledger ? &*rep.ledger : nullptr).dump();
      },
      [&](std::size_t i, const std::string& text) {
        out.documents[i + 1] = json::parse(text);
        if (options.on_replication) options.on_replication(++done);
      });
  cluster::SimulationInput copy = input;
  copy.seed = cluster::replication_seed(input.seed, 0);
  Replication first = run_replication(copy, ledger_input ? &*ledger_input : nullptr);
  out.documents[0] = replication_document(s, first.result, first.ledger ? &*first.ledger : nullptr);
  out.results.push_back(std::move(first.result));
  if (first.ledger) out.ledgers.push_back(std::move(*first.ledger));
  if (options.on_replication) options.on_replication(++done);
  out.document = report::aggregate_replications(out.documents);
  out.document["replications"] = s.replications;
  return out;
}

}  // namespace

RunOutcome run_scenario(const scenario::Scenario& s, const RunOptions& options) {
  if (options.run_many && s.replications > 1) return run_spread(s, options);
  RunOutcome out;
  out.results =
      cluster::simulate_replications(scenario::to_simulation_input(s), s.replications, options.on_replication);
  const std::optional<lease::LedgerInput> ledger_input =
      s.leases.empty() ? std::nullopt : std::optional<lease::LedgerInput>(scenario::to_ledger_input(s));
  out.documents.reserve(out.results.size());
  for (const auto& r : out.results) {
    if (ledger_input) {
      out.ledgers.push_back(lease::build_ledger(*ledger_input, r));
      out.documents.push_back(replication_document(s, r, &out.ledgers.back()));
    } else {
      out.documents.push_back(replication_document(s, r));
    }
  }
  out.document = report::aggregate_replications(out.documents);
  out.document["replications"] = s.replications;
  return out;
}

}  // namespace leasesim::study
