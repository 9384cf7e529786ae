// A new contract type is its own code plus registry lines: a "flat-rate" contract (a fee per month
// plus every used GPU-hour at one rate, with a share of productive time lost) is defined in this
// file only — its terms, its class (what the lease layer's file would hold), its keys (what the
// scenario layer's file would hold) — and registered from here. A scenario using it loads, bills,
// loses time and shows in every report (run document, CSV, tables, HTML page, the schema docs)
// with no other file touched.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "leasesim/lease/billing_math.hpp"
#include "leasesim/lease/contract_type.hpp"
#include "leasesim/lease/fixed_monthly.hpp"
#include "leasesim/lease/ledger.hpp"
#include "leasesim/lease/reserved.hpp"
#include "leasesim/report/html_report.hpp"
#include "leasesim/report/lease_report.hpp"
#include "leasesim/report/scenario_summary.hpp"
#include "leasesim/scenario/contract_keys.hpp"
#include "leasesim/scenario/lease_schema.hpp"
#include "leasesim/scenario/scenario.hpp"
#include "leasesim/study/run_scenario.hpp"
#include "leasesim/units/quantity.hpp"

using namespace leasesim;
using Json = nlohmann::json;
using units::Money;

namespace {

// ---- The whole contract type -------------------------------------------------------------------

struct FlatRateTerms {
  Money fee_per_month;    // owed for every calendar month, used or not
  Money per_gpu_hour;     // and every used GPU-hour
  double lost_share = 0;  // of the productive time, lost to interruptions the simulation does not see
};

class FlatRateContract final : public lease::ContractType {
 public:
  std::string_view name() const override { return "flat-rate"; }
  std::string_view summary() const override { return "a fee per calendar month plus every used GPU-hour at one rate"; }
  bool committed() const override { return true; }
  std::int64_t committed_gpu_ms(const lease::Lease&, const lease::BillingMonth& m) const override {
    return m.capacity_gpu_ms;
  }
  Money marginal_price_per_gpu_hour(const lease::Lease& l) const override { return terms(l).per_gpu_hour; }
  lease::Charges bill(const lease::Lease& l, const lease::BillingMonth& m) const override {
    return {lease::prorate(terms(l).fee_per_month, m.active_ms, m.month_ms),
            lease::price_of(terms(l).per_gpu_hour, m.used_gpu_ms)};
  }
  std::string_view usage_line() const override { return "flat_rate"; }
  double quoted_price_per_gpu_hour(const lease::Lease& l, std::int64_t gpus) const override {
    const double gpu_hours = static_cast<double>(gpus) * units::seconds_per_month / 3600.0;
    return (gpu_hours > 0 ? terms(l).fee_per_month.dollars() / gpu_hours : 0.0) + terms(l).per_gpu_hour.dollars();
  }
  Money fee_per_month(const lease::Lease& l) const override { return terms(l).fee_per_month; }
  double lost_productive_fraction(const lease::Lease& l) const override { return terms(l).lost_share; }

 private:
  static const FlatRateTerms& terms(const lease::Lease& l) { return l.terms.get<FlatRateTerms>(); }
};

void flat_rate_keys(scenario::Schema<lease::Lease>& s) {
  using T = FlatRateTerms;
  scenario::Schema<T> terms("flat-rate terms", "");
  terms
      .money("fee_per_month", &T::fee_per_month, scenario::Bounds::positive(1e10), "Fee per calendar month.",
             scenario::Need::required)
      .money("rate", &T::per_gpu_hour, scenario::price_bounds, "Price per used GPU-hour.", scenario::Need::required)
      .quantity("lost_share", units::Dimension::fraction, &T::lost_share, scenario::Bounds::at_least(0, 1),
                "Share of productive time lost.");
  scenario::embed_terms(s, terms);
}

// The registry lines, for one scope: the rest of the suite runs in the same process
// (build/tests/leasesim_tests) and must see the built-in types only.
struct FlatRateRegistered {
  FlatRateRegistered() {
    static const FlatRateContract type;
    lease::register_contract_type(type);
    static const bool keys = (scenario::register_contract_keys("flat-rate", flat_rate_keys), true);
    (void)keys;
  }
  ~FlatRateRegistered() { lease::deregister_contract_type("flat-rate"); }
  FlatRateRegistered(const FlatRateRegistered&) = delete;
  FlatRateRegistered& operator=(const FlatRateRegistered&) = delete;
};

// ---- A scenario using it ---------------------------------------------------------------------------

// The small 14-rack partition (scenarios/sweeps/small-cluster.json) for July and August 2026 under
// one flat-rate lease.
Json flat_rate_scenario() {
  std::ifstream in(std::string(LEASESIM_SOURCE_DIR) + "/scenarios/sweeps/small-cluster.json");
  Json doc = Json::parse(in);
  doc["name"] = "flat-rate";
  doc.erase("expect");
  doc["horizon"]["length"] = "62 d";
  doc["leases"] = Json::parse(R"([{"name": "flat", "type": "flat-rate", "tenant": "lab", "fee_per_month": "$3M",
                                   "rate": "$1.50", "lost_share": "5%", "racks": 14, "start": "2026-07-01",
                                   "term": "12 months"}])");
  return doc;
}

