// The keys of an on-demand lease (lease/on_demand.hpp): the list price, the expected grant and the
// lead time.
#include "leasesim/lease/on_demand.hpp"
#include "leasesim/scenario/contract_keys.hpp"

namespace leasesim::scenario {

void on_demand_keys(Schema<lease::Lease>& s) {
  using T = lease::OnDemandTerms;
  Schema<T> terms("on-demand terms", "");
  terms.money("price_per_gpu_hour", &T::price_per_gpu_hour, price_bounds, "List price per GPU-hour.", Need::required)
      .quantity("availability", units::Dimension::fraction, &T::availability, Bounds::positive(1),
                "Probability a requested GPU is granted (the expected share of the cap).")
      .quantity("lead_time", units::Dimension::duration, &T::lead_time_s, Bounds::at_least(0, units::seconds_per_year),
                "Wait before the capacity arrives.");
  embed_terms(s, terms);
}

}  // namespace leasesim::scenario
