// The keys of a fixed-monthly lease (lease/fixed_monthly.hpp): its fee.
#include "leasesim/lease/fixed_monthly.hpp"
#include "leasesim/scenario/contract_keys.hpp"

namespace leasesim::scenario {

void fixed_monthly_keys(Schema<lease::Lease>& s) {
  using T = lease::FixedMonthlyTerms;
  Schema<T> terms("fixed-monthly terms", "");
  terms
      .money("fee_per_month", &T::fee_per_month, Bounds::positive(1e10),
             "Fee per calendar month, owed whether used or not.", Need::required)
      .example(R"("$150M")");
  embed_terms(s, terms);
}

}  // namespace leasesim::scenario
