// The keys of a spot lease (lease/spot.hpp): the spot price and the preemptions.
#include "leasesim/lease/spot.hpp"
#include "leasesim/scenario/contract_keys.hpp"
#include "leasesim/scenario/plausible.hpp"

namespace leasesim::scenario {

void spot_keys(Schema<lease::Lease>& s) {
  using T = lease::SpotTerms;
  Schema<T> terms("spot terms", "");
  terms.money("price_per_gpu_hour", &T::price_per_gpu_hour, price_bounds, "Spot price per GPU-hour.", Need::required)
      .example(R"("$3.50")")
      .plausible(plausible::gpu_hour_price())
      .quantity("preemptions_per_day", units::Dimension::count, &T::preemptions_per_day, Bounds::at_least(0, 1000),
                "Preemptions per allocated GPU per day.")
      .example(R"(0.05)")
      .quantity("work_lost_per_preemption", units::Dimension::duration, &T::work_lost_per_preemption_s,
                Bounds::at_least(0, units::seconds_per_day), "Rework and restart per preemption.")
      .example(R"("20 min")");
  embed_terms(s, terms);
}

}  // namespace leasesim::scenario
