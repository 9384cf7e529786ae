// How `leasesim plan` shows its result on a terminal: the question, the answer and the binding job,
// the curve searched, and with --dual the dates the scenario's own capacity can promise. The
// document is what the plan writes as JSON (sweep/plan.hpp, docs/sweeps.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "leasesim/report/table.hpp"

namespace leasesim::report {

// The plan as terminal text (narrow: 120 columns; wide: every column). A plan over levers
// (doc "kind": "levers"): the answer's terms and figures, the ranking (answer and runners-up), the
// exit option and the provider's view.
std::string plan_text(const nlohmann::json& doc, Layout layout = Layout::narrow);

// A plan over levers as CSV: one row per candidate (its lever values, expected/P90/CVaR90 cost in $,
// P(deadlines met), feasible).
std::string plan_levers_csv(const nlohmann::json& doc);

}  // namespace leasesim::report
