// The sensitivity result (sensitivity.hpp) as a ranked table for a terminal, CSV and JSON. The
// JSON is what `leasesim report` draws its tornado chart from (report/html_sensitivity_page.cpp):
//
//   {"kind": "sensitivity", "scenario": …, "job": …, "replications": …, "rank_by": "cost",
//    "base": {"mean_cost_usd": …, "end_p50": DATE, "end_p90": DATE, "end_p90_s": …, …},
//    "inputs": [{"rank": 1, "input": "tokens", "low_factor": 0.8, "high_factor": 1.25,
//                "low": {…as base}, "high": {…}, "cost_swing_usd": …, "end_swing_days": …, "why": …}],
//    "skipped": [{"input": …, "why": …}]}
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "leasesim/report/table.hpp"
#include "leasesim/study/sensitivity.hpp"

namespace leasesim::study {

report::Table sensitivity_table(const SensitivityResult& r);
std::string sensitivity_text(const SensitivityResult& r, report::Layout layout);
nlohmann::json sensitivity_json(const SensitivityResult& r);

}  // namespace leasesim::study
