// How `leasesim plan` shows its result on a terminal: the question, the answer and the binding job,
// the curve searched, and with --dual the dates the scenario's own capacity can promise. The
// document is what the plan writes as JSON (sweep/plan.hpp, docs/sweeps.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "leasesim/report/table.hpp"

namespace leasesim::report {

// The plan as terminal text (narrow: 120 columns; wide: every column).
std::string plan_text(const nlohmann::json& doc, Layout layout = Layout::narrow);

}  // namespace leasesim::report