std::vector<std::string> problems(const Json& doc) {
  const auto r = scenario::load_scenario_text(doc.dump(), "flat.json");
  CHECK_FALSE(r.scenario.has_value());
  std::vector<std::string> lines;
  std::istringstream text(r.diagnostics.format());
  for (std::string line; std::getline(text, line);) lines.push_back(line);
  return lines;
}

bool holds(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

std::vector<std::string> keys_of(const Json& object) {
  std::vector<std::string> keys;
  for (auto it = object.begin(); it != object.end(); ++it) keys.push_back(it.key());
  return keys;
}

}  // namespace

TEST_CASE("a contract type defined in one test file loads, bills and reports with no other file touched",
          "[lease][contract-type]") {
  {
    const FlatRateRegistered registered;
    CHECK(lease::contract_type_names().back() == "flat-rate");
    CHECK(lease::usage_lines() == std::vector<std::string>{"overage", "on_demand", "spot", "flat_rate"});

    // Loads: its keys are read into its own terms, and checked like any type's.
    const auto loaded = scenario::load_scenario_text(flat_rate_scenario().dump(), "flat.json");
    INFO(loaded.diagnostics.format());
    REQUIRE(loaded.scenario);
    const scenario::Scenario& s = *loaded.scenario;
    const auto& terms = s.leases.at(0).terms.get<FlatRateTerms>();
    CHECK(terms.fee_per_month == Money::from_dollars(3e6));
    CHECK(terms.per_gpu_hour == Money::from_micros(1'500'000));
    CHECK(terms.lost_share == Approx(0.05));
    Json typo = flat_rate_scenario();
    typo["leases"][0].erase("rate");
    typo["leases"][0]["rat"] = "$1.50";
    const auto lines = problems(typo);
    CHECK(holds(lines, "flat.json: /leases/0/rat: unknown key \"rat\" in flat-rate lease; did you mean \"rate\"?"));
    CHECK(holds(lines, "flat.json: /leases/0/rate: expected key \"rate\" (money), found nothing"));

    // Bills: the fee of every month, every used GPU-hour at the rate, and the lost share moved from
    // productive to lost time.
    const auto run = study::run_scenario(s);
    REQUIRE(run.ledgers.size() == 1);
    const lease::Ledger& ledger = run.ledgers.at(0);
    REQUIRE(ledger.rows.size() == 2);  // July and August, one holder
    for (const auto& row : ledger.rows) {
      INFO("month " << row.month_start_utc);
      CHECK(row.type == "flat-rate");
      CHECK(row.figures.fee == Money::from_dollars(3e6));  // whole calendar months
      CHECK(row.figures.usage_on("flat_rate") == lease::price_of(Money::from_micros(1'500'000), row.figures.allocated));
      CHECK(row.figures.usage_on("flat_rate") > Money{});
      CHECK(row.figures.usage.total() == row.figures.usage_on("flat_rate"));
      const auto tenant_month =
          std::find_if(run.results.at(0).tenant_months.begin(), run.results.at(0).tenant_months.end(),
                       [&](const auto& tm) { return tm.month_start_utc == row.month_start_utc; });
      REQUIRE(tenant_month != run.results.at(0).tenant_months.end());
      const std::int64_t simulated = tenant_month->gpu_ms.productive;
      CHECK(row.figures.productive == simulated - std::llround(static_cast<double>(simulated) * 0.05));
    }
    const auto total = ledger.total();
    CHECK(total.tenant_cost() == total.fee + total.usage_on("flat_rate") + total.energy);

    // Reports: its usage line is a column of the ledger (JSON, CSV) between spot and burst, its fee
    // the lease summary's fee per month, its line a line item of the HTML page, its keys a block of
    // the scenario reference.
    const Json& doc = run.documents.at(0);
    const Json& lease_total = doc.at("leases").at(0).at("total");
    CHECK(doc.at("leases").at(0).at("type") == "flat-rate");
    CHECK(lease_total.at("flat_rate_usd").get<double>() == Approx(total.usage_on("flat_rate").dollars()));
    const Json figures = report::figures_json(total);
    CHECK(figures.at("flat_rate_usd").get<double>() == Approx(total.usage_on("flat_rate").dollars()));
    const std::string csv = report::lease_csv(ledger);
    CHECK(csv.substr(0, csv.find('\n')).find(",spot_usd,flat_rate_usd,burst_usd,") != std::string::npos);
    const Json summary = report::lease_table(s).to_json().at(0);
    CHECK(summary.at("type") == "flat-rate");
    CHECK(summary.at("fee_per_month_usd").get<double>() == Approx(3e6));
    CHECK(summary.at("contract_value_usd").get<double>() == Approx(36e6));
    const auto page = report::parse_report_input(doc.dump(), "flat.json");
    REQUIRE(page.input);
    CHECK(report::html_report(*page.input).find("flat-rate ($M)") != std::string::npos);
    // (The scenario reference is generated from the scenario schema, built once per process: a type
    // registered after that shows in its `leases` field doc, as here, not in an earlier reference.)
    const scenario::FieldDoc leases_doc = scenario::leases_field_doc();
    CHECK(leases_doc.choices.back() == "flat-rate");
    REQUIRE(leases_doc.schemas.size() == leases_doc.choices.size());
    const scenario::SchemaInfo& block = *leases_doc.schemas.back();
    CHECK(block.name == "flat-rate lease");
    std::vector<std::string> fields;
    for (const auto& f : block.fields) fields.push_back(f.name);
    const auto own = std::find(fields.begin(), fields.end(), "term") + 1;  // a type's keys follow `term`
    REQUIRE(fields.end() - own >= 3);
    CHECK(std::vector<std::string>(own, own + 3) == std::vector<std::string>{"fee_per_month", "rate", "lost_share"});
  }
  // Out of scope, the registry is the built-in one again: no flat_rate_usd column, no flat-rate type.
  CHECK(lease::contract_type_names() ==
        std::vector<std::string>{"fixed-monthly", "reserved", "on-demand", "spot", "purchase"});
  CHECK(scenario::lease_schema_of("flat-rate") == nullptr);
  const auto keys = keys_of(report::figures_json(lease::LedgerFigures{}));
  CHECK(std::find(keys.begin(), keys.end(), "flat_rate_usd") == keys.end());
  CHECK(std::find(keys.begin(), keys.end(), "spot_usd") != keys.end());
  CHECK_FALSE(problems(flat_rate_scenario()).empty());
}

TEST_CASE("a lease's terms are read only as its own type's; none set reads the type's defaults",
          "[lease][contract-type]") {
  lease::Lease l;
  CHECK(l.terms.empty());
  CHECK(l.terms.get<lease::ReservedTerms>().committed_gpu_hours == 0);
  l.terms = lease::FixedMonthlyTerms{Money::from_dollars(10)};
  CHECK(l.terms.get<lease::FixedMonthlyTerms>().fee_per_month == Money::from_dollars(10));
  CHECK_THROWS_AS(l.terms.get<lease::ReservedTerms>(), std::logic_error);
  l.terms.edit<lease::ReservedTerms>().committed_gpu_hours = 5;  // another type's terms replace them
  CHECK(l.terms.get<lease::ReservedTerms>().committed_gpu_hours == 5);
  CHECK_THROWS_AS(lease::register_contract_type(*lease::find_contract_type("spot")), std::invalid_argument);
  CHECK_THROWS_AS(lease::deregister_contract_type("spot"), std::invalid_argument);
}
