// The four kinds of `leasesim report` page (html_report.hpp), each built from its result document
// into a Page (html_page.hpp): run, compare, sweep (the array of JSONL rows), plan and sensitivity.
#pragma once

#include <optional>
#include <string>

#include "leasesim/report/html_json.hpp"
#include "leasesim/report/html_page.hpp"

namespace leasesim::report::html {

Page run_page(const Json& doc, const std::string& source);
Page compare_page(const Json& doc, const std::string& source);
Page sweep_page(const Json& rows, const std::string& source);
Page plan_page(const Json& doc, const std::string& source);
Page sensitivity_page(const Json& doc, const std::string& source);

// Sections of the run page (html_run_jobs.cpp): the job timelines with their table, and the cost
// per job; none when the document lacks what they need.
std::optional<Section> jobs_section(const Json& doc, bool replicated);
std::optional<Section> job_cost_section(const Json& doc, bool replicated);

}  // namespace leasesim::report::html
