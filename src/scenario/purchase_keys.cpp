// The keys of a purchase (lease/purchase.hpp): capex, delivery, depreciation and residual value,
// opex, and the loan when financed; a purchase is bought by the rack, all at once.
#include <fmt/format.h>

#include "leasesim/lease/purchase.hpp"
#include "leasesim/scenario/contract_keys.hpp"
#include "leasesim/units/quantity.hpp"
#include "leasesim/scenario/plausible.hpp"

namespace leasesim::scenario {

namespace {

FieldDoc months_doc(std::string key, std::string example, std::string default_value, std::string doc) {
  return FieldDoc{
      std::move(key), "duration", "s", std::move(example), std::move(default_value), std::move(doc), false, {}, {}, {},
      false};
}

}  // namespace

void purchase_keys(Schema<lease::Lease>& s) {
  using T = lease::PurchaseTerms;
  Schema<T> terms("purchase terms", "");
  terms
      .money("capex_per_rack", &T::capex_per_rack, Bounds::positive(1e9), "Purchase price per rack, paid at delivery.",
             Need::required)
      .example(R"("$3.1M")")
      .plausible(plausible::rack_capex())
      .quantity("lead_time", units::Dimension::duration, &T::lead_time_s,
                Bounds::at_least(0, 5 * units::seconds_per_year),
                "Order (`start`) to delivery; the racks serve from then.")
      .example(R"("6 months")")
      .plausible(plausible::wait_in_days(plausible::day_s, 5 * 365.2425 * plausible::day_s, 180 * plausible::day_s,
                                         "a delivery lead time"))
      .custom(months_doc("depreciation", "\"60 months\"", "60 months",
                         "Straight-line life: the residual value at the end is the book value left."),
              [](T& t, const Json& v, const std::string& path, Diagnostics& d) {
                if (auto m = read_whole_months(v, path, d)) t.depreciation_months = *m;
              })
      .custom(FieldDoc{"residual",
                       "fraction",
                       "",
                       "\"40%\"",
                       "the book value",
                       "Residual value at the end as a share of capex, instead of the straight-line book value.",
                       false,
                       {},
                       {},
                       Bounds::at_least(0, 1),
                       true},
              [](T& t, const Json& v, const std::string& path, Diagnostics& d) {
                if (auto x = read_quantity(v, path, units::Dimension::fraction, Bounds::at_least(0, 1), d))
                  t.residual = *x;
              })
      .money("opex_per_rack_month", &T::opex_per_rack_month, Bounds::at_least(0, 1e8),
             "Operating cost per delivered rack-month (space, staff, support), power aside.")
      .example(R"("$20k")")
      .plausible(plausible::rack_opex_month())
      .quantity("loan_rate", units::Dimension::fraction, &T::loan_rate, Bounds::at_least(0, 1),
                "Yearly interest of the loan financing the capex (with `loan_term`).")
      .example(R"("7%")")
      .custom(months_doc("loan_term", "\"48 months\"", "none: paid in cash",
                         "Financed: a level payment (annuity) every month from delivery over this term."),
              [](T& t, const Json& v, const std::string& path, Diagnostics& d) {
                if (auto m = read_whole_months(v, path, d)) t.loan_months = *m;
              });
  embed_terms(s, terms);
  s.check([](lease::Lease& l, const Json& v, const std::string& path, Diagnostics& d) {
    if (!v.is_object()) return;
    if (v.contains("gpus"))
      d.expected(pointer_join(path, "gpus"), "\"racks\" (a purchase is bought by the rack)", "gpus");
    if (v.contains("ramp"))
      d.expected(pointer_join(path, "ramp"), "no ramp (a purchase is delivered at once, after lead_time)", "a ramp");
    if (l.escalator > 0)
      d.expected(pointer_join(path, "escalator"), "no escalator (a purchase has no fee to escalate)", "an escalator");
    if (l.prepaid_months > 0)
      d.expected(pointer_join(path, "prepaid_months"), "no prepayment (a purchase pays its capex at delivery)",
                 fmt::format("{} months", l.prepaid_months));
    if (v.contains("sla"))
      d.expected(pointer_join(path, "sla"), "no sla rider (an SLA is a provider's promise; the holder owns the racks)",
                 "an sla block");
    if (v.contains("provider"))
      d.expected(pointer_join(path, "provider"), "no provider rider (the holder owns the racks: capex is its own)",
                 "a provider block");
    const auto& t = l.terms.get<lease::PurchaseTerms>();
    if (l.term_months > 0 && t.lead_time_s >= l.term_months * units::seconds_per_month)
      d.expected(pointer_join(path, "lead_time"), fmt::format("a delivery within the term ({} months)", l.term_months),
                 units::format_quantity(t.lead_time_s, units::Dimension::duration));
    if (v.contains("loan_rate") && !v.contains("loan_term"))
      d.expected(pointer_join(path, "loan_term"), "a loan term with loan_rate", "nothing");
  });
}

}  // namespace leasesim::scenario
