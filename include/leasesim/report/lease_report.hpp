// The lease section of a run: the ledger as terminal tables (a summary per lease and quarter or month, then
// totals with the derived $ figures), as JSON (`leases[]`, each with `months[]`), and as CSV (one
// row per month × lease × tenant, units in the column names). Money is shown in dollars; the JSON
// totals also carry the exact tenant cost in micro-dollars.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "leasesim/lease/ledger.hpp"
#include "leasesim/report/table.hpp"
#include "leasesim/scenario/scenario.hpp"

namespace leasesim::report {

// Figures of one total as a JSON object (GPU-hours, MWh, tokens, jobs, dollars; keys carry units).
nlohmann::json figures_json(const lease::LedgerFigures& f);
nlohmann::json derived_json(const lease::DerivedCosts& d);

enum class Period { month, quarter };

// Period × lease; a quarter's row is the sum of its months' (money exact, in micro-dollars), its
// derived figures (availability, $/productive GPU-hour) those of the sum.
Table lease_month_table(const lease::Ledger& ledger, Period period = Period::month);
Table lease_totals_table(const lease::Ledger& ledger);  // per lease and all leases
// The ledger by quarter (by month with options.monthly), then the totals and deadlines; narrow
// unless options.layout is wide.
std::string lease_text(const lease::Ledger& ledger, const TextOptions& options = {});
nlohmann::json lease_json(const lease::Ledger& ledger);
std::string lease_csv(const lease::Ledger& ledger);  // month × lease × tenant

// Money over time for a run document with a finance block (lease/finance.hpp): `npv_usd` and
// `cash_flows_usd` (by month t, t = 0 the horizon start) added to each of doc["leases"] and to
// doc["lease_totals"], and doc["finance"] = {discount_rate, convention, npv_usd}.
void add_finance(nlohmann::json& doc, const lease::LedgerInput& input, const lease::Ledger& ledger);

}  // namespace leasesim::report
